import { readFile } from 'node:fs/promises';
import { DatasetError } from '@nimc/datasets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fit, resolveTrainingSettings, trainingDefaults } from '../src/index.js';
import { createScratch, writeSmallData, type Scratch, type SmallData } from './helpers.js';

let scratch: Scratch;
let data: SmallData;

beforeAll(async () => {
  scratch = await createScratch();
  data = await writeSmallData(scratch, 'small-');
});

afterAll(async () => {
  await scratch.remove();
});

const quick = { rank: 4, maxIterations: 300 };

async function expectDatasetError(promise: Promise<unknown>, code: string): Promise<DatasetError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DatasetError);
  expect((error as DatasetError).code, (error as Error).message).toBe(code);
  return error as DatasetError;
}

describe('fit', () => {
  it('names a missing input', async () => {
    await expect(fit(null as never)).rejects.toThrow('invalid input: expected an object { ratings, userFeatures, itemFeatures }, received null');
    await expect(fit({ ratings: 'ratings.csv' } as never)).rejects.toThrow('invalid input.userFeatures: expected a file path or a table, received undefined');
  });

  it('trains a model with encoders and a summary', async () => {
    const events: string[] = [];

    const { model } = await fit(
      { ratings: data.ratings, userFeatures: data.users, itemFeatures: data.items },
      { ...quick, onProgress: (event) => events.push(event.phase) },
    );

    // Users: age, activity, 3 segments, bias. Items: 4 kinds, size, bias.
    expect([model.U.rows, model.U.columns, model.V.rows, model.V.columns]).toEqual([6, 4, 6, 4]);
    expect(model.userEncoder.columns.map((c) => `${c.name}:${c.kind}`)).toEqual(['age:numeric', 'segment:categorical', 'activity:numeric']);
    expect(model.summary.users).toBe(48);
    expect(model.summary.fitUsers + model.summary.validationUsers).toBe(48);
    expect(model.summary.validationUsers).toBe(5);
    expect(model.summary.validationRmse).not.toBeNull();
    expect(Number.isFinite(model.summary.trainingRmse)).toBe(true);
    expect(events.slice(0, 3)).toEqual(['reading', 'reading', 'reading']);
    expect(events.at(-1)).toBe('training');
  });

  it('repeats exactly for one seed and differs for another', async () => {
    const input = { ratings: data.ratings, userFeatures: data.users, itemFeatures: data.items };

    const first = await fit(input, { ...quick, seed: 3 });
    const second = await fit(input, { ...quick, seed: 3 });
    const other = await fit(input, { ...quick, seed: 4 });

    expect(Buffer.from(second.model.U.data.buffer)).toEqual(Buffer.from(first.model.U.data.buffer));
    expect(Buffer.from(second.model.V.data.buffer)).toEqual(Buffer.from(first.model.V.data.buffer));
    expect(Buffer.from(other.model.U.data.buffer).equals(Buffer.from(first.model.U.data.buffer))).toBe(false);
  });

  it('learns better than the mean rating', async () => {
    const { model } = await fit({ ratings: data.ratings, userFeatures: data.users, itemFeatures: data.items }, { rank: 8 });

    // Ratings here have a standard deviation near 1; a trained model must explain part of it.
    expect(model.summary.trainingRmse, `training RMSE ${model.summary.trainingRmse}`).toBeLessThan(0.8);
  });

  it('trains on all-zero feature rows thanks to the bias', async () => {
    const users = await scratch.file('zero-users.csv', 'id,a,b\nz1,0,0\nz2,0,0\nz3,0,0\n');
    const items = await scratch.file('zero-items.csv', 'id,c\nx,0\ny,0\n');
    const ratings = await scratch.file('zero-ratings.csv', 'user,item,rating\nz1,x,4\nz2,y,4\nz3,x,4\nz1,y,4\n');

    const { model } = await fit({ ratings, userFeatures: users, itemFeatures: items }, { rank: 2, standardize: false, validationFraction: 0, activation: 'identity', learningRate: 0.05 });

    expect(model.summary.trainingRmse, `training RMSE ${model.summary.trainingRmse}`).toBeLessThan(0.1);
  });

  it('rejects an empty training set', async () => {
    const ratings = await scratch.file('empty-ratings.csv', 'user,item,rating\n');

    const error = await expectDatasetError(fit({ ratings, userFeatures: data.users, itemFeatures: data.items }, quick), 'EMPTY_DATA');

    expect(error.message).toBe(`${ratings} has no ratings: the training set is empty`);
  });

  it('names a rated user without features and the fix', async () => {
    const ratings = await scratch.file('unknown-user.csv', 'user,item,rating\nu1,i1,3\nghost,i2,4\nghost,i3,4\nu2,i1,5\nspook,i1,1\n');

    const error = await expectDatasetError(fit({ ratings, userFeatures: data.users, itemFeatures: data.items }, quick), 'UNKNOWN_ID');

    expect(error.message).toBe(
      `user id "ghost" (first used at ${ratings}:3) has no row in ${data.users}; 2 user ids are missing ("ghost", "spook"). ` +
        `Add a row for each to ${data.users}, or remove their rows from ${ratings}: nimc scores only users whose features it has.`,
    );
  });

  it('rejects an unknown ignored column', async () => {
    const input = { ratings: data.ratings, userFeatures: data.users, itemFeatures: data.items };

    const error = await expectDatasetError(fit(input, { ...quick, ignoreColumns: ['nosuch'], optionNames: { ignoreColumns: '--ignore-columns' } }), 'MISSING_COLUMN');

    expect(error.message).toMatch(new RegExp(`^invalid --ignore-columns: "nosuch" is not a column of ${data.users} \\("id", .*\\) or of ${data.items} \\("id", .*\\)$`));
  });

  it('averages duplicate ratings on request', async () => {
    const ratings = await scratch.file('dups.csv', 'user,item,rating\nu1,i1,2\nu2,i1,5\nu1,i1,4\nu3,i2,3\n');
    const input = { ratings, userFeatures: data.users, itemFeatures: data.items };

    await expectDatasetError(fit(input, quick), 'DUPLICATE_RATING');
    const { model } = await fit(input, { ...quick, duplicates: 'mean', validationFraction: 0 });

    expect(model.summary.ratings).toBe(3);
    expect(model.summary.mergedRatings).toBe(1);
    expect(model.settings.duplicates).toBe('mean');
  });

  it('rejects a hold-out that leaves nobody to fit', async () => {
    const ratings = await scratch.file('one-user.csv', 'user,item,rating\nu1,i1,2\n');

    await expect(fit({ ratings, userFeatures: data.users, itemFeatures: data.items }, { ...quick, validationFraction: 0.9 })).rejects.toThrow(
      'leaves none to fit on',
    );
  });

  it('checks the rank of the tensor start', async () => {
    await expect(fit({ ratings: data.ratings, userFeatures: data.users, itemFeatures: data.items }, { rank: 7, init: 'tensor' })).rejects.toThrow(
      'invalid rank: the tensor initialization needs rank ≤ min(d1, d2) = 6 (6 user features, 6 item features), received 7',
    );
  });

  it('trains from the tensor start', async () => {
    const { model } = await fit({ ratings: data.ratings, userFeatures: data.users, itemFeatures: data.items }, { rank: 3, init: 'tensor', maxIterations: 50 });

    expect(model.settings.init).toBe('tensor');
    expect(Number.isFinite(model.summary.trainingRmse)).toBe(true);
  });

  it('trains scaled features like unscaled ones after standardisation', async () => {
    const scaled = await writeSmallData(scratch, 'scaled-', { featureScale: 1e4 });
    const options = { ...quick, maxIterations: 100 };

    const plain = await fit({ ratings: data.ratings, userFeatures: data.users, itemFeatures: data.items }, options);
    const large = await fit({ ratings: scaled.ratings, userFeatures: scaled.users, itemFeatures: scaled.items }, options);

    const difference = Math.abs(plain.model.summary.trainingRmse - large.model.summary.trainingRmse);
    expect(difference, `RMSE ${plain.model.summary.trainingRmse} against ${large.model.summary.trainingRmse}`).toBeLessThan(1e-9);
  });

  it('stops at divergence with the last finite parameters', async () => {
    // With features near 1e75 the starting loss is finite (about 1e304), but the gradient is
    // so large that every step gradient descent tries overflows the loss.
    const huge = await writeSmallData(scratch, 'huge-', { featureScale: 3e75 });

    const { model } = await fit(
      { ratings: huge.ratings, userFeatures: huge.users, itemFeatures: huge.items },
      { rank: 4, standardize: false, optimizer: 'gd', learningRate: 10, validationFraction: 0, activation: 'identity', maxIterations: 50 },
    );

    expect(model.summary.stopReason).toBe('diverged');
    expect(model.summary.divergedAtIteration).toBe(model.summary.iterations + 1);
    expect(model.U.data.every(Number.isFinite)).toBe(true);
    expect(model.V.data.every(Number.isFinite)).toBe(true);
    expect(Number.isFinite(model.summary.trainingLoss), `loss ${model.summary.trainingLoss}`).toBe(true);
  });

  it('rejects a starting loss that is not finite', async () => {
    const huge = await writeSmallData(scratch, 'overflow-', { featureScale: 1e200 });

    await expect(
      fit({ ratings: huge.ratings, userFeatures: huge.users, itemFeatures: huge.items }, { ...quick, standardize: false, activation: 'identity' }),
    ).rejects.toThrow(/cannot train: the loss at the starting point is (Infinity|NaN), not a finite number; the largest \|rating\| is 5 and the largest \|feature\| after encoding is [0-9.e+]+, so the feature values are out of range/);
  });

  it('rejects a huge rating before training', async () => {
    const small = await writeSmallData(scratch, 'huge-rating-');
    const lines = (await readFile(small.ratings, 'utf8')).split('\n');
    const [user, item] = (lines[3] as string).split(',');
    lines[3] = `${user},${item},1e300`;
    const ratings = await scratch.file('huge-rating.csv', lines.join('\n'));

    await expect(fit({ ratings, userFeatures: small.users, itemFeatures: small.items }, quick)).rejects.toThrow(
      `invalid rating in ${ratings}: user ${JSON.stringify(user)} rated item ${JSON.stringify(item)} 1e+300; ratings must be finite numbers with |rating| ≤ 1e+12, so rescale them`,
    );
  });
});

describe('resolveTrainingSettings', () => {
  it('applies the defaults', () => {
    expect(resolveTrainingSettings({})).toEqual({ ...trainingDefaults, duplicates: 'error' });
  });

  it('names invalid values', () => {
    const cases: [Parameters<typeof resolveTrainingSettings>[0], string][] = [
      [{ rank: 0 }, 'invalid rank: expected a positive integer, received 0'],
      [{ learningRate: -1 }, 'invalid learningRate: expected a finite positive number, received -1'],
      [{ validationFraction: 1 }, 'invalid validationFraction: expected a number in [0, 1), received 1'],
      [{ activation: 'gelu' as 'relu' }, 'invalid activation: expected one of sigmoid, tanh, relu, identity, received "gelu"'],
      [{ init: 'zeros' as 'random' }, 'invalid init: expected one of random, tensor, received "zeros"'],
      [{ seed: -2 }, 'invalid seed: expected a non-negative integer, received -2'],
      [{ l2: Number.NaN }, 'invalid l2: expected a finite number ≥ 0, received NaN'],
    ];
    for (const [options, message] of cases) expect(() => resolveTrainingSettings(options), message).toThrow(message);
  });
});
