import { hermiteExpectations } from '@nimc/activations';
import {
  multiply,
  sparseMultiply,
  sparseTransposeMultiply,
  transpose,
  type DenseMatrix,
} from '@nimc/linalg';
import type { NimcModel, NimcProblem } from '@nimc/objective';
import { residualizeWeights } from './control-variates.js';
import { maxTensorOrder, weightedHermiteSum } from './hermite-tensor.js';

/**
 * Orders (p, q) of the cross moment E[A(x, y)·He_p(x)⊗He_q(y)], where He_p is the
 * Hermite tensor of order p (He_0 = 1, He_1(x) = x, He_2(x) = x⊗x − I, …).
 */
export interface MomentOrder {
  readonly x: number;
  readonly y: number;
}

/** Options shared by the moment estimators. */
export interface MomentEstimateOptions {
  /**
   * Subtracts the mean observed value from every A_ij first. Every moment with p + q ≥ 1
   * keeps its expectation up to O(1/n1 + 1/n2 + 1/m), because the sample mean of
   * He_p(x)⊗He_q(y) is close to 0. Centering removes the large variance that a constant
   * offset adds (k/4 for sigmoid). Default true.
   */
  center?: boolean;
  /**
   * Applies `residualizeWeights` before a moment of order p is formed on one side. The
   * per-row sums lose the part explained by a polynomial of degree ≤ min(p − 1, 2) (≤ 1
   * when k > 21) in that side's projected features, fitted on the rows of the other parity. The expectation is
   * unchanged, and the variance drops where φ has large low-order Hermite components.
   * Default true.
   */
  controlVariates?: boolean;
}

/**
 * The data of a problem projected onto k-dimensional bases P (d1×k) and Q (d2×k) with
 * orthonormal columns, with the per-row and per-column sums that every supported moment
 * needs. Built once in O(n1·d1·k + n2·d2·k + m·k).
 */
export interface ProjectedData {
  /** Number of observations m. */
  readonly m: number;
  /** Mean observed value, subtracted from every value when centering. */
  readonly offset: number;
  /** X·P (n1×k). */
  readonly X: DenseMatrix;
  /** Y·Q (n2×k). */
  readonly Y: DenseMatrix;
  /** Number of observations in each row (length n1). */
  readonly rowCounts: Float64Array;
  /** Number of observations in each column (length n2). */
  readonly columnCounts: Float64Array;
  /** Σ_j R_ij over the observations in row i (length n1), R the (centered) values. */
  readonly rowSums: Float64Array;
  /** Σ_i R_ij over the observations in column j (length n2). */
  readonly columnSums: Float64Array;
  /** R·(Y·Q) (n1×k). */
  readonly rowTimesY: DenseMatrix;
  /** Rᵀ·(X·P) (n2×k). */
  readonly columnTimesX: DenseMatrix;
}

function checkBasis(name: string, basis: DenseMatrix, d: number, k: number): void {
  if (basis.rows !== d || basis.columns !== k) {
    throw new RangeError(`invalid ${name}: expected a ${d}x${k} matrix, received ${basis.rows}x${basis.columns}`);
  }
}

/** Returns the observed values, minus their mean when `center` is true, and that mean. */
export function centeredValues(problem: NimcProblem, center: boolean): { values: Float64Array; offset: number } {
  const source = problem.observations.values;
  const m = source.length;
  if (m === 0) throw new RangeError('invalid problem: it has no observations (m = 0)');
  let offset = 0;
  if (center) {
    for (let t = 0; t < m; t++) offset += source[t] as number;
    offset /= m;
  }
  const values = new Float64Array(m);
  for (let t = 0; t < m; t++) values[t] = (source[t] as number) - offset;
  return { values, offset };
}

/** Projects the features onto P and Q and forms the sums that the moment estimators use. */
export function projectData(
  problem: NimcProblem,
  basisX: DenseMatrix,
  basisY: DenseMatrix,
  options: MomentEstimateOptions = {},
): ProjectedData {
  const { X, Y, observations } = problem;
  const k = basisX.columns;
  checkBasis('basisX', basisX, X.columns, k);
  checkBasis('basisY', basisY, Y.columns, k);
  if (observations.n1 !== X.rows || observations.n2 !== Y.rows) {
    throw new RangeError(
      `invalid problem: observations index a ${observations.n1}x${observations.n2} matrix but X has ${X.rows} rows and Y has ${Y.rows}`,
    );
  }
  const { values, offset } = centeredValues(problem, options.center ?? true);

  const projectedX = multiply(X, basisX);
  const projectedY = multiply(Y, basisY);
  const rowSums = new Float64Array(X.rows);
  const columnSums = new Float64Array(Y.rows);
  const rowCounts = new Float64Array(X.rows);
  const columnCounts = new Float64Array(Y.rows);
  for (let t = 0; t < values.length; t++) {
    const i = observations.rows[t] as number;
    const j = observations.columns[t] as number;
    rowSums[i]! += values[t] as number;
    columnSums[j]! += values[t] as number;
    rowCounts[i]! += 1;
    columnCounts[j]! += 1;
  }
  return {
    m: values.length,
    offset,
    X: projectedX,
    Y: projectedY,
    rowCounts,
    columnCounts,
    rowSums,
    columnSums,
    rowTimesY: sparseMultiply(observations, values, projectedY),
    columnTimesX: sparseTransposeMultiply(observations, values, projectedX),
  };
}

function checkOrder(order: MomentOrder): void {
  const valid = (value: number): boolean => Number.isInteger(value) && value >= 0 && value <= maxTensorOrder;
  if (!valid(order.x) || !valid(order.y) || order.x + order.y === 0 || Math.min(order.x, order.y) > 1) {
    throw new RangeError(
      `invalid moment order (${order.x}, ${order.y}): expected integers from 0 to ${maxTensorOrder}, not both 0, with at least one of them ≤ 1`,
    );
  }
}

/**
 * Estimates E[A·He_p(Pᵀx)⊗He_q(Qᵀy)] = (1/m)·Σ_observations A_ij·He_p(Pᵀx_i)⊗He_q(Qᵀy_j)
 * from projected data, for p = order.x and q = order.y with min(p, q) ≤ 1. The result has
 * length k^(p+q), row-major with the p x-indices first. With standard Gaussian features the
 * estimator is unbiased for uncentered data, with or without control variates, and nearly
 * so for centered data (see `MomentEstimateOptions`).
 */
export function estimateProjectedMoment(
  data: ProjectedData,
  order: MomentOrder,
  options: Pick<MomentEstimateOptions, 'controlVariates'> = {},
): Float64Array {
  checkOrder(order);
  const k = data.X.columns;
  const adjust = options.controlVariates ?? true;
  // Sums Σ_rows w·He_p(f) over the rows of one side, optionally after the control variates.
  const sideSum = (features: DenseMatrix, counts: Float64Array, weights: Float64Array | DenseMatrix, p: number): Float64Array => {
    // Quadratic control variates cost O(n·k⁴), so above 256 monomials (k > 21) they stop at degree 1.
    let degree = Math.min(p - 1, 2);
    if (1 + k + (k * (k + 1)) / 2 > 256) degree = Math.min(degree, 1);
    const adjusted = adjust ? residualizeWeights(features, counts, weights, degree) : weights;
    return weightedHermiteSum(features, adjusted, p);
  };
  let sum: Float64Array;
  if (order.y === 0) {
    sum = sideSum(data.X, data.rowCounts, data.rowSums, order.x);
  } else if (order.y === 1 && order.x >= 1) {
    sum = sideSum(data.X, data.rowCounts, data.rowTimesY, order.x);
  } else if (order.x === 0) {
    sum = sideSum(data.Y, data.columnCounts, data.columnSums, order.y);
  } else {
    // order.x = 1: the sum over columns puts the y-indices first; move the x-index to the front.
    const yFirst = sideSum(data.Y, data.columnCounts, data.columnTimesX, order.y);
    const ySize = k ** order.y;
    sum = new Float64Array(yFirst.length);
    for (let a = 0; a < ySize; a++) {
      for (let i = 0; i < k; i++) sum[i * ySize + a] = yFirst[a * k + i] as number;
    }
  }
  for (let t = 0; t < sum.length; t++) sum[t] = (sum[t] as number) / data.m;
  return sum;
}

/**
 * Estimates the projected moment E[A·He_p(Pᵀx)⊗He_q(Qᵀy)] of `problem`; see
 * `estimateProjectedMoment`. P = `basisX` (d1×k) and Q = `basisY` (d2×k) need orthonormal
 * columns for the Hermite identities to hold.
 */
export function estimateMoment(
  problem: NimcProblem,
  order: MomentOrder,
  basisX: DenseMatrix,
  basisY: DenseMatrix,
  options: MomentEstimateOptions = {},
): Float64Array {
  checkOrder(order);
  return estimateProjectedMoment(projectData(problem, basisX, basisY, options), order, options);
}

// Appends the entries of v^⊗power ⊗ current (row-major, v's indices first).
function outerPower(v: Float64Array, power: number, tail: Float64Array): Float64Array {
  let out = tail;
  for (let step = 0; step < power; step++) {
    const next = new Float64Array(v.length * out.length);
    for (let i = 0; i < v.length; i++) {
      for (let t = 0; t < out.length; t++) next[i * out.length + t] = (v[i] as number) * (out[t] as number);
    }
    out = next;
  }
  return out;
}

/**
 * Returns the population value of the projected moment for Gaussian features:
 * E[A·He_p(Pᵀx)⊗He_q(Qᵀy)] = Σ_i a_p(‖u_i‖)·a_q(‖v_i‖)·(Pᵀū_i)^⊗p ⊗ (Qᵀv̄_i)^⊗q, where
 * ū_i = u_i/‖u_i‖ and a_p(σ) = E[φ(σz)·He_p(z)]. Same layout as `estimateMoment`.
 */
export function expectedMoment(model: NimcModel, order: MomentOrder, basisX: DenseMatrix, basisY: DenseMatrix): Float64Array {
  checkOrder(order);
  const { U, V, activation } = model;
  const k = U.columns;
  const r = basisX.columns;
  checkBasis('basisX', basisX, U.rows, r);
  checkBasis('basisY', basisY, V.rows, r);
  const Pt = transpose(basisX);
  const Qt = transpose(basisY);
  const out = new Float64Array(r ** (order.x + order.y));

  for (let i = 0; i < k; i++) {
    const u = Float64Array.from({ length: U.rows }, (_, row) => U.data[row * k + i] as number);
    const v = Float64Array.from({ length: V.rows }, (_, row) => V.data[row * k + i] as number);
    const normU = Math.hypot(...u);
    const normV = Math.hypot(...v);
    const coefficient =
      (hermiteExpectations(activation, normU, order.x)[order.x] as number) *
      (hermiteExpectations(activation, normV, order.y)[order.y] as number);
    if (coefficient === 0) continue;
    const direction = (basisT: DenseMatrix, w: Float64Array, norm: number): Float64Array => {
      const projected = new Float64Array(basisT.rows);
      for (let a = 0; a < basisT.rows; a++) {
        let sum = 0;
        for (let row = 0; row < w.length; row++) sum += (basisT.data[a * w.length + row] as number) * (w[row] as number);
        projected[a] = sum / norm;
      }
      return projected;
    };
    const yPart = order.y === 0 ? Float64Array.of(1) : outerPower(direction(Qt, v, normV), order.y, Float64Array.of(1));
    const term = order.x === 0 ? yPart : outerPower(direction(Pt, u, normU), order.x, yPart);
    for (let t = 0; t < out.length; t++) out[t]! += coefficient * (term[t] as number);
  }
  return out;
}
