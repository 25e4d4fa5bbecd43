import type { Activation } from '@nimc/activations';
import { createObservations, createRandom, topRightSingularVectors, type DenseMatrix, type ObservationSet, type Random } from '@nimc/linalg';
import { predictPairs, type NimcProblem } from '../src/index.js';

/** A zero-residual problem whose observations are generated exactly by (U*, V*). */
export interface PlantedProblem {
  readonly problem: NimcProblem;
  readonly U: DenseMatrix;
  readonly V: DenseMatrix;
  /** θ* = [vec(U*); vec(V*)]. */
  readonly theta: Float64Array;
}

function divideBySmallestSingularValue(w: DenseMatrix): DenseMatrix {
  const values = topRightSingularVectors(w, w.columns).values;
  const smallest = values[w.columns - 1] as number;
  for (let t = 0; t < w.data.length; t++) w.data[t]! /= smallest;
  return w;
}

/**
 * Draws Gaussian features X (n×d), Y (n×d), Gaussian U*, V* (d×k) divided by their k-th
 * singular value, and m pairs uniformly with replacement, with A_ij = φ(U*ᵀx_i)ᵀφ(V*ᵀy_j).
 */
export function plantedProblem(seed: number, activation: Activation, d: number, k: number, n: number, m: number): PlantedProblem {
  const random = createRandom(seed);
  const X = random.gaussianMatrix(n, d);
  const Y = random.gaussianMatrix(n, d);
  const U = divideBySmallestSingularValue(random.gaussianMatrix(d, k));
  const V = divideBySmallestSingularValue(random.gaussianMatrix(d, k));
  const rows = new Int32Array(m);
  const columns = new Int32Array(m);
  for (let t = 0; t < m; t++) {
    rows[t] = random.integer(n);
    columns[t] = random.integer(n);
  }
  const values = predictPairs({ U, V, activation }, X, Y, rows, columns);
  const theta = new Float64Array((d + d) * k);
  theta.set(U.data, 0);
  theta.set(V.data, d * k);
  return { problem: { X, Y, observations: createObservations(n, n, rows, columns, values) }, U, V, theta };
}

/** Draws a problem with Gaussian features and Gaussian targets (non-zero residuals everywhere). */
/** Draws m observed pairs uniformly with replacement, with Gaussian values. */
export function randomObservations(random: Random, n1: number, n2: number, m: number): ObservationSet {
  const rows = new Int32Array(m);
  const columns = new Int32Array(m);
  const values = new Float64Array(m);
  for (let t = 0; t < m; t++) {
    rows[t] = random.integer(n1);
    columns[t] = random.integer(n2);
    values[t] = random.gaussian();
  }
  return createObservations(n1, n2, rows, columns, values);
}

export function noisyProblem(seed: number, n1: number, n2: number, d1: number, d2: number, m: number): NimcProblem {
  const random = createRandom(seed);
  const X = random.gaussianMatrix(n1, d1);
  const Y = random.gaussianMatrix(n2, d2);
  return { X, Y, observations: randomObservations(random, n1, n2, m) };
}

export function gaussianVector(seed: number, length: number, scale = 1): Float64Array {
  const random = createRandom(seed);
  const out = new Float64Array(length);
  for (let t = 0; t < length; t++) out[t] = scale * random.gaussian();
  return out;
}

export function norm(a: Float64Array): number {
  let sum = 0;
  for (let t = 0; t < a.length; t++) sum += (a[t] as number) ** 2;
  return Math.sqrt(sum);
}

/** ‖a − b‖ / ‖b‖. */
export function relativeError(a: Float64Array, b: Float64Array): number {
  let diff = 0;
  for (let t = 0; t < a.length; t++) diff += ((a[t] as number) - (b[t] as number)) ** 2;
  return Math.sqrt(diff) / norm(b);
}

/** Computes the dense matrix-vector product H·v. */
export function matrixTimes(H: DenseMatrix, v: Float64Array): Float64Array {
  const out = new Float64Array(H.rows);
  for (let i = 0; i < H.rows; i++) {
    let sum = 0;
    for (let j = 0; j < H.columns; j++) sum += (H.data[i * H.columns + j] as number) * (v[j] as number);
    out[i] = sum;
  }
  return out;
}
