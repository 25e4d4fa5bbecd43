import { createMatrix, type DenseMatrix } from './dense.js';

/**
 * A set of m observed entries of an n1×n2 matrix in coordinate form: entry t sits at
 * (rows[t], columns[t]) and has value values[t]. Repeated pairs are allowed and add up
 * in every product.
 */
export interface ObservationSet {
  readonly n1: number;
  readonly n2: number;
  readonly rows: Int32Array;
  readonly columns: Int32Array;
  readonly values: Float64Array;
}

/**
 * Creates an observation set after checking that every index lies inside n1×n2 and every
 * value is finite.
 */
export function createObservations(
  n1: number,
  n2: number,
  rows: Int32Array,
  columns: Int32Array,
  values: Float64Array,
): ObservationSet {
  if (rows.length !== columns.length || rows.length !== values.length) {
    throw new RangeError(
      `invalid observations: rows, columns and values have lengths ${rows.length}, ${columns.length} and ${values.length}; they must be equal`,
    );
  }
  for (let t = 0; t < rows.length; t++) {
    const i = rows[t] as number;
    const j = columns[t] as number;
    if (i < 0 || i >= n1 || j < 0 || j >= n2) {
      throw new RangeError(`invalid observation ${t}: index (${i}, ${j}) lies outside ${n1}x${n2}`);
    }
    if (!Number.isFinite(values[t])) {
      throw new RangeError(`invalid observation ${t}: value ${values[t]} at (${i}, ${j}) is not finite`);
    }
  }
  return { n1, n2, rows, columns, values };
}

/** Returns the observations listed in `indices`, in that order. */
export function selectObservations(obs: ObservationSet, indices: ArrayLike<number>): ObservationSet {
  const m = indices.length;
  const rows = new Int32Array(m);
  const columns = new Int32Array(m);
  const values = new Float64Array(m);
  for (let s = 0; s < m; s++) {
    const t = indices[s] as number;
    rows[s] = obs.rows[t] as number;
    columns[s] = obs.columns[t] as number;
    values[s] = obs.values[t] as number;
  }
  return { n1: obs.n1, n2: obs.n2, rows, columns, values };
}

function checkProduct(obs: ObservationSet, weights: Float64Array, factor: DenseMatrix, side: 'n1' | 'n2'): void {
  if (weights.length !== obs.rows.length) {
    throw new RangeError(`invalid weights: expected ${obs.rows.length} values, received ${weights.length}`);
  }
  const expected = side === 'n1' ? obs.n1 : obs.n2;
  if (factor.rows !== expected) {
    throw new RangeError(`invalid factor: expected ${expected} rows, received ${factor.rows}`);
  }
}

/**
 * Computes R·Q, where R is the n1×n2 sparse matrix with weights[t] at the position of
 * observation t, and Q is n2×k. `out` (n1×k), when given, is overwritten and returned.
 */
export function sparseMultiply(
  obs: ObservationSet,
  weights: Float64Array,
  q: DenseMatrix,
  out?: DenseMatrix,
): DenseMatrix {
  checkProduct(obs, weights, q, 'n2');
  const k = q.columns;
  const result = out ?? createMatrix(obs.n1, k);
  if (result.rows !== obs.n1 || result.columns !== k) {
    throw new RangeError(`invalid output: expected ${obs.n1}x${k}, received ${result.rows}x${result.columns}`);
  }
  result.data.fill(0);
  const Q = q.data;
  const C = result.data;
  for (let t = 0; t < weights.length; t++) {
    const w = weights[t] as number;
    if (w === 0) continue;
    const rowC = (obs.rows[t] as number) * k;
    const rowQ = (obs.columns[t] as number) * k;
    for (let c = 0; c < k; c++) C[rowC + c]! += w * (Q[rowQ + c] as number);
  }
  return result;
}

/**
 * Computes Rᵀ·P, where R is the n1×n2 sparse matrix with weights[t] at the position of
 * observation t, and P is n1×k. `out` (n2×k), when given, is overwritten and returned.
 */
export function sparseTransposeMultiply(
  obs: ObservationSet,
  weights: Float64Array,
  p: DenseMatrix,
  out?: DenseMatrix,
): DenseMatrix {
  checkProduct(obs, weights, p, 'n1');
  const k = p.columns;
  const result = out ?? createMatrix(obs.n2, k);
  if (result.rows !== obs.n2 || result.columns !== k) {
    throw new RangeError(`invalid output: expected ${obs.n2}x${k}, received ${result.rows}x${result.columns}`);
  }
  result.data.fill(0);
  const P = p.data;
  const C = result.data;
  for (let t = 0; t < weights.length; t++) {
    const w = weights[t] as number;
    if (w === 0) continue;
    const rowC = (obs.columns[t] as number) * k;
    const rowP = (obs.rows[t] as number) * k;
    for (let c = 0; c < k; c++) C[rowC + c]! += w * (P[rowP + c] as number);
  }
  return result;
}
