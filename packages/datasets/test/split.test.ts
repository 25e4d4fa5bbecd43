import { describe, expect, it } from 'vitest';
import { selectRatingsByUsers, splitUsers } from '../src/index.js';

function isSorted(values: Int32Array): boolean {
  for (let i = 1; i < values.length; i++) if ((values[i] as number) <= (values[i - 1] as number)) return false;
  return true;
}

describe('splitUsers', () => {
  it('integer seed follows NumPy', () => {
    // python3 -c "import numpy as np; print(sorted(np.random.default_rng(0).permutation(10)[:2].tolist()))"
    expect(Array.from(splitUsers(10, { seed: 0 }).testUsers)).toEqual([4, 6]);
    // python3 -c "import numpy as np; print(sorted(np.random.default_rng(7).permutation(12)[:6].tolist()))"
    expect(Array.from(splitUsers(12, { seed: 7, testFraction: 0.5 }).testUsers)).toEqual([0, 1, 3, 4, 6, 10]);
  });

  it('string seed uses Alea', () => {
    const split = splitUsers(10, { seed: '0' });
    expect(split.testUsers.length).toBe(2);
    expect(splitUsers(10, { seed: '0' })).toEqual(split);
  });

  it('partitions the users', () => {
    const { trainUsers, testUsers } = splitUsers(943, { seed: 3 });
    expect(testUsers.length).toBe(189);
    expect(trainUsers.length).toBe(754);
    expect(isSorted(trainUsers)).toBe(true);
    expect(isSorted(testUsers)).toBe(true);
    const all = new Set([...trainUsers, ...testUsers]);
    expect(all.size).toBe(943);
    for (let u = 0; u < 943; u++) expect(all.has(u)).toBe(true);
  });

  it('uses round(testFraction·nUsers) test users', () => {
    expect(splitUsers(10, { testFraction: 0.25 }).testUsers.length).toBe(3);
    expect(splitUsers(10, { testFraction: 0 }).testUsers.length).toBe(0);
    expect(splitUsers(10, { testFraction: 1 }).trainUsers.length).toBe(0);
    expect(splitUsers(6040, { seed: 1 }).testUsers.length).toBe(1208);
  });

  it('repeats with the same seed', () => {
    const first = splitUsers(500, { seed: 42 });
    const second = splitUsers(500, { seed: 42 });
    expect(second.trainUsers).toEqual(first.trainUsers);
    expect(second.testUsers).toEqual(first.testUsers);
  });

  it('changes with the seed', () => {
    const first = splitUsers(500, { seed: 1 });
    const second = splitUsers(500, { seed: 2 });
    expect(second.testUsers).not.toEqual(first.testUsers);
  });

  it('rejects invalid arguments', () => {
    expect(() => splitUsers(0)).toThrow('invalid nUsers: expected a positive integer, received 0');
    expect(() => splitUsers(10, { testFraction: 1.5 })).toThrow('invalid testFraction: expected a number from 0 to 1, received 1.5');
    expect(() => splitUsers(10, { testFraction: Number.NaN })).toThrow('invalid testFraction');
  });
});

describe('selectRatingsByUsers', () => {
  const ratings = {
    users: Int32Array.from([0, 3, 1, 3, 2, 0]),
    movies: Int32Array.from([5, 4, 3, 2, 1, 0]),
    values: Float64Array.from([1, 2, 3, 4, 5, 6]),
  };

  it('keeps the selected users and renumbers their rows', () => {
    const selected = selectRatingsByUsers(ratings, Int32Array.from([0, 3]));
    expect(Array.from(selected.users)).toEqual([0, 1, 1, 0]);
    expect(Array.from(selected.movies)).toEqual([5, 4, 2, 0]);
    expect(Array.from(selected.values)).toEqual([1, 2, 4, 6]);
    expect(Array.from(selected.userIndex)).toEqual([0, 3]);
  });

  it('follows the order of userIndices', () => {
    const selected = selectRatingsByUsers(ratings, [3, 1]);
    expect(Array.from(selected.users)).toEqual([0, 1, 0]);
    for (let t = 0; t < selected.users.length; t++) {
      const global = selected.userIndex[selected.users[t] as number];
      expect([3, 1]).toContain(global);
    }
  });

  it('returns an empty set for users without ratings', () => {
    const selected = selectRatingsByUsers(ratings, [7]);
    expect(selected.values.length).toBe(0);
    expect(Array.from(selected.userIndex)).toEqual([7]);
  });

  it('rejects a repeated user', () => {
    expect(() => selectRatingsByUsers(ratings, [1, 2, 1])).toThrow('invalid userIndices: user 1 appears at positions 0 and 2');
  });

  it('splits the ratings between train and test users', () => {
    const { trainUsers, testUsers } = splitUsers(4, { seed: 5, testFraction: 0.5 });
    const train = selectRatingsByUsers(ratings, trainUsers);
    const test = selectRatingsByUsers(ratings, testUsers);
    expect(train.values.length + test.values.length).toBe(ratings.values.length);
  });
});
