import {
  concatColumns,
  createMatrix,
  createObservations,
  topRightSingularVectors,
  type DenseMatrix,
} from '@nimc/linalg';
import { itemMeanRatings } from './baselines.js';
import type { MovieLensData, RatingTriples } from './movielens/types.js';
import type { SelectedRatings } from './split.js';

/** A feature matrix with one name per column. */
export interface FeatureMatrix {
  matrix: DenseMatrix;
  names: string[];
}

/** The 7 age ranges of the user features, with their lower ends (inclusive). */
export const ageRanges: readonly { name: string; from: number }[] = [
  { name: 'under 18', from: -Infinity },
  { name: '18-24', from: 18 },
  { name: '25-34', from: 25 },
  { name: '35-44', from: 35 },
  { name: '45-49', from: 45 },
  { name: '50-55', from: 50 },
  { name: '56+', from: 56 },
];

/**
 * Returns the age range (0 to 6) of an age. ml-1m age codes 1, 18, 25, 35, 45, 50 and 56 are
 * the lower ends of the ranges, so they fall into their own range.
 */
export function ageRangeIndex(age: number): number {
  let range = 0;
  for (let a = 1; a < ageRanges.length; a++) {
    if (age >= (ageRanges[a] as { from: number }).from) range = a;
  }
  return range;
}

/** Returns [matrix 1], the matrix with a constant-1 column appended. */
export function appendBias(matrix: DenseMatrix): DenseMatrix {
  const ones = createMatrix(matrix.rows, 1);
  ones.data.fill(1);
  return concatColumns(matrix, ones);
}

/** Options of `buildUserFeatures`. */
export interface UserFeatureOptions {
  /** Appends a constant-1 column named "bias". Default false. */
  bias?: boolean;
}

/**
 * Builds the 29 demographic user features, one row per user: one-hot occupation (21
 * columns, in the order of `occupationNames`), one-hot age range (7 columns, see
 * `ageRanges`), and gender (1 for F, 0 for M).
 */
export function buildUserFeatures(data: MovieLensData, options: UserFeatureOptions = {}): FeatureMatrix {
  const occupationIndex = new Map(data.occupationNames.map((name, c) => [name, c]));
  const nOccupations = data.occupationNames.length;
  const d = nOccupations + ageRanges.length + 1;
  const matrix = createMatrix(data.users.length, d);

  data.users.forEach((user, i) => {
    const occupation = occupationIndex.get(user.occupation);
    if (occupation === undefined) {
      throw new RangeError(`invalid user ${user.id}: occupation "${user.occupation}" is not in occupationNames`);
    }
    const row = i * d;
    matrix.data[row + occupation] = 1;
    matrix.data[row + nOccupations + ageRangeIndex(user.age)] = 1;
    matrix.data[row + d - 1] = user.gender === 'F' ? 1 : 0;
  });

  const names = [
    ...data.occupationNames.map((name) => `occupation:${name}`),
    ...ageRanges.map((range) => `age:${range.name}`),
    'gender:F',
  ];
  return options.bias === true ? { matrix: appendBias(matrix), names: [...names, 'bias'] } : { matrix, names };
}

/** Scaling of the singular-vector movie features. */
export type SingularVectorScale = 'unit' | 'sqrt-n' | 'singular-value' | number;

/** Options of `buildMovieFeatures`. */
export interface MovieFeatureOptions {
  /** Number of top right singular vectors of the training rating matrix. Default 20. */
  singularVectors?: number;
  /**
   * Scale of the singular-vector columns: 'unit' keeps the unit-norm vectors, 'sqrt-n'
   * multiplies them by sqrt(nMovies) so entries are of order 1, 'singular-value' multiplies
   * each by its singular value, and a number multiplies all of them by that number.
   * Default 'unit'.
   */
  scale?: SingularVectorScale;
  /** Seed of the randomized SVD. Default 0. */
  seed?: number;
  /** Subspace iterations of the randomized SVD. Default 30. */
  iterations?: number;
  /**
   * Extra columns the randomized SVD carries beyond `singularVectors`. Default 20, which
   * makes the top 20 singular values of an ml-100k training matrix agree with a dense SVD
   * to about 1e-10 relative error (10 leaves about 1e-6 on the 20th).
   */
  oversampling?: number;
  /** Appends a constant-1 column named "bias". Default false. */
  bias?: boolean;
  /**
   * What the training rating matrix contains where a user did not rate a movie: 'zero', or
   * 'movie-mean', the movie's mean training rating shrunk towards the global mean,
   * (Σ ratings + β·global mean)/(count + β) with β = `meanShrinkage`. A movie that no
   * training user rated gets the global mean. Default 'zero'.
   */
  missingEntries?: MissingEntries;
  /** Shrinkage β of the 'movie-mean' fill, a non-negative number. Default 0 (the plain mean). */
  meanShrinkage?: number;
}

/** Values of the unobserved entries of the rating matrix that the movie features decompose. */
export type MissingEntries = 'zero' | 'movie-mean';

/** Movie features, with the singular values of the training rating matrix they came from. */
export interface MovieFeatureMatrix extends FeatureMatrix {
  /** The top singular values of the training rating matrix, largest first. */
  singularValues: Float64Array;
}

function scaleFactors(scale: SingularVectorScale, values: Float64Array, nMovies: number): Float64Array {
  if (typeof scale === 'number') {
    if (!Number.isFinite(scale)) throw new RangeError(`invalid scale: expected a finite number, received ${scale}`);
    return new Float64Array(values.length).fill(scale);
  }
  switch (scale) {
    case 'unit':
      return new Float64Array(values.length).fill(1);
    case 'sqrt-n':
      return new Float64Array(values.length).fill(Math.sqrt(nMovies));
    case 'singular-value':
      return Float64Array.from(values);
    default:
      throw new RangeError(`invalid scale "${String(scale)}": expected 'unit', 'sqrt-n', 'singular-value' or a number`);
  }
}

function countTrainingRows(trainRatings: RatingTriples | SelectedRatings): number {
  if ('userIndex' in trainRatings) return trainRatings.userIndex.length;
  let maxUser = -1;
  for (let t = 0; t < trainRatings.users.length; t++) maxUser = Math.max(maxUser, trainRatings.users[t] as number);
  return maxUser + 1;
}

/**
 * Builds the movie features, one row per movie: the genre flags, then the top
 * `singularVectors` right singular vectors of the training rating matrix. That matrix has
 * one row per training user and one column per movie, the raw rating at each rated
 * position and, elsewhere, zero or the movie's mean rating (`missingEntries`). It is never
 * formed: a randomized SVD works on the ratings in coordinate form, with the filled values
 * as a rank-one term. With zeros, a movie that no training user rated gets zeros in every
 * singular-vector column (its column of the rating matrix is zero).
 *
 * `trainRatings` is usually the output of `selectRatingsByUsers`, whose `userIndex` gives
 * the number of training users. Plain triples use (largest user index + 1) rows. Empty
 * rows change neither the singular values nor the right singular vectors.
 */
export function buildMovieFeatures(
  data: MovieLensData,
  trainRatings: RatingTriples | SelectedRatings,
  options: MovieFeatureOptions = {},
): MovieFeatureMatrix {
  const r = options.singularVectors ?? 20;
  const nMovies = data.movies.length;
  const nGenres = data.genreNames.length;
  if (!Number.isInteger(r) || r < 0) {
    throw new RangeError(`invalid singularVectors: expected a non-negative integer, received ${r}`);
  }
  const nUsers = countTrainingRows(trainRatings);
  if (r > Math.min(nUsers, nMovies)) {
    throw new RangeError(
      `invalid singularVectors: expected at most min(training users, movies) = ${Math.min(nUsers, nMovies)}, received ${r}`,
    );
  }
  const scale = options.scale ?? 'unit';
  scaleFactors(scale, new Float64Array(0), nMovies); // rejects an invalid scale before the SVD runs
  const missing = options.missingEntries ?? 'zero';
  if (missing !== 'zero' && missing !== 'movie-mean') {
    throw new RangeError(`invalid missingEntries "${String(missing)}": expected 'zero' or 'movie-mean'`);
  }
  const shrinkage = options.meanShrinkage ?? 0;
  if (!(Number.isFinite(shrinkage) && shrinkage >= 0)) {
    throw new RangeError(`invalid meanShrinkage: expected a non-negative number, received ${shrinkage}`);
  }
  const d = nGenres + r;
  const matrix = createMatrix(nMovies, d);

  data.movies.forEach((movie, j) => {
    if (movie.genres.length !== nGenres) {
      throw new RangeError(`invalid movie ${movie.id}: expected ${nGenres} genre flags, received ${movie.genres.length}`);
    }
    for (let g = 0; g < nGenres; g++) matrix.data[j * d + g] = movie.genres[g] as number;
  });

  let singularValues: Float64Array = new Float64Array(0);
  if (r > 0) {
    // With a fill f, the matrix is (ratings − f_movie at the rated positions) + 1·fᵀ.
    const fill = missing === 'movie-mean' ? itemMeanRatings(nMovies, trainRatings, shrinkage) : undefined;
    const values =
      fill === undefined
        ? trainRatings.values
        : Float64Array.from(trainRatings.values, (value, t) => value - (fill[trainRatings.movies[t] as number] as number));
    const observations = createObservations(nUsers, nMovies, trainRatings.users, trainRatings.movies, values);
    const svd = topRightSingularVectors(observations, r, {
      seed: options.seed ?? 0,
      iterations: options.iterations ?? 30,
      oversampling: options.oversampling ?? 20,
      rankOne: fill === undefined ? undefined : { left: new Float64Array(nUsers).fill(1), right: fill },
    });
    singularValues = svd.values;
    const factors = scaleFactors(scale, svd.values, nMovies);

    // With zeros, unrated movies get exact zeros, whatever rounding error the iteration
    // leaves in their rows. With a fill, every movie keeps its computed row.
    const rated = new Uint8Array(nMovies).fill(fill === undefined ? 0 : 1);
    for (let t = 0; t < trainRatings.movies.length; t++) rated[trainRatings.movies[t] as number] = 1;
    for (let j = 0; j < nMovies; j++) {
      if (rated[j] === 0) continue;
      for (let c = 0; c < r; c++) {
        matrix.data[j * d + nGenres + c] = (svd.vectors.data[j * r + c] as number) * (factors[c] as number);
      }
    }
  }

  const names = [
    ...data.genreNames.map((name) => `genre:${name}`),
    ...Array.from({ length: r }, (_, c) => `singular-vector:${c + 1}`),
  ];
  return options.bias === true
    ? { matrix: appendBias(matrix), names: [...names, 'bias'], singularValues }
    : { matrix, names, singularValues };
}
