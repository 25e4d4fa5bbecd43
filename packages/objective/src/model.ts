import type { Activation } from '@nimc/activations';
import { createMatrix, multiply, type DenseMatrix, type ObservationSet } from '@nimc/linalg';

/**
 * A NIMC model: the score of a query x (length d1) and an item y (length d2) is
 * φ(Uᵀx)ᵀφ(Vᵀy), with U d1×k and V d2×k.
 */
export interface NimcModel {
  readonly U: DenseMatrix;
  readonly V: DenseMatrix;
  readonly activation: Activation;
}

/**
 * Training data: query features X (n1×d1), item features Y (n2×d2) and the observed
 * entries, whose `rows` index X and whose `columns` index Y.
 */
export interface NimcProblem {
  readonly X: DenseMatrix;
  readonly Y: DenseMatrix;
  readonly observations: ObservationSet;
}

/** Checks that the model and the features agree on d1, d2 and k. */
export function checkModelShape(model: NimcModel, X: DenseMatrix, Y: DenseMatrix): void {
  if (model.U.columns !== model.V.columns) {
    throw new RangeError(`invalid model: U has ${model.U.columns} columns and V has ${model.V.columns}; both must equal k`);
  }
  if (X.columns !== model.U.rows) {
    throw new RangeError(`invalid query features: expected ${model.U.rows} columns (d1), received ${X.columns}`);
  }
  if (Y.columns !== model.V.rows) {
    throw new RangeError(`invalid item features: expected ${model.V.rows} columns (d2), received ${Y.columns}`);
  }
}

/** Computes the embeddings φ(F·W) of the rows of `features` (n×d) under weights W (d×k). */
export function embed(features: DenseMatrix, weights: DenseMatrix, activation: Activation): DenseMatrix {
  const out = multiply(features, weights);
  const data = out.data;
  for (let i = 0; i < data.length; i++) data[i] = activation.value(data[i] as number);
  return out;
}

/** Scores the pairs (X[rows[t]], Y[columns[t]]) for every t. */
export function predictPairs(
  model: NimcModel,
  X: DenseMatrix,
  Y: DenseMatrix,
  rows: Int32Array,
  columns: Int32Array,
): Float64Array {
  checkModelShape(model, X, Y);
  if (rows.length !== columns.length) {
    throw new RangeError(`invalid pairs: ${rows.length} rows against ${columns.length} columns`);
  }
  const P = embed(X, model.U, model.activation);
  const Q = embed(Y, model.V, model.activation);
  const k = model.U.columns;
  const out = new Float64Array(rows.length);
  for (let t = 0; t < rows.length; t++) {
    const i = rows[t] as number;
    const j = columns[t] as number;
    if (!(i >= 0 && i < X.rows && j >= 0 && j < Y.rows)) {
      throw new RangeError(`invalid pair ${t}: (${i}, ${j}) lies outside ${X.rows}x${Y.rows}`);
    }
    out[t] = dot(P.data, i * k, Q.data, j * k, k);
  }
  return out;
}

/** Scores every observed pair of `problem`. */
export function predictObserved(model: NimcModel, problem: NimcProblem): Float64Array {
  const obs = problem.observations;
  return predictPairs(model, problem.X, problem.Y, obs.rows, obs.columns);
}

/** Computes the dense score matrix φ(XU)φ(YV)ᵀ (n1×n2). Use only when n1·n2 fits in memory. */
export function predictAll(model: NimcModel, X: DenseMatrix, Y: DenseMatrix): DenseMatrix {
  checkModelShape(model, X, Y);
  const P = embed(X, model.U, model.activation);
  const Q = embed(Y, model.V, model.activation);
  const k = model.U.columns;
  const out = createMatrix(X.rows, Y.rows);
  for (let i = 0; i < X.rows; i++) {
    for (let j = 0; j < Y.rows; j++) out.data[i * Y.rows + j] = dot(P.data, i * k, Q.data, j * k, k);
  }
  return out;
}

/** Returns Σ_c a[offsetA + c]·b[offsetB + c] for c < length. */
export function dot(a: Float64Array, offsetA: number, b: Float64Array, offsetB: number, length: number): number {
  let sum = 0;
  for (let c = 0; c < length; c++) sum += (a[offsetA + c] as number) * (b[offsetB + c] as number);
  return sum;
}
