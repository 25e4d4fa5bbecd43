import {
  buildMovieFeatures,
  selectRatingsByUsers,
  splitUsers,
  type MovieLensData,
  type RatingTriples,
} from '@nimc/datasets';
import { createObservations, selectRows, type DenseMatrix } from '@nimc/linalg';
import type { NimcProblem } from '@nimc/objective';

/** How the features and the held-out training users of one split are built. */
export interface SplitSettings {
  /** Fraction of all users that become test (new) users. */
  testFraction: number;
  /** Fraction of the training users held out for early stopping. */
  validationFraction: number;
  /** Number of singular-vector movie features. */
  singularVectors: number;
  /** Scaling of the singular-vector features, as `buildMovieFeatures` accepts it. */
  singularVectorScale: 'unit' | 'sqrt-n' | 'singular-value' | number;
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
  const trainRatings = selectRatingsByUsers(data.ratings, trainUsers);
  const trainTriples: RatingTriples = {
    users: Int32Array.from(trainRatings.users, (local) => trainUsers[local] as number),
    movies: trainRatings.movies,
    values: trainRatings.values,
  };
  const movieFeatures = buildMovieFeatures(data, trainTriples, {
    singularVectors: settings.singularVectors,
    scale: settings.singularVectorScale,
    seed,
  }).matrix;

  // The held-out users are a seeded subset of the training users, disjoint from the fit users.
  const inner = splitUsers(trainUsers.length, {
    seed: `${seed}:validation`,
    testFraction: settings.validationFraction,
  });
  const fitUsers = Int32Array.from(inner.trainUsers, (local) => trainUsers[local] as number);
  const validationUsers = Int32Array.from(inner.testUsers, (local) => trainUsers[local] as number);

  return {
    seed,
    trainUsers,
    testUsers,
    trainRatings: trainTriples,
    movieFeatures,
    fit: problemForUsers(data.ratings, fitUsers, userFeatures, movieFeatures),
    validation: problemForUsers(data.ratings, validationUsers, userFeatures, movieFeatures),
    test: problemForUsers(data.ratings, testUsers, userFeatures, movieFeatures),
  };
}
