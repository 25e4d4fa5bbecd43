/**
 * A row-major dense matrix of float64 values: entry (i, j) is `data[i * columns + j]`.
 */
export interface DenseMatrix {
  readonly rows: number;
  readonly columns: number;
  readonly data: Float64Array;
}

function checkDimension(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`invalid ${name}: expected a non-negative integer, received ${value}`);
  }
}

/**
 * Creates a `rows`×`columns` matrix. Without `data` the matrix is zero-filled; with it,
 * `data` is used as the row-major storage without a copy.
 */
export function createMatrix(rows: number, columns: number, data?: Float64Array): DenseMatrix {
  checkDimension('rows', rows);
  checkDimension('columns', columns);
  if (data === undefined) {
    return { rows, columns, data: new Float64Array(rows * columns) };
  }
  if (data.length !== rows * columns) {
    throw new RangeError(
      `invalid data length: a ${rows}x${columns} matrix needs ${rows * columns} values, received ${data.length}`,
    );
  }
  return { rows, columns, data };
}

/** Creates a matrix from an array of rows, all of the same length. */
export function matrixFromRows(values: ArrayLike<ArrayLike<number>>): DenseMatrix {
  const rows = values.length;
  const columns = rows === 0 ? 0 : (values[0] as ArrayLike<number>).length;
  const out = createMatrix(rows, columns);
  for (let i = 0; i < rows; i++) {
    const row = values[i] as ArrayLike<number>;
    if (row.length !== columns) {
      throw new RangeError(`invalid row ${i}: expected ${columns} values, received ${row.length}`);
    }
    for (let j = 0; j < columns; j++) out.data[i * columns + j] = row[j] as number;
  }
  return out;
}

/** Returns a deep copy of `a`. */
export function cloneMatrix(a: DenseMatrix): DenseMatrix {
  return { rows: a.rows, columns: a.columns, data: Float64Array.from(a.data) };
}

/** Returns the rows×rows identity matrix. */
export function identityMatrix(rows: number): DenseMatrix {
  const out = createMatrix(rows, rows);
  for (let i = 0; i < rows; i++) out.data[i * rows + i] = 1;
  return out;
}

/** Returns the transpose of `a` as a new matrix. */
export function transpose(a: DenseMatrix): DenseMatrix {
  const out = createMatrix(a.columns, a.rows);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < a.columns; j++) {
      out.data[j * a.rows + i] = a.data[i * a.columns + j] as number;
    }
  }
  return out;
}

/** Returns row `i` of `a` as a view that shares storage with `a`. */
export function rowView(a: DenseMatrix, i: number): Float64Array {
  return a.data.subarray(i * a.columns, (i + 1) * a.columns);
}

/** Returns the matrix whose rows are the rows of `a` listed in `indices`. */
export function selectRows(a: DenseMatrix, indices: ArrayLike<number>): DenseMatrix {
  const out = createMatrix(indices.length, a.columns);
  for (let r = 0; r < indices.length; r++) {
    const i = indices[r] as number;
    if (!(i >= 0 && i < a.rows)) {
      throw new RangeError(`invalid row index ${i}: the matrix has ${a.rows} rows`);
    }
    out.data.set(rowView(a, i), r * a.columns);
  }
  return out;
}

/** Returns the matrix [a b] with the columns of `b` appended to those of `a`. */
export function concatColumns(a: DenseMatrix, b: DenseMatrix): DenseMatrix {
  if (a.rows !== b.rows) {
    throw new RangeError(`cannot join columns: ${a.rows} rows against ${b.rows} rows`);
  }
  const columns = a.columns + b.columns;
  const out = createMatrix(a.rows, columns);
  for (let i = 0; i < a.rows; i++) {
    out.data.set(rowView(a, i), i * columns);
    out.data.set(rowView(b, i), i * columns + a.columns);
  }
  return out;
}

/** Returns the Frobenius norm of `a`. */
export function frobeniusNorm(a: DenseMatrix | Float64Array): number {
  const data = a instanceof Float64Array ? a : a.data;
  let sum = 0;
  for (let i = 0; i < data.length; i++) {
    const value = data[i] as number;
    sum += value * value;
  }
  return Math.sqrt(sum);
}
