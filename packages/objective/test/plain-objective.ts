import type { Activation } from '@nimc/activations';
import { createObservations, createRandom, type DenseMatrix } from '@nimc/linalg';
import type { NimcProblem } from '../src/index.js';

/**
 * The loss and gradient computed observation by observation with plain loops and no
 * merging, sorting or blocking: the definition the fast paths must reproduce.
 */
export function plainEvaluate(
  problem: NimcProblem,
  activation: Activation,
  k: number,
  theta: Float64Array,
  l2: number,
): { loss: number; gradient: Float64Array } {
  const { X, Y, observations } = problem;
  const d1 = X.columns;
  const d2 = Y.columns;
  const m = observations.values.length;
  const embed = (F: DenseMatrix, offset: number, d: number) => {
    const Z = new Float64Array(F.rows * k);
    for (let i = 0; i < F.rows; i++) {
      for (let c = 0; c < k; c++) {
        let sum = 0;
        for (let p = 0; p < d; p++) sum += (F.data[i * d + p] as number) * (theta[offset + p * k + c] as number);
        Z[i * k + c] = sum;
      }
    }
    return { Z, E: Z.map((z) => activation.value(z)) };
  };
  const first = embed(X, 0, d1);
  const second = embed(Y, d1 * k, d2);

  const G1 = new Float64Array(X.rows * k);
  const G2 = new Float64Array(Y.rows * k);
  let sum = 0;
  for (let t = 0; t < m; t++) {
    const i = observations.rows[t] as number;
    const j = observations.columns[t] as number;
    let prediction = 0;
    for (let c = 0; c < k; c++) prediction += (first.E[i * k + c] as number) * (second.E[j * k + c] as number);
    const residual = prediction - (observations.values[t] as number);
    sum += residual * residual;
    for (let c = 0; c < k; c++) {
      G1[i * k + c]! += (residual / m) * (second.E[j * k + c] as number);
      G2[j * k + c]! += (residual / m) * (first.E[i * k + c] as number);
    }
  }

  const gradient = new Float64Array((d1 + d2) * k);
  const project = (F: DenseMatrix, G: Float64Array, Z: Float64Array, offset: number, d: number) => {
    for (let i = 0; i < F.rows; i++) {
      for (let c = 0; c < k; c++) {
        const g = (G[i * k + c] as number) * activation.derivative(Z[i * k + c] as number);
        for (let p = 0; p < d; p++) gradient[offset + p * k + c]! += (F.data[i * d + p] as number) * g;
      }
    }
  };
  project(X, G1, first.Z, 0, d1);
  project(Y, G2, second.Z, d1 * k, d2);
  let penalty = 0;
  for (let t = 0; t < theta.length; t++) {
    gradient[t]! += l2 * (theta[t] as number);
    penalty += (theta[t] as number) ** 2;
  }
  return { loss: sum / (2 * m) + 0.5 * l2 * penalty, gradient };
}

/**
 * Draws a problem with Gaussian features, pairs drawn with replacement and Gaussian
 * values. With `categories` > 0 the features are one-hot rows of that many categories,
 * so rows and pairs repeat and the objective merges them.
 */
export function randomProblem(
  seed: number,
  sizes: { n1: number; n2: number; d1: number; d2: number; m: number; categories?: number; integerValues?: boolean },
): NimcProblem {
  const random = createRandom(seed);
  const features = (n: number, d: number): DenseMatrix => {
    if (!sizes.categories) return random.gaussianMatrix(n, d);
    const out = { rows: n, columns: d, data: new Float64Array(n * d) };
    for (let i = 0; i < n; i++) out.data[i * d + random.integer(Math.min(d, sizes.categories))] = 1;
    return out;
  };
  const X = features(sizes.n1, sizes.d1);
  const Y = features(sizes.n2, sizes.d2);
  const rows = new Int32Array(sizes.m);
  const columns = new Int32Array(sizes.m);
  const values = new Float64Array(sizes.m);
  for (let t = 0; t < sizes.m; t++) {
    rows[t] = random.integer(sizes.n1);
    columns[t] = random.integer(sizes.n2);
    values[t] = sizes.integerValues ? 1 + random.integer(5) : random.gaussian();
  }
  return { X, Y, observations: createObservations(sizes.n1, sizes.n2, rows, columns, values) };
}

/** Returns ‖a − b‖₂/‖b‖₂. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let difference = 0;
  let norm = 0;
  for (let t = 0; t < b.length; t++) {
    difference += ((a[t] as number) - (b[t] as number)) ** 2;
    norm += (b[t] as number) ** 2;
  }
  return Math.sqrt(difference / norm);
}

/** Returns a Gaussian θ of the given length, scaled by `scale`. */
export function randomTheta(seed: number, length: number, scale = 0.3): Float64Array {
  return createRandom(seed).gaussianMatrix(1, length).data.map((value) => scale * value);
}
