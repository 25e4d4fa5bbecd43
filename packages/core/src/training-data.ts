import {
  DatasetError,
  encodeFeatures,
  fitFeatureEncoder,
  splitUsers,
  type FeatureEncoder,
  type FeatureTable,
  type RatingTable,
  type UnseenCategory,
} from '@nimc/datasets';
import { createObservations, selectRows, type DenseMatrix } from '@nimc/linalg';
import type { NimcProblem } from '@nimc/objective';
import { resolveRows } from './inputs.js';
import type { TrainingSettings } from './model.js';

/** The problems training works on, with the encoders fitted on the training rows. */
export interface TrainingData {
  /** The fit users' ratings. */
  fit: NimcProblem;
  /** The held-out users' ratings, or undefined when none are held out. */
  validation: NimcProblem | undefined;
  userEncoder: FeatureEncoder;
  itemEncoder: FeatureEncoder;
  /** Users with at least one rating. */
  users: number;
  /** Items with at least one rating. */
  ratedItems: number;
  /** Items in the item feature file. */
  items: number;
  /** Categories of unrated catalogue items that no rated item has; they are encoded as zeros. */
  unseenItemCategories: readonly UnseenCategory[];
}

// Returns the distinct values of `rows` in increasing order, and the position of each
// original entry in that order.
function sortedDistinct(rows: Int32Array): { order: Int32Array; positionOf: Int32Array } {
  const order = Int32Array.from(rows).sort();
  const positionOf = new Int32Array(rows.length);
  const position = new Map<number, number>();
  order.forEach((row, p) => position.set(row, p));
  rows.forEach((row, i) => {
    positionOf[i] = position.get(row) as number;
  });
  return { order, positionOf };
}

// Builds the problem of the users whose training position is in `members` (increasing),
// keeping the ratings in file order.
function problemOf(
  ratings: RatingTable,
  userPosition: Int32Array,
  itemRows: Int32Array,
  X: DenseMatrix,
  Y: DenseMatrix,
  members: Int32Array,
): NimcProblem {
  const local = new Int32Array(X.rows).fill(-1);
  members.forEach((position, r) => {
    local[position] = r;
  });
  let count = 0;
  for (let t = 0; t < ratings.users.length; t++) {
    if ((local[userPosition[ratings.users[t] as number] as number] as number) >= 0) count++;
  }
  const rows = new Int32Array(count);
  const columns = new Int32Array(count);
  const values = new Float64Array(count);
  let s = 0;
  for (let t = 0; t < ratings.users.length; t++) {
    const row = local[userPosition[ratings.users[t] as number] as number] as number;
    if (row < 0) continue;
    rows[s] = row;
    columns[s] = itemRows[ratings.items[t] as number] as number;
    values[s] = ratings.values[t] as number;
    s++;
  }
  const observations = createObservations(members.length, Y.rows, rows, columns, values);
  return { X: selectRows(X, members), Y, observations };
}

/**
 * Largest accepted |rating|. NOTE: a chosen bound, not a limit of the arithmetic: the
 * squared residuals of such ratings stay far inside the float64 range for any number of
 * ratings, and rating scales in practice are many orders of magnitude smaller.
 */
export const maxRatingMagnitude = 1e12;

// Rejects a rating that is not finite or whose magnitude exceeds maxRatingMagnitude, naming
// the user and item of the largest one.
function checkRatingMagnitudes(ratings: RatingTable): void {
  let worst = -1;
  let worstMagnitude = 0;
  ratings.values.forEach((value, t) => {
    const magnitude = Number.isFinite(value) ? Math.abs(value) : Number.POSITIVE_INFINITY;
    if (worst < 0 || magnitude > worstMagnitude || Number.isNaN(value)) {
      worst = t;
      worstMagnitude = Number.isNaN(value) ? Number.POSITIVE_INFINITY : magnitude;
    }
  });
  if (worstMagnitude <= maxRatingMagnitude) return;
  const user = ratings.userIds[ratings.users[worst] as number] as string;
  const item = ratings.itemIds[ratings.items[worst] as number] as string;
  throw new RangeError(
    `invalid rating in ${ratings.file}: user ${JSON.stringify(user)} rated item ${JSON.stringify(item)} ${ratings.values[worst]}; ` +
      `ratings must be finite numbers with |rating| ≤ ${maxRatingMagnitude.toExponential()}, so rescale them`,
  );
}

/**
 * Turns ratings and feature tables into training problems. The training users are the
 * users with ratings, in the order of the user feature file. The item matrix Y contains
 * every row of the item feature file. Encoders are fitted on the rated users and rated items
 * only. A seeded fraction of the training users (seed label `<seed>:validation`, as in the
 * MovieLens experiment) is held out for early stopping.
 *
 * Throws EMPTY_DATA for a ratings file without ratings, UNKNOWN_ID for an id without a
 * feature row, and a RangeError when the hold-out leaves no user to fit on.
 */
export function assembleTrainingData(
  ratings: RatingTable,
  users: FeatureTable,
  items: FeatureTable,
  settings: TrainingSettings,
): TrainingData {
  if (ratings.values.length === 0) {
    throw new DatasetError('EMPTY_DATA', `${ratings.file} has no ratings: the training set is empty`, { file: ratings.file });
  }
  checkRatingMagnitudes(ratings);
  const userRows = resolveRows(users, ratings.userIds, ratings.userLines, ratings.file, 'user');
  const itemRows = resolveRows(items, ratings.itemIds, ratings.itemLines, ratings.file, 'item');

  // Training users in feature-file order; userPosition maps a rating's user to its place.
  const trainingUsers = sortedDistinct(userRows);
  const ratedItems = sortedDistinct(itemRows).order;
  const encoderOptions = { standardize: settings.standardize, bias: settings.bias };
  const userEncoder = fitFeatureEncoder(users, trainingUsers.order, encoderOptions);
  const itemEncoder = fitFeatureEncoder(items, ratedItems, encoderOptions);
  const X = encodeFeatures(users, userEncoder, trainingUsers.order).matrix;
  const encodedItems = encodeFeatures(items, itemEncoder);

  const n = trainingUsers.order.length;
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const split =
    settings.validationFraction > 0
      ? splitUsers(n, { seed: `${settings.seed}:validation`, testFraction: settings.validationFraction })
      : { trainUsers: all, testUsers: new Int32Array(0) };
  if (split.trainUsers.length === 0) {
    throw new RangeError(
      `invalid validationFraction: holding out ${settings.validationFraction} of ${n} training users leaves none to fit on; lower it or add users`,
    );
  }

  const problem = (members: Int32Array) => problemOf(ratings, trainingUsers.positionOf, itemRows, X, encodedItems.matrix, members);
  return {
    fit: problem(split.trainUsers),
    validation: split.testUsers.length > 0 ? problem(split.testUsers) : undefined,
    userEncoder,
    itemEncoder,
    users: n,
    ratedItems: ratedItems.length,
    items: items.ids.length,
    unseenItemCategories: encodedItems.unseen,
  };
}
