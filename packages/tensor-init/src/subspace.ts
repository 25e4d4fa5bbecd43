import {
  createMatrix,
  multiplyTransposeA,
  sparseMultiply,
  topRightSingularVectors,
  transpose,
  type DenseMatrix,
} from '@nimc/linalg';
import type { NimcProblem } from '@nimc/objective';
import { centeredValues, type MomentEstimateOptions } from './moments.js';

/** The k-dimensional subspaces spanned by the columns of U and V, estimated from E[A·x⊗y]. */
export interface SubspaceEstimate {
  /** d1×k orthonormal basis P of the estimated span of U. */
  readonly basisX: DenseMatrix;
  /** d2×k orthonormal basis Q of the estimated span of V. */
  readonly basisY: DenseMatrix;
  /** The min(k + 1, d1, d2) largest singular values of the d1×d2 estimate of E[A·x⊗y]. */
  readonly singularValues: Float64Array;
  /** 1 − σ_{k+1}/σ_k: near 1 for a clean rank-k moment, near 0 when the k-th direction is lost in noise; 1 when k = min(d1, d2). */
  readonly gap: number;
}

/**
 * Estimates span(U) and span(V) from the top-k singular vectors of
 * M = E[A·x⊗y] ≈ (1/m)·Xᵀ·R·Y = Σ_i a_1(‖u_i‖)·a_1(‖v_i‖)·ū_i v̄_iᵀ, where R contains the
 * (centered) observed values. Costs O(m·d2 + n1·d1·d2) time and O(n1·d2 + d1·d2) memory.
 */
export function estimateSubspace(problem: NimcProblem, k: number, options: MomentEstimateOptions = {}): SubspaceEstimate {
  const { X, Y, observations } = problem;
  const d1 = X.columns;
  const d2 = Y.columns;
  if (!Number.isInteger(k) || k < 1 || k > Math.min(d1, d2)) {
    throw new RangeError(`invalid rank k: expected an integer from 1 to min(d1, d2) = ${Math.min(d1, d2)}, received ${k}`);
  }
  const { values } = centeredValues(problem, options.center ?? true);
  const m = values.length;

  const moment = multiplyTransposeA(X, sparseMultiply(observations, values, Y));
  for (let t = 0; t < moment.data.length; t++) moment.data[t] = (moment.data[t] as number) / m;

  const r = Math.min(k + 1, d1, d2);
  const right = topRightSingularVectors(moment, r);
  const left = topRightSingularVectors(transpose(moment), r);
  const keep = (vectors: DenseMatrix): DenseMatrix => {
    if (vectors.columns === k) return vectors;
    const out = createMatrix(vectors.rows, k);
    for (let row = 0; row < vectors.rows; row++) {
      out.data.set(vectors.data.subarray(row * vectors.columns, row * vectors.columns + k), row * k);
    }
    return out;
  };
  const singularValues = right.values;
  const sigmaK = singularValues[k - 1] as number;
  let gap = 1;
  if (r > k) gap = sigmaK > 0 ? 1 - (singularValues[k] as number) / sigmaK : 0;
  return { basisX: keep(left.vectors), basisY: keep(right.vectors), singularValues, gap };
}
