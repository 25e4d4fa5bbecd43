import type { Activation } from '@nimc/activations';
import { createMatrix, multiply, multiplyTransposeA, type DenseMatrix } from '@nimc/linalg';
import { createEmbeddingCache, secondOrderCoefficients, type EmbeddingState, type ProblemShape } from './embedding-cache.js';
import { assembleHessian } from './hessian.js';
import type { NimcProblem } from './model.js';

/**
 * The curvature products that need the observations one by one, in their input order:
 * J·v and Jᵀ·w have one entry per observation, and the Hessian needs the residuals. The
 * lengths of v, w and the outputs are checked by the caller.
 */
export interface ObservationProducts {
  jacobianTimes(theta: Float64Array, v: Float64Array, out: Float64Array): void;
  jacobianTransposeTimes(theta: Float64Array, w: Float64Array, out: Float64Array): void;
  hessianTimes(theta: Float64Array, v: Float64Array, out: Float64Array): void;
  hessian(theta: Float64Array): DenseMatrix;
}

/**
 * Creates the products of `ObservationProducts` on the original observations of `problem`,
 * with the embeddings of the two most recent θ cached (`createEmbeddingCache`).
 *
 * NOTE: the passes over the m observations here are plain TypeScript loops in the input
 * order, not the tiled SIMD kernels of `createObjective`, so a product costs several times
 * an evaluation of the loss (about 23 s against 1.7 s at n1 = n2 = 10^5, m = 10^7, k = 50).
 */
export function createObservationProducts(
  problem: NimcProblem,
  activation: Activation,
  shape: ProblemShape,
  l2: number,
): ObservationProducts {
  const { X, Y, observations } = problem;
  const { d1, d2, n1, n2, k, m, dimension } = shape;
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

  const jacobianTimes = (theta: Float64Array, v: Float64Array, out: Float64Array): void => {
    const state = cache.stateAt(theta);
    directionalEmbeddings(state, v);
    predictionDerivative(state, out);
  };

  const jacobianTransposeTimes = (theta: Float64Array, w: Float64Array, out: Float64Array): void => {
    const state = cache.stateAt(theta);
    scatterWeights(state, w);
    backProject(state, out);
  };

  const hessianTimes = (theta: Float64Array, v: Float64Array, out: Float64Array): void => {
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

    multiplyTransposeA(X, G1, createMatrix(d1, k, out.subarray(0, sizeU)));
    multiplyTransposeA(Y, G2, createMatrix(d2, k, out.subarray(sizeU)));
    if (l2 !== 0) {
      for (let t = 0; t < dimension; t++) out[t]! += l2 * (v[t] as number);
    }
  };

  const hessian = (theta: Float64Array): DenseMatrix => assembleHessian(cache.stateAt(theta), problem, activation, shape, l2);

  return { jacobianTimes, jacobianTransposeTimes, hessianTimes, hessian };
}
