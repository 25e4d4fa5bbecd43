import { createMatrix, type DenseMatrix } from '@nimc/linalg';
import type { ColumnKind, FeatureTable } from './feature-table.js';

/** A numeric column, encoded as (x − mean) / scale. */
export interface NumericEncoding {
  readonly name: string;
  readonly kind: 'numeric';
  readonly mean: number;
  readonly scale: number;
}

/** A categorical column, encoded as one 0/1 indicator per category. */
export interface CategoricalEncoding {
  readonly name: string;
  readonly kind: 'categorical';
  /** Categories seen in the training rows, sorted by UTF-16 code units. */
  readonly categories: readonly string[];
}

/** One column's encoding. */
export type ColumnEncoding = NumericEncoding | CategoricalEncoding;

/**
 * The mapping from rows of a feature file to feature vectors: the columns in file order,
 * each numeric column one standardised value and each categorical column one indicator per
 * category, then a constant 1 when `bias` is set.
 */
export interface FeatureEncoder {
  readonly idColumn: string;
  readonly ignoredColumns: readonly string[];
  readonly columns: readonly ColumnEncoding[];
  readonly bias: boolean;
}

/** Options of `fitFeatureEncoder`. */
export interface EncoderOptions {
  /**
   * Standardises numeric columns with the mean and the population standard deviation of
   * the training rows (default true). A constant column is only centred. When false, the
   * mean is 0 and the scale 1, so values pass through unchanged.
   */
  standardize?: boolean;
  /** Appends a constant-1 feature (default true), so an all-zero row still gets a score. */
  bias?: boolean;
}

/** Rows whose category a model never saw: encoded as all zeros. */
export interface UnseenCategory {
  readonly column: string;
  readonly value: string;
  /** Number of encoded rows with this value. */
  readonly rows: number;
}

/** Encoded features and the unseen categories met while encoding. */
export interface EncodedFeatures {
  /** One row per requested table row, `encoderWidth(encoder)` columns. */
  readonly matrix: DenseMatrix;
  readonly unseen: readonly UnseenCategory[];
}

/** Returns the number of features the encoder produces (d1 or d2 of a model). */
export function encoderWidth(encoder: FeatureEncoder): number {
  let width = encoder.bias ? 1 : 0;
  for (const column of encoder.columns) width += column.kind === 'numeric' ? 1 : column.categories.length;
  return width;
}

/** Returns the name of each encoded feature: "age", "gender=F", …, "bias". */
export function encodedFeatureNames(encoder: FeatureEncoder): string[] {
  const names: string[] = [];
  for (const column of encoder.columns) {
    if (column.kind === 'numeric') names.push(column.name);
    else for (const category of column.categories) names.push(`${column.name}=${category}`);
  }
  if (encoder.bias) names.push('bias');
  return names;
}

/** Returns the kind of each column, as `readFeatureTable` accepts them. */
export function encoderKinds(encoder: FeatureEncoder): Record<string, ColumnKind> {
  return Object.fromEntries(encoder.columns.map((column) => [column.name, column.kind]));
}

function compareCodeUnits(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

function checkRows(table: FeatureTable, rows: ArrayLike<number>): void {
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as number;
    if (!(Number.isInteger(row) && row >= 0 && row < table.ids.length)) {
      throw new RangeError(`invalid row ${row} at position ${r}: ${table.file} has ${table.ids.length} rows`);
    }
  }
}

function numericEncoding(name: string, values: Float64Array, rows: ArrayLike<number>, standardize: boolean): NumericEncoding {
  if (!standardize || rows.length === 0) return { name, kind: 'numeric', mean: 0, scale: 1 };
  let sum = 0;
  for (let r = 0; r < rows.length; r++) sum += values[rows[r] as number] as number;
  const mean = sum / rows.length;
  let squares = 0;
  for (let r = 0; r < rows.length; r++) {
    const deviation = (values[rows[r] as number] as number) - mean;
    squares += deviation * deviation;
  }
  const deviation = Math.sqrt(squares / rows.length);
  if (!Number.isFinite(mean) || !Number.isFinite(deviation)) {
    throw new RangeError(`cannot standardise column ${JSON.stringify(name)}: its values overflow float64 arithmetic (mean ${mean}, standard deviation ${deviation})`);
  }
  return { name, kind: 'numeric', mean, scale: deviation > 0 ? deviation : 1 };
}

/**
 * Fits the encoder of a feature table on the rows listed in `rows` (the training rows):
 * the statistics of numeric columns and the categories of categorical columns come from
 * those rows only.
 */
export function fitFeatureEncoder(table: FeatureTable, rows: ArrayLike<number>, options: EncoderOptions = {}): FeatureEncoder {
  checkRows(table, rows);
  const standardize = options.standardize ?? true;
  const columns = table.columns.map((column): ColumnEncoding => {
    if (column.kind === 'numeric') return numericEncoding(column.name, column.values, rows, standardize);
    const used = new Uint8Array(column.levels.length);
    for (let r = 0; r < rows.length; r++) used[column.codes[rows[r] as number] as number] = 1;
    const categories = column.levels.filter((_, code) => used[code] === 1).sort(compareCodeUnits);
    return { name: column.name, kind: 'categorical', categories };
  });
  return { idColumn: table.idColumn, ignoredColumns: [...table.ignoredColumns], columns, bias: options.bias ?? true };
}

/**
 * Encodes the table rows listed in `rows` (all rows by default, in file order). Columns are
 * matched by name, so their order in the file may differ from training. A category the
 * encoder does not know becomes all zeros and is counted in `unseen`.
 *
 * Throws a RangeError when the table lacks an encoder column or has it with another kind,
 * and when a standardised value is not finite.
 */
export function encodeFeatures(table: FeatureTable, encoder: FeatureEncoder, rows?: ArrayLike<number>): EncodedFeatures {
  const selected = rows ?? Int32Array.from({ length: table.ids.length }, (_, i) => i);
  checkRows(table, selected);
  const d = encoderWidth(encoder);
  const n = selected.length;
  const matrix = createMatrix(n, d);
  const data = matrix.data;
  const unseen: UnseenCategory[] = [];
  const byName = new Map(table.columns.map((column) => [column.name, column]));

  let offset = 0;
  for (const encoding of encoder.columns) {
    const column = byName.get(encoding.name);
    if (column === undefined || column.kind !== encoding.kind) {
      const found = column === undefined ? 'no such column' : `a ${column.kind} column`;
      throw new RangeError(`invalid feature table ${table.file}: expected ${encoding.kind} column ${JSON.stringify(encoding.name)}, found ${found}`);
    }

    if (encoding.kind === 'numeric' && column.kind === 'numeric') {
      for (let r = 0; r < n; r++) {
        const value = ((column.values[selected[r] as number] as number) - encoding.mean) / encoding.scale;
        if (!Number.isFinite(value)) {
          throw new RangeError(`cannot standardise column ${JSON.stringify(encoding.name)} of ${table.file} for id ${JSON.stringify(table.ids[selected[r] as number])}: the result ${value} is not finite`);
        }
        data[r * d + offset] = value;
      }
      offset += 1;
      continue;
    }

    if (encoding.kind === 'categorical' && column.kind === 'categorical') {
      // position[code] is the indicator of the table's level `code`, or −1 when unseen.
      const index = new Map(encoding.categories.map((category, c) => [category, c]));
      const position = Int32Array.from(column.levels, (level) => index.get(level) ?? -1);
      const unseenRows = new Float64Array(column.levels.length);
      for (let r = 0; r < n; r++) {
        const code = column.codes[selected[r] as number] as number;
        const c = position[code] as number;
        if (c >= 0) data[r * d + offset + c] = 1;
        else unseenRows[code]! += 1;
      }
      column.levels.forEach((value, code) => {
        const count = unseenRows[code] as number;
        if (count > 0) unseen.push({ column: encoding.name, value, rows: count });
      });
      offset += encoding.categories.length;
    }
  }
  if (encoder.bias) {
    for (let r = 0; r < n; r++) data[r * d + d - 1] = 1;
  }
  return { matrix, unseen };
}
