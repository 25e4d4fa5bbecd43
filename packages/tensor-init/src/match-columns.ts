import { getActivation, type Activation, type ActivationName } from '@nimc/activations';
import { createMatrix, type DenseMatrix } from '@nimc/linalg';
import { solveAssignment } from './assignment.js';

/** Options of `matchColumns`: which symmetries of the model the alignment may use. */
export interface MatchColumnsOptions {
  /**
   * Activation whose symmetries set the defaults: odd φ (tanh, identity) allows sign flips,
   * and positively homogeneous φ (ReLU, identity) allows positive rescaling.
   */
  activation?: Activation | ActivationName;
  /** Allows (u_i, v_i) → (−u_i, −v_i), which leaves the model unchanged for odd φ. */
  signFlips?: boolean;
  /** Allows (u_i, v_i) → (c·u_i, v_i/c) with c > 0, which leaves the model unchanged for ReLU. */
  positiveScaling?: boolean;
}

/** An estimate aligned to the ground truth by `matchColumns`. */
export interface ColumnMatch {
  /** √(‖Û − U*‖²_F + ‖V̂ − V*‖²_F) / √(‖U*‖²_F + ‖V*‖²_F) after alignment. */
  readonly distance: number;
  /** ‖Û − U*‖_F / ‖U*‖_F after alignment. */
  readonly distanceU: number;
  /** ‖V̂ − V*‖_F / ‖V*‖_F after alignment. */
  readonly distanceV: number;
  /** permutation[i] is the estimated column matched to true column i. */
  readonly permutation: Int32Array;
  /** Sign applied to both columns of each matched pair (always 1 without sign flips). */
  readonly signs: Float64Array;
  /** Factor c applied as (c·u, v/c) to each matched pair (always 1 without scaling). */
  readonly scales: Float64Array;
  /** The aligned estimate: column i of U and V is the transformed estimate of true column i. */
  readonly U: DenseMatrix;
  readonly V: DenseMatrix;
}

interface PairFit {
  cost: number;
  sign: number;
  scale: number;
}

function columnProducts(a: DenseMatrix, i: number, b: DenseMatrix, j: number): number {
  let sum = 0;
  for (let row = 0; row < a.rows; row++) sum += (a.data[row * a.columns + i] as number) * (b.data[row * b.columns + j] as number);
  return sum;
}

// Minimizes c²·a − 2c·b + a2/c² − 2·b2/c over c > 0, the c-dependent part of
// ‖c·û − u‖² + ‖v̂/c − v‖² with a = ‖û‖², b = ûᵀu, a2 = ‖v̂‖², b2 = v̂ᵀv. A log-spaced
// grid brackets the minimum and golden-section search refines it.
function bestScale(a: number, b: number, a2: number, b2: number): number {
  const f = (logC: number): number => {
    const c = Math.exp(logC);
    return c * c * a - 2 * c * b + a2 / (c * c) - (2 * b2) / c;
  };
  const lowest = Math.log(1e-4);
  const step = Math.log(1e8) / 160;
  let bestIndex = 0;
  let bestValue = Infinity;
  for (let s = 0; s <= 160; s++) {
    const value = f(lowest + s * step);
    if (value < bestValue) {
      bestValue = value;
      bestIndex = s;
    }
  }
  let left = lowest + Math.max(bestIndex - 1, 0) * step;
  let right = lowest + Math.min(bestIndex + 1, 160) * step;
  const ratio = (Math.sqrt(5) - 1) / 2;
  for (let iteration = 0; iteration < 80; iteration++) {
    const x1 = right - ratio * (right - left);
    const x2 = left + ratio * (right - left);
    if (f(x1) <= f(x2)) right = x2;
    else left = x1;
  }
  // Golden-section search resolves c only to about √ε, so finish with Newton steps on the
  // stationarity condition a·c⁴ − b·c³ + b2·c − a2 = 0.
  let c = Math.exp((left + right) / 2);
  for (let iteration = 0; iteration < 5; iteration++) {
    const value = a * c ** 4 - b * c ** 3 + b2 * c - a2;
    const slope = 4 * a * c ** 3 - 3 * b * c ** 2 + b2;
    const next = c - value / slope;
    if (!(next > 0) || f(Math.log(next)) > f(Math.log(c))) break;
    c = next;
  }
  return c;
}

function fitPair(
  Uest: DenseMatrix,
  Vest: DenseMatrix,
  j: number,
  Utrue: DenseMatrix,
  Vtrue: DenseMatrix,
  i: number,
  signFlips: boolean,
  scaling: boolean,
): PairFit {
  const a = columnProducts(Uest, j, Uest, j);
  const a2 = columnProducts(Vest, j, Vest, j);
  const crossU = columnProducts(Uest, j, Utrue, i);
  const crossV = columnProducts(Vest, j, Vtrue, i);
  const normU = columnProducts(Utrue, i, Utrue, i);
  const normV = columnProducts(Vtrue, i, Vtrue, i);
  let best: PairFit = { cost: Infinity, sign: 1, scale: 1 };
  for (const sign of signFlips ? [1, -1] : [1]) {
    const scale = scaling ? bestScale(a, sign * crossU, a2, sign * crossV) : 1;
    const cost =
      scale * scale * a - 2 * scale * sign * crossU + normU + a2 / (scale * scale) - (2 * sign * crossV) / scale + normV;
    if (cost < best.cost) best = { cost: Math.max(cost, 0), sign, scale };
  }
  return best;
}

function checkShapes(Uest: DenseMatrix, Vest: DenseMatrix, Utrue: DenseMatrix, Vtrue: DenseMatrix): void {
  const k = Utrue.columns;
  if (Vtrue.columns !== k || Uest.columns !== k || Vest.columns !== k) {
    throw new RangeError(
      `invalid factors: every factor needs k = ${k} columns, received U ${Uest.columns}, V ${Vest.columns}, V* ${Vtrue.columns}`,
    );
  }
  if (Uest.rows !== Utrue.rows || Vest.rows !== Vtrue.rows) {
    throw new RangeError(
      `invalid factors: the estimate is ${Uest.rows}x${k} and ${Vest.rows}x${k}, the truth ${Utrue.rows}x${k} and ${Vtrue.rows}x${k}`,
    );
  }
}

/**
 * Aligns an estimate (Û, V̂) with the ground truth (U*, V*) and returns the relative
 * distance. Columns are matched by the permutation that minimizes the total squared
 * distance (Hungarian method). Where `options` allows, each matched pair may also be
 * sign-flipped or rescaled, because those changes leave φ(Uᵀx)ᵀφ(Vᵀy) unchanged.
 */
export function matchColumns(
  Uest: DenseMatrix,
  Vest: DenseMatrix,
  Utrue: DenseMatrix,
  Vtrue: DenseMatrix,
  options: MatchColumnsOptions = {},
): ColumnMatch {
  checkShapes(Uest, Vest, Utrue, Vtrue);
  let name: ActivationName | undefined;
  if (typeof options.activation === 'string') name = getActivation(options.activation).name;
  else if (options.activation !== undefined) name = options.activation.name;
  const signFlips = options.signFlips ?? (name === 'tanh' || name === 'identity');
  const scaling = options.positiveScaling ?? (name === 'relu' || name === 'identity');
  const k = Utrue.columns;

  // cost[i, j]: squared distance of true pair i to estimated pair j after its best transform.
  const fits: PairFit[] = [];
  const cost = createMatrix(k, k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const fit = fitPair(Uest, Vest, j, Utrue, Vtrue, i, signFlips, scaling);
      fits.push(fit);
      cost.data[i * k + j] = fit.cost;
    }
  }
  const permutation = solveAssignment(cost);

  const U = createMatrix(Utrue.rows, k);
  const V = createMatrix(Vtrue.rows, k);
  const signs = new Float64Array(k);
  const scales = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const j = permutation[i] as number;
    const fit = fits[i * k + j] as PairFit;
    signs[i] = fit.sign;
    scales[i] = fit.scale;
    for (let row = 0; row < U.rows; row++) U.data[row * k + i] = fit.sign * fit.scale * (Uest.data[row * k + j] as number);
    for (let row = 0; row < V.rows; row++) V.data[row * k + i] = (fit.sign / fit.scale) * (Vest.data[row * k + j] as number);
  }

  const squaredDistance = (a: DenseMatrix, b: DenseMatrix): number =>
    a.data.reduce((sum, value, t) => sum + (value - (b.data[t] as number)) ** 2, 0);
  const squaredNorm = (a: DenseMatrix): number => a.data.reduce((sum, value) => sum + value * value, 0);
  const gapU = squaredDistance(U, Utrue);
  const gapV = squaredDistance(V, Vtrue);
  const normU = squaredNorm(Utrue);
  const normV = squaredNorm(Vtrue);
  return {
    distance: Math.sqrt((gapU + gapV) / (normU + normV)),
    distanceU: Math.sqrt(gapU / normU),
    distanceV: Math.sqrt(gapV / normV),
    permutation,
    signs,
    scales,
    U,
    V,
  };
}
