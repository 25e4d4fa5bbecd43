import type { RatingTriples } from './movielens/types.js';

/** Returns the mean of the rating values. Throws a RangeError when there are none. */
export function globalMean(trainRatings: Pick<RatingTriples, 'values'>): number {
  const values = trainRatings.values;
  if (values.length === 0) throw new RangeError('invalid trainRatings: cannot take the mean of 0 ratings');
  let sum = 0;
  for (let t = 0; t < values.length; t++) sum += values[t] as number;
  return sum / values.length;
}

/**
 * Returns the mean training rating of each movie 0, …, nMovies−1. A movie without
 * training ratings gets the global mean g of all training ratings. With `shrinkage` β > 0
 * each mean is shrunk towards g: (Σ ratings + β·g)/(count + β).
 */
export function itemMeanRatings(
  nMovies: number,
  trainRatings: Pick<RatingTriples, 'movies' | 'values'>,
  shrinkage = 0,
): Float64Array {
  if (!Number.isInteger(nMovies) || nMovies < 0) {
    throw new RangeError(`invalid nMovies: expected a non-negative integer, received ${nMovies}`);
  }
  if (!(Number.isFinite(shrinkage) && shrinkage >= 0)) {
    throw new RangeError(`invalid shrinkage: expected a non-negative number, received ${shrinkage}`);
  }
  const fallback = globalMean(trainRatings);
  const sums = new Float64Array(nMovies);
  const counts = new Float64Array(nMovies);
  for (let t = 0; t < trainRatings.movies.length; t++) {
    const j = trainRatings.movies[t] as number;
    if (!(j >= 0 && j < nMovies)) {
      throw new RangeError(`invalid movie index ${j} in rating ${t}: expected an index below nMovies = ${nMovies}`);
    }
    sums[j]! += trainRatings.values[t] as number;
    counts[j]! += 1;
  }
  for (let j = 0; j < nMovies; j++) {
    const count = counts[j] as number;
    sums[j] = count > 0 ? ((sums[j] as number) + shrinkage * fallback) / (count + shrinkage) : fallback;
  }
  return sums;
}
