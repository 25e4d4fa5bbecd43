import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeError } from '../src/errors.js';
import { hasStackTrace, runCli, type CliRun } from './run-cli.js';

function expectUsageError(run: CliRun, message: string): void {
  expect(run.code, run.stderr).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toContain(`nimc: error: ${message}\n`);
  expect(hasStackTrace(run.stderr), run.stderr).toBe(false);
}

describe('invalid options', () => {
  it('unknown activation lists valid names', async () => {
    const run = await runCli(['synthetic', '--activation', 'softplus']);
    expectUsageError(run, 'invalid --activation: expected one of sigmoid, tanh, relu, identity, received "softplus"');
  });

  it('unknown activation for movielens', async () => {
    const run = await runCli(['movielens', '--dataset', 'ml-100k', '--data-dir', '.', '--activation', 'gelu']);
    expectUsageError(run, 'invalid --activation: expected one of sigmoid, tanh, relu, identity, received "gelu"');
  });

  it('split seeds beyond 2^53 - 1', async () => {
    const run = await runCli(['movielens', '--dataset', 'ml-100k', '--data-dir', '.', '--seed', '9007199254740991', '--splits', '2']);
    expectUsageError(run, 'invalid --seed: the last of 2 splits would use seed 9007199254740991 + 1, above 2^53 - 1 = 9007199254740991; choose a smaller --seed or fewer --splits');
    const ablation = await runCli(['movielens-ablation', '--dataset', 'ml-100k', '--data-dir', '.', '--seed', '9007199254740990', '--splits', '3']);
    expectUsageError(
      ablation,
      'invalid --seed: the last of 3 splits would use seed 9007199254740990 + 2, above 2^53 - 1 = 9007199254740991; choose a smaller --seed or fewer --splits',
    );
  });

  it('ablation --match without a variant lists the names', async () => {
    const run = await runCli(['movielens-ablation', '--dataset', 'ml-100k', '--data-dir', '.', '--match', 'no such variant']);
    expectUsageError(run, 'invalid --match "no such variant": no variant name contains it; the names are:');
    expect(run.stderr).toContain('movie means β = 2, √n singular vectors, l2 1e-2 (paper config)');
  });

  it('unknown dataset lists valid names', async () => {
    const run = await runCli(['movielens', '--dataset', 'ml-10m', '--data-dir', '.']);
    expectUsageError(run, 'invalid --dataset: expected one of ml-100k, ml-1m, received "ml-10m"');
  });

  it('rank zero', async () => {
    const run = await runCli(['movielens', '--dataset', 'ml-100k', '--data-dir', '.', '--rank', '0']);
    expectUsageError(run, 'invalid --rank: expected a positive integer, received "0"');
  });

  it('rank not a number', async () => {
    const run = await runCli(['movielens', '--dataset', 'ml-100k', '--data-dir', '.', '--rank', 'abc']);
    expectUsageError(run, 'invalid --rank: expected a positive integer, received "abc"');
  });

  it('fractional dimension', async () => {
    const run = await runCli(['synthetic', '--d', '2.5']);
    expectUsageError(run, 'invalid --d: expected a positive integer ≤ 2147483647, received "2.5"');
  });

  it('alpha above one', async () => {
    const run = await runCli(['synthetic', '--alpha', '2']);
    expectUsageError(run, 'invalid --alpha: expected a number in [0, 1], received "2"');
  });

  it('negative seed', async () => {
    const run = await runCli(['synthetic', '--seed', '-1']);
    expectUsageError(run, 'invalid --seed: expected a non-negative integer, received "-1"');
  });

  it('rank above dimension', async () => {
    const run = await runCli(['synthetic', '--d', '4', '--k', '5']);
    expectUsageError(run, 'invalid --k: expected at most --d = 4, received 5');
  });

  it('missing required option', async () => {
    const run = await runCli(['movielens', '--data-dir', '.']);
    expectUsageError(run, "required option '--dataset <name>' not specified");
  });

  it('unknown command', async () => {
    const run = await runCli(['fit']);
    expectUsageError(run, "unknown command 'fit'");
  });

  it('unknown option', async () => {
    const run = await runCli(['synthetic', '--rank', '3']);
    expectUsageError(run, "unknown option '--rank'");
  });
});

describe('dataset errors', () => {
  let root = '';

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'nimc-cli-'));
    const folder = join(root, 'ml-100k');
    await mkdir(folder);
    await writeFile(join(folder, 'u.genre'), 'unknown|0\nAction|1\n');
    await writeFile(join(folder, 'u.occupation'), 'other\nstudent\n');
    await writeFile(join(folder, 'u.user'), '1|24|M|student|85711\n2|53|F|other|94043\n');
    await writeFile(join(folder, 'u.item'), '1|Movie A (1995)|01-Jan-1995||http://example.org/a|0|1\n');
    await writeFile(join(folder, 'u.data'), '1\t1\t5\t881250949\n2\t1\tfive\t881250949\n');
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('missing data folder names path and files', async () => {
    const missing = join(root, 'absent');
    const run = await runCli(['movielens', '--dataset', 'ml-100k', '--data-dir', missing]);

    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.startsWith('nimc: error: ')).toBe(true);
    expect(run.stderr).toContain(missing);
    expect(run.stderr).toContain('u.data, u.user, u.item, u.genre, u.occupation');
    expect(hasStackTrace(run.stderr), run.stderr).toBe(false);
  });

  it('malformed line gives file and line', async () => {
    const run = await runCli(['movielens', '--dataset', 'ml-100k', '--data-dir', root]);

    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.startsWith('nimc: error: ')).toBe(true);
    expect(run.stderr).toContain(`${join(root, 'ml-100k', 'u.data')}:2:`);
    expect(hasStackTrace(run.stderr), run.stderr).toBe(false);
  });
});

describe('help and version', () => {
  it('prints the package version', async () => {
    const run = await runCli(['--version']);

    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('lists the commands', async () => {
    const run = await runCli(['--help']);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('synthetic');
    expect(run.stdout).toContain('movielens');
    expect(run.stdout).toContain('Exit status');
  });

  it('shows defaults in command help', async () => {
    const run = await runCli(['movielens', '--help']);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('(default: 50)');
    expect(run.stdout).toContain('(default: "relu")');
  });
});

describe('library errors about option values', () => {
  it('name the option and exit 2', () => {
    const report = describeError(new RangeError('invalid validationFraction: expected a number in [0, 1), received 0.999'));
    expect(report).toEqual({ message: 'invalid --validation: expected a number in [0, 1), received 0.999', exitCode: 2, internal: false });
  });

  it('keep other range errors as failures', () => {
    const report = describeError(new RangeError('invalid observation 3: value NaN is not finite'));
    expect(report.exitCode).toBe(1);
    expect(report.message).toBe('invalid observation 3: value NaN is not finite');
  });
});
