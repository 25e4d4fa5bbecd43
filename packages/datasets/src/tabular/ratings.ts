import { DatasetError } from '../errors.js';
import { malformedRecord, readDelimitedFile } from './delimited-file.js';
import { resolveDelimiter } from './delimiter.js';
import { forEachDuplicate, mergeDuplicates } from './duplicates.js';
import { ChunkedArray, RecordLines } from './growable.js';
import { detachText, fieldCountError, parseHeader, requireColumn, type Header } from './header.js';
import { classifyNumber } from './numbers.js';

/** The policy for two ratings of the same (user, item) pair. */
export type DuplicatePolicy = 'error' | 'mean';

/** Options of `readPairs`. */
export interface PairReadOptions {
  /** Field delimiter; by default inferred from the extension (.csv, .tsv, .tab). */
  delimiter?: string;
  /** Column of the user ids. Default "user". */
  userColumn?: string;
  /** Column of the item ids. Default "item". */
  itemColumn?: string;
  /**
   * Names of this reader's options in error messages, such as `--user-column` in a
   * command-line program. The default is "the userColumn option" and so on.
   */
  optionNames?: Partial<Record<'userColumn' | 'itemColumn' | 'ratingColumn' | 'duplicates' | 'delimiter', string>>;
  /** Maximum length of one record in characters; see `readDelimitedFile`. */
  maxRecordLength?: number;
}

/** Options of `readRatings`. */
export interface RatingReadOptions extends PairReadOptions {
  /** Column of the ratings. Default "rating". */
  ratingColumn?: string;
  /** Two ratings of one pair raise DUPLICATE_RATING ('error', the default) or are averaged ('mean'). */
  duplicates?: DuplicatePolicy;
}

/**
 * (user, item) pairs read from a file. Ids are strings exactly as written (trimmed), and
 * users and items are numbered in the order their ids first appear.
 */
export interface PairTable {
  readonly file: string;
  /** Distinct user ids; `users[t]` indexes this list. */
  readonly userIds: readonly string[];
  /** Distinct item ids; `items[t]` indexes this list. */
  readonly itemIds: readonly string[];
  readonly users: Int32Array;
  readonly items: Int32Array;
  /** Line of the first record of each user, for messages. */
  readonly userLines: Uint32Array;
  /** Line of the first record of each item, for messages. */
  readonly itemLines: Uint32Array;
}

/** Ratings read from a file: pairs with a value each, in file order. */
export interface RatingTable extends PairTable {
  readonly values: Float64Array;
  /** Number of ratings merged into an earlier rating of the same pair (`duplicates: 'mean'`). */
  readonly merged: number;
}

class IdNumbering {
  readonly ids: string[] = [];
  readonly lines: number[] = [];
  private readonly index = new Map<string, number>();

  lookup(id: string, line: number): number {
    let number = this.index.get(id);
    if (number === undefined) {
      number = this.ids.length;
      const detached = detachText(id);
      this.index.set(detached, number);
      this.ids.push(detached);
      this.lines.push(line);
    }
    return number;
  }
}

interface ParsedRecords {
  header: Header;
  users: IdNumbering;
  items: IdNumbering;
  userIndices: Int32Array;
  itemIndices: Int32Array;
  values: Float64Array | undefined;
  recordLines: RecordLines;
}

const ratingProblems = { 'non-finite': 'is not a finite number', empty: 'is empty', text: 'is not a number' } as const;

function optionName(options: PairReadOptions, key: keyof NonNullable<PairReadOptions['optionNames']>): string {
  return options.optionNames?.[key] ?? `the ${key} option`;
}

async function parseRecords(path: string, options: RatingReadOptions, withValues: boolean): Promise<ParsedRecords> {
  const delimiter = resolveDelimiter(path, options.delimiter);
  const userColumn = options.userColumn ?? 'user';
  const itemColumn = options.itemColumn ?? 'item';
  const ratingColumn = options.ratingColumn ?? 'rating';
  const users = new IdNumbering();
  const items = new IdNumbering();
  const userIndices = new ChunkedArray(Int32Array);
  const itemIndices = new ChunkedArray(Int32Array);
  const values = new ChunkedArray(Float64Array);
  const recordLines = new RecordLines();
  let header: Header | undefined;
  let userField = 0;
  let itemField = 0;
  let ratingField = 0;

  await readDelimitedFile(path, { delimiter, maxRecordLength: options.maxRecordLength }, (fields, line, text) => {
    if (header === undefined) {
      header = parseHeader(path, fields, line, text);
      userField = requireColumn(header, userColumn, 'user ids', optionName(options, 'userColumn'));
      itemField = requireColumn(header, itemColumn, 'item ids', optionName(options, 'itemColumn'));
      if (withValues) ratingField = requireColumn(header, ratingColumn, 'ratings', optionName(options, 'ratingColumn'));
      return;
    }
    if (fields.length !== header.names.length) throw fieldCountError(header, fields, line, text);
    const user = fields[userField] as string;
    const item = fields[itemField] as string;
    if (user === '') throw malformedRecord(path, line, `the user id (column ${JSON.stringify(userColumn)}) is empty`, text);
    if (item === '') throw malformedRecord(path, line, `the item id (column ${JSON.stringify(itemColumn)}) is empty`, text);
    if (withValues) {
      const rating = classifyNumber(fields[ratingField] as string);
      if (rating.kind !== 'number') {
        const problem = ratingProblems[rating.kind];
        throw malformedRecord(path, line, `the rating ${JSON.stringify(fields[ratingField])} (column ${JSON.stringify(ratingColumn)}) ${problem}`, text);
      }
      values.push(rating.value);
    }
    userIndices.push(users.lookup(user, line));
    itemIndices.push(items.lookup(item, line));
    recordLines.push(line);
  });

  if (header === undefined) {
    throw new DatasetError('EMPTY_DATA', `${path} is empty: expected a header line naming the columns, then one line per record`, { file: path });
  }
  return {
    header,
    users,
    items,
    userIndices: userIndices.toArray(),
    itemIndices: itemIndices.toArray(),
    values: withValues ? values.toArray() : undefined,
    recordLines,
  };
}

function pairTable(path: string, parsed: ParsedRecords, users: Int32Array, items: Int32Array): PairTable {
  return {
    file: path,
    userIds: parsed.users.ids,
    itemIds: parsed.items.ids,
    users,
    items,
    userLines: Uint32Array.from(parsed.users.lines),
    itemLines: Uint32Array.from(parsed.items.lines),
  };
}

/**
 * Reads (user, item) pairs from a delimited file with a header, such as the pairs to score
 * or the ratings to exclude from recommendations. Other columns are ignored, and a pair may
 * repeat. The file is streamed, so its text is never held in memory as a whole.
 *
 * Throws a DatasetError: ENOENT_DATASET, READ_FAILED, MALFORMED_LINE (wrong field count,
 * empty id, quoting mistake, with file:line and the text), MISSING_COLUMN and EMPTY_DATA
 * (no header).
 */
export async function readPairs(path: string, options: PairReadOptions = {}): Promise<PairTable> {
  const parsed = await parseRecords(path, options, false);
  return pairTable(path, parsed, parsed.userIndices, parsed.itemIndices);
}

/**
 * Reads ratings from a delimited file with a header (default columns user, item, rating).
 * Ratings must be finite decimal numbers. A repeated (user, item) pair raises
 * DUPLICATE_RATING, naming the first two lines that rate one pair, unless `duplicates` is
 * 'mean', which keeps one rating per pair, at the position of its first rating, with the
 * mean value. A file with a header and no ratings is returned as an empty table.
 *
 * Throws a DatasetError as `readPairs` does, and MALFORMED_LINE for a rating that is empty,
 * not a number, NaN or infinite.
 */
export async function readRatings(path: string, options: RatingReadOptions = {}): Promise<RatingTable> {
  const policy = options.duplicates ?? 'error';
  if (policy !== 'error' && policy !== 'mean') {
    throw new RangeError(`invalid duplicates: expected 'error' or 'mean', received ${JSON.stringify(policy)}`);
  }
  const parsed = await parseRecords(path, options, true);
  const n1 = parsed.users.ids.length;
  const n2 = parsed.items.ids.length;
  const values = parsed.values as Float64Array;

  if (policy === 'mean') {
    const merged = mergeDuplicates(n1, n2, parsed.userIndices, parsed.itemIndices, values);
    return { ...pairTable(path, parsed, merged.users, merged.items), values: merged.values, merged: merged.merged };
  }

  // The reported pair is the one whose repetition comes first in the file.
  let first = -1;
  let later = -1;
  forEachDuplicate(n1, n2, parsed.userIndices, parsed.itemIndices, (earlier, repeat) => {
    if (later < 0 || repeat < later) {
      first = earlier;
      later = repeat;
    }
  });
  if (later >= 0) {
    const user = parsed.users.ids[parsed.userIndices[later] as number] as string;
    const item = parsed.items.ids[parsed.itemIndices[later] as number] as string;
    const lines = [parsed.recordLines.lineOf(first), parsed.recordLines.lineOf(later)];
    throw new DatasetError(
      'DUPLICATE_RATING',
      `${path}: lines ${lines[0]} and ${lines[1]} both rate user ${JSON.stringify(user)} and item ${JSON.stringify(item)}. ` +
        `Remove one of them, or average repeated ratings by setting ${optionName(options, 'duplicates')} to mean.`,
      { file: path, line: lines[1] },
    );
  }
  return { ...pairTable(path, parsed, parsed.userIndices, parsed.itemIndices), values, merged: 0 };
}
