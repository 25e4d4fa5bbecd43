import {
  DatasetError,
  encoderKinds,
  readFeatureTable,
  readPairs,
  readRatings,
  type DuplicatePolicy,
  type FeatureEncoder,
  type FeatureTable,
  type PairTable,
  type RatingTable,
} from '@nimc/datasets';

/** Names of the reading options in messages, such as `--user-column` in a command-line program. */
export interface OptionNames {
  userColumn?: string;
  itemColumn?: string;
  ratingColumn?: string;
  userIdColumn?: string;
  itemIdColumn?: string;
  ignoreColumns?: string;
  categoricalColumns?: string;
  duplicates?: string;
}

/** Options shared by every function that reads rating, pair or feature files. */
export interface ReadOptions {
  /** Field delimiter of every file; by default inferred from each extension (.csv, .tsv, .tab). */
  delimiter?: string;
  /** Column of the user ids in rating and pair files. Default "user". */
  userColumn?: string;
  /** Column of the item ids in rating and pair files. Default "item". */
  itemColumn?: string;
  /** Column of the ratings. Default "rating". */
  ratingColumn?: string;
  /** Id column of the user feature file. Default "id". */
  userIdColumn?: string;
  /** Id column of the item feature file. Default "id". */
  itemIdColumn?: string;
  /** Columns of either feature file that are not features. */
  ignoreColumns?: readonly string[];
  /**
   * Feature columns read as categorical in training even when their values are numbers,
   * such as codes. Names that a feature file lacks are skipped.
   */
  categoricalColumns?: readonly string[];
  /** Repeated (user, item) ratings raise an error ('error', the default) or are averaged ('mean'). */
  duplicates?: DuplicatePolicy;
  /** Names of these options in error messages. */
  optionNames?: OptionNames;
}

/** The feature file a table comes from: the users' or the items'. */
export type EntityRole = 'user' | 'item';

function name(options: ReadOptions, key: keyof OptionNames): string {
  return options.optionNames?.[key] ?? `the ${key} option`;
}

function pairOptions(options: ReadOptions) {
  return {
    delimiter: options.delimiter,
    userColumn: options.userColumn,
    itemColumn: options.itemColumn,
    optionNames: {
      userColumn: name(options, 'userColumn'),
      itemColumn: name(options, 'itemColumn'),
      ratingColumn: name(options, 'ratingColumn'),
      duplicates: name(options, 'duplicates'),
    },
  };
}

/** Reads a ratings file, or returns a table that is already read. */
export async function loadRatings(source: string | RatingTable, options: ReadOptions): Promise<RatingTable> {
  if (typeof source !== 'string') return source;
  return readRatings(source, { ...pairOptions(options), ratingColumn: options.ratingColumn, duplicates: options.duplicates });
}

/** Reads a file of (user, item) pairs, or returns a table that is already read. */
export async function loadPairs(source: string | PairTable, options: ReadOptions): Promise<PairTable> {
  if (typeof source !== 'string') return source;
  return readPairs(source, pairOptions(options));
}

function featureOptions(role: EntityRole, options: ReadOptions) {
  const idKey = role === 'user' ? 'userIdColumn' : 'itemIdColumn';
  return {
    delimiter: options.delimiter,
    idColumn: role === 'user' ? options.userIdColumn : options.itemIdColumn,
    optionNames: {
      idColumn: name(options, idKey),
      ignoreColumns: name(options, 'ignoreColumns'),
      categoricalColumns: name(options, 'categoricalColumns'),
    },
  };
}

/** Reads a feature file for training, inferring the kind of each column. */
export async function loadTrainingFeatures(source: string | FeatureTable, role: EntityRole, options: ReadOptions): Promise<FeatureTable> {
  if (typeof source !== 'string') return source;
  const kinds = Object.fromEntries((options.categoricalColumns ?? []).map((column) => [column, 'categorical' as const]));
  return readFeatureTable(source, { ...featureOptions(role, options), ignoreColumns: options.ignoreColumns, kinds });
}

/**
 * Reads a feature file for a trained model. Its id column and feature columns must be the
 * encoder's, in any order, and have the encoder's column kinds. Columns ignored in training
 * are ignored again. `textColumns` keeps the text of columns for grouping, and those that
 * are not features are ignored as features.
 */
export async function loadModelFeatures(
  source: string | FeatureTable,
  encoder: FeatureEncoder,
  role: EntityRole,
  options: ReadOptions,
  textColumns: readonly string[] = [],
): Promise<FeatureTable> {
  if (typeof source !== 'string') return source;
  const base = featureOptions(role, options);
  const idOption = role === 'user' ? options.userIdColumn : options.itemIdColumn;
  // A grouping column that is not a model feature is read as text only.
  const features = new Set(encoder.columns.map((column) => column.name));
  const groupingOnly = textColumns.filter((name) => !features.has(name));
  return readFeatureTable(source, {
    ...base,
    idColumn: idOption ?? encoder.idColumn,
    ignoreColumns: [...encoder.ignoredColumns, ...(options.ignoreColumns ?? []), ...groupingOnly],
    kinds: encoderKinds(encoder),
    expectedColumns: encoder.columns.map((column) => column.name),
    textColumns,
  });
}

function listColumns(table: FeatureTable): string {
  const names = [table.idColumn, ...table.columns.map((column) => column.name), ...table.ignoredColumns];
  const text = names.map((column) => JSON.stringify(column)).join(', ');
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/**
 * Checks that every name in `options.ignoreColumns` is a column of the user or the item
 * feature file, so that a misspelt name does not leave a column in the features. Throws
 * MISSING_COLUMN naming the first unknown name and the columns of both files. Tables that
 * were passed in already read are not checked.
 */
export function checkIgnoredColumns(
  options: ReadOptions,
  sources: { userFeatures: string | FeatureTable; itemFeatures: string | FeatureTable },
  users: FeatureTable,
  items: FeatureTable,
): void {
  if (typeof sources.userFeatures !== 'string' || typeof sources.itemFeatures !== 'string') return;
  const present = new Set([users.idColumn, items.idColumn, ...users.ignoredColumns, ...items.ignoredColumns]);
  const unknown = (options.ignoreColumns ?? []).find((column) => !present.has(column));
  if (unknown === undefined) return;
  throw new DatasetError(
    'MISSING_COLUMN',
    `invalid ${name(options, 'ignoreColumns')}: ${JSON.stringify(unknown)} is not a column of ${users.file} (${listColumns(users)}) ` +
      `or of ${items.file} (${listColumns(items)})`,
    { file: users.file },
  );
}

/**
 * Returns the feature-table row of each id in `ids`, in order. Throws UNKNOWN_ID when some
 * are missing: it names the first missing id, the line of `source` that first uses it, how
 * many ids are missing, and how to fix the files. nimc never falls back to a mean score for
 * an id without features.
 */
export function resolveRows(
  table: FeatureTable,
  ids: readonly string[],
  lines: Uint32Array,
  source: string,
  role: EntityRole,
): Int32Array {
  const rows = new Int32Array(ids.length);
  const missing: number[] = [];
  ids.forEach((id, i) => {
    const row = table.rows.get(id);
    if (row === undefined) missing.push(i);
    else rows[i] = row;
  });
  if (missing.length === 0) return rows;

  const first = missing[0] as number;
  const listed = missing.slice(0, 5).map((i) => JSON.stringify(ids[i]));
  const more = missing.length > listed.length ? `, and ${missing.length - listed.length} more` : '';
  throw new DatasetError(
    'UNKNOWN_ID',
    `${role} id ${JSON.stringify(ids[first])} (first used at ${source}:${lines[first]}) has no row in ${table.file}; ` +
      `${missing.length} ${role} ${missing.length === 1 ? 'id is' : 'ids are'} missing (${listed.join(', ')}${more}). ` +
      `Add a row for each to ${table.file}, or remove their rows from ${source}: nimc scores only ${role}s whose features it has.`,
    { file: source, line: lines[first] },
  );
}
