import { readFileSync } from 'node:fs';
import type { DenseMatrix } from '../src/index.js';

interface MatrixJson {
  rows: number;
  columns: number;
  data: number[];
}

/** Products and singular values from numpy, written by scripts/make_fixtures.py. */
export const reference = JSON.parse(readFileSync(new URL('./fixtures/reference.json', import.meta.url), 'utf8'));

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
