import { sampleFeatures } from '@nimc/datasets';
import { createRandom, multiplyTransposeA, type DenseMatrix } from '@nimc/linalg';
import { embed, type NimcModel } from '@nimc/objective';

/** Computes the relative test error of a model given by its packed parameters θ = [vec(U); vec(V)]. */
export type TestErrorTracker = (theta: Float64Array) => number;

// Σ_ab A_ab·B_ab for two k×k matrices.
function entrywiseDot(a: DenseMatrix, b: DenseMatrix): number {
  let sum = 0;
  for (let t = 0; t < a.data.length; t++) sum += (a.data[t] as number) * (b.data[t] as number);
  return sum;
}

/**
 * Creates a fast form of `relativeTestError(model, truth, { nTest, seed })` of @nimc/datasets
 * for repeated calls during training. It draws the same test features X_t and Y_t (stream
 * "test-features:<seed>", X_t first) and uses k×k Gram matrices in place of the nTest×nTest
 * score matrices: with P = φ(X_t U), Q = φ(Y_t V) and P*, Q* those of the ground truth,
 *
 *     ‖PQᵀ − P*Q*ᵀ‖²_F = ⟨PᵀP, QᵀQ⟩ − 2⟨PᵀP*, QᵀQ*⟩ + ⟨P*ᵀP*, Q*ᵀQ*⟩,
 *
 * which costs O(nTest·(d + k)·k) per call instead of O(nTest²·k).
 *
 * NOTE: the three terms cancel, so the result carries an error near 1e-8 (the square root of
 * the rounding error in double precision). It is accurate for errors well above 1e-7, such
 * as the success threshold 1e-3, but not for the final error of a converged run.
 */
export function createTestErrorTracker(truth: NimcModel, options: { nTest: number; seed: number }): TestErrorTracker {
  const random = createRandom(`test-features:${options.seed}`);
  const Xt = sampleFeatures(options.nTest, truth.U.rows, random);
  const Yt = sampleFeatures(options.nTest, truth.V.rows, random);
  const Pstar = embed(Xt, truth.U, truth.activation);
  const Qstar = embed(Yt, truth.V, truth.activation);
  const reference = entrywiseDot(multiplyTransposeA(Pstar, Pstar), multiplyTransposeA(Qstar, Qstar));
  const { rows: d1, columns: k } = truth.U;
  const d2 = truth.V.rows;

  return (theta) => {
    const U: DenseMatrix = { rows: d1, columns: k, data: theta.subarray(0, d1 * k) };
    const V: DenseMatrix = { rows: d2, columns: k, data: theta.subarray(d1 * k, (d1 + d2) * k) };
    const P = embed(Xt, U, truth.activation);
    const Q = embed(Yt, V, truth.activation);
    const model = entrywiseDot(multiplyTransposeA(P, P), multiplyTransposeA(Q, Q));
    const cross = entrywiseDot(multiplyTransposeA(P, Pstar), multiplyTransposeA(Q, Qstar));
    const squared = Math.max(0, model - 2 * cross + reference);
    if (reference === 0) return squared === 0 ? 0 : Number.POSITIVE_INFINITY;
    return Math.sqrt(squared / reference);
  };
}
