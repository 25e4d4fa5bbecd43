import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The MovieLens folder, read in place at ../shared/data/movielens from the repository root. */
export const movieLensDir = fileURLToPath(new URL('../../../../shared/data/movielens', import.meta.url));

/** True when the MovieLens folder exists; tests that read real data skip otherwise. */
export const movieLensAvailable = existsSync(movieLensDir);

if (!movieLensAvailable) {
  console.warn(`MovieLens data not found at ${movieLensDir}: skipping the tests that read the real files.`);
}

/** Relative error |actual − expected| / |expected|. */
export function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}
