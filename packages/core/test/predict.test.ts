import { readFile } from 'node:fs/promises';
import { DatasetError, encodeFeatures, readFeatureTable } from '@nimc/datasets';
import { predictPairs } from '@nimc/objective';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fit, predict, toNimcModel, type RecommenderModel } from '../src/index.js';
import { createScratch, writeSmallData, type Scratch, type SmallData } from './helpers.js';

let scratch: Scratch;
let data: SmallData;
let model: RecommenderModel;

beforeAll(async () => {
  scratch = await createScratch();
  data = await writeSmallData(scratch, 'predict-', { users: 40, items: 20, perUser: 8 });
  ({ model } = await fit({ ratings: data.ratings, userFeatures: data.users, itemFeatures: data.items }, { rank: 3, maxIterations: 60 }));
});

afterAll(async () => {
  await scratch.remove();
});

describe('predict', () => {
  it('scores pairs as the model formula does', async () => {
    const pairs = await scratch.file('pairs.csv', 'user,item\nu39,i0\nu1,i19\nu39,i5\n');

    const result = await predict(model, { userFeatures: data.users, itemFeatures: data.items, pairs });

    const users = await readFeatureTable(data.users);
    const items = await readFeatureTable(data.items);
    const X = encodeFeatures(users, model.userEncoder, [39, 1]).matrix;
    const Y = encodeFeatures(items, model.itemEncoder, [0, 19, 5]).matrix;
    const expected = predictPairs(toNimcModel(model), X, Y, Int32Array.of(0, 1, 0), Int32Array.of(0, 1, 2));
    expect(Array.from(result.scores)).toEqual(Array.from(expected));
    expect(result.pairs.userIds).toEqual(['u39', 'u1']);
  });

  it('matches feature columns by name in any order', async () => {
    const pairs = await scratch.file('pairs-order.csv', 'user,item\nu3,i4\n');
    const original = await predict(model, { userFeatures: data.users, itemFeatures: data.items, pairs });
    const text = await readFile(data.users, 'utf8');
    const lines = text.trim().split('\n').map((line) => line.split(','));
    // Columns id, age, segment, activity become activity, id, segment, age.
    const swapped = lines.map(([id, age, segment, activity]) => [activity, id, segment, age].join(',')).join('\n');
    const userFile = await scratch.file('users-swapped.csv', `${swapped}\n`);

    const result = await predict(model, { userFeatures: userFile, itemFeatures: data.items, pairs });

    expect(Array.from(result.scores)).toEqual(Array.from(original.scores));
  });

  it('reports and zeroes unseen categories', async () => {
    const users = await scratch.file('users-unseen.csv', 'id,age,segment,activity\nn1,30,purple,1\nn2,40,purple,2\nn3,50,red,3\n');
    const pairs = await scratch.file('pairs-unseen.csv', 'user,item\nn1,i0\nn2,i0\nn3,i0\n');

    const result = await predict(model, { userFeatures: users, itemFeatures: data.items, pairs });

    expect(result.unseen.users).toEqual([{ column: 'segment', value: 'purple', rows: 2 }]);
    expect(result.unseen.items).toEqual([]);
    expect(result.scores.every(Number.isFinite)).toBe(true);
  });

  it('rejects a pair whose user has no features', async () => {
    const pairs = await scratch.file('pairs-missing.csv', 'user,item\nu1,i1\nstranger,i2\n');

    const error = await predict(model, { userFeatures: data.users, itemFeatures: data.items, pairs }).then(
      () => undefined,
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).code).toBe('UNKNOWN_ID');
    expect((error as Error).message).toContain(`user id "stranger" (first used at ${pairs}:3) has no row in ${data.users}`);
  });

  it('rejects feature files with other columns', async () => {
    const users = await scratch.file('users-wide.csv', 'id,age,segment,activity,height\nu1,30,red,1,180\n');
    const pairs = await scratch.file('pairs-wide.csv', 'user,item\nu1,i1\n');

    const error = await predict(model, { userFeatures: users, itemFeatures: data.items, pairs }).then(
      () => undefined,
      (caught: unknown) => caught,
    );

    expect((error as DatasetError).code).toBe('FEATURE_MISMATCH');
    expect((error as Error).message).toBe(
      `wrong feature columns in ${users}: expected 3 ("age", "segment", "activity"), found 4; unexpected "height". ` +
        'Use the columns the model was trained with, or list the unexpected ones in the ignoreColumns option.',
    );
  });

  it('ignores listed extra columns', async () => {
    const users = await scratch.file('users-extra.csv', 'id,age,segment,activity,height\nu1,30,red,1,180\n');
    const pairs = await scratch.file('pairs-extra.csv', 'user,item\nu1,i1\n');

    const result = await predict(model, { userFeatures: users, itemFeatures: data.items, pairs }, { ignoreColumns: ['height'] });

    expect(result.scores.length).toBe(1);
  });

  it('rejects text in a numeric column', async () => {
    const users = await scratch.file('users-text.csv', 'id,age,segment,activity\nu1,thirty,red,1\n');
    const pairs = await scratch.file('pairs-text.csv', 'user,item\nu1,i1\n');

    await expect(predict(model, { userFeatures: users, itemFeatures: data.items, pairs })).rejects.toThrow(
      `${users}:2: the value "thirty" of numeric column "age" is not a number`,
    );
  });

  it('rejects scores that overflow', async () => {
    const users = await scratch.file('users-overflow.csv', 'id,age,segment,activity\nbig,1e300,red,1e300\n');
    const items = await scratch.file('items-overflow.csv', 'id,kind,size\ni1,book,1e300\n');
    const pairs = await scratch.file('pairs-overflow.csv', 'user,item\nbig,i1\n');
    const wide: RecommenderModel = { ...model, activation: 'identity' };

    await expect(predict(wide, { userFeatures: users, itemFeatures: items, pairs })).rejects.toThrow(
      /^the score of user "big" and item "i1" is (-?Infinity|NaN), not a finite number/,
    );
  });
});
