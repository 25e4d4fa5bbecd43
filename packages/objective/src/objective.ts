import type { Activation } from '@nimc/activations';
import { createMatrix, multiply, multiplyTransposeA, type DenseMatrix } from '@nimc/linalg';
import { compressObservations } from './compress.js';
import { dot, type NimcModel, type NimcProblem } from './model.js';

/** Options of the training loss. */
export interface ObjectiveOptions {
  /** Weight λ of the penalty (λ/2)(‖U‖²_F + ‖V‖²_F). Default 0. */
  l2?: number;
}

/**
 * The loss f(U, V) = 1/(2m) Σ_{(i,j)∈Ω} (φ(Uᵀx_i)ᵀφ(Vᵀy_j) − A_ij)² + (λ/2)(‖U‖² + ‖V‖²)
 * as a function of the flat parameter vector θ = [vec(U); vec(V)], with U and V row-major.
 */
export interface NimcObjective {
  readonly d1: number;
  readonly d2: number;
  readonly k: number;
  /** Length of θ: (d1 + d2)·k. */
  readonly dimension: number;
  /** Number of observations m. */
  readonly size: number;
  readonly activation: Activation;
  /** Writes ∇f(θ) into `gradient` and returns f(θ). */
  evaluate(theta: Float64Array, gradient: Float64Array): number;
  /** Returns f(θ) without the gradient. */
  loss(theta: Float64Array): number;
  /**
   * Writes the gradient of the mean loss over the observations listed in `batch` into
   * `gradient` and returns that loss (penalty included).
   */
  evaluateBatch(theta: Float64Array, batch: Int32Array, gradient: Float64Array): number;
  /** Packs U and V into a new θ. */
  pack(U: DenseMatrix, V: DenseMatrix): Float64Array;
  /** Returns the model whose U and V are views into θ (no copy). */
  unpack(theta: Float64Array): NimcModel;
}

function checkLength(name: string, array: Float64Array, expected: number): void {
  if (array.length !== expected) {
    throw new RangeError(`invalid ${name}: expected length (d1 + d2)·k = ${expected}, received ${array.length}`);
  }
}

/**
 * Creates the training loss of `problem` for a rank-k model with the given activation.
 *
 * Users with identical features share one embedding, and so do items, so the loss is
 * evaluated on the distinct feature rows and the merged pairs (see `compressObservations`).
 * Every evaluation costs O((n1·d1 + n2·d2)·k + m·k), with n1, n2 and m counted after
 * merging: the embeddings are computed once, then one pass over the pairs, grouped by row,
 * forms the residuals and both sparse products R·Q and Rᵀ·P.
 */
export function createObjective(
  problem: NimcProblem,
  activation: Activation,
  k: number,
  options: ObjectiveOptions = {},
): NimcObjective {
  const { observations } = problem;
  const l2 = options.l2 ?? 0;
  if (!Number.isInteger(k) || k < 1) {
    throw new RangeError(`invalid rank k: expected a positive integer, received ${k}`);
  }
  if (!(l2 >= 0 && Number.isFinite(l2))) {
    throw new RangeError(`invalid l2: expected a finite number ≥ 0, received ${l2}`);
  }
  if (observations.n1 !== problem.X.rows || observations.n2 !== problem.Y.rows) {
    throw new RangeError(
      `invalid problem: observations index a ${observations.n1}x${observations.n2} matrix but X has ${problem.X.rows} rows and Y has ${problem.Y.rows}`,
    );
  }
  const d1 = problem.X.columns;
  const d2 = problem.Y.columns;
  const m = observations.values.length;
  const sizeU = d1 * k;
  const dimension = (d1 + d2) * k;

  const merged = compressObservations(problem.X, problem.Y, observations);
  const X = merged.X.features;
  const Y = merged.Y.features;
  const n1 = X.rows;
  const n2 = Y.rows;
  const pairs = merged.rows.length;

  // Work buffers, allocated once: pre-activations, embeddings, and R·Q, Rᵀ·P.
  const Z1 = createMatrix(n1, k);
  const Z2 = createMatrix(n2, k);
  const P = createMatrix(n1, k);
  const Q = createMatrix(n2, k);
  const G1 = createMatrix(n1, k);
  const G2 = createMatrix(n2, k);

  // Pair indices grouped by row (a stable counting sort), so that the full pass keeps
  // P_i and G1_i in cache while it walks the pairs of row i.
  const rowStart = new Int32Array(n1 + 1);
  for (let s = 0; s < pairs; s++) rowStart[(merged.rows[s] as number) + 1]! += 1;
  for (let i = 0; i < n1; i++) rowStart[i + 1]! += rowStart[i] as number;
  const byRow = new Int32Array(pairs);
  const cursor = rowStart.slice(0, n1);
  for (let s = 0; s < pairs; s++) byRow[cursor[merged.rows[s] as number]!++] = s;

  const unpack = (theta: Float64Array): NimcModel => {
    checkLength('θ', theta, dimension);
    return {
      U: createMatrix(d1, k, theta.subarray(0, sizeU)),
      V: createMatrix(d2, k, theta.subarray(sizeU)),
      activation,
    };
  };

  const forward = (model: NimcModel): void => {
    multiply(X, model.U, Z1);
    multiply(Y, model.V, Z2);
    for (let t = 0; t < Z1.data.length; t++) P.data[t] = activation.value(Z1.data[t] as number);
    for (let t = 0; t < Z2.data.length; t++) Q.data[t] = activation.value(Z2.data[t] as number);
  };

  const penalty = (theta: Float64Array): number => {
    if (l2 === 0) return 0;
    let sum = 0;
    for (let t = 0; t < theta.length; t++) sum += (theta[t] as number) * (theta[t] as number);
    return 0.5 * l2 * sum;
  };

  // Adds the pair (rowP/k, rowQ/k) with target `value` and multiplicity `count`:
  // r = P_i·Q_j − value, and with the gradient G1_i += scale·count·r·Q_j and
  // G2_j += scale·count·r·P_i. Returns count·r².
  const visit = (
    rowP: number,
    rowQ: number,
    value: number,
    count: number,
    scale: number,
    withGradient: boolean,
  ): number => {
    const p = P.data;
    const q = Q.data;
    const residual = dot(p, rowP, q, rowQ, k) - value;
    if (withGradient) {
      const g1 = G1.data;
      const g2 = G2.data;
      const weight = scale * count * residual;
      for (let c = 0; c < k; c++) {
        g1[rowP + c]! += weight * (q[rowQ + c] as number);
        g2[rowQ + c]! += weight * (p[rowP + c] as number);
      }
    }
    return count * residual * residual;
  };

  // One pass over all merged pairs, row by row. Returns (1/2m)·Σ squared residuals.
  // This is the hot loop of training, so it is written out instead of calling `visit`.
  const accumulateAll = (withGradient: boolean): number => {
    const p = P.data;
    const q = Q.data;
    const g1 = G1.data;
    const g2 = G2.data;
    const columns = merged.columns;
    const means = merged.means;
    const counts = merged.counts;
    if (withGradient) {
      g1.fill(0);
      g2.fill(0);
    }
    let sum = merged.spread;
    for (let i = 0; i < n1; i++) {
      const rowP = i * k;
      const end = rowStart[i + 1] as number;
      for (let s = rowStart[i] as number; s < end; s++) {
        const pair = byRow[s] as number;
        const rowQ = (columns[pair] as number) * k;
        let prediction = 0;
        for (let c = 0; c < k; c++) prediction += (p[rowP + c] as number) * (q[rowQ + c] as number);
        const residual = prediction - (means[pair] as number);
        const count = counts[pair] as number;
        sum += count * residual * residual;
        if (!withGradient) continue;
        const weight = (count * residual) / m;
        for (let c = 0; c < k; c++) {
          g1[rowP + c]! += weight * (q[rowQ + c] as number);
          g2[rowQ + c]! += weight * (p[rowP + c] as number);
        }
      }
    }
    return m === 0 ? 0 : sum / (2 * m);
  };

  // One pass over the original observations listed in `batch`. Returns half their mean
  // squared residual.
  const accumulateBatch = (batch: Int32Array): number => {
    G1.data.fill(0);
    G2.data.fill(0);
    const count = batch.length;
    let sum = 0;
    for (let s = 0; s < count; s++) {
      const t = batch[s] as number;
      if (!(t >= 0 && t < m)) {
        throw new RangeError(`invalid batch entry ${s}: observation ${t} does not exist among ${m}`);
      }
      const rowP = (merged.X.groupOf[observations.rows[t] as number] as number) * k;
      const rowQ = (merged.Y.groupOf[observations.columns[t] as number] as number) * k;
      sum += visit(rowP, rowQ, observations.values[t] as number, 1, 1 / count, true);
    }
    return count === 0 ? 0 : sum / (2 * count);
  };

  // ∇_U = Xᵀ[(R·Q/m) ⊙ φ′(XU)] + λU and ∇_V = Yᵀ[(Rᵀ·P/m) ⊙ φ′(YV)] + λV, where
  // G1 and G2 already hold R·Q/m and Rᵀ·P/m.
  const backward = (theta: Float64Array, gradient: Float64Array): void => {
    for (let t = 0; t < G1.data.length; t++) G1.data[t]! *= activation.derivative(Z1.data[t] as number);
    for (let t = 0; t < G2.data.length; t++) G2.data[t]! *= activation.derivative(Z2.data[t] as number);
    multiplyTransposeA(X, G1, createMatrix(d1, k, gradient.subarray(0, sizeU)));
    multiplyTransposeA(Y, G2, createMatrix(d2, k, gradient.subarray(sizeU)));
    if (l2 !== 0) {
      for (let t = 0; t < dimension; t++) gradient[t]! += l2 * (theta[t] as number);
    }
  };

  const evaluate = (theta: Float64Array, gradient: Float64Array): number => {
    checkLength('gradient', gradient, dimension);
    forward(unpack(theta));
    const loss = accumulateAll(true);
    backward(theta, gradient);
    return loss + penalty(theta);
  };

  const loss = (theta: Float64Array): number => {
    forward(unpack(theta));
    return accumulateAll(false) + penalty(theta);
  };

  const evaluateBatch = (theta: Float64Array, batch: Int32Array, gradient: Float64Array): number => {
    checkLength('gradient', gradient, dimension);
    forward(unpack(theta));
    const value = accumulateBatch(batch);
    backward(theta, gradient);
    return value + penalty(theta);
  };

  const pack = (U: DenseMatrix, V: DenseMatrix): Float64Array => {
    if (U.rows !== d1 || U.columns !== k || V.rows !== d2 || V.columns !== k) {
      throw new RangeError(
        `invalid parameters: expected U ${d1}x${k} and V ${d2}x${k}, received U ${U.rows}x${U.columns} and V ${V.rows}x${V.columns}`,
      );
    }
    const theta = new Float64Array(dimension);
    theta.set(U.data, 0);
    theta.set(V.data, sizeU);
    return theta;
  };

  return { d1, d2, k, dimension, size: m, activation, evaluate, loss, evaluateBatch, pack, unpack };
}
