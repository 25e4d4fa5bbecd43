import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasStackTrace, runCli, type CliRun } from './run-cli.js';

const example = fileURLToPath(new URL('../../../examples/small/', import.meta.url));
const ratings = join(example, 'ratings.csv');
const pairs = join(example, 'test.csv');
const users = join(example, 'users.csv');
const items = join(example, 'items.csv');

let root: string;
let folder: string;
let model: string;

function expectError(run: CliRun, code: number, message: string): void {
  expect(run.code, run.stderr).toBe(code);
  expect(run.stderr).toContain(`nimc: error: ${message}`);
  expect(hasStackTrace(run.stderr), run.stderr).toBe(false);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'nimc-input-paths-'));
  folder = join(root, 'folder');
  await mkdir(folder);
  model = join(root, 'model.nimc.json');
  const run = await runCli(['train', '--rank', '4', '--max-iterations', '5', '--quiet', '--ratings', ratings, '--user-features', users, '--item-features', items, '--out', model]);
  expect(run.code, run.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('output paths', () => {
  it('predict checks the --out folder', async () => {
    const out = join(root, 'no', 'such', 'scores.csv');

    const run = await runCli(['predict', '--model', model, '--user-features', users, '--item-features', items, '--pairs', pairs, '--out', out]);

    expectError(run, 1, `cannot write --out ${out}: the folder ${join(root, 'no', 'such')} does not exist or is not writable`);
    expect(run.stderr).not.toContain('ENOENT');
  });
});

describe('input paths', () => {
  it('missing ratings file names --ratings', async () => {
    const absent = join(root, 'absent.csv');

    const run = await runCli(['train', '--ratings', absent, '--user-features', users, '--item-features', items, '--out', join(root, 'never.json')]);

    expectError(run, 1, `file not found: ${absent} (--ratings)`);
    expect(await readdir(root)).not.toContain('never.json');
  });

  it('rejects a folder as --ratings', async () => {
    const run = await runCli(['train', '--ratings', folder, '--user-features', users, '--item-features', items, '--out', join(root, 'never.json')]);

    expectError(run, 1, `cannot read --ratings ${folder}: it is a folder, not a file`);
  });

  it('missing pairs file names --pairs', async () => {
    const absent = join(root, 'absent-pairs.csv');

    const run = await runCli(['predict', '--model', model, '--user-features', users, '--item-features', items, '--pairs', absent]);

    expectError(run, 1, `file not found: ${absent} (--pairs)`);
  });

  it('rejects a folder as --model', async () => {
    const run = await runCli(['predict', '--model', folder, '--user-features', users, '--item-features', items, '--pairs', pairs]);

    expectError(run, 1, `cannot read --model ${folder}: it is a folder, not a model file`);
    expect(run.stderr).not.toContain('EISDIR');
  });

  it('recovery merge rejects missing report', async () => {
    const absent = join(root, 'nope.json');

    const run = await runCli(['recovery', 'merge', absent]);

    expectError(run, 1, `file not found: ${absent}`);
    expect(run.stderr).not.toContain('ENOENT');
  });
});

describe('recommend selections', () => {
  it('rejects a repeated --users id', async () => {
    const run = await runCli(['recommend', '--model', model, '--user-features', users, '--item-features', items, '--users', 'u001,u002,u001']);

    expectError(run, 2, 'invalid --users: the id "u001" is listed twice in "u001,u002,u001"; list each id once');
    expect(run.stdout).toBe('');
  });

  it('rejects an unknown --ignore-columns name', async () => {
    const run = await runCli(['recommend', '--model', model, '--user-features', users, '--item-features', items, '--ignore-columns', 'nosuch', '--top', '1']);

    expectError(run, 1, `invalid --ignore-columns: "nosuch" is not a column of ${users} ("id", "age", "hours_per_week", "region", "plan") or of ${items} ("id", "genre", "year", "length_min", "price")`);
    expect(run.stdout).toBe('');
  });
});
