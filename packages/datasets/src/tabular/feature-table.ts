import { DatasetError } from '../errors.js';
import { malformedRecord, readDelimitedFile } from './delimited-file.js';
import { resolveDelimiter } from './delimiter.js';
import { ChunkedArray } from './growable.js';
import { describeColumns, detachText, fieldCountError, parseHeader, requireColumn, type Header } from './header.js';
import { classifyNumber, looksNumeric } from './numbers.js';

/** The encoding of a feature column: one standardised number, or one-hot categories. */
export type ColumnKind = 'numeric' | 'categorical';

/** Options of `readFeatureTable`. */
export interface FeatureTableOptions {
  /** Field delimiter; by default inferred from the extension (.csv, .tsv, .tab). */
  delimiter?: string;
  /** Column of the ids. Default "id". */
  idColumn?: string;
  /** Columns that are not features. Names the file lacks are skipped. */
  ignoreColumns?: readonly string[];
  /**
   * Kind of each feature column. A column not listed is numeric when every non-empty value
   * is a decimal number (or NaN or an infinity, which are then rejected), and categorical
   * when fewer than 90% (`mostlyNumericShare`) of them are. A column between the two is a
   * MALFORMED_LINE error at its first non-number, because a few text values among numbers
   * are usually typos.
   */
  kinds?: Readonly<Record<string, ColumnKind>>;
  /**
   * When set, the feature columns (all but the id and ignored ones) must be exactly these,
   * in any order; otherwise FEATURE_MISMATCH is raised.
   */
  expectedColumns?: readonly string[];
  /** Columns whose text is kept as categories in `text` as well, for grouping. */
  textColumns?: readonly string[];
  /**
   * Names of this reader's options in error messages, such as `--user-id-column`.
   * `categoricalColumns` names the option of the calling program that sets a column's kind
   * to categorical.
   */
  optionNames?: Partial<Record<'idColumn' | 'ignoreColumns' | 'categoricalColumns', string>>;
  /** Maximum length of one record in characters; see `readDelimitedFile`. */
  maxRecordLength?: number;
}

/** A numeric feature column, one value per row. */
export interface NumericColumn {
  readonly name: string;
  readonly kind: 'numeric';
  readonly values: Float64Array;
}

/** A categorical column: `levels[codes[i]]` is the text of row i. */
export interface CategoricalColumn {
  readonly name: string;
  readonly kind: 'categorical';
  readonly codes: Int32Array;
  /** Distinct values, in order of first appearance. */
  readonly levels: readonly string[];
}

/** A feature column of either kind. */
export type FeatureColumn = NumericColumn | CategoricalColumn;

/** Rows of entities (users or items) keyed by id, with their feature columns. */
export interface FeatureTable {
  readonly file: string;
  readonly idColumn: string;
  /** Id of each row, in file order. */
  readonly ids: readonly string[];
  /** Row of each id. */
  readonly rows: ReadonlyMap<string, number>;
  /** Line of each row, for messages. */
  readonly lines: Uint32Array;
  /** Feature columns in file order, without the id and ignored columns. */
  readonly columns: readonly FeatureColumn[];
  /** Ignored columns that the file has. */
  readonly ignoredColumns: readonly string[];
  /** The columns named in `textColumns`, as categories. */
  readonly text: ReadonlyMap<string, CategoricalColumn>;
}

interface ColumnPlan {
  name: string;
  field: number;
  kind: ColumnKind | undefined;
}

class LevelCoder {
  readonly levels: string[] = [];
  readonly codes = new ChunkedArray(Int32Array);
  private readonly index = new Map<string, number>();

  push(value: string): void {
    let code = this.index.get(value);
    if (code === undefined) {
      code = this.levels.length;
      const detached = detachText(value);
      this.index.set(detached, code);
      this.levels.push(detached);
    }
    this.codes.push(code);
  }
}

function optionName(options: FeatureTableOptions, key: 'idColumn' | 'ignoreColumns'): string {
  return options.optionNames?.[key] ?? `the ${key} option`;
}


function checkExpectedColumns(header: Header, plans: ColumnPlan[], expected: readonly string[], options: FeatureTableOptions): void {
  const present = new Set(plans.map((plan) => plan.name));
  const wanted = new Set(expected);
  const missing = expected.filter((name) => !present.has(name));
  const extra = plans.map((plan) => plan.name).filter((name) => !wanted.has(name));
  if (missing.length === 0 && extra.length === 0) return;
  const parts = [];
  if (missing.length > 0) parts.push(`missing ${describeColumns(missing)}`);
  if (extra.length > 0) parts.push(`unexpected ${describeColumns(extra)}`);
  throw new DatasetError(
    'FEATURE_MISMATCH',
    `wrong feature columns in ${header.file}: expected ${expected.length} (${describeColumns(expected)}), found ${plans.length}; ` +
      `${parts.join('; ')}. Use the columns the model was trained with` +
      (extra.length > 0 ? `, or list the unexpected ones in ${optionName(options, 'ignoreColumns')}.` : '.'),
    { file: header.file, line: header.line },
  );
}

// Reads the header and finds the field of the id, of each feature column and of each
// text column.
function planColumns(header: Header, options: FeatureTableOptions) {
  const idColumn = options.idColumn ?? 'id';
  const idField = requireColumn(header, idColumn, 'ids', optionName(options, 'idColumn'));
  const ignored = new Set(options.ignoreColumns ?? []);
  const plans: ColumnPlan[] = [];
  header.names.forEach((name, field) => {
    if (field === idField || ignored.has(name)) return;
    plans.push({ name, field, kind: options.kinds?.[name] });
  });
  if (options.expectedColumns !== undefined) checkExpectedColumns(header, plans, options.expectedColumns, options);
  const textFields = (options.textColumns ?? []).map((name) => {
    const field = header.index.get(name);
    if (field === undefined) {
      throw new DatasetError(
        'MISSING_COLUMN',
        `${header.file} has no column ${JSON.stringify(name)} to group by; its columns are ${describeColumns(header.names)}`,
        { file: header.file, line: header.line },
      );
    }
    return { name, field };
  });
  const ignoredColumns = header.names.filter((name, field) => field !== idField && ignored.has(name));
  return { idColumn, idField, plans, textFields, ignoredColumns };
}

/**
 * Share of the non-empty values of a column that must be numbers for a column with some
 * text among them to be rejected as a numeric column with a typo, instead of being read as
 * categorical.
 */
const mostlyNumericShare = 0.9;

interface ColumnCount {
  plan: ColumnPlan;
  numbers: number;
  texts: number;
  firstText?: { value: string; line: number; text: string };
}

function mostlyNumericError(path: string, count: ColumnCount, options: FeatureTableOptions): DatasetError {
  const first = count.firstText as NonNullable<ColumnCount['firstText']>;
  const name = count.plan.name;
  const total = count.numbers + count.texts;
  const remedy =
    options.optionNames?.categoricalColumns !== undefined
      ? `pass ${options.optionNames.categoricalColumns} ${name}`
      : `set kinds[${JSON.stringify(name)}] to "categorical"`;
  return malformedRecord(
    path,
    first.line,
    `the value ${JSON.stringify(first.value)} of column ${JSON.stringify(name)} is not a number, but ${count.numbers} of ${total} values are; ` +
      `fix the value or ${remedy}`,
    first.text,
  );
}

// First pass: counts the number and text values of every column without a kind. A column
// is numeric when all its non-empty values are numbers and categorical when fewer than
// `mostlyNumericShare` of them are. In between, the text values are taken for typos.
async function inferKinds(path: string, delimiter: string, options: FeatureTableOptions): Promise<Record<string, ColumnKind>> {
  let header: Header | undefined;
  let counts: ColumnCount[] = [];
  await readDelimitedFile(path, { delimiter, maxRecordLength: options.maxRecordLength }, (fields, line, text) => {
    if (header === undefined) {
      header = parseHeader(path, fields, line, text);
      counts = planColumns(header, options)
        .plans.filter((plan) => plan.kind === undefined)
        .map((plan) => ({ plan, numbers: 0, texts: 0 }));
      return;
    }
    if (fields.length !== header.names.length) throw fieldCountError(header, fields, line, text);
    for (const count of counts) {
      const value = fields[count.plan.field] as string;
      if (value === '') continue;
      if (looksNumeric(value)) {
        count.numbers += 1;
      } else {
        count.texts += 1;
        count.firstText ??= { value: detachText(value), line, text: detachText(text) };
      }
    }
  });

  const kinds: Record<string, ColumnKind> = {};
  for (const count of counts) {
    if (count.texts === 0) {
      kinds[count.plan.name] = 'numeric';
    } else if (count.numbers >= mostlyNumericShare * (count.numbers + count.texts)) {
      throw mostlyNumericError(path, count, options);
    } else {
      kinds[count.plan.name] = 'categorical';
    }
  }
  return kinds;
}

function valueError(path: string, line: number, text: string, column: string, value: string): DatasetError {
  const parsed = classifyNumber(value);
  const problem =
    parsed.kind === 'non-finite'
      ? `the value ${JSON.stringify(value)} of numeric column ${JSON.stringify(column)} is not a finite number`
      : parsed.kind === 'empty'
        ? `the value of numeric column ${JSON.stringify(column)} is empty; fill it in`
        : `the value ${JSON.stringify(value)} of numeric column ${JSON.stringify(column)} is not a number`;
  return malformedRecord(path, line, problem, text);
}

/**
 * Reads a feature file: a header, then one row per entity with its id and its feature
 * columns. Numeric columns must hold finite decimal numbers in every row; categorical
 * columns hold any text (an empty value is a category of its own). Without `kinds` for
 * every column, the file is read twice: once to infer the kinds, once to parse.
 *
 * Throws a DatasetError: ENOENT_DATASET and READ_FAILED for the file itself. MALFORMED_LINE,
 * with file:line and the text, for a wrong field count, an empty id, or a numeric value that
 * is empty, text, NaN or infinite, or a text value in a column of at least 90% numbers
 * without a kind. MISSING_COLUMN for a missing id column, DUPLICATE_ID for
 * an id defined twice (with both lines), FEATURE_MISMATCH for columns that differ from
 * `expectedColumns`, and EMPTY_DATA for a file without rows.
 */
export async function readFeatureTable(path: string, options: FeatureTableOptions = {}): Promise<FeatureTable> {
  const delimiter = resolveDelimiter(path, options.delimiter);
  let kinds = options.kinds ?? {};
  let header: Header | undefined;
  let layout: ReturnType<typeof planColumns> | undefined;
  const ids: string[] = [];
  const rows = new Map<string, number>();
  const lines: number[] = [];
  let numeric: (ChunkedArray<Float64Array> | undefined)[] = [];
  let categorical: (LevelCoder | undefined)[] = [];
  let text: LevelCoder[] = [];

  // With the expected columns and all their kinds given, any other column is an error, so
  // nothing is left to infer and the file is read once.
  const expected = options.expectedColumns;
  const kindsComplete = expected !== undefined && expected.every((name) => kinds[name] !== undefined);
  if (!kindsComplete) kinds = { ...kinds, ...(await inferKinds(path, delimiter, options)) };

  await readDelimitedFile(path, { delimiter, maxRecordLength: options.maxRecordLength }, (fields, line, recordText) => {
    if (header === undefined) {
      header = parseHeader(path, fields, line, recordText);
      layout = planColumns(header, { ...options, kinds });
      numeric = layout.plans.map((plan) => (plan.kind === 'numeric' ? new ChunkedArray(Float64Array) : undefined));
      categorical = layout.plans.map((plan) => (plan.kind === 'categorical' ? new LevelCoder() : undefined));
      text = layout.textFields.map(() => new LevelCoder());
      return;
    }
    const plan = layout as NonNullable<typeof layout>;
    if (fields.length !== header.names.length) throw fieldCountError(header, fields, line, recordText);

    const id = fields[plan.idField] as string;
    if (id === '') throw malformedRecord(path, line, `the id (column ${JSON.stringify(plan.idColumn)}) is empty`, recordText);
    const previous = rows.get(id);
    if (previous !== undefined) {
      throw new DatasetError(
        'DUPLICATE_ID',
        `${path}:${line}: id ${JSON.stringify(id)} is defined twice, at lines ${lines[previous]} and ${line}; keep one row per id`,
        { file: path, line },
      );
    }
    const detached = detachText(id);
    rows.set(detached, ids.length);
    ids.push(detached);
    lines.push(line);

    plan.plans.forEach((column, c) => {
      const value = fields[column.field] as string;
      const numbers = numeric[c];
      if (numbers !== undefined) {
        const parsed = classifyNumber(value);
        if (parsed.kind !== 'number') throw valueError(path, line, recordText, column.name, value);
        numbers.push(parsed.value);
      } else {
        (categorical[c] as LevelCoder).push(value);
      }
    });
    plan.textFields.forEach((column, c) => (text[c] as LevelCoder).push(fields[column.field] as string));
  });

  if (header === undefined || layout === undefined) {
    throw new DatasetError('EMPTY_DATA', `${path} is empty: expected a header line naming the columns, then one row per id`, { file: path });
  }
  if (ids.length === 0) {
    throw new DatasetError('EMPTY_DATA', `${path} has a header but no rows: expected one row per id`, { file: path });
  }

  const columns: FeatureColumn[] = layout.plans.map((plan, c) => {
    const numbers = numeric[c];
    if (numbers !== undefined) return { name: plan.name, kind: 'numeric', values: numbers.toArray() };
    const coder = categorical[c] as LevelCoder;
    return { name: plan.name, kind: 'categorical', codes: coder.codes.toArray(), levels: coder.levels };
  });
  const textColumns = new Map<string, CategoricalColumn>();
  layout.textFields.forEach((column, c) => {
    const coder = text[c] as LevelCoder;
    textColumns.set(column.name, { name: column.name, kind: 'categorical', codes: coder.codes.toArray(), levels: coder.levels });
  });
  return {
    file: path,
    idColumn: layout.idColumn,
    ids,
    rows,
    lines: Uint32Array.from(lines),
    columns,
    ignoredColumns: layout.ignoredColumns,
    text: textColumns,
  };
}
