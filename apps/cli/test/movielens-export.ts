import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appendBias, buildUserFeatures, loadMovieLens, type MovieLensData } from '@nimc/datasets';
import type { DenseMatrix } from '@nimc/linalg';
import { paperConfig } from '../src/experiments/movielens-configs.js';
import { prepareSplit } from '../src/experiments/movielens-split.js';

/** The MovieLens folder, read in place at ../shared/data/movielens from the repository root. */
export const movieLensDir = fileURLToPath(new URL('../../../../shared/data/movielens', import.meta.url));

/** True when the MovieLens folder exists; the tests that read it skip otherwise. */
export const movieLensAvailable = existsSync(movieLensDir);

/** Paths of one exported split, all inside the folder passed to `exportMovieLensSplit`. */
export interface ExportedSplit {
  /** Ratings of the training users, in the order of u.data. */
  train: string;
  /** Ratings of the test (new) users. */
  test: string;
  /** Every user, with the experiment's encoded features (indicator columns). */
  users: string;
  /** Every user with raw columns age (number), gender and occupation (text). */
  rawUsers: string;
  /** Every movie, with the experiment's features: genre flags and singular vectors. */
  items: string;
  trainUsers: number;
  testUsers: number;
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

// Writes one row per entity: its id, then the matrix row. String(value) reads back exactly.
async function writeMatrix(path: string, ids: readonly number[], names: readonly string[], matrix: DenseMatrix): Promise<void> {
  const lines = [['id', ...names].map(csvField).join(',')];
  for (let i = 0; i < matrix.rows; i++) {
    const row = Array.from(matrix.data.subarray(i * matrix.columns, (i + 1) * matrix.columns), (value) => String(value));
    lines.push([String(ids[i]), ...row].join(','));
  }
  await writeFile(path, `${lines.join('\n')}\n`);
}

async function writeRatings(path: string, data: MovieLensData, users: Int32Array): Promise<void> {
  const selected = new Uint8Array(data.users.length);
  for (const user of users) selected[user] = 1;
  const lines = ['user,item,rating'];
  const { ratings } = data;
  for (let t = 0; t < ratings.values.length; t++) {
    const user = ratings.users[t] as number;
    if (selected[user] === 0) continue;
    lines.push(`${data.users[user]?.id},${data.movies[ratings.movies[t] as number]?.id},${ratings.values[t]}`);
  }
  await writeFile(path, `${lines.join('\n')}\n`);
}

/**
 * Writes one user split of ml-100k as CSV files in `folder`, with the features and split of
 * the MovieLens experiment's paper configuration for `seed`. The test users are the same,
 * the movie features come from the training users' ratings, and the user features are
 * indicator columns (plus a bias column when that configuration appends one). The data
 * stay in `folder`, which the caller deletes.
 */
export async function exportMovieLensSplit(folder: string, seed: number): Promise<ExportedSplit> {
  const data = await loadMovieLens(movieLensDir, 'ml-100k');
  const userFeatures = buildUserFeatures(data);
  const split = prepareSplit(data, userFeatures.matrix, seed, paperConfig.split);

  const userMatrix = paperConfig.split.userBias ? appendBias(userFeatures.matrix) : userFeatures.matrix;
  const userNames = paperConfig.split.userBias ? [...userFeatures.names, 'bias'] : userFeatures.names;
  const itemNames = Array.from({ length: split.movieFeatures.columns }, (_, c) => `feature ${c + 1}`);
  const paths: ExportedSplit = {
    train: join(folder, 'train.csv'),
    test: join(folder, 'test.csv'),
    users: join(folder, 'users.csv'),
    rawUsers: join(folder, 'users-raw.csv'),
    items: join(folder, 'items.csv'),
    trainUsers: split.trainUsers.length,
    testUsers: split.testUsers.length,
  };

  const userIds = data.users.map((user) => user.id);
  await writeMatrix(paths.users, userIds, userNames, userMatrix);
  await writeMatrix(paths.items, data.movies.map((movie) => movie.id), itemNames, split.movieFeatures);
  await writeRatings(paths.train, data, split.trainUsers);
  await writeRatings(paths.test, data, split.testUsers);
  const raw = data.users.map((user) => `${user.id},${user.age},${user.gender},${csvField(user.occupation)}`);
  await writeFile(paths.rawUsers, `id,age,gender,occupation\n${raw.join('\n')}\n`);
  return paths;
}
