import type { Activation } from '@nimc/activations';
import { createMatrix, createObservations, createRandom, type DenseMatrix } from '@nimc/linalg';
import { predictPairs, type NimcModel, type NimcProblem } from '@nimc/objective';

/** Draws Gaussian features and m uniform pairs for a fixed ground truth. */
export function sampleProblem(truth: NimcModel, n1: number, n2: number, m: number, seed: number | string): NimcProblem {
  const random = createRandom(seed);
  const X = random.gaussianMatrix(n1, truth.U.rows);
  const Y = random.gaussianMatrix(n2, truth.V.rows);
  const rows = new Int32Array(m);
  const columns = new Int32Array(m);
  for (let t = 0; t < m; t++) {
    rows[t] = random.integer(n1);
    columns[t] = random.integer(n2);
  }
  const values = predictPairs(truth, X, Y, rows, columns);
  return { X, Y, observations: createObservations(n1, n2, rows, columns, values) };
}

/** Returns a d×k matrix with orthonormal columns (Gram–Schmidt on Gaussian columns). */
export function orthonormalBasis(d: number, k: number, seed: number | string): DenseMatrix {
  const random = createRandom(seed);
  const out = createMatrix(d, k);
  for (let i = 0; i < k; i++) {
    const v = Float64Array.from({ length: d }, () => random.gaussian());
    for (let j = 0; j < i; j++) {
      let dot = 0;
      for (let row = 0; row < d; row++) dot += (v[row] as number) * (out.data[row * k + j] as number);
      for (let row = 0; row < d; row++) v[row] = (v[row] as number) - dot * (out.data[row * k + j] as number);
    }
    const norm = Math.hypot(...v);
    for (let row = 0; row < d; row++) out.data[row * k + i] = (v[row] as number) / norm;
  }
  return out;
}

/** Builds a model with Gaussian factors whose columns have the given norms. */
export function modelWithNorms(
  activation: Activation,
  d1: number,
  d2: number,
  normsU: number[],
  normsV: number[],
  seed: number | string,
): NimcModel {
  const random = createRandom(seed);
  const k = normsU.length;
  const scaled = (d: number, norms: number[]): DenseMatrix => {
    const out = random.gaussianMatrix(d, k);
    for (let i = 0; i < k; i++) {
      let norm = 0;
      for (let row = 0; row < d; row++) norm += (out.data[row * k + i] as number) ** 2;
      const factor = (norms[i] as number) / Math.sqrt(norm);
      for (let row = 0; row < d; row++) out.data[row * k + i] = (out.data[row * k + i] as number) * factor;
    }
    return out;
  };
  return { U: scaled(d1, normsU), V: scaled(d2, normsV), activation };
}

/** Largest absolute entry of a − b. */
export function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let t = 0; t < a.length; t++) worst = Math.max(worst, Math.abs((a[t] as number) - (b[t] as number)));
  return worst;
}
