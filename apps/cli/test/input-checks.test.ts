import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasStackTrace, runCli, type CliRun } from './run-cli.js';

const example = fileURLToPath(new URL('../../../examples/small/', import.meta.url));
const ratings = join(example, 'ratings.csv');
const users = join(example, 'users.csv');
const items = join(example, 'items.csv');

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'nimc-input-checks-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function file(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(root, name);
  await writeFile(path, content);
  return path;
}

function expectError(run: CliRun, code: number, message: string): void {
  expect(run.code, run.stderr).toBe(code);
  expect(run.stderr).toContain(`nimc: error: ${message}`);
  expect(hasStackTrace(run.stderr), run.stderr).toBe(false);
}

function train(args: string[]): Promise<CliRun> {
  return runCli(['train', '--rank', '4', '--max-iterations', '5', '--quiet', '--out', join(root, 'model.nimc.json'), ...args]);
}

// The example user file with the age of its fifth user (line 6) replaced by `age`.
async function usersWithAge(name: string, age: string | Buffer): Promise<string> {
  const lines = (await readFile(users, 'utf8')).split('\n');
  const fields = (lines[5] as string).split(',');
  const before = `${lines.slice(0, 5).join('\n')}\n${fields[0] as string},`;
  const after = `,${fields.slice(2).join(',')}\n${lines.slice(6).join('\n')}`;
  return file(name, Buffer.concat([Buffer.from(before), Buffer.from(age), Buffer.from(after)]));
}

describe('feature column kinds', () => {
  it('rejects a word among numbers', async () => {
    const path = await usersWithAge('typo.csv', 'thirty');

    const run = await train(['--ratings', ratings, '--user-features', path, '--item-features', items]);

    expectError(run, 1, `${path}:6: the value "thirty" of column "age" is not a number, but 399 of 400 values are; fix the value or pass --categorical age`);
  });

  it('--categorical accepts the column', async () => {
    const path = await usersWithAge('typo-forced.csv', 'thirty');

    const run = await train(['--ratings', ratings, '--user-features', path, '--item-features', items, '--categorical', 'age', '--json']);

    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { features: { user: string[] } };
    expect(summary.features.user).toContain('age=thirty');
  });

  it('rejects invalid UTF-8 with file and line', async () => {
    const path = await usersWithAge('latin1.csv', Buffer.from([0x33, 0xb0]));

    const run = await train(['--ratings', ratings, '--user-features', path, '--item-features', items]);

    expectError(run, 1, `${path}:6: the line is not valid UTF-8 text`);
  });
});

describe('size limits', () => {
  it('rejects --m beyond the array limit', async () => {
    const run = await runCli(['synthetic', '--m', '9999999999999']);

    expectError(run, 2, 'invalid --m: expected a positive integer ≤ 2147483647, received "9999999999999"');
  });

  it('rejects --m 3000000000 at once', async () => {
    const run = await runCli(['synthetic', '--m', '3000000000']);

    expectError(run, 2, 'invalid --m: expected a positive integer ≤ 2147483647, received "3000000000"');
  });

  it('reports an allocation failure as out of memory', async () => {
    const run = await train(['--ratings', ratings, '--user-features', users, '--item-features', items, '--rank', '30000000']);

    expectError(run, 1, 'out of memory (');
    expect(run.stderr).toContain('use smaller sizes, such as a smaller --rank');
  });
});
