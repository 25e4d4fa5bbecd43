import { createMatrix, createRandom, multiplyTransposeA, topRightSingularVectors, type DenseMatrix } from '@nimc/linalg';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ageRangeIndex,
  appendBias,
  buildMovieFeatures,
  buildUserFeatures,
  globalMean,
  itemMeanRatings,
  loadMovieLens,
  movieLens1mAgeCodes,
  selectRatingsByUsers,
  splitUsers,
  type MovieLensData,
} from '../src/index.js';
import { movieLensAvailable, movieLensDir, relativeError } from './movielens-path.js';

interface SvdReference {
  trainUserIdMax: number;
  rank: number;
  singularValues: number[];
  movieMeanFill: { meanShrinkage: number; singularValues: number[] };
}

const svdReference = JSON.parse(
  readFileSync(new URL('./fixtures/ml-100k-svd-reference.json', import.meta.url), 'utf8'),
) as SvdReference;

function column(matrix: DenseMatrix, c: number): Float64Array {
  return Float64Array.from({ length: matrix.rows }, (_, i) => matrix.data[i * matrix.columns + c] as number);
}

function rowSum(matrix: DenseMatrix, i: number, from: number, to: number): number {
  let sum = 0;
  for (let c = from; c < to; c++) sum += matrix.data[i * matrix.columns + c] as number;
  return sum;
}

// Checks VᵀV = I for the columns from..from+r−1 of `matrix`.
function expectOrthonormalColumns(matrix: DenseMatrix, from: number, r: number): void {
  const block: DenseMatrix = {
    rows: matrix.rows,
    columns: r,
    data: Float64Array.from({ length: matrix.rows * r }, (_, t) => {
      const i = Math.floor(t / r);
      return matrix.data[i * matrix.columns + from + (t % r)] as number;
    }),
  };
  const gram = multiplyTransposeA(block, block);
  for (let a = 0; a < r; a++) {
    for (let b = 0; b < r; b++) {
      const expected = a === b ? 1 : 0;
      const actual = gram.data[a * r + b] as number;
      expect(Math.abs(actual - expected), `(VᵀV)[${a}][${b}] = ${actual}`).toBeLessThan(1e-10);
    }
  }
}

// A small dataset: 6 users, 5 movies (movie 4 unrated), 2 genres, 3 occupations.
function smallData(): MovieLensData {
  const random = createRandom(8);
  const users: number[] = [];
  const movies: number[] = [];
  const values: number[] = [];
  for (let u = 0; u < 6; u++) {
    for (let j = 0; j < 4; j++) {
      if ((u + j) % 3 === 0) continue;
      users.push(u);
      movies.push(j);
      values.push(1 + random.integer(5));
    }
  }
  return {
    dataset: 'ml-100k',
    users: [10, 17, 24, 40, 52, 60].map((age, u) => ({
      id: u + 1,
      age,
      gender: u % 2 === 0 ? 'F' : 'M',
      occupation: ['artist', 'other', 'writer'][u % 3] as string,
    })),
    movies: Array.from({ length: 5 }, (_, j) => ({ id: j + 1, title: `Movie ${j + 1}`, genres: Uint8Array.from([j % 2, 1]) })),
    genreNames: ['Comedy', 'Drama'],
    occupationNames: ['artist', 'other', 'writer'],
    ratings: { users: Int32Array.from(users), movies: Int32Array.from(movies), values: Float64Array.from(values) },
  };
}

describe('ageRangeIndex', () => {
  it('bins exact ages', () => {
    const cases: [number, number][] = [
      [7, 0],
      [17, 0],
      [18, 1],
      [24, 1],
      [25, 2],
      [34, 2],
      [35, 3],
      [44, 3],
      [45, 4],
      [49, 4],
      [50, 5],
      [55, 5],
      [56, 6],
      [73, 6],
    ];
    for (const [age, range] of cases) expect(ageRangeIndex(age), `age ${age}`).toBe(range);
  });

  it('maps each ml-1m age code to its own range', () => {
    expect(movieLens1mAgeCodes.map(ageRangeIndex)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});

describe('buildUserFeatures', () => {
  it('encodes occupation, age range and gender', () => {
    const data = smallData();
    const { matrix, names } = buildUserFeatures(data);
    expect([matrix.rows, matrix.columns]).toEqual([6, 3 + 7 + 1]);
    expect(names).toEqual([
      'occupation:artist',
      'occupation:other',
      'occupation:writer',
      'age:under 18',
      'age:18-24',
      'age:25-34',
      'age:35-44',
      'age:45-49',
      'age:50-55',
      'age:56+',
      'gender:F',
    ]);
    // User 4: age 52, female, other.
    expect(Array.from(matrix.data.subarray(4 * 11, 5 * 11))).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1]);
    // User 3: age 40, male, artist.
    expect(Array.from(matrix.data.subarray(3 * 11, 4 * 11))).toEqual([1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
    // User 0: age 10, female, artist.
    expect(Array.from(matrix.data.subarray(0, 11))).toEqual([1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('appends a bias column on request', () => {
    const { matrix, names } = buildUserFeatures(smallData(), { bias: true });
    expect(matrix.columns).toBe(12);
    expect(names[11]).toBe('bias');
    expect(Array.from(column(matrix, 11))).toEqual([1, 1, 1, 1, 1, 1]);
  });
});

describe('appendBias', () => {
  it('adds a column of ones', () => {
    const out = appendBias({ rows: 2, columns: 2, data: Float64Array.from([1, 2, 3, 4]) });
    expect([out.rows, out.columns]).toEqual([2, 3]);
    expect(Array.from(out.data)).toEqual([1, 2, 1, 3, 4, 1]);
  });
});

describe('buildMovieFeatures', () => {
  const data = smallData();

  it('puts genres first and singular vectors after them', () => {
    const features = buildMovieFeatures(data, data.ratings, { singularVectors: 3 });
    expect([features.matrix.rows, features.matrix.columns]).toEqual([5, 5]);
    expect(features.names).toEqual(['genre:Comedy', 'genre:Drama', 'singular-vector:1', 'singular-vector:2', 'singular-vector:3']);
    expect(Array.from(column(features.matrix, 0))).toEqual([0, 1, 0, 1, 0]);
    expect(Array.from(column(features.matrix, 1))).toEqual([1, 1, 1, 1, 1]);
    expect(features.singularValues.length).toBe(3);
    expectOrthonormalColumns(features.matrix, 2, 3);
  });

  it('gives unrated movies zero singular-vector features', () => {
    const features = buildMovieFeatures(data, data.ratings, { singularVectors: 3 });
    expect(Array.from(features.matrix.data.subarray(4 * 5 + 2, 5 * 5))).toEqual([0, 0, 0]);
  });

  it('scales the singular vectors', () => {
    const unit = buildMovieFeatures(data, data.ratings, { singularVectors: 3 });
    const cases = [
      ['sqrt-n', () => Math.sqrt(5)],
      ['singular-value', (c: number) => unit.singularValues[c] as number],
      [2.5, () => 2.5],
    ] as const;
    for (const [scale, factor] of cases) {
      const scaledFeatures = buildMovieFeatures(data, data.ratings, { singularVectors: 3, scale });
      for (let j = 0; j < 5; j++) {
        for (let c = 0; c < 3; c++) {
          const expected = (unit.matrix.data[j * 5 + 2 + c] as number) * factor(c);
          const actual = scaledFeatures.matrix.data[j * 5 + 2 + c] as number;
          expect(Math.abs(actual - expected), `scale ${scale}, movie ${j}, vector ${c}`).toBeLessThanOrEqual(1e-12 * Math.abs(expected));
        }
      }
    }
  });

  it('matches the singular values of the dense rating matrix', () => {
    const features = buildMovieFeatures(data, data.ratings, { singularVectors: 3 });
    // Largest singular value by power iteration on AᵀA with the dense 6×5 matrix.
    const dense = new Float64Array(30);
    for (let t = 0; t < data.ratings.values.length; t++) {
      dense[(data.ratings.users[t] as number) * 5 + (data.ratings.movies[t] as number)] = data.ratings.values[t] as number;
    }
    let v = new Float64Array(5).fill(1);
    let sigma = 0;
    for (let iteration = 0; iteration < 500; iteration++) {
      const av = new Float64Array(6);
      for (let i = 0; i < 6; i++) for (let j = 0; j < 5; j++) av[i]! += (dense[i * 5 + j] as number) * (v[j] as number);
      const next = new Float64Array(5);
      for (let i = 0; i < 6; i++) for (let j = 0; j < 5; j++) next[j]! += (dense[i * 5 + j] as number) * (av[i] as number);
      const norm = Math.hypot(...next);
      sigma = Math.sqrt(norm);
      v = next.map((value) => value / norm);
    }
    const actual = features.singularValues[0] as number;
    expect(relativeError(actual, sigma), `σ1 ${actual} against ${sigma}`).toBeLessThan(1e-10);
  });

  it('fills missing entries with shrunk means', () => {
    // Dense 6×5 matrix: ratings where given, else (Σr + β·g)/(count + β); movie 4 has no rating.
    const beta = 1.5;
    const g = data.ratings.values.reduce((sum, value) => sum + value, 0) / data.ratings.values.length;
    const sums = new Float64Array(5);
    const counts = new Float64Array(5);
    data.ratings.movies.forEach((movie, t) => {
      sums[movie]! += data.ratings.values[t] as number;
      counts[movie]! += 1;
    });
    const dense = createMatrix(6, 5);
    for (let i = 0; i < 6; i++) {
      for (let j = 0; j < 5; j++) dense.data[i * 5 + j] = ((sums[j] as number) + beta * g) / ((counts[j] as number) + beta);
    }
    data.ratings.values.forEach((value, t) => {
      dense.data[(data.ratings.users[t] as number) * 5 + (data.ratings.movies[t] as number)] = value;
    });
    const exact = topRightSingularVectors(dense, 3);

    const features = buildMovieFeatures(data, data.ratings, { singularVectors: 3, missingEntries: 'movie-mean', meanShrinkage: beta });
    for (let c = 0; c < 3; c++) {
      expect(relativeError(features.singularValues[c] as number, exact.values[c] as number), `σ${c + 1}`).toBeLessThan(1e-10);
      for (let j = 0; j < 5; j++) {
        const actual = features.matrix.data[j * 5 + 2 + c] as number;
        expect(Math.abs(actual - (exact.vectors.data[j * 3 + c] as number)), `movie ${j}, vector ${c}`).toBeLessThan(1e-9);
      }
    }
    // The unrated movie's column is the global mean, so its features are not zero.
    expect(Math.abs(features.matrix.data[4 * 5 + 2] as number)).toBeGreaterThan(0.1);
  });

  it('appends a bias column on request', () => {
    const features = buildMovieFeatures(data, data.ratings, { singularVectors: 2, bias: true });
    expect(features.matrix.columns).toBe(5);
    expect(features.names[4]).toBe('bias');
    expect(Array.from(column(features.matrix, 4))).toEqual([1, 1, 1, 1, 1]);
  });

  it('accepts zero singular vectors', () => {
    const features = buildMovieFeatures(data, data.ratings, { singularVectors: 0 });
    expect(features.matrix.columns).toBe(2);
    expect(features.singularValues.length).toBe(0);
  });

  it('rejects invalid options', () => {
    expect(() => buildMovieFeatures(data, data.ratings, { singularVectors: 6 })).toThrow(
      'invalid singularVectors: expected at most min(training users, movies) = 5, received 6',
    );
    expect(() => buildMovieFeatures(data, data.ratings, { singularVectors: -1 })).toThrow('invalid singularVectors');
    expect(() => buildMovieFeatures(data, data.ratings, { singularVectors: 3, scale: Number.NaN })).toThrow(
      'invalid scale: expected a finite number, received NaN',
    );
    const unknownFill = 'median' as unknown as 'zero';
    expect(() => buildMovieFeatures(data, data.ratings, { singularVectors: 3, missingEntries: unknownFill })).toThrow(
      `invalid missingEntries "median": expected 'zero' or 'movie-mean'`,
    );
    expect(() => buildMovieFeatures(data, data.ratings, { singularVectors: 3, meanShrinkage: -1 })).toThrow(
      'invalid meanShrinkage: expected a non-negative number, received -1',
    );
    const unknownScale = 'log' as unknown as 'unit';
    expect(() => buildMovieFeatures(data, data.ratings, { singularVectors: 3, scale: unknownScale })).toThrow(
      `invalid scale "log": expected 'unit', 'sqrt-n', 'singular-value' or a number`,
    );
  });
});

describe('itemMeanRatings and globalMean', () => {
  const ratings = {
    users: Int32Array.from([0, 1, 2, 0]),
    movies: Int32Array.from([0, 0, 2, 2]),
    values: Float64Array.from([4, 5, 1, 2]),
  };

  it('averages each movie and falls back to the global mean', () => {
    expect(globalMean(ratings)).toBe(3);
    expect(Array.from(itemMeanRatings(4, ratings))).toEqual([4.5, 3, 1.5, 3]);
  });

  it('shrinks each mean towards the global mean', () => {
    // Movie 0: (4 + 5 + 2·3)/(2 + 2) = 3.75; movie 2: (1 + 2 + 2·3)/(2 + 2) = 2.25.
    expect(Array.from(itemMeanRatings(4, ratings, 2))).toEqual([3.75, 3, 2.25, 3]);
    expect(() => itemMeanRatings(4, ratings, -1)).toThrow('invalid shrinkage: expected a non-negative number, received -1');
  });

  it('rejects empty ratings and out-of-range movies', () => {
    const empty = { users: new Int32Array(0), movies: new Int32Array(0), values: new Float64Array(0) };
    expect(() => globalMean(empty)).toThrow('cannot take the mean of 0 ratings');
    expect(() => itemMeanRatings(2, ratings)).toThrow('invalid movie index 2 in rating 2: expected an index below nMovies = 2');
  });
});

describe.skipIf(!movieLensAvailable)('MovieLens features', () => {
  let ml100k: MovieLensData;
  let ml1m: MovieLensData;
  beforeAll(async () => {
    ml100k = await loadMovieLens(movieLensDir, 'ml-100k');
    ml1m = await loadMovieLens(movieLensDir, 'ml-1m');
  }, 120_000);

  it('builds 29 user features with one occupation and one age flag', () => {
    for (const data of [ml100k, ml1m]) {
      const { matrix, names } = buildUserFeatures(data);
      expect([matrix.rows, matrix.columns]).toEqual([data.users.length, 29]);
      expect(names.length).toBe(29);
      for (let i = 0; i < matrix.rows; i++) {
        expect(rowSum(matrix, i, 0, 21), `${data.dataset} user ${i} occupation flags`).toBe(1);
        expect(rowSum(matrix, i, 21, 28), `${data.dataset} user ${i} age flags`).toBe(1);
        expect(matrix.data[i * 29 + 28]).toBe(data.users[i]?.gender === 'F' ? 1 : 0);
      }
    }
  });

  it('builds 39 ml-100k movie features with orthonormal singular vectors', () => {
    const { trainUsers } = splitUsers(ml100k.users.length, { seed: 1 });
    const train = selectRatingsByUsers(ml100k.ratings, trainUsers);
    const features = buildMovieFeatures(ml100k, train);
    expect([features.matrix.rows, features.matrix.columns]).toEqual([1682, 39]);
    expect(features.names.slice(0, 19)).toEqual(ml100k.genreNames.map((name) => `genre:${name}`));
    expectOrthonormalColumns(features.matrix, 19, 20);
    for (let c = 1; c < 20; c++) {
      expect(features.singularValues[c] as number).toBeLessThanOrEqual(features.singularValues[c - 1] as number);
    }
  }, 60_000);

  it('builds 38 ml-1m movie features with zeros for unrated movies', () => {
    const { trainUsers } = splitUsers(ml1m.users.length, { seed: 1 });
    const train = selectRatingsByUsers(ml1m.ratings, trainUsers);
    const features = buildMovieFeatures(ml1m, train);
    expect([features.matrix.rows, features.matrix.columns]).toEqual([3883, 38]);
    expectOrthonormalColumns(features.matrix, 18, 20);

    const rated = new Set(train.movies);
    expect(3883 - rated.size).toBeGreaterThanOrEqual(3883 - 3706);
    for (let j = 0; j < 3883; j++) {
      if (rated.has(j)) continue;
      expect(rowSum(features.matrix, j, 18, 38), `unrated movie ${j}`).toBe(0);
      expect(Math.max(...Array.from(features.matrix.data.subarray(j * 38 + 18, (j + 1) * 38), Math.abs))).toBe(0);
    }
  }, 120_000);

  it('matches the numpy singular values of the ml-100k training matrix', () => {
    const trainUsers = ml100k.users.flatMap((user, u) => (user.id <= svdReference.trainUserIdMax ? [u] : []));
    expect(trainUsers.length).toBe(svdReference.trainUserIdMax);
    const train = selectRatingsByUsers(ml100k.ratings, trainUsers);
    const features = buildMovieFeatures(ml100k, train, { singularVectors: svdReference.rank });
    svdReference.singularValues.forEach((expected, c) => {
      const actual = features.singularValues[c] as number;
      expect(relativeError(actual, expected), `σ${c + 1}: ${actual} against numpy ${expected}`).toBeLessThan(1e-6);
    });
  }, 60_000);

  it('matches numpy on the filled ml-100k matrix', () => {
    const trainUsers = ml100k.users.flatMap((user, u) => (user.id <= svdReference.trainUserIdMax ? [u] : []));
    const train = selectRatingsByUsers(ml100k.ratings, trainUsers);
    const { meanShrinkage, singularValues } = svdReference.movieMeanFill;
    const features = buildMovieFeatures(ml100k, train, {
      singularVectors: svdReference.rank,
      missingEntries: 'movie-mean',
      meanShrinkage,
    });
    singularValues.forEach((expected, c) => {
      const actual = features.singularValues[c] as number;
      expect(relativeError(actual, expected), `σ${c + 1}: ${actual} against numpy ${expected}`).toBeLessThan(1e-6);
    });
    expectOrthonormalColumns(features.matrix, 19, 20);
  }, 60_000);

  it('computes item means over training ratings', () => {
    const means = itemMeanRatings(ml100k.movies.length, ml100k.ratings);
    const average = globalMean(ml100k.ratings);
    expect(Math.abs(average - 3.52986), `global mean ${average}`).toBeLessThan(1e-12);
    expect(means.length).toBe(1682);
    for (const mean of means) {
      expect(mean).toBeGreaterThanOrEqual(1);
      expect(mean).toBeLessThanOrEqual(5);
    }
  });
});
