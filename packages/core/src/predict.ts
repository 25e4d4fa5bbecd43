import type { FeatureTable, PairTable } from '@nimc/datasets';
import { predictPairs } from '@nimc/objective';
import { encodeForModel, type UnseenReport } from './features.js';
import { checkIgnoredColumns, loadModelFeatures, loadPairs, resolveRows, type ReadOptions } from './inputs.js';
import { toNimcModel, type RecommenderModel } from './model.js';

/** The files (or tables already read) that `predict` scores. */
export interface PredictInput {
  userFeatures: string | FeatureTable;
  itemFeatures: string | FeatureTable;
  /** File of (user, item) pairs with a header; other columns are ignored. */
  pairs: string | PairTable;
}

/** Scores of the listed pairs, in file order. */
export interface PredictResult {
  pairs: PairTable;
  /** scores[t] is the score of pair t: user pairs.userIds[pairs.users[t]], item pairs.itemIds[pairs.items[t]]. */
  scores: Float64Array;
  unseen: UnseenReport;
}

/**
 * Scores the (user, item) pairs of a file with a trained model, from the features of the
 * users and items alone. The feature files must have the columns the model was trained
 * with (in any order).
 *
 * Throws a DatasetError for unreadable files, FEATURE_MISMATCH for other feature columns,
 * UNKNOWN_ID for a pair whose user or item has no feature row (no fallback score is ever
 * used), and a RangeError for a score that is not finite.
 */
export async function predict(model: RecommenderModel, input: PredictInput, options: ReadOptions = {}): Promise<PredictResult> {
  const pairs = await loadPairs(input.pairs, options);
  const users = await loadModelFeatures(input.userFeatures, model.userEncoder, 'user', options);
  const items = await loadModelFeatures(input.itemFeatures, model.itemEncoder, 'item', options);
  checkIgnoredColumns(options, input, users, items);
  const userRows = resolveRows(users, pairs.userIds, pairs.userLines, pairs.file, 'user');
  const itemRows = resolveRows(items, pairs.itemIds, pairs.itemLines, pairs.file, 'item');

  // Only the rows the pairs use are encoded, in the order of the pair file's ids.
  const X = encodeForModel(users, model.userEncoder, model.U.rows, userRows);
  const Y = encodeForModel(items, model.itemEncoder, model.V.rows, itemRows);
  const scores = predictPairs(toNimcModel(model), X.matrix, Y.matrix, pairs.users, pairs.items);
  for (let t = 0; t < scores.length; t++) {
    const score = scores[t] as number;
    if (!Number.isFinite(score)) {
      throw new RangeError(
        `the score of user ${JSON.stringify(pairs.userIds[pairs.users[t] as number])} and item ${JSON.stringify(pairs.itemIds[pairs.items[t] as number])} is ${score}, not a finite number: ` +
          'the model overflows on these features (check whether its training diverged)',
      );
    }
  }
  return { pairs, scores, unseen: { users: X.unseen, items: Y.unseen } };
}
