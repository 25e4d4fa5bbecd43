import type { Activation } from '@nimc/activations';
import { createMatrix, multiply, multiplyTransposeA, type DenseMatrix } from '@nimc/linalg';
import {
  checkParameterLength,
  checkProblem,
  createEmbeddingCache,
  secondOrderCoefficients,
  type EmbeddingState,
} from './embedding-cache.js';
import { assembleHessian } from './hessian.js';
import type { NimcProblem } from './model.js';
import type { ObjectiveOptions } from './objective.js';

/**
 * First- and second-order information of the NIMC loss
 * f(θ) = 1/(2m) Σ_t r_t² + (λ/2)‖θ‖², with r_t = φ(Uᵀx_i)ᵀφ(Vᵀy_j) − A_ij and
 * θ = [vec(U); vec(V)] (row-major, U d1×k first). J is the m×(d1 + d2)k Jacobian of the
 * predictions, so ∇f = Jᵀr/m + λθ and the Gauss–Newton matrix is JᵀJ/m + λI.
 *
 * The embeddings, φ′, φ″ and residuals are cached for the two most recent θ (compared by
 * content), so repeated products at the same θ cost O((n1·d1 + n2·d2)·k + m·k) each
 * and skip the forward pass. The methods are not reentrant: they share work buffers.
 *
 * NOTE: the passes over the m observations here are plain TypeScript loops in the input
 * order, not the tiled SIMD kernels of `createObjective`, so a product costs several times
 * an evaluation of the loss (about 23 s against 1.7 s at n1 = n2 = 10^5, m = 10^7, k = 50).
 */
export interface Curvature {
  readonly d1: number;
  readonly d2: number;
  readonly k: number;
  /** Length of θ: (d1 + d2)·k. */
  readonly dimension: number;
  /** Number of observations m. */
  readonly size: number;
  readonly activation: Activation;
  /** Weight λ of the penalty. */
  readonly l2: number;
  /** Writes ∇f(θ) into `gradient` and returns f(θ). */
  evaluate(theta: Float64Array, gradient: Float64Array): number;
  /** Returns f(θ). */
  loss(theta: Float64Array): number;
  /** Computes J·v (length m), the change of every prediction along v. */
  jacobianTimes(theta: Float64Array, v: Float64Array, out?: Float64Array): Float64Array;
  /** Computes Jᵀ·w (length (d1 + d2)·k) for w of length m. */
  jacobianTransposeTimes(theta: Float64Array, w: Float64Array, out?: Float64Array): Float64Array;
  /** Computes (JᵀJ/m + λI)·v, the Gauss–Newton matrix times v. */
  gaussNewtonTimes(theta: Float64Array, v: Float64Array, out?: Float64Array): Float64Array;
  /** Computes ∇²f(θ)·v exactly. */
  hessianTimes(theta: Float64Array, v: Float64Array, out?: Float64Array): Float64Array;
  /** Returns the dense symmetric (d1 + d2)k × (d1 + d2)k Hessian ∇²f(θ). */
  hessian(theta: Float64Array): DenseMatrix;
}

/**
 * Creates the curvature operators of the loss of `problem` for a rank-k model with
 * activation φ and penalty weight `options.l2` (the same loss as `createObjective`).
 *
 * The Hessian-vector product differentiates ∇f along v = [dU; dV]. With dZ1 = X·dU,
 * dZ2 = Y·dV, dP = φ′(XU) ⊙ dZ1, dQ = φ′(YV) ⊙ dZ2 and w = J·v/m:
 *
 *   H_U v = Xᵀ[ (W·Q + R·dQ/m) ⊙ φ′(XU) + (R·Q/m) ⊙ φ″(XU) ⊙ dZ1 ] + λ·dU
 *   H_V v = Yᵀ[ (Wᵀ·P + Rᵀ·dP/m) ⊙ φ′(YV) + (Rᵀ·P/m) ⊙ φ″(YV) ⊙ dZ2 ] + λ·dV
 *
 * where R and W are the sparse n1×n2 matrices holding r_t and w_t at the observed
 * positions. Dropping every term that contains R gives the Gauss–Newton product.
 */
export function createCurvature(
  problem: NimcProblem,
  activation: Activation,
  k: number,
  options: ObjectiveOptions = {},
): Curvature {
  const l2 = options.l2 ?? 0;
  const shape = checkProblem(problem, k, l2);
  const { X, Y, observations } = problem;
  const { d1, d2, n1, n2, m, dimension } = shape;
  const sizeU = d1 * k;
  const cache = createEmbeddingCache(problem, activation, shape);

  // Work buffers shared by the products.
  const dZ1 = createMatrix(n1, k);
  const dZ2 = createMatrix(n2, k);
  const dP = createMatrix(n1, k);
  const dQ = createMatrix(n2, k);
  const G1 = createMatrix(n1, k);
  const G2 = createMatrix(n2, k);
  const predictionChange = new Float64Array(m);

  const outputFor = (name: string, out: Float64Array | undefined, length: number): Float64Array => {
    if (out === undefined) return new Float64Array(length);
    if (out.length !== length) {
      throw new RangeError(`invalid ${name}: expected length ${length}, received ${out.length}`);
    }
    return out;
  };

  // dZ1 = X·dU, dZ2 = Y·dV, dP = φ′(XU) ⊙ dZ1, dQ = φ′(YV) ⊙ dZ2.
  const directionalEmbeddings = (state: EmbeddingState, v: Float64Array): void => {
    multiply(X, createMatrix(d1, k, v.subarray(0, sizeU)), dZ1);
    multiply(Y, createMatrix(d2, k, v.subarray(sizeU)), dZ2);
    for (let t = 0; t < dP.data.length; t++) dP.data[t] = (state.D1.data[t] as number) * (dZ1.data[t] as number);
    for (let t = 0; t < dQ.data.length; t++) dQ.data[t] = (state.D2.data[t] as number) * (dZ2.data[t] as number);
  };

  // (J·v)_t = dP_i·Q_j + P_i·dQ_j.
  const predictionDerivative = (state: EmbeddingState, out: Float64Array): void => {
    const p = state.P.data;
    const q = state.Q.data;
    for (let t = 0; t < m; t++) {
      const rowP = (observations.rows[t] as number) * k;
      const rowQ = (observations.columns[t] as number) * k;
      let sum = 0;
      for (let c = 0; c < k; c++) {
        sum += (dP.data[rowP + c] as number) * (q[rowQ + c] as number);
        sum += (p[rowP + c] as number) * (dQ.data[rowQ + c] as number);
      }
      out[t] = sum;
    }
  };

  // G1 = (W·Q) and G2 = (Wᵀ·P) for the sparse W with `weights` at the observed positions.
  const scatterWeights = (state: EmbeddingState, weights: Float64Array): void => {
    G1.data.fill(0);
    G2.data.fill(0);
    const p = state.P.data;
    const q = state.Q.data;
    for (let t = 0; t < m; t++) {
      const weight = weights[t] as number;
      if (weight === 0) continue;
      const rowP = (observations.rows[t] as number) * k;
      const rowQ = (observations.columns[t] as number) * k;
      for (let c = 0; c < k; c++) {
        G1.data[rowP + c]! += weight * (q[rowQ + c] as number);
        G2.data[rowQ + c]! += weight * (p[rowP + c] as number);
      }
    }
  };

  // out = [Xᵀ(G1 ⊙ φ′(XU)); Yᵀ(G2 ⊙ φ′(YV))].
  const backProject = (state: EmbeddingState, out: Float64Array): void => {
    for (let t = 0; t < G1.data.length; t++) G1.data[t]! *= state.D1.data[t] as number;
    for (let t = 0; t < G2.data.length; t++) G2.data[t]! *= state.D2.data[t] as number;
    multiplyTransposeA(X, G1, createMatrix(d1, k, out.subarray(0, sizeU)));
    multiplyTransposeA(Y, G2, createMatrix(d2, k, out.subarray(sizeU)));
  };

  const addPenalty = (v: Float64Array, out: Float64Array): void => {
    if (l2 === 0) return;
    for (let t = 0; t < dimension; t++) out[t]! += l2 * (v[t] as number);
  };

  const penalty = (theta: Float64Array): number => {
    if (l2 === 0) return 0;
    let sum = 0;
    for (let t = 0; t < dimension; t++) sum += (theta[t] as number) * (theta[t] as number);
    return 0.5 * l2 * sum;
  };

  const jacobianTimes = (theta: Float64Array, v: Float64Array, out?: Float64Array): Float64Array => {
    checkParameterLength('v', v, dimension);
    const result = outputFor('output', out, m);
    const state = cache.stateAt(theta);
    directionalEmbeddings(state, v);
    predictionDerivative(state, result);
    return result;
  };

  const jacobianTransposeTimes = (theta: Float64Array, w: Float64Array, out?: Float64Array): Float64Array => {
    if (w.length !== m) {
      throw new RangeError(`invalid w: expected one value per observation (${m}), received ${w.length}`);
    }
    const result = outputFor('output', out, dimension);
    const state = cache.stateAt(theta);
    scatterWeights(state, w);
    backProject(state, result);
    return result;
  };

  const evaluate = (theta: Float64Array, gradient: Float64Array): number => {
    checkParameterLength('gradient', gradient, dimension);
    const state = cache.stateAt(theta);
    for (let t = 0; t < m; t++) predictionChange[t] = (state.residuals[t] as number) / m;
    scatterWeights(state, predictionChange);
    backProject(state, gradient);
    addPenalty(theta, gradient);
    return state.dataLoss + penalty(theta);
  };

  const loss = (theta: Float64Array): number => cache.stateAt(theta).dataLoss + penalty(theta);

  const gaussNewtonTimes = (theta: Float64Array, v: Float64Array, out?: Float64Array): Float64Array => {
    checkParameterLength('v', v, dimension);
    const result = outputFor('output', out, dimension);
    const state = cache.stateAt(theta);
    directionalEmbeddings(state, v);
    predictionDerivative(state, predictionChange);
    for (let t = 0; t < m; t++) predictionChange[t]! /= m;
    scatterWeights(state, predictionChange);
    backProject(state, result);
    addPenalty(v, result);
    return result;
  };

  const hessianTimes = (theta: Float64Array, v: Float64Array, out?: Float64Array): Float64Array => {
    checkParameterLength('v', v, dimension);
    const result = outputFor('output', out, dimension);
    const state = cache.stateAt(theta);
    const { C1, C2 } = secondOrderCoefficients(state, problem, activation, k);

    directionalEmbeddings(state, v);
    predictionDerivative(state, predictionChange);
    for (let t = 0; t < m; t++) predictionChange[t]! /= m;

    // Gauss–Newton part W·Q, Wᵀ·P, plus the mixed terms R·dQ/m and Rᵀ·dP/m.
    scatterWeights(state, predictionChange);
    for (let t = 0; t < m; t++) {
      const weight = (state.residuals[t] as number) / m;
      if (weight === 0) continue;
      const rowP = (observations.rows[t] as number) * k;
      const rowQ = (observations.columns[t] as number) * k;
      for (let c = 0; c < k; c++) {
        G1.data[rowP + c]! += weight * (dQ.data[rowQ + c] as number);
        G2.data[rowQ + c]! += weight * (dP.data[rowP + c] as number);
      }
    }
    for (let t = 0; t < G1.data.length; t++) G1.data[t]! *= state.D1.data[t] as number;
    for (let t = 0; t < G2.data.length; t++) G2.data[t]! *= state.D2.data[t] as number;

    // Curvature of φ itself: (R·Q/m) ⊙ φ″(XU) ⊙ dZ1 and its V counterpart.
    for (let t = 0; t < G1.data.length; t++) G1.data[t]! += (C1.data[t] as number) * (dZ1.data[t] as number);
    for (let t = 0; t < G2.data.length; t++) G2.data[t]! += (C2.data[t] as number) * (dZ2.data[t] as number);

    multiplyTransposeA(X, G1, createMatrix(d1, k, result.subarray(0, sizeU)));
    multiplyTransposeA(Y, G2, createMatrix(d2, k, result.subarray(sizeU)));
    addPenalty(v, result);
    return result;
  };

  const hessian = (theta: Float64Array): DenseMatrix => assembleHessian(cache.stateAt(theta), problem, activation, shape, l2);

  return {
    d1,
    d2,
    k,
    dimension,
    size: m,
    activation,
    l2,
    evaluate,
    loss,
    jacobianTimes,
    jacobianTransposeTimes,
    gaussNewtonTimes,
    hessianTimes,
    hessian,
  };
}

/** Computes ∇²f(θ)·v once. Use `createCurvature` for repeated products. */
export function hessianVectorProduct(
  problem: NimcProblem,
  activation: Activation,
  k: number,
  theta: Float64Array,
  v: Float64Array,
  options: ObjectiveOptions = {},
): Float64Array {
  return createCurvature(problem, activation, k, options).hessianTimes(theta, v);
}

/** Computes (JᵀJ/m + λI)·v once. Use `createCurvature` for repeated products. */
export function gaussNewtonVectorProduct(
  problem: NimcProblem,
  activation: Activation,
  k: number,
  theta: Float64Array,
  v: Float64Array,
  options: ObjectiveOptions = {},
): Float64Array {
  return createCurvature(problem, activation, k, options).gaussNewtonTimes(theta, v);
}
