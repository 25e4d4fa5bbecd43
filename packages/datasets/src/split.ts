import { createRandom, numpyPermutation } from '@nimc/linalg';
import type { RatingTriples } from './movielens/types.js';

/** Options of `splitUsers`. */
export interface SplitUsersOptions {
  /**
   * Seed of the permutation. Default 0. A non-negative integer seed up to 2^53 − 1 gives
   * NumPy's `numpy.random.default_rng(seed).permutation(nUsers)`; any other seed uses the
   * Alea generator of `createRandom`.
   */
  seed?: number | string;
  /** Fraction of users that become test users, from 0 to 1. Default 0.2 (a 4:1 split). */
  testFraction?: number;
}

/** A partition of the user indices 0, …, nUsers−1, each part in increasing order. */
export interface UserSplit {
  trainUsers: Int32Array;
  testUsers: Int32Array;
}

/** Ratings of a subset of users, with rows renumbered inside that subset. */
export interface SelectedRatings extends RatingTriples {
  /** Entry r is the original user index of local row r. */
  userIndex: Int32Array;
}

/**
 * Splits the users 0, …, nUsers−1 at random into training and test users. The test set
 * contains the first round(testFraction·nUsers) entries of a seeded permutation. With a
 * non-negative integer seed the split is the one NumPy gives:
 * `perm = numpy.random.default_rng(seed).permutation(nUsers)`, test users `perm[:nTest]`.
 */
export function splitUsers(nUsers: number, options: SplitUsersOptions = {}): UserSplit {
  const seed = options.seed ?? 0;
  const testFraction = options.testFraction ?? 0.2;
  if (!Number.isInteger(nUsers) || nUsers < 1) {
    throw new RangeError(`invalid nUsers: expected a positive integer, received ${nUsers}`);
  }
  if (!(testFraction >= 0 && testFraction <= 1)) {
    throw new RangeError(`invalid testFraction: expected a number from 0 to 1, received ${testFraction}`);
  }

  const permutation =
    typeof seed === 'number' && Number.isSafeInteger(seed) && seed >= 0
      ? numpyPermutation(seed, nUsers)
      : createRandom(seed).permutation(nUsers);
  const testSize = Math.round(testFraction * nUsers);
  const testUsers = permutation.slice(0, testSize).sort();
  const trainUsers = permutation.slice(testSize).sort();
  return { trainUsers, testUsers };
}

/**
 * Returns the ratings given by the users in `userIndices`, in their original order. Row
 * `users[t]` is local: it is the position of the rating's user in `userIndices`, and
 * `userIndex` maps it back. Throws a RangeError when `userIndices` repeats a user.
 */
export function selectRatingsByUsers(ratings: RatingTriples, userIndices: ArrayLike<number>): SelectedRatings {
  let maxUser = -1;
  for (let t = 0; t < ratings.users.length; t++) maxUser = Math.max(maxUser, ratings.users[t] as number);
  for (let r = 0; r < userIndices.length; r++) maxUser = Math.max(maxUser, userIndices[r] as number);

  // local[u] is the local row of user u, or −1 when u is not selected.
  const local = new Int32Array(maxUser + 1).fill(-1);
  for (let r = 0; r < userIndices.length; r++) {
    const user = userIndices[r] as number;
    if (!Number.isInteger(user) || user < 0) {
      throw new RangeError(`invalid user index at position ${r}: expected a non-negative integer, received ${user}`);
    }
    if (local[user] !== -1) {
      throw new RangeError(`invalid userIndices: user ${user} appears at positions ${local[user]} and ${r}`);
    }
    local[user] = r;
  }

  let count = 0;
  for (let t = 0; t < ratings.users.length; t++) {
    if ((local[ratings.users[t] as number] as number) >= 0) count++;
  }
  const users = new Int32Array(count);
  const movies = new Int32Array(count);
  const values = new Float64Array(count);
  let s = 0;
  for (let t = 0; t < ratings.users.length; t++) {
    const row = local[ratings.users[t] as number] as number;
    if (row < 0) continue;
    users[s] = row;
    movies[s] = ratings.movies[t] as number;
    values[s] = ratings.values[t] as number;
    s++;
  }
  return { users, movies, values, userIndex: Int32Array.from(userIndices) };
}
