import { readFileSync } from 'node:fs';
import type { DenseMatrix } from '../src/index.js';

interface MatrixJson {
  rows: number;
  columns: number;
  data: number[];
}

/** Products and singular values from numpy, written by scripts/make_fixtures.py. */
export const reference = JSON.parse(readFileSync(new URL('./fixtures/reference.json', import.meta.url), 'utf8'));

/** Eigenvalues, SVD, QR, solves, inverse and Cholesky factor from numpy, written by scripts/make_fixtures.py. */
export const decompositionReference = JSON.parse(
  readFileSync(new URL('./fixtures/decompositions.json', import.meta.url), 'utf8'),
);

/** Converts a fixture matrix to a DenseMatrix. */
export function toMatrix(json: MatrixJson): DenseMatrix {
  return { rows: json.rows, columns: json.columns, data: Float64Array.from(json.data) };
}

/** Returns ‖actual − expected‖_F / ‖expected‖_F. */
export function relativeDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let difference = 0;
  let norm = 0;
  for (let t = 0; t < expected.length; t++) {
    difference += ((actual[t] as number) - (expected[t] as number)) ** 2;
    norm += (expected[t] as number) ** 2;
  }
  return Math.sqrt(difference / norm);
}

/**
 * Returns the largest relative difference between corresponding columns of `actual` and
 * `expected` after flipping each expected column to the sign of the actual one, because
 * eigenvectors, singular vectors and the columns of Q are defined up to sign.
 */
export function alignedColumnDifference(actual: DenseMatrix, expected: DenseMatrix): number {
  let worst = 0;
  for (let c = 0; c < expected.columns; c++) {
    const a: number[] = [];
    const e: number[] = [];
    for (let i = 0; i < expected.rows; i++) {
      a.push(actual.data[i * actual.columns + c] as number);
      e.push(expected.data[i * expected.columns + c] as number);
    }
    const sign = a.reduce((sum, value, i) => sum + value * (e[i] as number), 0) < 0 ? -1 : 1;
    worst = Math.max(worst, relativeDifference(a, e.map((value) => sign * value)));
  }
  return worst;
}
