import { createMatrix, type DenseMatrix } from './dense.js';

// Every product loops i (rows of the output), then p (the shared dimension), then j
// (columns of the output), so the innermost loop walks contiguous memory.

function outputFor(rows: number, columns: number, out: DenseMatrix | undefined): DenseMatrix {
  if (out === undefined) return createMatrix(rows, columns);
  if (out.rows !== rows || out.columns !== columns) {
    throw new RangeError(
      `invalid output: expected a ${rows}x${columns} matrix, received ${out.rows}x${out.columns}`,
    );
  }
  out.data.fill(0);
  return out;
}

/** Computes A·B. `out`, when given, is overwritten and returned. */
export function multiply(a: DenseMatrix, b: DenseMatrix, out?: DenseMatrix): DenseMatrix {
  if (a.columns !== b.rows) {
    throw new RangeError(`cannot multiply ${a.rows}x${a.columns} by ${b.rows}x${b.columns}`);
  }
  const n = a.rows;
  const shared = a.columns;
  const m = b.columns;
  const result = outputFor(n, m, out);
  const A = a.data;
  const B = b.data;
  const C = result.data;
  for (let i = 0; i < n; i++) {
    const rowC = i * m;
    for (let p = 0; p < shared; p++) {
      const aip = A[i * shared + p] as number;
      if (aip === 0) continue;
      const rowB = p * m;
      for (let j = 0; j < m; j++) C[rowC + j]! += aip * (B[rowB + j] as number);
    }
  }
  return result;
}

/** Computes Aᵀ·B. `out`, when given, is overwritten and returned. */
export function multiplyTransposeA(a: DenseMatrix, b: DenseMatrix, out?: DenseMatrix): DenseMatrix {
  if (a.rows !== b.rows) {
    throw new RangeError(`cannot multiply the transpose of ${a.rows}x${a.columns} by ${b.rows}x${b.columns}`);
  }
  const shared = a.rows;
  const n = a.columns;
  const m = b.columns;
  const result = outputFor(n, m, out);
  const A = a.data;
  const B = b.data;
  const C = result.data;
  for (let p = 0; p < shared; p++) {
    const rowA = p * n;
    const rowB = p * m;
    for (let i = 0; i < n; i++) {
      const api = A[rowA + i] as number;
      if (api === 0) continue;
      const rowC = i * m;
      for (let j = 0; j < m; j++) C[rowC + j]! += api * (B[rowB + j] as number);
    }
  }
  return result;
}

/** Computes A·Bᵀ. `out`, when given, is overwritten and returned. */
export function multiplyTransposeB(a: DenseMatrix, b: DenseMatrix, out?: DenseMatrix): DenseMatrix {
  if (a.columns !== b.columns) {
    throw new RangeError(`cannot multiply ${a.rows}x${a.columns} by the transpose of ${b.rows}x${b.columns}`);
  }
  const n = a.rows;
  const shared = a.columns;
  const m = b.rows;
  const result = outputFor(n, m, out);
  const A = a.data;
  const B = b.data;
  const C = result.data;
  for (let i = 0; i < n; i++) {
    const rowA = i * shared;
    for (let j = 0; j < m; j++) {
      const rowB = j * shared;
      let sum = 0;
      for (let p = 0; p < shared; p++) sum += (A[rowA + p] as number) * (B[rowB + p] as number);
      C[i * m + j] = sum;
    }
  }
  return result;
}
