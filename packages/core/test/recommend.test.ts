import { DatasetError, encodeFeatures, readFeatureTable } from '@nimc/datasets';
import { predictAll } from '@nimc/objective';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fit, recommend, toNimcModel, TopK, type RecommenderModel, type UserRecommendations } from '../src/index.js';
import { createScratch, writeSmallData, type Scratch, type SmallData } from './helpers.js';

let scratch: Scratch;
let data: SmallData;
let model: RecommenderModel;

beforeAll(async () => {
  scratch = await createScratch();
  data = await writeSmallData(scratch, 'recommend-', { users: 50, items: 30, perUser: 8 });
  ({ model } = await fit({ ratings: data.ratings, userFeatures: data.users, itemFeatures: data.items }, { rank: 3, maxIterations: 60 }));
});

afterAll(async () => {
  await scratch.remove();
});

function collect(blocks: Iterable<UserRecommendations[]>): UserRecommendations[] {
  const all: UserRecommendations[] = [];
  for (const block of blocks) all.push(...block);
  return all;
}

// Top lists by sorting the full score matrix: higher score first, then smaller item index.
async function bruteForce(top: number, excluded: Set<string> = new Set()): Promise<{ user: string; items: string[]; scores: number[] }[]> {
  const users = await readFeatureTable(data.users);
  const items = await readFeatureTable(data.items);
  const S = predictAll(toNimcModel(model), encodeFeatures(users, model.userEncoder).matrix, encodeFeatures(items, model.itemEncoder).matrix);
  return users.ids.map((user, i) => {
    const order = items.ids
      .map((item, j) => ({ item, j, score: S.data[i * items.ids.length + j] as number }))
      .filter((entry) => !excluded.has(`${user}:${entry.item}`))
      .sort((a, b) => b.score - a.score || a.j - b.j)
      .slice(0, top);
    return { user, items: order.map((entry) => entry.item), scores: order.map((entry) => entry.score) };
  });
}

describe('recommend', () => {
  it('matches a full sort for any block size', async () => {
    const expected = await bruteForce(5);
    for (const blockRows of [1, 7, 50, 1000]) {
      const run = await recommend(model, { userFeatures: data.users, itemFeatures: data.items }, { top: 5, blockRows });

      const lists = collect(run.blocks()).map((list) => ({ user: list.user, items: [...list.items], scores: Array.from(list.scores) }));

      expect(lists, `block of ${blockRows} users`).toEqual(expected);
    }
  });

  it('reports progress per block', async () => {
    const done: number[] = [];
    const run = await recommend(model, { userFeatures: data.users, itemFeatures: data.items }, {
      blockRows: 20,
      onProgress: (event) => {
        if (event.phase === 'scoring') done.push(event.done);
      },
    });

    collect(run.blocks());

    expect(done).toEqual([20, 40, 50]);
    expect([run.users, run.items, run.top]).toEqual([50, 30, 10]);
  });

  it('leaves out rated items', async () => {
    const exclude = await scratch.file('exclude.csv', 'user,item,rating\nu0,i1,5\nu0,i2,1\nnobody,i3,2\nu1,gone,4\n');
    const expected = await bruteForce(4, new Set(['u0:i1', 'u0:i2']));

    const run = await recommend(model, { userFeatures: data.users, itemFeatures: data.items }, { top: 4, exclude });
    const lists = collect(run.blocks());

    expect(run.excludedPairs).toBe(2);
    expect(lists[0]?.items).toEqual(expected[0]?.items);
    expect(lists[0]?.items).not.toContain('i1');
  });

  it('returns shorter lists when exclusions leave fewer items', async () => {
    const rows = Array.from({ length: 28 }, (_, j) => `u2,i${j}`).join('\n');
    const exclude = await scratch.file('exclude-most.csv', `user,item\n${rows}\n`);

    const run = await recommend(model, { userFeatures: data.users, itemFeatures: data.items }, { top: 5, users: ['u2', 'u3'], exclude });
    const lists = collect(run.blocks());

    expect(lists.map((list) => list.items.length)).toEqual([2, 5]);
    expect([...(lists[0]?.items ?? [])].sort()).toEqual(['i28', 'i29']);
  });

  it('ranks the listed users in the given order', async () => {
    const run = await recommend(model, { userFeatures: data.users, itemFeatures: data.items }, { top: 2, users: ['u9', 'u0'] });

    expect(collect(run.blocks()).map((list) => list.user)).toEqual(['u9', 'u0']);
  });

  it('rejects top above the catalogue size', async () => {
    await expect(recommend(model, { userFeatures: data.users, itemFeatures: data.items }, { top: 31 })).rejects.toThrow(
      `invalid top: expected at most the 30 items of ${data.items}, received 31`,
    );
  });

  it('rejects an unknown user', async () => {
    const error = await recommend(model, { userFeatures: data.users, itemFeatures: data.items }, { users: ['u1', 'ghost'] }).then(
      () => undefined,
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(DatasetError);
    expect((error as Error).message).toBe(`user id "ghost" has no row in ${data.users}; add a row for it or leave it out of the users to rank`);
  });
});

describe('TopK', () => {
  it('keeps the best pairs in order', () => {
    const scores = fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 60 });

    fc.assert(
      fc.property(scores, fc.integer({ min: 1, max: 10 }), (values, capacity) => {
        const heap = new TopK(capacity);
        values.forEach((score, item) => heap.offer(item, score));
        const items = new Int32Array(capacity);
        const keptScores = new Float64Array(capacity);

        const count = heap.drain(items, keptScores, 0);

        const expected = values
          .map((score, item) => ({ score, item }))
          .sort((a, b) => b.score - a.score || a.item - b.item)
          .slice(0, capacity);
        expect(count).toBe(expected.length);
        expect(Array.from(items.subarray(0, count))).toEqual(expected.map((entry) => entry.item));
        expect(Array.from(keptScores.subarray(0, count))).toEqual(expected.map((entry) => entry.score));
        expect(heap.length).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
