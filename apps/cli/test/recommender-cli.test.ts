import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trainingDefaults } from '@nimc/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressLine, writeOutput } from '../src/commands/recommender-io.js';
import { hasStackTrace, runCli, type CliRun } from './run-cli.js';

const example = fileURLToPath(new URL('../../../examples/small/', import.meta.url));
const ratings = join(example, 'ratings.csv');
const test = join(example, 'test.csv');
const users = join(example, 'users.csv');
const items = join(example, 'items.csv');

// Small settings that keep each training run to about a second.
const fast = ['--rank', '6', '--max-iterations', '150'];

let root: string;
let model: string;

async function file(name: string, content: string): Promise<string> {
  const path = join(root, name);
  await writeFile(path, content);
  return path;
}

function expectFailure(run: CliRun, message: string): void {
  expect(run.code, run.stderr).toBe(1);
  expect(run.stdout).toBe('');
  expect(run.stderr).toContain(`nimc: error: ${message}`);
  expect(hasStackTrace(run.stderr), run.stderr).toBe(false);
}

function train(args: string[]): Promise<CliRun> {
  return runCli(['train', ...fast, '--quiet', ...args]);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'nimc-recommender-'));
  model = join(root, 'model.nimc.json');
  const run = await train(['--ratings', ratings, '--user-features', users, '--item-features', items, '--out', model]);
  expect(run.code, run.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('nimc train', () => {
  it('prints a summary and writes the model', async () => {
    const out = join(root, 'summary.nimc.json');

    const run = await train(['--ratings', ratings, '--user-features', users, '--item-features', items, '--out', out, '--json']);

    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { model: string; summary: Record<string, unknown>; features: { user: string[]; item: string[] } };
    expect(summary.model).toBe(out);
    expect(summary.summary).toMatchObject({ ratings: 8812, users: 320, items: 300, fitUsers: 288, validationUsers: 32 });
    expect(summary.features.user).toEqual([
      'age', 'hours_per_week', 'region=east', 'region=north', 'region=south', 'region=west', 'plan=basic', 'plan=free', 'plan=premium', 'bias',
    ]);
    expect(JSON.parse(await readFile(out, 'utf8')).format).toBe('nimc-model');
  });

  it('prints a readable summary', async () => {
    const run = await train(['--ratings', ratings, '--user-features', users, '--item-features', items, '--out', join(root, 'text.nimc.json')]);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^model +rank 6, relu, random start, Adam \(learning rate 0\.01\), seed 0$/m);
    expect(run.stdout).toMatch(/^users +288 fitted, 32 held out for early stopping$/m);
    expect(run.stdout).toMatch(/^validation RMSE +\d\.\d+$/m);
  });

  it('uses the same defaults as @nimc/core', async () => {
    const run = await runCli(['train', '--help']);

    expect(run.stdout).toContain(`(default: ${trainingDefaults.rank})`);
    expect(run.stdout).toContain(`(default: ${trainingDefaults.learningRate})`);
    expect(run.stdout).toContain(`(default: ${trainingDefaults.maxIterations})`);
    expect(run.stdout).toContain(`(default: ${trainingDefaults.validationFraction})`);
    expect(run.stdout).toContain(`(default: "${trainingDefaults.activation}")`);
  });

  it('trains features scaled by 1e4 with learning rate 10 without NaN', async () => {
    const scale = (path: string, columns: number[]) =>
      readFile(path, 'utf8').then((text) =>
        text
          .trim()
          .split('\n')
          .map((line, row) =>
            row === 0 ? line : line.split(',').map((cell, c) => (columns.includes(c) ? String(Number(cell) * 1e4) : cell)).join(','),
          )
          .join('\n'),
      );
    const scaledUsers = await file('users-1e4.csv', `${await scale(users, [1, 2])}\n`);
    const scaledItems = await file('items-1e4.csv', `${await scale(items, [2, 3, 4])}\n`);
    const out = join(root, 'scaled.nimc.json');

    const run = await train(['--ratings', ratings, '--user-features', scaledUsers, '--item-features', scaledItems, '--out', out, '--learning-rate', '10', '--json']);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toMatch(/NaN|Infinity/);
    const evaluation = await runCli(['evaluate', '--model', out, '--ratings', test, '--user-features', scaledUsers, '--item-features', scaledItems, '--json']);
    expect(evaluation.code, evaluation.stderr).toBe(0);
    expect(evaluation.stdout).not.toMatch(/NaN|Infinity/);
  });

  it('reports divergence and keeps finite parameters', async () => {
    // Features near 3e75 without standardisation: every step gradient descent tries overflows.
    const hugeUsers = await file('users-huge.csv', 'id,a\nx,3e75\ny,-2e75\nz,1e75\n');
    const hugeItems = await file('items-huge.csv', 'id,b\np,3e75\nq,2e75\n');
    const hugeRatings = await file('ratings-huge.csv', 'user,item,rating\nx,p,5\ny,q,1\nz,p,3\n');
    const out = join(root, 'diverged.nimc.json');

    const run = await runCli([
      'train', '--ratings', hugeRatings, '--user-features', hugeUsers, '--item-features', hugeItems, '--out', out,
      '--rank', '1', '--activation', 'identity', '--optimizer', 'gd', '--learning-rate', '10', '--no-standardize', '--validation', '0',
    ]);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^stopped +diverged at iteration 1; the model keeps the last finite parameters \(iteration 0\)$/m);
    expect(run.stderr).toContain('nimc: note: training diverged at iteration 1; try a smaller --learning-rate');
    expect(run.stdout).not.toMatch(/NaN/);
    const pairs = await file('pairs-huge.csv', 'user,item\nx,p\n');
    const predicted = await runCli(['predict', '--model', out, '--user-features', hugeUsers, '--item-features', hugeItems, '--pairs', pairs]);
    expect(predicted.stdout).not.toMatch(/NaN/);
  });

  it('trains all-zero feature rows', async () => {
    const zeroUsers = await file('users-zero.csv', 'id,a,b\nx,0,0\ny,0,0\nz,0,0\n');
    const zeroItems = await file('items-zero.csv', 'id,c\np,0\nq,0\n');
    const zeroRatings = await file('ratings-zero.csv', 'user,item,rating\nx,p,4\ny,q,4\nz,p,4\n');

    const run = await runCli([
      'train', '--ratings', zeroRatings, '--user-features', zeroUsers, '--item-features', zeroItems, '--out', join(root, 'zero.nimc.json'),
      '--rank', '2', '--activation', 'identity', '--validation', '0', '--json',
    ]);

    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { summary: { trainingRmse: number } };
    expect(summary.summary.trainingRmse, `training RMSE ${summary.summary.trainingRmse}`).toBeLessThan(0.1);
  });
});

describe('nimc train errors', () => {
  it('missing ratings file', async () => {
    const absent = join(root, 'absent.csv');
    const out = join(root, 'never-1.nimc.json');

    const run = await train(['--ratings', absent, '--user-features', users, '--item-features', items, '--out', out]);

    expectFailure(run, `file not found: ${absent}`);
    expect(await readdir(root)).not.toContain('never-1.nimc.json');
  });

  it('malformed line', async () => {
    const bad = await file('ratings-short.csv', 'user,item,rating\nu001,i001,4\nu002,i002\n');

    const run = await train(['--ratings', bad, '--user-features', users, '--item-features', items, '--out', join(root, 'never-2.nimc.json')]);

    expectFailure(run, `${bad}:3: expected 3 fields (user, item, rating) as in the header, found 2: "u002,i002"`);
  });

  it('rating that is not a number', async () => {
    const bad = await file('ratings-word.csv', 'user,item,rating\nu001,i001,four\n');

    const run = await train(['--ratings', bad, '--user-features', users, '--item-features', items, '--out', join(root, 'never-3.nimc.json')]);

    expectFailure(run, `${bad}:2: the rating "four" (column "rating") is not a number: "u001,i001,four"`);
  });

  it('NaN and Infinity in a feature', async () => {
    for (const value of ['NaN', 'Infinity']) {
      const bad = await file(`users-${value}.csv`, `id,age,region\nu001,${value},north\nu002,30,south\n`);
      const ratingsFile = await file('ratings-two.csv', 'user,item,rating\nu001,i001,4\nu002,i002,3\n');

      const run = await train(['--ratings', ratingsFile, '--user-features', bad, '--item-features', items, '--out', join(root, 'never-4.nimc.json')]);

      expectFailure(run, `${bad}:2: the value "${value}" of numeric column "age" is not a finite number: "u001,${value},north"`);
    }
  });

  it('rated id missing from the features', async () => {
    const extra = await file('ratings-extra.csv', 'user,item,rating\nu001,i001,4\nu999,i002,3\n');

    const run = await train(['--ratings', extra, '--user-features', users, '--item-features', items, '--out', join(root, 'never-5.nimc.json')]);

    expectFailure(
      run,
      `user id "u999" (first used at ${extra}:3) has no row in ${users}; 1 user id is missing ("u999"). ` +
        `Add a row for each to ${users}, or remove their rows from ${extra}: nimc scores only users whose features it has.`,
    );
  });

  it('empty training set', async () => {
    const empty = await file('ratings-empty.csv', 'user,item,rating\n');

    const run = await train(['--ratings', empty, '--user-features', users, '--item-features', items, '--out', join(root, 'never-6.nimc.json')]);

    expectFailure(run, `${empty} has no ratings: the training set is empty`);
  });

  it('duplicate ratings name two lines', async () => {
    const dup = await file('ratings-dup.csv', 'user,item,rating\nu001,i001,4\nu002,i002,3\nu001,i001,5\n');

    const run = await train(['--ratings', dup, '--user-features', users, '--item-features', items, '--out', join(root, 'never-7.nimc.json')]);

    expectFailure(run, `${dup}: lines 2 and 4 both rate user "u001" and item "i001". Remove one of them, or average repeated ratings by setting --duplicates to mean.`);
  });

  it('missing column names the flag', async () => {
    const renamed = await file('ratings-renamed.csv', 'viewer,item,rating\nu001,i001,4\n');

    const run = await train(['--ratings', renamed, '--user-features', users, '--item-features', items, '--out', join(root, 'never-8.nimc.json')]);

    expectFailure(run, `${renamed} has no column "user" for the user ids; its columns are "viewer", "item", "rating". Name the user ids column with --user-column.`);
  });

  it('output folder that does not exist', async () => {
    const out = join(root, 'no', 'such', 'model.json');

    const run = await train(['--ratings', ratings, '--user-features', users, '--item-features', items, '--out', out]);

    expectFailure(run, `cannot write --out ${out}: the folder ${join(root, 'no', 'such')} does not exist or is not writable`);
  });

  it('invalid option values', async () => {
    const cases: [string[], string][] = [
      [['--validation', '1'], 'invalid --validation: expected a number in [0, 1), received "1"'],
      [['--learning-rate', '0'], 'invalid --learning-rate: expected a finite number > 0, received "0"'],
      [['--duplicates', 'max'], 'invalid --duplicates: expected one of error, mean, received "max"'],
      [['--delimiter', ',,'], 'invalid --delimiter: expected comma, tab, semicolon or a single character other than a double quote or line break, received ",,"'],
      [['--init', 'zeros'], 'invalid --init: expected one of random, tensor, received "zeros"'],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(['train', '--ratings', ratings, '--user-features', users, '--item-features', items, '--out', join(root, 'x.json'), ...args]);

      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(`nimc: error: ${message}`);
    }
  });
});

describe('nimc predict', () => {
  it('writes CSV scores that match recommend', async () => {
    const pairs = await file('pairs.csv', 'user,item\nu321,i001\nu400,i300\n');
    const out = join(root, 'scores.csv');

    const run = await runCli(['predict', '--model', model, '--user-features', users, '--item-features', items, '--pairs', pairs, '--out', out]);

    expect(run.code, run.stderr).toBe(0);
    const lines = (await readFile(out, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('user,item,score');
    expect(lines.slice(1).map((line) => line.split(',').slice(0, 2).join(','))).toEqual(['u321,i001', 'u400,i300']);
    const score = Number(lines[1]?.split(',')[2]);
    const ranked = await runCli(['recommend', '--model', model, '--user-features', users, '--item-features', items, '--users', 'u321', '--top', '300']);
    const row = ranked.stdout.split('\n').find((line) => line.startsWith('u321,') && line.split(',')[2] === 'i001');
    expect(Number(row?.split(',')[3])).toBe(score);
  });

  it('wrong feature width', async () => {
    const narrow = await file('users-narrow.csv', 'id,age,region\nu001,30,north\n');
    const pairs = await file('pairs-narrow.csv', 'user,item\nu001,i001\n');
    const out = join(root, 'never-scores-1.csv');

    const run = await runCli(['predict', '--model', model, '--user-features', narrow, '--item-features', items, '--pairs', pairs, '--out', out]);

    expectFailure(
      run,
      `wrong feature columns in ${narrow}: expected 4 ("age", "hours_per_week", "region", "plan"), found 2; missing "hours_per_week", "plan". Use the columns the model was trained with.`,
    );
    expect(await readdir(root)).not.toContain('never-scores-1.csv');
  });

  it('id absent from the features', async () => {
    const pairs = await file('pairs-unknown.csv', 'user,item\nu001,i001\nu001,i999\n');
    const out = join(root, 'never-scores-2.csv');

    const run = await runCli(['predict', '--model', model, '--user-features', users, '--item-features', items, '--pairs', pairs, '--out', out]);

    expectFailure(run, `item id "i999" (first used at ${pairs}:3) has no row in ${items}`);
    expect(await readdir(root)).not.toContain('never-scores-2.csv');
  });

  it('truncated model file', async () => {
    const text = await readFile(model, 'utf8');
    const cut = await file('cut.nimc.json', text.slice(0, Math.floor(text.length / 2)));
    const pairs = await file('pairs-cut.csv', 'user,item\nu001,i001\n');

    const run = await runCli(['predict', '--model', cut, '--user-features', users, '--item-features', items, '--pairs', pairs]);

    expectFailure(run, `invalid model file ${cut}: it is truncated`);
  });
});

describe('nimc recommend', () => {
  it('writes top lists for every user', async () => {
    const out = join(root, 'top.csv');

    const run = await runCli(['recommend', '--model', model, '--user-features', users, '--item-features', items, '--top', '3', '--exclude-rated', ratings, '--out', out]);

    expect(run.code, run.stderr).toBe(0);
    const lines = (await readFile(out, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('user,rank,item,score');
    expect(lines.length).toBe(1 + 400 * 3);
    expect(lines.slice(1, 4).map((line) => line.split(',').slice(0, 2).join(','))).toEqual(['u001,1', 'u001,2', 'u001,3']);
    const rated = new Set((await readFile(ratings, 'utf8')).split('\n').map((line) => line.split(',').slice(0, 2).join(',')));
    for (const line of lines.slice(1)) {
      const [user, , item] = line.split(',');
      expect(rated.has(`${user},${item}`), line).toBe(false);
    }
  });

  it('top larger than the catalogue', async () => {
    const out = join(root, 'never-top.csv');

    const run = await runCli(['recommend', '--model', model, '--user-features', users, '--item-features', items, '--top', '301', '--out', out]);

    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`nimc: error: invalid --top: expected at most the 300 items of ${items}, received 301`);
    expect(await readdir(root)).not.toContain('never-top.csv');
  });

  it('unknown user', async () => {
    const run = await runCli(['recommend', '--model', model, '--user-features', users, '--item-features', items, '--users', 'u001,u777']);

    expectFailure(run, `user id "u777" has no row in ${users}`);
  });

  it('leaves no file when scores overflow', async () => {
    const lines = (await readFile(users, 'utf8')).trim().split('\n');
    const huge = lines.map((line, row) => (row === 2 ? line.replace(/^(u\d+),\d+,/, '$1,1e308,') : line)).join('\n');
    const hugeUsers = await file('users-overflow.csv', `${huge}\n`);
    const hugeItems = await file('items-overflow.csv', (await readFile(items, 'utf8')).replace(/^(i\d+),(\w+),\d+,/gm, '$1,$2,1e308,'));
    const out = join(root, 'never-overflow.csv');
    const before = await readdir(root);

    const run = await runCli(['recommend', '--model', model, '--user-features', hugeUsers, '--item-features', hugeItems, '--out', out]);

    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/nimc: error: (cannot standardise|the score of user)/);
    expect((await readdir(root)).sort()).toEqual([...before].sort());
  });
});

describe('nimc evaluate', () => {
  it('prints metrics per group as JSON', async () => {
    const run = await runCli(['evaluate', '--model', model, '--ratings', test, '--user-features', users, '--item-features', items, '--group-by', 'region', '--json']);

    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as {
      k: number;
      threshold: number;
      overall: { users: number; rmse: number; precisionAtK: number };
      groups: { group: string; metrics: { users: number } }[];
    };
    expect([report.k, report.threshold]).toEqual([10, 4]);
    expect(report.overall.users).toBe(80);
    expect(report.overall.rmse, `RMSE ${report.overall.rmse}`).toBeLessThan(1);
    expect(report.groups.map((group) => group.group)).toEqual(['east', 'north', 'south', 'west']);
    expect(report.groups.reduce((sum, group) => sum + group.metrics.users, 0)).toBe(80);
  });

  it('prints a table', async () => {
    const run = await runCli(['evaluate', '--model', model, '--ratings', test, '--user-features', users, '--item-features', items, '--k', '5']);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('2233 test ratings of 80 users, ranked against 300 items');
    expect(run.stdout).toMatch(/^group +users +ratings +RMSE +MAE +P@5 +R@5 +NDCG@5 +coverage$/m);
    expect(run.stdout).toMatch(/^all +80 +2233 /m);
  });

  it('unknown group column', async () => {
    const run = await runCli(['evaluate', '--model', model, '--ratings', test, '--user-features', users, '--item-features', items, '--group-by', 'country']);

    expectFailure(run, `${users} has no column "country" to group by`);
  });
});

describe('writeOutput', () => {
  it('removes a partly written file on failure', async () => {
    const out = join(root, 'partial.csv');
    const before = await readdir(root);

    await expect(
      writeOutput(out, async (sink) => {
        await sink.write('user,rank,item,score\n');
        await sink.write('u1,1,i1,0.5\n');
        throw new Error('scoring failed');
      }),
    ).rejects.toThrow('scoring failed');

    expect((await readdir(root)).sort()).toEqual([...before].sort());
  });

  it('replaces an existing file only when complete', async () => {
    const out = await file('replaced.csv', 'old\n');

    await writeOutput(out, async (sink) => {
      await sink.write('new\n');
    });

    expect(await readFile(out, 'utf8')).toBe('new\n');
  });
});

describe('progressLine', () => {
  it('draws a bar with a percentage', () => {
    expect(progressLine('training', 50, 200, 'loss 1')).toBe('training [###---------] 50/200  loss 1');
    expect(progressLine('ranking', 3, 3)).toBe('ranking [############] 3/3');
  });
});
