import {
  appendBias,
  buildMovieFeatures,
  selectRatingsByUsers,
  splitUsers,
  type MissingEntries,
  type MovieLensData,
  type RatingTriples,
} from '@nimc/datasets';
import { concatColumns, createObservations, selectRows, type DenseMatrix } from '@nimc/linalg';
import type { NimcProblem } from '@nimc/objective';
import { buildMovieRatingFeatures } from './movie-rating-features.js';

/** Settings for the features and the held-out training users of one split. */
export interface SplitSettings {
  /** Fraction of all users that become test (new) users. */
  testFraction: number;
  /** Fraction of the training users held out for early stopping. */
  validationFraction: number;
  /** Number of singular-vector movie features. */
  singularVectors: number;
  /** Scaling of the singular-vector features, as `buildMovieFeatures` accepts it. */
  singularVectorScale: 'unit' | 'sqrt-n' | 'singular-value' | number;
  /** Value of the rating matrix at unrated positions before its SVD, as `buildMovieFeatures` accepts it. */
  missingEntries: MissingEntries;
  /** Shrinkage β of the 'movie-mean' fill towards the global mean. */
  meanShrinkage: number;
  /** Appends a constant-1 user feature. */
  userBias: boolean;
  /** Appends a constant-1 movie feature. */
  movieBias: boolean;
  /**
   * Shrinkage β of the movie mean-rating and popularity features (see
   * `buildMovieRatingFeatures`); undefined leaves both features out.
   */
  movieRatingShrinkage: number | undefined;
  /**
   * Whose ratings build the movie features: all training users, or only the users the
   * models are fitted on, which keeps the held-out users' ratings out of every input.
   */
  movieFeatureSource: 'training' | 'fit';
}

/** Ratings of one group of users, ready for scoring. */
export interface ScoredRatings {
  problem: NimcProblem;
  /** The ratings, in the order of `problem.observations`. */
  ratings: RatingTriples;
}

/** Everything one split needs: fitting, validation and test data. */
export interface PreparedSplit {
  seed: number;
  trainUsers: Int32Array;
  testUsers: Int32Array;
  /** Ratings of all training users, for the baselines and the movie features. */
  trainRatings: RatingTriples;
  movieFeatures: DenseMatrix;
  /** Training users minus the held-out ones: the data the models are fitted on. */
  fit: ScoredRatings;
  /** Held-out training users, for early stopping. */
  validation: ScoredRatings;
  test: ScoredRatings;
}

// Returns the ratings of `users`, with global user indices.
function globalRatings(ratings: RatingTriples, users: Int32Array): RatingTriples {
  const selected = selectRatingsByUsers(ratings, users);
  return {
    users: Int32Array.from(selected.users, (local) => users[local] as number),
    movies: selected.movies,
    values: selected.values,
  };
}

// Restricts the ratings to `users`, with rows re-indexed into the order of `users`.
function problemForUsers(
  ratings: RatingTriples,
  users: Int32Array,
  userFeatures: DenseMatrix,
  movieFeatures: DenseMatrix,
): ScoredRatings {
  const selected = selectRatingsByUsers(ratings, users);
  const observations = createObservations(
    users.length,
    movieFeatures.rows,
    selected.users,
    selected.movies,
    selected.values,
  );
  const globalRatings: RatingTriples = {
    users: Int32Array.from(selected.users, (local) => users[local] as number),
    movies: selected.movies,
    values: selected.values,
  };
  return {
    problem: { X: selectRows(userFeatures, users), Y: movieFeatures, observations },
    ratings: globalRatings,
  };
}

/**
 * Splits the users of `data` with `seed`, builds the movie features from the training
 * users' ratings only, and holds out part of the training users for early stopping.
 */
export function prepareSplit(
  data: MovieLensData,
  userFeatures: DenseMatrix,
  seed: number,
  settings: SplitSettings,
): PreparedSplit {
  const { trainUsers, testUsers } = splitUsers(data.users.length, { seed, testFraction: settings.testFraction });
  const trainRatings = globalRatings(data.ratings, trainUsers);

  // The held-out users are a seeded subset of the training users, disjoint from the fit users.
  const inner = splitUsers(trainUsers.length, {
    seed: `${seed}:validation`,
    testFraction: settings.validationFraction,
  });
  const fitUsers = Int32Array.from(inner.trainUsers, (local) => trainUsers[local] as number);
  const validationUsers = Int32Array.from(inner.testUsers, (local) => trainUsers[local] as number);

  const featureRatings = settings.movieFeatureSource === 'fit' ? globalRatings(data.ratings, fitUsers) : trainRatings;
  let movieFeatures = buildMovieFeatures(data, featureRatings, {
    singularVectors: settings.singularVectors,
    scale: settings.singularVectorScale,
    missingEntries: settings.missingEntries,
    meanShrinkage: settings.meanShrinkage,
    seed,
  }).matrix;
  if (settings.movieRatingShrinkage !== undefined) {
    const ratingFeatures = buildMovieRatingFeatures(data.movies.length, featureRatings, settings.movieRatingShrinkage);
    movieFeatures = concatColumns(movieFeatures, ratingFeatures);
  }
  if (settings.movieBias) movieFeatures = appendBias(movieFeatures);
  const users = settings.userBias ? appendBias(userFeatures) : userFeatures;

  return {
    seed,
    trainUsers,
    testUsers,
    trainRatings,
    movieFeatures,
    fit: problemForUsers(data.ratings, fitUsers, users, movieFeatures),
    validation: problemForUsers(data.ratings, validationUsers, users, movieFeatures),
    test: problemForUsers(data.ratings, testUsers, users, movieFeatures),
  };
}
