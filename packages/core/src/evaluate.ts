import { DatasetError, type FeatureTable, type PairTable, type RatingTable } from '@nimc/datasets';
import { embed, predictPairs } from '@nimc/objective';
import { encodeForModel, type UnseenReport } from './features.js';
import { checkIgnoredColumns, loadModelFeatures, loadPairs, loadRatings, resolveRows, type ReadOptions } from './inputs.js';
import { MetricsAccumulator, type EvaluationMetrics } from './metrics.js';
import { toNimcModel, type RecommenderModel } from './model.js';
import { buildExcludedItems, topKBlocks, type ExcludedItems } from './scoring.js';

/** The test ratings and feature files (or tables already read) that `evaluate` scores. */
export interface EvaluateInput {
  ratings: string | RatingTable;
  userFeatures: string | FeatureTable;
  /** The catalogue that top-k lists are drawn from. */
  itemFeatures: string | FeatureTable;
}

/** A progress event of `evaluate`. */
export type EvaluateProgress =
  | { readonly phase: 'reading'; readonly file: string }
  | { readonly phase: 'ranking'; readonly done: number; readonly total: number };

/** Options of `evaluate`. */
export interface EvaluateOptions extends ReadOptions {
  /** Length k of the ranked lists. Default 10; must not exceed the number of items. */
  k?: number;
  /** A test rating of at least this value marks a relevant item. Default 4. */
  threshold?: number;
  /** Column of the user feature file whose values split the users into groups. */
  groupBy?: string;
  /** Pairs left out of the ranked lists, such as the training ratings of the test users. */
  exclude?: string | PairTable;
  /** Users ranked at a time; see `recommend`. */
  blockRows?: number;
  onProgress?: (event: EvaluateProgress) => void;
}

/** Metrics over all test users and, with `groupBy`, per group. */
export interface EvaluationReport {
  readonly k: number;
  readonly threshold: number;
  /** Items in the catalogue. */
  readonly catalogue: number;
  readonly overall: EvaluationMetrics;
  readonly groupBy: string | null;
  /** Groups in increasing order of their value (UTF-16 code units). */
  readonly groups: readonly { readonly group: string; readonly metrics: EvaluationMetrics }[];
  readonly unseen: UnseenReport;
}

function fileOf(source: string | { file: string }): string {
  return typeof source === 'string' ? source : source.file;
}

// Groups the ratings by user: user u's ratings are order[start[u]..start[u+1]).
function ratingsByUser(ratings: RatingTable): { start: Int32Array; order: Int32Array } {
  const n = ratings.userIds.length;
  const start = new Int32Array(n + 1);
  for (let t = 0; t < ratings.users.length; t++) start[(ratings.users[t] as number) + 1]! += 1;
  for (let u = 0; u < n; u++) start[u + 1]! += start[u] as number;
  const order = new Int32Array(ratings.users.length);
  const cursor = start.slice(0, n);
  for (let t = 0; t < ratings.users.length; t++) order[cursor[ratings.users[t] as number]!++] = t;
  return { start, order };
}

function compareCodeUnits(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

function checkSettings(k: number, threshold: number): void {
  if (!Number.isSafeInteger(k) || k < 1) throw new RangeError(`invalid k: expected a positive integer, received ${k}`);
  if (!Number.isFinite(threshold)) throw new RangeError(`invalid threshold: expected a finite number, received ${threshold}`);
}

/**
 * Scores test ratings with a trained model. It reports the RMSE and MAE of the predicted
 * ratings, and precision, recall and NDCG at k of each test user's top-k list over the whole
 * catalogue, where an item is relevant when its test rating is at least `threshold`. It also
 * reports the catalogue coverage of those lists. With `groupBy`, the same metrics follow
 * per value of that user feature column.
 *
 * Throws a DatasetError for unreadable files, EMPTY_DATA for a ratings file without
 * ratings, UNKNOWN_ID for a rated user or item without a feature row, FEATURE_MISMATCH for
 * other feature columns, MISSING_COLUMN for an unknown `groupBy` column, and a RangeError for
 * an invalid option, k larger than the catalogue or a non-finite score.
 */
export async function evaluate(model: RecommenderModel, input: EvaluateInput, options: EvaluateOptions = {}): Promise<EvaluationReport> {
  const k = options.k ?? 10;
  const threshold = options.threshold ?? 4;
  checkSettings(k, threshold);
  const report = options.onProgress ?? (() => {});

  report({ phase: 'reading', file: fileOf(input.ratings) });
  const ratings = await loadRatings(input.ratings, options);
  if (ratings.values.length === 0) {
    throw new DatasetError('EMPTY_DATA', `${ratings.file} has no ratings to evaluate`, { file: ratings.file });
  }
  report({ phase: 'reading', file: fileOf(input.userFeatures) });
  const groupColumns = options.groupBy === undefined ? [] : [options.groupBy];
  const users = await loadModelFeatures(input.userFeatures, model.userEncoder, 'user', options, groupColumns);
  report({ phase: 'reading', file: fileOf(input.itemFeatures) });
  const items = await loadModelFeatures(input.itemFeatures, model.itemEncoder, 'item', options);
  checkIgnoredColumns(options, input, users, items);
  if (k > items.ids.length) throw new RangeError(`invalid k: expected at most the ${items.ids.length} items of ${items.file}, received ${k}`);

  const userRows = resolveRows(users, ratings.userIds, ratings.userLines, ratings.file, 'user');
  const itemRows = resolveRows(items, ratings.itemIds, ratings.itemLines, ratings.file, 'item');
  let excluded: ExcludedItems | undefined;
  if (options.exclude !== undefined) {
    report({ phase: 'reading', file: fileOf(options.exclude) });
    const pairs = await loadPairs(options.exclude, options);
    const testUser = new Map(ratings.userIds.map((id, u) => [id, u]));
    const rows = Int32Array.from(pairs.users, (u) => testUser.get(pairs.userIds[u] as string) ?? -1);
    const columns = Int32Array.from(pairs.items, (i) => items.rows.get(pairs.itemIds[i] as string) ?? -1);
    excluded = buildExcludedItems(ratings.userIds.length, rows, columns);
  }

  const nimc = toNimcModel(model);
  const X = encodeForModel(users, model.userEncoder, model.U.rows, userRows);
  const Y = encodeForModel(items, model.itemEncoder, model.V.rows);
  const catalogueColumns = Int32Array.from(ratings.items, (i) => itemRows[i] as number);
  const predictions = predictPairs(nimc, X.matrix, Y.matrix, ratings.users, catalogueColumns);
  predictions.forEach((score, t) => {
    if (!Number.isFinite(score)) {
      throw new RangeError(
        `the score of user ${JSON.stringify(ratings.userIds[ratings.users[t] as number])} and item ${JSON.stringify(ratings.itemIds[ratings.items[t] as number])} is ${score}, not a finite number: ` +
          'the model overflows on these features (check whether its training diverged)',
      );
    }
  });

  // Group of each test user: the text of the groupBy column in its feature row.
  const groupText = options.groupBy === undefined ? undefined : users.text.get(options.groupBy);
  const groupOf = (u: number): string => {
    const column = groupText as NonNullable<typeof groupText>;
    return column.levels[column.codes[userRows[u] as number] as number] as string;
  };
  const overall = new MetricsAccumulator(k, items.ids.length);
  const groups = new Map<string, MetricsAccumulator>();
  const accumulatorsOf = (u: number): MetricsAccumulator[] => {
    if (groupText === undefined) return [overall];
    const name = groupOf(u);
    let group = groups.get(name);
    if (group === undefined) {
      group = new MetricsAccumulator(k, items.ids.length);
      groups.set(name, group);
    }
    return [overall, group];
  };

  const byUser = ratingsByUser(ratings);
  // relevant[j] === u + 1 marks catalogue item j as relevant to test user u.
  const relevant = new Int32Array(items.ids.length);
  const Q = embed(Y.matrix, nimc.V, nimc.activation);
  const blocks = topKBlocks(nimc, X.matrix, Q, k, {
    excluded,
    blockRows: options.blockRows,
    nonFinite: (row, item, score) =>
      new RangeError(`the score of user ${JSON.stringify(ratings.userIds[row])} and item ${JSON.stringify(items.ids[item])} is ${score}, not a finite number`),
  });
  for (const block of blocks) {
    for (let r = 0; r < block.rows; r++) {
      const u = block.first + r;
      const start = byUser.start[u] as number;
      const end = byUser.start[u + 1] as number;
      const mine = byUser.order.subarray(start, end);
      const targets = Float64Array.from(mine, (t) => ratings.values[t] as number);
      const predicted = Float64Array.from(mine, (t) => predictions[t] as number);
      let relevantCount = 0;
      for (const t of mine) {
        if ((ratings.values[t] as number) >= threshold) {
          relevant[catalogueColumns[t] as number] = u + 1;
          relevantCount++;
        }
      }
      for (const accumulator of accumulatorsOf(u)) {
        accumulator.addErrors(predicted, targets);
        accumulator.addRanking(block.items, r * k, block.lengths[r] as number, (item) => relevant[item] === u + 1, relevantCount);
      }
    }
    report({ phase: 'ranking', done: block.first + block.rows, total: ratings.userIds.length });
  }

  const names = [...groups.keys()].sort(compareCodeUnits);
  return {
    k,
    threshold,
    catalogue: items.ids.length,
    overall: overall.result(),
    groupBy: options.groupBy ?? null,
    groups: names.map((group) => ({ group, metrics: (groups.get(group) as MetricsAccumulator).result() })),
    unseen: { users: X.unseen, items: Y.unseen },
  };
}
