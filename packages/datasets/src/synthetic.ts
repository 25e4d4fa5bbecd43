import { getActivation, type Activation } from '@nimc/activations';
import {
  createObservations,
  createRandom,
  multiplyTransposeB,
  selectRows,
  topRightSingularVectors,
  type DenseMatrix,
  type Random,
} from '@nimc/linalg';
import { embed, predictPairs, type NimcModel, type NimcProblem } from '@nimc/objective';

/** Options of `generateSynthetic`. Give d1 and d2, or d for both; n1 and n2, or n for both. */
export interface SyntheticOptions {
  /** The activation φ, or its name. */
  activation: Activation | string;
  /** Query feature dimension. */
  d1?: number;
  /** Item feature dimension. */
  d2?: number;
  /** Sets d1 = d2 = d. */
  d?: number;
  /** Rank of the ground truth, at most min(d1, d2). */
  k: number;
  /** Number of queries. */
  n1?: number;
  /** Number of items. */
  n2?: number;
  /** Sets n1 = n2 = n. */
  n?: number;
  /** Number of observed pairs, drawn uniformly with replacement. */
  m: number;
  /** Seed of the single random stream. Default 0. */
  seed?: number | string;
  /** Standard deviation of Gaussian noise added to each observed value. Default 0. */
  noise?: number;
}

/** A synthetic problem and the model that generated it. */
export interface SyntheticData {
  problem: NimcProblem;
  truth: NimcModel;
}

function checkPositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`invalid ${name}: expected a positive integer, received ${value}`);
  }
}

function resolvePair(
  options: SyntheticOptions,
  first: 'd1' | 'n1',
  second: 'd2' | 'n2',
  shared: 'd' | 'n',
): [number, number] {
  const both = options[shared];
  const a = options[first] ?? both;
  const b = options[second] ?? both;
  for (const [name, value] of [
    [first, options[first]],
    [second, options[second]],
  ] as const) {
    if (both !== undefined && value !== undefined && value !== both) {
      throw new RangeError(`invalid ${name}: ${shared} = ${both} sets ${first} = ${second} = ${both}, but ${name} = ${value}`);
    }
  }
  if (a === undefined) throw new RangeError(`missing ${first}: give ${first} or ${shared}`);
  if (b === undefined) throw new RangeError(`missing ${second}: give ${second} or ${shared}`);
  checkPositiveInteger(first, a);
  checkPositiveInteger(second, b);
  return [a, b];
}

/** Returns an n×d matrix of independent standard Gaussian features drawn from `random`. */
export function sampleFeatures(n: number, d: number, random: Random): DenseMatrix {
  checkPositiveInteger('n', n);
  checkPositiveInteger('d', d);
  return random.gaussianMatrix(n, d);
}

// Draws a d×k Gaussian matrix and divides it by its k-th largest singular value, so σk = 1.
function sampleWeights(d: number, k: number, random: Random, name: string): DenseMatrix {
  const weights = random.gaussianMatrix(d, k);
  const sigmaK = topRightSingularVectors(weights, k).values[k - 1] as number;
  if (!(sigmaK > 0)) {
    throw new RangeError(`invalid ${name}: the sampled ${d}x${k} matrix has σk = ${sigmaK}, so it cannot be normalized`);
  }
  for (let t = 0; t < weights.data.length; t++) weights.data[t] = (weights.data[t] as number) / sigmaK;
  return weights;
}

/**
 * Generates a synthetic NIMC problem: Gaussian ground truth U* (d1×k) and V* (d2×k), each
 * scaled so that its k-th singular value is 1, Gaussian features X (n1×d1) and Y (n2×d2),
 * and m pairs (i, j) drawn uniformly with replacement with A_ij = φ(U*ᵀx_i)ᵀφ(V*ᵀy_j),
 * plus N(0, noise²) when `noise` > 0. All draws come from one stream seeded with `seed`,
 * in the order U*, V*, X, Y, the pairs (i then j for each), then the noise.
 */
export function generateSynthetic(options: SyntheticOptions): SyntheticData {
  const activation = typeof options.activation === 'string' ? getActivation(options.activation) : options.activation;
  const [d1, d2] = resolvePair(options, 'd1', 'd2', 'd');
  const [n1, n2] = resolvePair(options, 'n1', 'n2', 'n');
  const { k, m } = options;
  const noise = options.noise ?? 0;
  checkPositiveInteger('k', k);
  checkPositiveInteger('m', m);
  if (k > Math.min(d1, d2)) {
    throw new RangeError(`invalid k: expected at most min(d1, d2) = ${Math.min(d1, d2)}, received ${k}`);
  }
  if (!(noise >= 0 && Number.isFinite(noise))) {
    throw new RangeError(`invalid noise: expected a finite standard deviation ≥ 0, received ${noise}`);
  }
  const random = createRandom(options.seed ?? 0);

  const U = sampleWeights(d1, k, random, 'U*');
  const V = sampleWeights(d2, k, random, 'V*');
  const truth: NimcModel = { U, V, activation };

  const X = sampleFeatures(n1, d1, random);
  const Y = sampleFeatures(n2, d2, random);

  const rows = new Int32Array(m);
  const columns = new Int32Array(m);
  for (let t = 0; t < m; t++) {
    rows[t] = random.integer(n1);
    columns[t] = random.integer(n2);
  }
  const values = predictPairs(truth, X, Y, rows, columns);
  if (noise > 0) {
    for (let t = 0; t < m; t++) values[t] = (values[t] as number) + noise * random.gaussian();
  }

  return { problem: { X, Y, observations: createObservations(n1, n2, rows, columns, values) }, truth };
}

/** Options of `relativeTestError`. */
export interface RelativeTestErrorOptions {
  /** Number of fresh test queries and of fresh test items. Default 1000. */
  nTest?: number;
  /** Seed of the test features. Default 0. */
  seed?: number | string;
}

// Rows of the nTest×nTest score matrices formed at a time.
const blockRows = 64;

/**
 * Computes ‖φ(X_t U)φ(Y_t V)ᵀ − φ(X_t U*)φ(Y_t V*)ᵀ‖_F / ‖φ(X_t U*)φ(Y_t V*)ᵀ‖_F on fresh
 * standard Gaussian test features X_t (nTest×d1) and Y_t (nTest×d2), drawn in that order.
 * Their stream is seeded with the string "test-features:<seed>", so it never repeats the
 * stream `generateSynthetic` draws from for any numeric seed. Each model uses its own
 * activation. Only `blockRows` rows of the score matrices exist at a time. When the
 * ground-truth scores are all zero, the result is 0 for equal scores and Infinity otherwise.
 */
export function relativeTestError(model: NimcModel, truth: NimcModel, options: RelativeTestErrorOptions = {}): number {
  const nTest = options.nTest ?? 1000;
  checkPositiveInteger('nTest', nTest);
  if (model.U.rows !== truth.U.rows || model.V.rows !== truth.V.rows) {
    throw new RangeError(
      `invalid model: U is ${model.U.rows}x${model.U.columns} and V is ${model.V.rows}x${model.V.columns}, ` +
        `but the ground truth has d1 = ${truth.U.rows} and d2 = ${truth.V.rows}`,
    );
  }
  const random = createRandom(`test-features:${options.seed ?? 0}`);
  const Xt = sampleFeatures(nTest, truth.U.rows, random);
  const Yt = sampleFeatures(nTest, truth.V.rows, random);

  const P = embed(Xt, model.U, model.activation);
  const Q = embed(Yt, model.V, model.activation);
  const Pstar = embed(Xt, truth.U, truth.activation);
  const Qstar = embed(Yt, truth.V, truth.activation);

  let difference = 0;
  let reference = 0;
  for (let start = 0; start < nTest; start += blockRows) {
    const rows = Int32Array.from({ length: Math.min(blockRows, nTest - start) }, (_, r) => start + r);
    const scores = multiplyTransposeB(selectRows(P, rows), Q);
    const scoresStar = multiplyTransposeB(selectRows(Pstar, rows), Qstar);
    for (let t = 0; t < scores.data.length; t++) {
      const expected = scoresStar.data[t] as number;
      const gap = (scores.data[t] as number) - expected;
      difference += gap * gap;
      reference += expected * expected;
    }
  }
  if (reference === 0) return difference === 0 ? 0 : Infinity;
  return Math.sqrt(difference) / Math.sqrt(reference);
}
