import { DatasetError } from '@nimc/datasets';
import { createMatrix } from '@nimc/linalg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, fit, predict, type RecommenderModel } from '../src/index.js';
import { createScratch, relativeError, writeSmallData, type Scratch, type SmallData } from './helpers.js';

let scratch: Scratch;

beforeAll(async () => {
  scratch = await createScratch();
});

afterAll(async () => {
  await scratch.remove();
});

// A hand-made model: user features (a), item features (b); with the identity activation,
// rank 1, no bias and U = V = [1], the score of a pair is a·b.
function productModel(): RecommenderModel {
  const encoder = (idColumn: string, name: string) => ({
    idColumn,
    ignoredColumns: [],
    columns: [{ name, kind: 'numeric' as const, mean: 0, scale: 1 }],
    bias: false,
  });
  return {
    activation: 'identity',
    U: createMatrix(1, 1, Float64Array.of(1)),
    V: createMatrix(1, 1, Float64Array.of(1)),
    userEncoder: encoder('id', 'a'),
    itemEncoder: encoder('id', 'b'),
    settings: {
      rank: 1, activation: 'identity', init: 'random', optimizer: 'adam', learningRate: 0.01, maxIterations: 1, l2: 0,
      validationFraction: 0, patience: 1, validationInterval: 1, standardize: false, bias: false, duplicates: 'error', seed: 0,
    },
    summary: {
      ratings: 0, mergedRatings: 0, users: 0, items: 0, ratedItems: 0, fitUsers: 0, validationUsers: 0, stopReason: 'max-iterations',
      iterations: 0, bestIteration: null, divergedAtIteration: null, trainingLoss: 0, trainingRmse: 0, validationRmse: null,
    },
  };
}

describe('evaluate', () => {
  it('computes the metrics of a hand-checked case', async () => {
    // Item scores for user x (a = 1) are b: i1 4, i2 3, i3 2, i4 1. User y (a = 2) doubles them.
    const users = await scratch.file('users.csv', 'id,a,team\nx,1,blue\ny,2,red\n');
    const items = await scratch.file('items.csv', 'id,b\ni1,4\ni2,3\ni3,2\ni4,1\n');
    const ratings = await scratch.file('ratings.csv', 'user,item,rating\nx,i1,5\nx,i3,4\nx,i4,2\ny,i4,5\ny,i2,3\n');

    const report = await evaluate(productModel(), { ratings, userFeatures: users, itemFeatures: items }, { k: 2, groupBy: 'team' });

    // Predictions: x: 4, 2, 1 against 5, 4, 2; y: 2, 6 against 5, 3. Squared errors 1, 4, 1, 9, 9.
    expect(report.overall.rmse).toBe(Math.sqrt(24 / 5));
    expect(report.overall.mae).toBe(10 / 5);
    // Top 2 of both users: i1, i2. x: relevant i1, i3, so one hit; y: relevant i4, no hit.
    expect(report.overall.rankedUsers).toBe(2);
    expect(report.overall.precisionAtK).toBe((1 / 2 + 0) / 2);
    expect(report.overall.recallAtK).toBe((1 / 2 + 0) / 2);
    // x: DCG 1/log2(2) = 1, ideal DCG 1 + 1/log2(3).
    const ndcg = 1 / (1 + 1 / Math.log2(3)) / 2;
    expect(relativeError(report.overall.ndcgAtK as number, ndcg), `NDCG ${report.overall.ndcgAtK} against ${ndcg}`).toBeLessThan(1e-15);
    expect(report.overall.coverage).toBe(2 / 4);
    expect(report.groups.map((group) => [group.group, group.metrics.users, group.metrics.ratings])).toEqual([
      ['blue', 1, 3],
      ['red', 1, 2],
    ]);
    expect(report.groups[1]?.metrics.precisionAtK).toBe(0);
  });

  it('honours the threshold and exclusions', async () => {
    const users = await scratch.file('users-t.csv', 'id,a\nx,1\n');
    const items = await scratch.file('items-t.csv', 'id,b\ni1,4\ni2,3\ni3,2\n');
    const ratings = await scratch.file('ratings-t.csv', 'user,item,rating\nx,i2,3\n');
    const exclude = await scratch.file('exclude-t.csv', 'user,item\nx,i1\n');

    const strict = await evaluate(productModel(), { ratings, userFeatures: users, itemFeatures: items }, { k: 1 });
    const lenient = await evaluate(productModel(), { ratings, userFeatures: users, itemFeatures: items }, { k: 1, threshold: 3, exclude });

    expect(strict.overall.rankedUsers).toBe(0);
    expect(strict.overall.precisionAtK).toBeNull();
    expect(lenient.overall.precisionAtK).toBe(1);
  });

  it('agrees with predict on RMSE', async () => {
    const data: SmallData = await writeSmallData(scratch, 'agree-', { users: 40, items: 20, perUser: 8 });
    const { model } = await fit({ ratings: data.ratings, userFeatures: data.users, itemFeatures: data.items }, { rank: 3, maxIterations: 50 });

    const report = await evaluate(model, { ratings: data.test, userFeatures: data.users, itemFeatures: data.items });
    const predicted = await predict(model, { userFeatures: data.users, itemFeatures: data.items, pairs: data.test });

    const text = (await import('node:fs/promises')).readFile(data.test, 'utf8');
    const values = (await text).trim().split('\n').slice(1).map((line) => Number(line.split(',')[2]));
    const rmse = Math.sqrt(values.reduce((sum, value, t) => sum + ((predicted.scores[t] as number) - value) ** 2, 0) / values.length);
    expect(relativeError(report.overall.rmse, rmse), `RMSE ${report.overall.rmse} against ${rmse}`).toBeLessThan(1e-12);
    expect(report.overall.users).toBe(8);
  });

  it('rejects k above the catalogue, empty ratings and unknown groups', async () => {
    const users = await scratch.file('users-e.csv', 'id,a\nx,1\n');
    const items = await scratch.file('items-e.csv', 'id,b\ni1,4\n');
    const ratings = await scratch.file('ratings-e.csv', 'user,item,rating\nx,i1,3\n');
    const empty = await scratch.file('ratings-empty.csv', 'user,item,rating\n');
    const input = { ratings, userFeatures: users, itemFeatures: items };

    await expect(evaluate(productModel(), input, { k: 2 })).rejects.toThrow(`invalid k: expected at most the 1 items of ${items}, received 2`);
    await expect(evaluate(productModel(), { ...input, ratings: empty }, { k: 1 })).rejects.toThrow(`${empty} has no ratings to evaluate`);
    const error = await evaluate(productModel(), input, { k: 1, groupBy: 'country' }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect((error as DatasetError).code).toBe('MISSING_COLUMN');
    expect((error as Error).message).toBe(`${users} has no column "country" to group by; its columns are "id", "a"`);
  });
});
