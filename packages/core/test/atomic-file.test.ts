import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAtomicFile, temporaryFilesInProgress } from '../src/index.js';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'nimc-atomic-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

describe('temporaryFilesInProgress', () => {
  it('lists an open write until commit', async () => {
    const path = join(root, 'committed.csv');
    const file = await openAtomicFile(path);
    await file.write('a,b\n');

    const pending = temporaryFilesInProgress();

    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatch(/\.committed\.csv\.\d+\.[0-9a-f]+\.tmp$/);
    expect(await exists(pending[0] as string)).toBe(true);
    await file.commit();
    expect(temporaryFilesInProgress()).toEqual([]);
    expect(await readFile(path, 'utf8')).toBe('a,b\n');
  });

  it('drops an aborted write', async () => {
    const file = await openAtomicFile(join(root, 'aborted.csv'));
    const pending = temporaryFilesInProgress();
    expect(pending).toHaveLength(1);

    await file.abort();

    expect(temporaryFilesInProgress()).toEqual([]);
    expect(await exists(pending[0] as string)).toBe(false);
  });
});
