import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommandError } from '../src/errors.js';
import { writeFileAtomically } from '../src/write-file.js';

describe('writeFileAtomically', () => {
  let folder = '';

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'nimc-write-'));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('writes a new file', async () => {
    const path = join(folder, 'plot.svg');

    writeFileAtomically(path, '<svg/>');

    expect(await readFile(path, 'utf8')).toBe('<svg/>');
    expect(await readdir(folder)).toEqual(['plot.svg']);
  });

  it('replaces an existing file', async () => {
    const path = join(folder, 'plot.svg');
    await writeFile(path, 'old');

    writeFileAtomically(path, 'new');

    expect(await readFile(path, 'utf8')).toBe('new');
    expect(await readdir(folder)).toEqual(['plot.svg']);
  });

  it('names the path when the folder is missing', () => {
    const path = join(folder, 'missing', 'plot.svg');

    expect(() => writeFileAtomically(path, 'text')).toThrow(CommandError);
    expect(() => writeFileAtomically(path, 'text')).toThrow(`failed to write ${path}: `);
  });

  it('removes the temporary file when the rename fails', async () => {
    // A non-empty folder at the target path makes the rename fail after the write succeeded.
    const path = join(folder, 'plot.svg');
    await mkdir(path);
    await writeFile(join(path, 'inside'), 'kept');

    expect(() => writeFileAtomically(path, 'text')).toThrow(`failed to write ${path}: `);
    expect(await readdir(folder)).toEqual(['plot.svg']);
    expect(await readFile(join(path, 'inside'), 'utf8')).toBe('kept');
  });
});
