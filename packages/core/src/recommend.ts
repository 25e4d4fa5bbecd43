import { DatasetError, type FeatureTable, type PairTable } from '@nimc/datasets';
import { embed } from '@nimc/objective';
import { encodeForModel, type UnseenReport } from './features.js';
import { checkIgnoredColumns, loadModelFeatures, loadPairs, type ReadOptions } from './inputs.js';
import { toNimcModel, type RecommenderModel } from './model.js';
import { buildExcludedItems, topKBlocks, type ExcludedItems } from './scoring.js';

/** The feature files (or tables already read) that `recommend` ranks. */
export interface RecommendInput {
  userFeatures: string | FeatureTable;
  /** The catalogue: every row is a candidate item. */
  itemFeatures: string | FeatureTable;
}

/** A progress event of `recommend`. */
export type RecommendProgress =
  | { readonly phase: 'reading'; readonly file: string }
  | { readonly phase: 'scoring'; readonly done: number; readonly total: number };

/** Options of `recommend`. */
export interface RecommendOptions extends ReadOptions {
  /** Users to rank for: 'all' rows of the user feature file (default) or a list of ids. */
  users?: 'all' | readonly string[];
  /** Length of each list. Default 10; must not exceed the number of items. */
  top?: number;
  /** File (or table) of (user, item) pairs to leave out, such as the training ratings. */
  exclude?: string | PairTable;
  /** Users scored at a time. Default: as many as keep one block of scores within 16 MiB. */
  blockRows?: number;
  onProgress?: (event: RecommendProgress) => void;
}

/** One user's list, best first. */
export interface UserRecommendations {
  readonly user: string;
  readonly items: readonly string[];
  readonly scores: Float64Array;
}

/** A prepared ranking: sizes known, lists computed block by block as they are read. */
export interface RecommendationRun {
  /** Users ranked. */
  readonly users: number;
  /** Items in the catalogue. */
  readonly items: number;
  readonly top: number;
  /** Excluded pairs whose user and item are both ranked. */
  readonly excludedPairs: number;
  readonly unseen: UnseenReport;
  /** Computes the lists block by block; each block's lists can be written before the next is computed. */
  blocks(): Generator<UserRecommendations[]>;
}

function selectUsers(table: FeatureTable, users: 'all' | readonly string[]): Int32Array {
  if (users === 'all') return Int32Array.from({ length: table.ids.length }, (_, i) => i);
  if (users.length === 0) throw new RangeError('invalid users: expected "all" or at least one user id, received an empty list');
  return Int32Array.from(users, (id) => {
    const row = table.rows.get(id);
    if (row === undefined) {
      throw new DatasetError('UNKNOWN_ID', `user id ${JSON.stringify(id)} has no row in ${table.file}; add a row for it or leave it out of the users to rank`, {
        file: table.file,
      });
    }
    return row;
  });
}

/** Maps the exclusion pairs to (position among the ranked users, catalogue row); unknown ids become −1. */
function excludedItems(pairs: PairTable, users: FeatureTable, items: FeatureTable, userRows: Int32Array): { excluded: ExcludedItems; count: number } {
  const positionOfRow = new Int32Array(users.ids.length).fill(-1);
  userRows.forEach((row, position) => {
    positionOfRow[row] = position;
  });
  const userPosition = Int32Array.from(pairs.userIds, (id) => {
    const row = users.rows.get(id);
    return row === undefined ? -1 : (positionOfRow[row] as number);
  });
  const itemRow = Int32Array.from(pairs.itemIds, (id) => items.rows.get(id) ?? -1);
  const rows = Int32Array.from(pairs.users, (u) => userPosition[u] as number);
  const columns = Int32Array.from(pairs.items, (i) => itemRow[i] as number);
  const excluded = buildExcludedItems(userRows.length, rows, columns);
  return { excluded, count: excluded.items.length };
}

/**
 * Ranks the catalogue for each user and keeps the `top` best-scored items. Scores are
 * computed for blocks of users against all items, keeping a bounded heap per user, so
 * memory grows with the catalogue and the block, not with users × items.
 *
 * Throws a DatasetError for unreadable files, FEATURE_MISMATCH for other feature columns
 * and UNKNOWN_ID for a requested user without a feature row. Throws a RangeError for `top`
 * larger than the catalogue, which is never clamped. While blocks are read, a score that is
 * not finite raises a RangeError.
 */
export async function recommend(model: RecommenderModel, input: RecommendInput, options: RecommendOptions = {}): Promise<RecommendationRun> {
  const top = options.top ?? 10;
  if (!Number.isSafeInteger(top) || top < 1) throw new RangeError(`invalid top: expected a positive integer, received ${top}`);
  const report = options.onProgress ?? (() => {});

  const fileOf = (source: string | { file: string }): string => (typeof source === 'string' ? source : source.file);
  report({ phase: 'reading', file: fileOf(input.userFeatures) });
  const users = await loadModelFeatures(input.userFeatures, model.userEncoder, 'user', options);
  report({ phase: 'reading', file: fileOf(input.itemFeatures) });
  const items = await loadModelFeatures(input.itemFeatures, model.itemEncoder, 'item', options);
  checkIgnoredColumns(options, input, users, items);
  if (top > items.ids.length) {
    throw new RangeError(`invalid top: expected at most the ${items.ids.length} items of ${items.file}, received ${top}`);
  }
  const userRows = selectUsers(users, options.users ?? 'all');
  let exclusion: { excluded: ExcludedItems; count: number } | undefined;
  if (options.exclude !== undefined) {
    report({ phase: 'reading', file: fileOf(options.exclude) });
    exclusion = excludedItems(await loadPairs(options.exclude, options), users, items, userRows);
  }

  const nimc = toNimcModel(model);
  const X = encodeForModel(users, model.userEncoder, model.U.rows, userRows);
  const Y = encodeForModel(items, model.itemEncoder, model.V.rows);
  const Q = embed(Y.matrix, nimc.V, nimc.activation);

  function* blocks(): Generator<UserRecommendations[]> {
    const generator = topKBlocks(nimc, X.matrix, Q, top, {
      excluded: exclusion?.excluded,
      blockRows: options.blockRows,
      nonFinite: (row, item, score) =>
        new RangeError(
          `the score of user ${JSON.stringify(users.ids[userRows[row] as number])} and item ${JSON.stringify(items.ids[item])} is ${score}, not a finite number: ` +
            'the model overflows on these features (check whether its training diverged)',
        ),
    });
    for (const block of generator) {
      const lists: UserRecommendations[] = [];
      for (let r = 0; r < block.rows; r++) {
        const length = block.lengths[r] as number;
        const offset = r * top;
        lists.push({
          user: users.ids[userRows[block.first + r] as number] as string,
          items: Array.from(block.items.subarray(offset, offset + length), (item) => items.ids[item] as string),
          scores: block.scores.slice(offset, offset + length),
        });
      }
      report({ phase: 'scoring', done: block.first + block.rows, total: userRows.length });
      yield lists;
    }
  }

  return {
    users: userRows.length,
    items: items.ids.length,
    top,
    excludedPairs: exclusion?.count ?? 0,
    unseen: { users: X.unseen, items: Y.unseen },
    blocks,
  };
}
