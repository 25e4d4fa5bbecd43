import type { Activation } from '@nimc/activations';
import { createMatrix, type DenseMatrix } from '@nimc/linalg';
import {
  checkProblem,
  createEmbeddingCache,
  secondOrderCoefficients,
  type EmbeddingState,
  type ProblemShape,
} from './embedding-cache.js';
import type { NimcProblem } from './model.js';
import type { ObjectiveOptions } from './objective.js';

/**
 * Assembles the exact Hessian from the closed-form second derivatives, one observation at
 * a time. The entry of θ for U(a, c) is a·k + c and for V(b, c) it is d1·k + b·k + c.
 * With r_t the residual of observation t = (i, j), g_t = ∇_θ(P_i·Q_j) and C1, C2 as in
 * `secondOrderCoefficients`:
 *
 *   H = (1/m) Σ_t g_t g_tᵀ                                       (Gauss–Newton part)
 *     + Σ_i C1_ic x_i x_iᵀ on the (u_c, u_c) blocks                (φ″ terms)
 *     + Σ_j C2_jc y_j y_jᵀ on the (v_c, v_c) blocks
 *     + (1/m) Σ_t r_t φ′(x_iᵀu_c) φ′(y_jᵀv_c) x_i y_jᵀ on the (u_c, v_c) blocks
 *     + λI.
 *
 * The cost is O(m·((d1 + d2)·k)² + m·k·d1·d2 + (n1·d1² + n2·d2²)·k) time and
 * ((d1 + d2)·k)² memory, so this is meant for small d and k.
 */
export function assembleHessian(
  state: EmbeddingState,
  problem: NimcProblem,
  activation: Activation,
  shape: ProblemShape,
  l2: number,
): DenseMatrix {
  const { X, Y, observations } = problem;
  const { d1, d2, n1, n2, k, m, dimension } = shape;
  const sizeU = d1 * k;
  const out = createMatrix(dimension, dimension);
  const H = out.data;
  const x = X.data;
  const y = Y.data;
  const p = state.P.data;
  const q = state.Q.data;
  const D1 = state.D1.data;
  const D2 = state.D2.data;
  const row = new Float64Array(dimension);

  // Gauss–Newton part: a rank-one update of the upper triangle per observation.
  for (let t = 0; t < m; t++) {
    const i = observations.rows[t] as number;
    const j = observations.columns[t] as number;
    for (let a = 0; a < d1; a++) {
      const xa = x[i * d1 + a] as number;
      for (let c = 0; c < k; c++) row[a * k + c] = xa * (D1[i * k + c] as number) * (q[j * k + c] as number);
    }
    for (let b = 0; b < d2; b++) {
      const yb = y[j * d2 + b] as number;
      for (let c = 0; c < k; c++) row[sizeU + b * k + c] = yb * (D2[j * k + c] as number) * (p[i * k + c] as number);
    }
    for (let r = 0; r < dimension; r++) {
      const scaled = (row[r] as number) / m;
      if (scaled === 0) continue;
      const offset = r * dimension;
      for (let s = r; s < dimension; s++) H[offset + s]! += scaled * (row[s] as number);
    }
  }

  // φ″ terms on the diagonal blocks (u_c, u_c) and (v_c, v_c).
  const { C1, C2 } = secondOrderCoefficients(state, problem, activation, k);
  addSecondOrderBlocks(H, dimension, x, d1, n1, k, C1.data, 0);
  addSecondOrderBlocks(H, dimension, y, d2, n2, k, C2.data, sizeU);

  // Mixed terms r_t φ′ φ′ x_i y_jᵀ on the (u_c, v_c) blocks, all above the diagonal.
  for (let t = 0; t < m; t++) {
    const i = observations.rows[t] as number;
    const j = observations.columns[t] as number;
    const residual = (state.residuals[t] as number) / m;
    if (residual === 0) continue;
    for (let c = 0; c < k; c++) {
      const coefficient = residual * (D1[i * k + c] as number) * (D2[j * k + c] as number);
      if (coefficient === 0) continue;
      for (let a = 0; a < d1; a++) {
        const scaled = coefficient * (x[i * d1 + a] as number);
        const offset = (a * k + c) * dimension + sizeU + c;
        for (let b = 0; b < d2; b++) H[offset + b * k]! += scaled * (y[j * d2 + b] as number);
      }
    }
  }

  for (let r = 0; r < dimension; r++) H[r * dimension + r]! += l2;

  for (let r = 0; r < dimension; r++) {
    for (let s = r + 1; s < dimension; s++) H[s * dimension + r] = H[r * dimension + s] as number;
  }
  return out;
}

// Adds Σ_i coefficients_ic f_i f_iᵀ to the block of column c, for every c, on and above
// the diagonal. `features` is n×d row-major and the block starts at index `start`.
function addSecondOrderBlocks(
  H: Float64Array,
  dimension: number,
  features: Float64Array,
  d: number,
  n: number,
  k: number,
  coefficients: Float64Array,
  start: number,
): void {
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      const coefficient = coefficients[i * k + c] as number;
      if (coefficient === 0) continue;
      for (let a = 0; a < d; a++) {
        const scaled = coefficient * (features[i * d + a] as number);
        const offset = (start + a * k + c) * dimension + start + c;
        for (let b = a; b < d; b++) H[offset + b * k]! += scaled * (features[i * d + b] as number);
      }
    }
  }
}

/**
 * Computes the exact Hessian ∇²f(θ) of the loss of `problem` (the loss of
 * `createObjective` with the same arguments) as a dense symmetric
 * (d1 + d2)k × (d1 + d2)k matrix, from closed-form second derivatives.
 */
export function hessian(
  problem: NimcProblem,
  activation: Activation,
  k: number,
  theta: Float64Array,
  options: ObjectiveOptions = {},
): DenseMatrix {
  const l2 = options.l2 ?? 0;
  const shape = checkProblem(problem, k, l2);
  const state = createEmbeddingCache(problem, activation, shape).stateAt(theta);
  return assembleHessian(state, problem, activation, shape, l2);
}
