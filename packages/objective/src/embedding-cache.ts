import type { Activation } from '@nimc/activations';
import { createMatrix, multiply, type DenseMatrix } from '@nimc/linalg';
import { dot, type NimcProblem } from './model.js';

/**
 * Everything the curvature products need at one parameter vector θ = [vec(U); vec(V)]:
 * the pre-activations Z1 = XU and Z2 = YV, the embeddings P = φ(Z1) and Q = φ(Z2), the
 * derivatives φ′ at the pre-activations, and the residuals r_t = P_i·Q_j − A_ij of the m
 * observations. A state is valid only until the next `stateAt` call on its cache, which may
 * reuse its buffers.
 */
export interface EmbeddingState {
  /** A private copy of θ, used as the cache key. */
  readonly theta: Float64Array;
  /** Z1 = XU, n1×k. */
  readonly Z1: DenseMatrix;
  /** Z2 = YV, n2×k. */
  readonly Z2: DenseMatrix;
  /** P = φ(XU), n1×k. */
  readonly P: DenseMatrix;
  /** Q = φ(YV), n2×k. */
  readonly Q: DenseMatrix;
  /** φ′(XU), n1×k. */
  readonly D1: DenseMatrix;
  /** φ′(YV), n2×k. */
  readonly D2: DenseMatrix;
  /** r_t for t < m. */
  readonly residuals: Float64Array;
  /** The data term 1/(2m) Σ r_t², without the penalty. */
  dataLoss: number;
  /**
   * C1 = (R·Q/m) ⊙ φ″(XU) and C2 = (Rᵀ·P/m) ⊙ φ″(YV), the coefficients of the
   * second-order terms of the Hessian. Filled on first use by `secondOrderCoefficients`.
   */
  secondOrder: { readonly C1: DenseMatrix; readonly C2: DenseMatrix } | undefined;
}

/** Sizes of a problem, checked once. */
export interface ProblemShape {
  readonly d1: number;
  readonly d2: number;
  readonly n1: number;
  readonly n2: number;
  readonly k: number;
  readonly m: number;
  /** (d1 + d2)·k, the length of θ. */
  readonly dimension: number;
}

/** Checks that `problem`, `k` and `l2` are consistent and returns the sizes. */
export function checkProblem(problem: NimcProblem, k: number, l2: number): ProblemShape {
  const { X, Y, observations } = problem;
  if (!Number.isInteger(k) || k < 1) {
    throw new RangeError(`invalid rank k: expected a positive integer, received ${k}`);
  }
  if (!(l2 >= 0 && Number.isFinite(l2))) {
    throw new RangeError(`invalid l2: expected a finite number ≥ 0, received ${l2}`);
  }
  if (observations.n1 !== X.rows || observations.n2 !== Y.rows) {
    throw new RangeError(
      `invalid problem: observations index a ${observations.n1}x${observations.n2} matrix but X has ${X.rows} rows and Y has ${Y.rows}`,
    );
  }
  const d1 = X.columns;
  const d2 = Y.columns;
  return { d1, d2, n1: X.rows, n2: Y.rows, k, m: observations.values.length, dimension: (d1 + d2) * k };
}

/** Throws a RangeError unless `array` has the length of θ. */
export function checkParameterLength(name: string, array: Float64Array, dimension: number): void {
  if (array.length !== dimension) {
    throw new RangeError(`invalid ${name}: expected length (d1 + d2)·k = ${dimension}, received ${array.length}`);
  }
}

function sameVector(a: Float64Array, b: Float64Array): boolean {
  for (let t = 0; t < a.length; t++) {
    if (a[t] !== b[t]) return false;
  }
  return true;
}

/**
 * A cache of `EmbeddingState` for the two most recent distinct θ. The key is the content
 * of θ, not the array object, so a caller may overwrite its θ buffer in place. Two slots
 * let a damped solver return to its current point after a rejected trial step without
 * recomputing the embeddings.
 */
export interface EmbeddingCache {
  readonly shape: ProblemShape;
  /** Returns the state at θ, computing it on a cache miss. */
  stateAt(theta: Float64Array): EmbeddingState;
}

/** Creates an `EmbeddingCache` for `problem` with a rank-k model and activation φ. */
export function createEmbeddingCache(problem: NimcProblem, activation: Activation, shape: ProblemShape): EmbeddingCache {
  const { X, Y, observations } = problem;
  const { d1, d2, k, m, dimension } = shape;
  const sizeU = d1 * k;
  const slots: EmbeddingState[] = [];

  const allocate = (): EmbeddingState => ({
    theta: new Float64Array(dimension),
    Z1: createMatrix(shape.n1, k),
    Z2: createMatrix(shape.n2, k),
    P: createMatrix(shape.n1, k),
    Q: createMatrix(shape.n2, k),
    D1: createMatrix(shape.n1, k),
    D2: createMatrix(shape.n2, k),
    residuals: new Float64Array(m),
    dataLoss: 0,
    secondOrder: undefined,
  });

  // Fills `state` for θ, overwriting whatever it held.
  const compute = (theta: Float64Array, state: EmbeddingState): void => {
    state.theta.set(theta);
    state.secondOrder = undefined;
    multiply(X, createMatrix(d1, k, state.theta.subarray(0, sizeU)), state.Z1);
    multiply(Y, createMatrix(d2, k, state.theta.subarray(sizeU)), state.Z2);
    for (let t = 0; t < state.Z1.data.length; t++) {
      const z = state.Z1.data[t] as number;
      state.P.data[t] = activation.value(z);
      state.D1.data[t] = activation.derivative(z);
    }
    for (let t = 0; t < state.Z2.data.length; t++) {
      const z = state.Z2.data[t] as number;
      state.Q.data[t] = activation.value(z);
      state.D2.data[t] = activation.derivative(z);
    }

    let sum = 0;
    for (let t = 0; t < m; t++) {
      const rowP = (observations.rows[t] as number) * k;
      const rowQ = (observations.columns[t] as number) * k;
      const residual = dot(state.P.data, rowP, state.Q.data, rowQ, k) - (observations.values[t] as number);
      state.residuals[t] = residual;
      sum += residual * residual;
    }
    state.dataLoss = m === 0 ? 0 : sum / (2 * m);
  };

  const stateAt = (theta: Float64Array): EmbeddingState => {
    checkParameterLength('θ', theta, dimension);
    for (let s = 0; s < slots.length; s++) {
      const slot = slots[s] as EmbeddingState;
      if (sameVector(slot.theta, theta)) {
        if (s !== 0) {
          slots.splice(s, 1);
          slots.unshift(slot);
        }
        return slot;
      }
    }
    // Miss: reuse the buffers of the least recently used slot once both slots exist.
    const state = slots.length < 2 ? allocate() : (slots.pop() as EmbeddingState);
    compute(theta, state);
    slots.unshift(state);
    return state;
  };

  return { shape, stateAt };
}

/**
 * Returns C1 = (R·Q/m) ⊙ φ″(XU) and C2 = (Rᵀ·P/m) ⊙ φ″(YV), where R contains the residuals
 * at the observed positions, and stores them in `state`.
 */
export function secondOrderCoefficients(
  state: EmbeddingState,
  problem: NimcProblem,
  activation: Activation,
  k: number,
): { readonly C1: DenseMatrix; readonly C2: DenseMatrix } {
  if (state.secondOrder !== undefined) return state.secondOrder;
  const { observations } = problem;
  const m = state.residuals.length;
  const C1 = createMatrix(state.P.rows, k);
  const C2 = createMatrix(state.Q.rows, k);
  const p = state.P.data;
  const q = state.Q.data;

  for (let t = 0; t < m; t++) {
    const weight = (state.residuals[t] as number) / m;
    const rowP = (observations.rows[t] as number) * k;
    const rowQ = (observations.columns[t] as number) * k;
    for (let c = 0; c < k; c++) {
      C1.data[rowP + c]! += weight * (q[rowQ + c] as number);
      C2.data[rowQ + c]! += weight * (p[rowP + c] as number);
    }
  }

  for (let t = 0; t < C1.data.length; t++) C1.data[t]! *= activation.secondDerivative(state.Z1.data[t] as number);
  for (let t = 0; t < C2.data.length; t++) C2.data[t]! *= activation.secondDerivative(state.Z2.data[t] as number);
  state.secondOrder = { C1, C2 };
  return state.secondOrder;
}
