import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paperConfig } from '../src/experiments/movielens-configs.js';
import { runMovieLens } from '../src/experiments/movielens.js';
import { exportMovieLensSplit, movieLensAvailable, movieLensDir, type ExportedSplit } from './movielens-export.js';
import { runCli } from './run-cli.js';

if (!movieLensAvailable) {
  console.warn(`MovieLens data not found at ${movieLensDir}: skipping the train/evaluate reproduction on ml-100k.`);
}

const seed = 0;
let folder: string;
let files: ExportedSplit;

// The command-line flags that give `nimc train` the experiment's paper training settings.
function paperFlags(): string[] {
  const t = paperConfig.training;
  return [
    '--rank', '50',
    '--activation', 'relu',
    '--learning-rate', String(t.learningRate),
    '--max-iterations', String(t.maxIterations),
    '--l2', String(t.l2),
    '--patience', String(t.patience),
    '--validation-interval', String(t.validationInterval),
    '--validation', String(paperConfig.split.validationFraction),
    '--seed', String(seed),
  ];
}

describe.skipIf(!movieLensAvailable)('ml-100k through train and evaluate', () => {
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'nimc-movielens-'));
    files = await exportMovieLensSplit(folder, seed);
  }, 60_000);

  afterAll(async () => {
    if (folder !== undefined) await rm(folder, { recursive: true, force: true });
  });

  it('reproduces the experiment RMSE', async () => {
    expect(paperConfig.ensemble, 'the experiment averages several models, which one train run cannot reproduce').toBe(1);
    const model = join(folder, 'paper.nimc.json');

    const train = await runCli([
      'train', '--ratings', files.train, '--user-features', files.users, '--item-features', files.items,
      '--out', model, ...paperFlags(), '--no-standardize', '--no-bias', '--json',
    ]);
    expect(train.code, train.stderr).toBe(0);
    const evaluation = await runCli([
      'evaluate', '--model', model, '--ratings', files.test, '--user-features', files.users, '--item-features', files.items, '--json',
    ]);
    expect(evaluation.code, evaluation.stderr).toBe(0);
    const cliRmse = (JSON.parse(evaluation.stdout) as { overall: { rmse: number; users: number } }).overall;
    const report = await runMovieLens({ dataset: 'ml-100k', dataDir: movieLensDir, splits: 1, seed, rank: 50, activation: 'relu', config: 'paper' });
    const runnerRmse = report.methods.nimc?.rmse[0] as number;

    expect(cliRmse.users).toBe(files.testUsers);
    expect(Math.abs(cliRmse.rmse - runnerRmse), `nimc evaluate RMSE ${cliRmse.rmse}, runner RMSE ${runnerRmse}`).toBeLessThanOrEqual(0.002);
  }, 600_000);

  it('trains on raw demographic columns', async () => {
    const model = join(folder, 'raw.nimc.json');

    const train = await runCli([
      'train', '--ratings', files.train, '--user-features', files.rawUsers, '--item-features', files.items,
      '--out', model, ...paperFlags(), '--json',
    ]);
    expect(train.code, train.stderr).toBe(0);
    const summary = JSON.parse(train.stdout) as { features: { user: string[] } };
    const evaluation = await runCli([
      'evaluate', '--model', model, '--ratings', files.test, '--user-features', files.rawUsers, '--item-features', files.items,
      '--group-by', 'gender', '--json',
    ]);
    expect(evaluation.code, evaluation.stderr).toBe(0);
    const report = JSON.parse(evaluation.stdout) as { overall: { rmse: number }; groups: { group: string }[] };

    // age, 2 genders and 21 occupations, then the bias.
    expect(summary.features.user.length).toBe(1 + 2 + 21 + 1);
    expect(report.groups.map((group) => group.group)).toEqual(['F', 'M']);
    // The global-mean prediction scores about 1.21 on this split; a trained model must beat it.
    expect(report.overall.rmse, `RMSE ${report.overall.rmse}`).toBeLessThan(1.2);
  }, 600_000);
});
