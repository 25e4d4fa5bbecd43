import { createMatrix, type DenseMatrix } from '@nimc/linalg';
import type { RatingTriples } from '@nimc/datasets';

/**
 * Builds two features per movie from training ratings: the movie's mean rating shrunk
 * towards the global mean, (Σ ratings + β·global mean)/(count + β), minus the global mean;
 * and its popularity log(1 + count)/log(1 + max count), in [0, 1]. A movie without
 * training ratings gets 0 and 0.
 */
export function buildMovieRatingFeatures(nMovies: number, ratings: RatingTriples, shrinkage: number): DenseMatrix {
  const sums = new Float64Array(nMovies);
  const counts = new Float64Array(nMovies);
  let total = 0;
  for (let t = 0; t < ratings.values.length; t++) {
    const movie = ratings.movies[t] as number;
    sums[movie]! += ratings.values[t] as number;
    counts[movie]! += 1;
    total += ratings.values[t] as number;
  }
  const globalMean = ratings.values.length === 0 ? 0 : total / ratings.values.length;
  const maxCount = counts.reduce((max, count) => Math.max(max, count), 0);

  const out = createMatrix(nMovies, 2);
  for (let j = 0; j < nMovies; j++) {
    const count = counts[j] as number;
    const shrunkMean = ((sums[j] as number) + shrinkage * globalMean) / (count + shrinkage);
    out.data[2 * j] = count === 0 ? 0 : shrunkMean - globalMean;
    out.data[2 * j + 1] = maxCount === 0 ? 0 : Math.log1p(count) / Math.log1p(maxCount);
  }
  return out;
}
