export * from './types.js';
export { loadMovieLens, resolveMovieLensFolder } from './load.js';
export { loadMovieLens100k } from './ml100k.js';
export { loadMovieLens1m, movieLens1mAgeCodes, movieLens1mGenres, movieLens1mOccupations } from './ml1m.js';
