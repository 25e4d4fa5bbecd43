import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { splitUsers } from '@nimc/datasets';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const dataDir = fileURLToPath(new URL('../../../../shared/data/movielens', import.meta.url));
const available = existsSync(dataDir);
if (!available) console.warn(`MovieLens data not found at ${dataDir}: skipping the movielens command tests.`);

interface Report {
  dataset: string;
  seed: number;
  settings: Record<string, unknown>;
  splits: { seed: number; trainUsers: number; testUsers: number; testRatings: number; best?: { shrinkage: { prior: string } } }[];
  methods: Record<string, { rmse: number[]; mean: number; sd: number }>;
  pairedDifference: Record<string, { perSplit: number[]; mean: number; standardError: number }>;
  ablation?: { name: string; perSplit: number[]; mean: number; standardError: number }[];
}

// Item-mean and global-mean RMSE on the test users of split `seed`, computed straight from
// u.data, without the MovieLens loader or the baseline helpers of @nimc/datasets.
function baselinesFromRawFile(seed: number): { itemMean: number; globalMean: number; testRatings: number } {
  const lines = readFileSync(`${dataDir}/ml-100k/u.data`, 'latin1').trim().split('\n');
  const triples = lines.map((line) => line.split('\t').map(Number) as [number, number, number]);
  // User ids 1..943 appear in u.user order, so dense index = id − 1.
  const { testUsers } = splitUsers(943, { seed });
  const isTest = new Set(Array.from(testUsers, (index) => index + 1));

  const sums = new Map<number, number>();
  const counts = new Map<number, number>();
  let total = 0;
  let trainCount = 0;
  for (const [user, item, rating] of triples) {
    if (isTest.has(user)) continue;
    sums.set(item, (sums.get(item) ?? 0) + rating);
    counts.set(item, (counts.get(item) ?? 0) + 1);
    total += rating;
    trainCount++;
  }
  const globalMean = total / trainCount;

  let itemSquares = 0;
  let globalSquares = 0;
  let testRatings = 0;
  for (const [user, item, rating] of triples) {
    if (!isTest.has(user)) continue;
    const count = counts.get(item);
    const itemMean = count === undefined ? globalMean : (sums.get(item) as number) / count;
    itemSquares += (itemMean - rating) ** 2;
    globalSquares += (globalMean - rating) ** 2;
    testRatings++;
  }
  return {
    itemMean: Math.sqrt(itemSquares / testRatings),
    globalMean: Math.sqrt(globalSquares / testRatings),
    testRatings,
  };
}

describe.skipIf(!available)('nimc movielens', () => {
  it('reproduces the baselines and reports every method on one ml-100k split', { timeout: 300_000 }, async () => {
    const run = await runCli(['movielens', '--dataset', 'ml-100k', '--data-dir', dataDir, '--splits', '1', '--seed', '0', '--json']);

    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    const expected = baselinesFromRawFile(0);
    expect(report.dataset).toBe('ml-100k');
    expect(report.splits).toEqual([{ seed: 0, trainUsers: 754, testUsers: 189, testRatings: expected.testRatings }]);
    expect(Math.abs((report.methods['item-mean']?.rmse[0] as number) - expected.itemMean)).toBeLessThan(1e-12);
    expect(Math.abs((report.methods['global-mean']?.rmse[0] as number) - expected.globalMean)).toBeLessThan(1e-12);
    // NumPy on the split default_rng(0).permutation(943)[:189], printed by
    // python3 bench/reference/movielens_baselines.py: 18170 test ratings, item mean
    // 1.027878, global mean 1.126840.
    expect(expected.testRatings).toBe(18170);
    expect(Math.abs((report.methods['item-mean']?.rmse[0] as number) - 1.027878)).toBeLessThan(1e-6);
    expect(Math.abs((report.methods['global-mean']?.rmse[0] as number) - 1.12684)).toBeLessThan(1e-6);
    for (const method of ['nimc', 'imc']) {
      const rmse = report.methods[method]?.rmse[0] as number;
      // Ratings are 1 to 5, so any sensible model lands well inside (0.8, 1.5).
      expect(rmse, `${method} RMSE ${rmse}`).toBeGreaterThan(0.8);
      expect(rmse, `${method} RMSE ${rmse}`).toBeLessThan(1.5);
    }
    expect(report.pairedDifference['item-mean']?.perSplit).toEqual([0]);
  });

  it('adds nimc-best, its choices and its ablation with --config best', { timeout: 300_000 }, async () => {
    const run = await runCli(['movielens', '--dataset', 'ml-100k', '--data-dir', dataDir, '--splits', '1', '--seed', '0', '--rank', '5', '--config', 'best', '--json']);

    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    const best = report.methods['nimc-best']?.rmse[0] as number;
    const itemMean = report.methods['item-mean']?.rmse[0] as number;
    expect(Math.abs((report.pairedDifference['nimc-best']?.perSplit[0] as number) - (best - itemMean))).toBeLessThan(1e-15);
    // On this split the group-offset model is about 0.0075 below the item mean.
    expect(best - itemMean, `nimc-best ${best}, item-mean ${itemMean}`).toBeLessThan(-0.005);
    expect(['global-mean', 'popularity-genre']).toContain(report.splits[0]?.best?.shrinkage.prior);
    expect(report.ablation?.map((row) => row.perSplit.length)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(report.ablation?.at(-1)?.perSplit[0]).toBe(report.pairedDifference['nimc-best']?.perSplit[0]);
  });

  it('gives bit-identical JSON for the same seed', { timeout: 300_000 }, async () => {
    const args = ['movielens', '--dataset', 'ml-100k', '--data-dir', dataDir, '--splits', '1', '--seed', '7', '--rank', '5', '--json'];

    const first = await runCli(args);
    const second = await runCli(args);

    expect(first.code, first.stderr).toBe(0);
    expect(second.stdout).toBe(first.stdout);
  });

  it('paper and zeros configs fill differently', { timeout: 300_000 }, async () => {
    const args = ['movielens', '--dataset', 'ml-100k', '--data-dir', dataDir, '--splits', '1', '--seed', '1', '--rank', '5', '--json'];

    const paper = await runCli(args);
    const zeros = await runCli([...args, '--config', 'zeros']);

    expect(paper.code, paper.stderr).toBe(0);
    expect(zeros.code, zeros.stderr).toBe(0);
    const paperReport = JSON.parse(paper.stdout) as Report;
    const zerosReport = JSON.parse(zeros.stdout) as Report;
    expect(paperReport.settings['paper']).toMatchObject({ missingEntries: 'movie-mean', meanShrinkage: 2, l2: 0.01 });
    expect(zerosReport.settings['zeros']).toMatchObject({ missingEntries: 'zero', meanShrinkage: 0, l2: 0.001 });
    // The baselines do not depend on the movie features; the trained models do.
    expect(zerosReport.methods['item-mean']).toEqual(paperReport.methods['item-mean']);
    expect(zerosReport.methods['imc']?.rmse[0]).not.toBe(paperReport.methods['imc']?.rmse[0]);
  });

  it('names the path and the expected files when --data-dir is wrong', async () => {
    const run = await runCli(['movielens', '--dataset', 'ml-1m', '--data-dir', '/nonexistent/movielens']);

    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('/nonexistent/movielens');
    expect(run.stderr).toContain('ratings.dat');
  });
});
