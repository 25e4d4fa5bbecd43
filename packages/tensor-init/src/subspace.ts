import {
  cholesky,
  choleskySolve,
  createMatrix,
  multiplyTransposeA,
  sparseMultiply,
  topRightSingularVectors,
  transpose,
  type DenseMatrix,
} from '@nimc/linalg';
import type { NimcProblem } from '@nimc/objective';
import { centeredValues, type MomentEstimateOptions } from './moments.js';

/** Options of `estimateSubspace`. */
export interface SubspaceOptions extends MomentEstimateOptions {
  /**
   * Subtracts estimated row effects r_i and column effects c_j from the observed values
   * (`removeMainEffects`) before the moment is formed. The row effect depends on x_i alone
   * and the column effect on y_j alone, so their part of E[A·x⊗y] is zero. For sigmoid and
   * ReLU, whose outputs have a non-zero mean, these effects are large and add much of the
   * noise of the estimate. `center` has no effect when this is true. Default true.
   */
  removeMainEffects?: boolean;
  /**
   * Multiplies the moment by Σx⁻¹ on the left and Σy⁻¹ on the right, where Σx and Σy are the
   * covariances of the features of the observed pairs, (1/m)·Σ_observations x_i x_iᵀ and
   * (1/m)·Σ_observations y_j y_jᵀ. The result approximates the least-squares coefficient B of
   * the bilinear fit A_ij ≈ x_iᵀ·B·y_j. It removes the distortion of the estimated span that
   * sample covariances far from the identity cause when n1 or n2 is a small multiple of d.
   * A side whose covariance is singular or nearly so (for example fewer than d distinct
   * observed feature vectors) is left as it is, and `whitened` reports it. Default true.
   */
  whiten?: boolean;
}

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
  /** Whether each side's covariance was inverted; false where `whiten` is off or the covariance is singular. */
  readonly whitened: { readonly x: boolean; readonly y: boolean };
}

/**
 * Minimum number of observations of a row or column for its effect to be removed. A row
 * observed once would lose its whole value to its own effect, and with it every
 * contribution to E[A·x⊗y].
 */
export const minObservationsPerEffect = 2;

// Subtracts κ_g times the mean of each group with at least `minObservationsPerEffect`
// observations, where κ_g = c_g·s²_effect/(c_g·s²_effect + s²_within) is the shrinkage of the
// best linear predictor of a random effect from c_g observations.
function removeGroupEffects(values: Float64Array, groups: Int32Array, size: number): void {
  const counts = new Float64Array(size);
  const means = new Float64Array(size);
  for (let t = 0; t < values.length; t++) {
    counts[groups[t] as number]! += 1;
    means[groups[t] as number]! += values[t] as number;
  }
  let observed = 0;
  let grandMean = 0;
  for (let g = 0; g < size; g++) {
    if ((counts[g] as number) === 0) continue;
    observed++;
    grandMean += means[g] as number;
    means[g] = (means[g] as number) / (counts[g] as number);
  }
  grandMean /= values.length;

  let within = 0;
  for (let t = 0; t < values.length; t++) within += ((values[t] as number) - (means[groups[t] as number] as number)) ** 2;
  const freedom = values.length - observed;
  const withinVariance = freedom > 0 ? within / freedom : 0;
  let spread = 0;
  let inverseCounts = 0;
  for (let g = 0; g < size; g++) {
    const count = counts[g] as number;
    if (count === 0) continue;
    spread += ((means[g] as number) - grandMean) ** 2;
    inverseCounts += 1 / count;
  }
  // E[(mean_g − grand)²] ≈ s²_effect + s²_within/c_g, averaged over the observed groups.
  const effectVariance = Math.max(0, (spread - withinVariance * inverseCounts) / observed);

  for (let t = 0; t < values.length; t++) {
    const g = groups[t] as number;
    const count = counts[g] as number;
    if (count < minObservationsPerEffect) continue;
    const signal = count * effectVariance;
    const shrinkage = signal + withinVariance > 0 ? signal / (signal + withinVariance) : 0;
    values[t] = (values[t] as number) - shrinkage * (means[g] as number);
  }
}

/**
 * Returns the observed values minus their mean, minus estimated row effects r_i, then minus
 * estimated column effects c_j of what remains. Each effect is the group's mean residual,
 * shrunk toward 0 by c·s²_effect/(c·s²_effect + s²_within), where c is the group's number of
 * observations and one-way analysis of variance estimates the two variances. An effect is
 * therefore removed in full only when many observations pin it down. Rows and columns with
 * fewer than `minObservationsPerEffect` observations keep their values.
 */
export function removeMainEffects(problem: NimcProblem): Float64Array {
  const { observations } = problem;
  const { values } = centeredValues(problem, true);
  removeGroupEffects(values, observations.rows, observations.n1);
  removeGroupEffects(values, observations.columns, observations.n2);
  return values;
}

// (1/m)·Σ_observations f f ᵀ of one side's features, where row i of F appears counts[i] times.
function observedCovariance(F: DenseMatrix, groups: Int32Array, size: number, m: number): DenseMatrix {
  const counts = new Float64Array(size);
  for (let t = 0; t < groups.length; t++) counts[groups[t] as number]! += 1;
  const weighted = createMatrix(F.rows, F.columns);
  for (let i = 0; i < F.rows; i++) {
    const count = (counts[i] as number) / m;
    for (let a = 0; a < F.columns; a++) weighted.data[i * F.columns + a] = count * (F.data[i * F.columns + a] as number);
  }
  const covariance = multiplyTransposeA(F, weighted);
  // Rounding leaves the product slightly asymmetric, and `cholesky` reads only the lower
  // triangle, so both triangles are replaced by their average.
  const d = F.columns;
  const symmetric = createMatrix(d, d);
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) {
      symmetric.data[a * d + b] = ((covariance.data[a * d + b] as number) + (covariance.data[b * d + a] as number)) / 2;
    }
  }
  return symmetric;
}

// Cholesky factor of a covariance, or null when it is not numerically positive definite.
function choleskyOrNull(covariance: DenseMatrix): DenseMatrix | null {
  const L = cholesky(covariance);
  if (L === null) return null;
  let smallest = Infinity;
  let largest = 0;
  for (let a = 0; a < L.rows; a++) {
    smallest = Math.min(smallest, Math.abs(L.data[a * L.columns + a] as number));
    largest = Math.max(largest, Math.abs(L.data[a * L.columns + a] as number));
  }
  // (largest/smallest)² estimates the condition number, and above 1e12 the solve amplifies rounding.
  return smallest > 1e-6 * largest ? L : null;
}

/**
 * Estimates span(U) and span(V) from the top-k singular vectors of
 * M = E[A·x⊗y] ≈ (1/m)·Xᵀ·R·Y = Σ_i a_1(‖u_i‖)·a_1(‖v_i‖)·ū_i v̄_iᵀ, where R contains the
 * observed values after `removeMainEffects` (or centering), and M is whitened by the
 * covariances of the observed features (`whiten`). Costs O(m·d2 + n1·d1·d2 + n·d² + d³)
 * time, with n = max(n1, n2) and d = max(d1, d2), and O(n1·d2 + n·d + d1·d2) memory.
 */
export function estimateSubspace(problem: NimcProblem, k: number, options: SubspaceOptions = {}): SubspaceEstimate {
  const { X, Y, observations } = problem;
  const d1 = X.columns;
  const d2 = Y.columns;
  if (!Number.isInteger(k) || k < 1 || k > Math.min(d1, d2)) {
    throw new RangeError(`invalid rank k: expected an integer from 1 to min(d1, d2) = ${Math.min(d1, d2)}, received ${k}`);
  }
  const values = (options.removeMainEffects ?? true) ? removeMainEffects(problem) : centeredValues(problem, options.center ?? true).values;
  const m = values.length;

  let moment = multiplyTransposeA(X, sparseMultiply(observations, values, Y));
  for (let t = 0; t < moment.data.length; t++) moment.data[t] = (moment.data[t] as number) / m;

  const whiten = options.whiten ?? true;
  const choleskyX = whiten ? choleskyOrNull(observedCovariance(X, observations.rows, observations.n1, m)) : null;
  const choleskyY = whiten ? choleskyOrNull(observedCovariance(Y, observations.columns, observations.n2, m)) : null;
  if (choleskyX !== null || choleskyY !== null) {
    // Σx⁻¹·M, then (Σy⁻¹·(Σx⁻¹·M)ᵀ)ᵀ = Σx⁻¹·M·Σy⁻¹ because Σy is symmetric.
    if (choleskyX !== null) moment = choleskySolve(choleskyX, moment);
    if (choleskyY !== null) moment = transpose(choleskySolve(choleskyY, transpose(moment)));
  }

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
  return {
    basisX: keep(left.vectors),
    basisY: keep(right.vectors),
    singularValues,
    gap,
    whitened: { x: choleskyX !== null, y: choleskyY !== null },
  };
}
