import { getActivation, hermiteExpectations, type Activation, type ActivationName } from '@nimc/activations';
import { createMatrix, inverse, multiply, multiplyTransposeB, rowView, type DenseMatrix } from '@nimc/linalg';
import type { NimcProblem } from '@nimc/objective';
import { solveAssignment } from './assignment.js';
import { decomposeTensor, type DecomposeOptions } from './decompose.js';
import {
  selectAuxiliaryMoment,
  selectTensorMoment,
  type MomentChoice,
  type MomentSelectionOptions,
  type MomentSide,
} from './moment-selection.js';
import { estimateProjectedMoment, projectData, type MomentEstimateOptions, type MomentOrder, type ProjectedData } from './moments.js';
import type { InitialFactors } from './random-init.js';
import { fitColumnScales, type ScaleFit, type ScaleFitOptions } from './scale-fit.js';
import { estimateSubspace, type SubspaceOptions } from './subspace.js';
import { createTensor3, type Tensor3 } from './tensor.js';

/** Stages of `tensorInit`, reported in this order. */
export type TensorInitStage = 'selection' | 'subspace' | 'moments' | 'decomposition' | 'pairing' | 'scales';

/** A progress event of `tensorInit`, sent when a stage starts. */
export interface TensorInitProgress {
  readonly stage: TensorInitStage;
  readonly message: string;
}

/** Options of `tensorInit`. */
export interface TensorInitOptions extends MomentSelectionOptions, MomentEstimateOptions {
  /** Seed of every random choice (contraction vectors, observation sample). Default 0. */
  seed?: number | string;
  /** Tensor moment for each side: an order or 'auto' (default) to pick the largest coefficient. */
  moments?: { x?: MomentOrder | 'auto'; y?: MomentOrder | 'auto' };
  /** Settings of the tensor decomposition of each side. */
  decomposition?: Pick<DecomposeOptions, 'trials' | 'alsIterations' | 'tolerance'>;
  /** Settings of the final least-squares fit of the column norms. */
  scaleFit?: Pick<ScaleFitOptions, 'samples' | 'iterations'>;
  /** Settings of the subspace estimate (`estimateSubspace`). Both default to true. */
  subspace?: Pick<SubspaceOptions, 'removeMainEffects' | 'whiten'>;
  /** Called when each stage starts. */
  onProgress?: (event: TensorInitProgress) => void;
}

/** A moment used by `tensorInit`, with its coefficient per returned column. */
export interface MomentUse extends MomentChoice {
  /** a_p(‖u_i‖)·a_q(‖v_i‖) for each column i of the returned U and V. */
  readonly coefficients: Float64Array;
}

/** Diagnostics of `tensorInit`: the moments used and the fit of each step. */
export interface TensorInitDiagnostics {
  readonly moments: {
    /** Tensor moment decomposed for the directions of U. */
    readonly x: MomentUse;
    /** Tensor moment decomposed for the directions of V. */
    readonly y: MomentUse;
    /** E[A·x⊗y], used for the subspaces, the pairing and the signs of V relative to U. */
    readonly pairing: MomentUse;
    /** E[A·x], used for the signs of U; null where its coefficient vanishes (odd φ), and the signs then stay arbitrary. */
    readonly signs: MomentUse | null;
  };
  /** 1 − σ_{k+1}/σ_k of the estimated E[A·x⊗y]. */
  readonly subspaceGap: number;
  /** Largest singular values of the estimated E[A·x⊗y]. */
  readonly singularValues: Float64Array;
  /** Relative residual ‖T − T̂‖_F/‖T‖_F of each side's decomposition. */
  readonly residual: { readonly x: number; readonly y: number };
  /**
   * ‖off-diagonal part‖_F/‖G‖_F of G = Ũ⁻¹·W·Ṽ⁻ᵀ after pairing, where W is the projected
   * E[A·x⊗y]; G is diagonal when the directions of both sides are exact.
   */
  readonly pairingMismatch: number;
  /** Column norms of the returned U and V. */
  readonly norms: { readonly u: Float64Array; readonly v: Float64Array };
  /** Result of the least-squares fit of the column norms. */
  readonly scaleFit: ScaleFit;
  /** The moments' assumed norm range. */
  readonly normRange: readonly [number, number];
}

/** The initial factors of `tensorInit` and its diagnostics. */
export interface TensorInitResult extends InitialFactors {
  readonly diagnostics: TensorInitDiagnostics;
}

function column(a: DenseMatrix, i: number): Float64Array {
  return Float64Array.from({ length: a.rows }, (_, row) => a.data[row * a.columns + i] as number);
}

function normalizeColumnsInPlace(a: DenseMatrix): void {
  for (let i = 0; i < a.columns; i++) {
    const norm = Math.hypot(...column(a, i));
    if (norm === 0) continue;
    for (let row = 0; row < a.rows; row++) a.data[row * a.columns + i] = (a.data[row * a.columns + i] as number) / norm;
  }
}

// Reorders a projected moment so that the indices of `side` come first: the y-side
// moments with one x-index store it first, and it moves to the end.
function ownIndicesFirst(moment: Float64Array, order: MomentOrder, side: MomentSide, k: number): Float64Array {
  if (side === 'x' || order.x === 0) return moment;
  const ySize = k ** order.y;
  const out = new Float64Array(moment.length);
  for (let i = 0; i < k; i++) {
    for (let a = 0; a < ySize; a++) out[a * k + i] = moment[i * ySize + a] as number;
  }
  return out;
}

// The tensor moment of one side as a k×k×(rest) tensor whose first two modes are that side's.
function sideTensor(data: ProjectedData, order: MomentOrder, side: MomentSide, k: number, controlVariates: boolean): Tensor3 {
  const moment = ownIndicesFirst(estimateProjectedMoment(data, order, { controlVariates }), order, side, k);
  return createTensor3(k, k, moment.length / (k * k), moment);
}

// Decomposes a side's tensor and returns its k unit directions in the projected
// coordinates, as the columns of a k×k matrix.
function sideDirections(tensor: Tensor3, k: number, options: DecomposeOptions): { directions: DenseMatrix; residual: number } {
  const cp = decomposeTensor(tensor, k, { ...options, symmetricModes: true });

  // Modes 1 and 2 both estimate the same direction; average them with matching signs.
  const directions = createMatrix(k, k);
  for (let i = 0; i < k; i++) {
    let agreement = 0;
    for (let row = 0; row < k; row++) agreement += (cp.A.data[row * k + i] as number) * (cp.B.data[row * k + i] as number);
    const sign = agreement < 0 ? -1 : 1;
    for (let row = 0; row < k; row++) {
      directions.data[row * k + i] = (cp.A.data[row * k + i] as number) + sign * (cp.B.data[row * k + i] as number);
    }
  }
  normalizeColumnsInPlace(directions);
  return { directions, residual: cp.residual };
}

function permuteColumns(a: DenseMatrix, order: Int32Array): DenseMatrix {
  const out = createMatrix(a.rows, a.columns);
  for (let row = 0; row < a.rows; row++) {
    for (let i = 0; i < a.columns; i++) out.data[row * a.columns + i] = a.data[row * a.columns + (order[i] as number)] as number;
  }
  return out;
}

function flipColumn(a: DenseMatrix, i: number): void {
  for (let row = 0; row < a.rows; row++) a.data[row * a.columns + i] = -(a.data[row * a.columns + i] as number);
}

// G = Ũ⁻¹·W·Ṽ⁻ᵀ, which equals diag(a_1(‖u_i‖)·a_1(‖v_i‖)) when the directions are exact and paired.
function pairingMatrix(Ut: DenseMatrix, W: DenseMatrix, Vt: DenseMatrix, m: number): DenseMatrix {
  const failure = new Error(
    `tensor initialization failed: the ${Ut.columns} directions recovered for U or V are linearly dependent, ` +
      `so their columns cannot be paired; more observations (m = ${m}) or a smaller k may help`,
  );
  let G: DenseMatrix;
  try {
    G = multiplyTransposeB(multiply(inverse(Ut), W), inverse(Vt));
  } catch {
    // inverse raises on an exactly singular matrix.
    throw failure;
  }
  if (!G.data.every(Number.isFinite)) throw failure;
  return G;
}

function offDiagonalShare(G: DenseMatrix): number {
  let off = 0;
  let total = 0;
  for (let i = 0; i < G.rows; i++) {
    for (let j = 0; j < G.columns; j++) {
      const value = (G.data[i * G.columns + j] as number) ** 2;
      total += value;
      if (i !== j) off += value;
    }
  }
  return total > 0 ? Math.sqrt(off / total) : 0;
}

function columnCoefficients(activation: Activation, order: MomentOrder, normsU: Float64Array, normsV: Float64Array): Float64Array {
  return Float64Array.from(
    normsU,
    (normU, i) =>
      (hermiteExpectations(activation, normU, order.x)[order.x] as number) *
      (hermiteExpectations(activation, normsV[i] as number, order.y)[order.y] as number),
  );
}

function checkProblem(problem: NimcProblem, k: number): void {
  const { X, Y, observations } = problem;
  if (!Number.isInteger(k) || k < 1 || k > Math.min(X.columns, Y.columns)) {
    throw new RangeError(`invalid rank k: expected an integer from 1 to min(d1, d2) = ${Math.min(X.columns, Y.columns)}, received ${k}`);
  }
  if (observations.n1 !== X.rows || observations.n2 !== Y.rows) {
    throw new RangeError(
      `invalid problem: observations index a ${observations.n1}x${observations.n2} matrix but X has ${X.rows} rows and Y has ${Y.rows}`,
    );
  }
  if (observations.values.length === 0) throw new RangeError('invalid problem: it has no observations (m = 0)');
}

/**
 * Estimates U (d1×k) and V (d2×k) of the model A(x, y) = φ(Uᵀx)ᵀφ(Vᵀy) from the observed
 * entries alone, by the method of moments, assuming standard Gaussian features
 * (Zhong, Song, Jain and Dhillon, "Provable Non-linear Inductive Matrix Completion",
 * NeurIPS 2019). With a_p(σ) = E[φ(σz)·He_p(z)]:
 *
 * 1. span(U) and span(V) from the top-k singular vectors of E[A·x⊗y] = Σ_i a_1 a_1·ū_i v̄_iᵀ,
 *    estimated after removing row and column effects and whitened by the covariances of
 *    the observed features (`estimateSubspace`).
 * 2. For each side, a tensor moment E[A·He_p(x)⊗He_q(y)] chosen by `selectTensorMoment`
 *    (sigmoid: E[A·He3(x)]; ReLU, whose third Hermite component vanishes: E[A·He2(x)⊗y];
 *    tanh, whose moments of x alone vanish: E[A·He3(x)⊗y]), estimated in the k-dimensional
 *    projection and decomposed by Jennrich's algorithm and ALS into unit directions.
 * 3. Columns of U and V paired by the Hungarian method on G = Ũ⁻¹·W·Ṽ⁻ᵀ, W the projected
 *    E[A·x⊗y]; signs of U from E[A·x] = Σ_i a_1 a_0·ū_i where it does not vanish, signs of V
 *    from the signs of G's diagonal.
 * 4. Column norms by a Levenberg–Marquardt fit of 2k scales to the observations.
 *
 * With n = n1 + n2 and d = max(d1, d2), the time is O(m·(d2 + k) + n1·d1·d2 + n·(d² + k⁴) + d³)
 * plus the norm fit, and the memory O(n1·d2 + n·d + m + k⁴). No d×d×d tensor is formed.
 * Throws a DegenerateMomentError before any heavy work when the moments needed vanish for
 * the activation (identity; or a requested E[A·He3(x)] for ReLU).
 */
export function tensorInit(
  problem: NimcProblem,
  activation: Activation | ActivationName,
  k: number,
  options: TensorInitOptions = {},
): TensorInitResult {
  const phi = typeof activation === 'string' ? getActivation(activation) : activation;
  checkProblem(problem, k);
  const seed = options.seed ?? 0;
  const normRange = options.normRange ?? [0.5, 5];
  const selection: MomentSelectionOptions = { normRange, minCoefficient: options.minCoefficient ?? 1e-3 };
  const report = (stage: TensorInitStage, message: string): void => options.onProgress?.({ stage, message });

  report('selection', `scoring the moments of ${phi.name} for column norms in [${normRange[0]}, ${normRange[1]}]`);
  const xChoice = selectTensorMoment(phi, 'x', options.moments?.x ?? 'auto', selection);
  const yChoice = selectTensorMoment(phi, 'y', options.moments?.y ?? 'auto', selection);
  const pairing = selectAuxiliaryMoment(phi, { x: 1, y: 1 }, 'the subspaces and the pairing of U and V', true, selection) as MomentChoice;
  const signs = selectAuxiliaryMoment(phi, { x: 1, y: 0 }, 'the signs of U', false, selection);

  report('subspace', 'estimating span(U) and span(V) from E[A·x⊗y]');
  const center = { center: options.center ?? true };
  const subspace = estimateSubspace(problem, k, { ...center, ...options.subspace });
  const data = projectData(problem, subspace.basisX, subspace.basisY, center);

  report('moments', `estimating ${xChoice.label} and ${yChoice.label} in the ${k}-dimensional projections`);
  const controlVariates = options.controlVariates ?? true;
  const xTensor = sideTensor(data, xChoice.order, 'x', k, controlVariates);
  const yTensor = sideTensor(data, yChoice.order, 'y', k, controlVariates);

  report('decomposition', `decomposing the ${xTensor.dims.join('x')} and ${yTensor.dims.join('x')} tensors`);
  const xSide = sideDirections(xTensor, k, { ...options.decomposition, seed: `${seed}:x` });
  const ySide = sideDirections(yTensor, k, { ...options.decomposition, seed: `${seed}:y` });

  report('pairing', 'pairing the columns of U and V and fixing their signs');
  const W = createMatrix(k, k, estimateProjectedMoment(data, { x: 1, y: 1 }, { controlVariates }));
  const Ut = xSide.directions;
  let G = pairingMatrix(Ut, W, ySide.directions, data.m);
  const cost = createMatrix(k, k);
  const rowNorms = Array.from({ length: k }, (_, i) => Math.hypot(...rowView(G, i)));
  const columnNorms = Array.from({ length: k }, (_, j) => Math.hypot(...column(G, j)));
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      cost.data[i * k + j] = -Math.abs(G.data[i * k + j] as number) / Math.sqrt((rowNorms[i] as number) * (columnNorms[j] as number) || 1);
    }
  }
  const Vt = permuteColumns(ySide.directions, solveAssignment(cost));

  if (signs !== undefined) {
    // E[A·x] in the projection equals Ũ·w with w_i = a_1(‖u_i‖)·a_0(‖v_i‖), whose sign is known.
    const first = createMatrix(k, 1, estimateProjectedMoment(data, { x: 1, y: 0 }, { controlVariates }));
    const w = multiply(inverse(Ut), first).data;
    w.forEach((value, i) => {
      if (Math.sign(value) === -signs.sign) flipColumn(Ut, i);
    });
  }
  G = pairingMatrix(Ut, W, Vt, data.m);
  for (let i = 0; i < k; i++) {
    if (Math.sign(G.data[i * k + i] as number) === -pairing.sign) flipColumn(Vt, i);
  }
  G = pairingMatrix(Ut, W, Vt, data.m);
  const pairingMismatch = offDiagonalShare(G);

  report('scales', 'fitting the column norms to the observations');
  const Ubar = multiply(subspace.basisX, Ut);
  const Vbar = multiply(subspace.basisY, Vt);
  normalizeColumnsInPlace(Ubar);
  normalizeColumnsInPlace(Vbar);
  const scaleFit = fitColumnScales(problem, phi, Ubar, Vbar, { ...options.scaleFit, seed: `${seed}:scales`, normRange });
  const U = Ubar;
  const V = Vbar;
  for (let i = 0; i < k; i++) {
    for (let row = 0; row < U.rows; row++) U.data[row * k + i] = (U.data[row * k + i] as number) * (scaleFit.uScales[i] as number);
    for (let row = 0; row < V.rows; row++) V.data[row * k + i] = (V.data[row * k + i] as number) * (scaleFit.vScales[i] as number);
  }

  const normsU = Float64Array.from({ length: k }, (_, i) => Math.hypot(...column(U, i)));
  const normsV = Float64Array.from({ length: k }, (_, i) => Math.hypot(...column(V, i)));
  const use = (choice: MomentChoice): MomentUse => ({ ...choice, coefficients: columnCoefficients(phi, choice.order, normsU, normsV) });
  return {
    U,
    V,
    diagnostics: {
      moments: { x: use(xChoice), y: use(yChoice), pairing: use(pairing), signs: signs === undefined ? null : use(signs) },
      subspaceGap: subspace.gap,
      singularValues: subspace.singularValues,
      residual: { x: xSide.residual, y: ySide.residual },
      pairingMismatch,
      norms: { u: normsU, v: normsV },
      scaleFit,
      normRange,
    },
  };
}
