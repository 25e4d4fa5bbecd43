import { gaussianMeanSquare, getActivation, hermiteExpectations, type Activation, type ActivationName } from '@nimc/activations';
import type { MomentOrder } from './moments.js';

/** The side whose directions a tensor moment recovers: 'x' for U, 'y' for V. */
export type MomentSide = 'x' | 'y';

/** Options of the moment selection. */
export interface MomentSelectionOptions {
  /**
   * Assumed range [σmin, σmax] of the column norms ‖u_i‖ and ‖v_i‖. A moment is scored by
   * its smallest normalized coefficient over this range. Default [0.5, 5].
   */
  normRange?: readonly [number, number];
  /** A moment whose score is below this value counts as vanishing. Default 1e-3. */
  minCoefficient?: number;
}

/** A moment and the size of its coefficient over the assumed norm range. */
export interface MomentScore {
  readonly order: MomentOrder;
  /** Readable form, e.g. "E[A·He3(x)]" or "E[A·He2(x)⊗y]". */
  readonly label: string;
  /** Smallest normalized coefficient over the norm range (see `normalizedMomentCoefficient`). */
  readonly score: number;
  /** Largest normalized coefficient over the norm range. */
  readonly maxScore: number;
  /** Sign of a_p(σu)·a_q(σv) when it is the same over the whole range, otherwise 0. */
  readonly sign: number;
}

/** The moment chosen for one purpose, with the scores of every candidate considered. */
export interface MomentChoice extends MomentScore {
  readonly candidates: readonly MomentScore[];
}

/** Candidate tensor moments for the directions of each side, in order of preference on ties. */
export const tensorMomentCandidates: Readonly<Record<MomentSide, readonly MomentOrder[]>> = {
  x: [
    { x: 3, y: 0 },
    { x: 2, y: 1 },
    { x: 4, y: 0 },
    { x: 3, y: 1 },
  ],
  y: [
    { x: 0, y: 3 },
    { x: 1, y: 2 },
    { x: 0, y: 4 },
    { x: 1, y: 3 },
  ],
};

/**
 * Raised when every moment that could recover the requested quantity has a coefficient
 * that vanishes (or nearly so) for the activation, so the estimate would be noise.
 */
export class DegenerateMomentError extends Error {
  override readonly name = 'DegenerateMomentError';

  constructor(
    message: string,
    /** The activation whose moments vanish. */
    readonly activation: ActivationName,
    /** Scores of the moments that were considered. */
    readonly candidates: readonly MomentScore[],
  ) {
    super(message);
  }
}

function factorial(n: number): number {
  let out = 1;
  for (let i = 2; i <= n; i++) out *= i;
  return out;
}

function part(order: number, variable: 'x' | 'y'): string | undefined {
  if (order === 0) return undefined;
  return order === 1 ? variable : `He${order}(${variable})`;
}

/** Returns the readable form of a moment order, e.g. "E[A·He3(x)]" or "E[A·x⊗y]". */
export function momentLabel(order: MomentOrder): string {
  const parts = [part(order.x, 'x'), part(order.y, 'y')].filter((text) => text !== undefined);
  return `E[A·${parts.join('⊗')}]`;
}

function resolve(activation: Activation | ActivationName): Activation {
  return typeof activation === 'string' ? getActivation(activation) : activation;
}

/**
 * Returns |a_p(σu)·a_q(σv)| / √(p!·q!·E[φ(σu·z)²]·E[φ(σv·z)²]), with a_p(σ) = E[φ(σz)·He_p(z)].
 * It is the share of the rank-one term φ(uᵀx)φ(vᵀy) carried by the Hermite component
 * He_p⊗He_q, in units of the term's root mean square. The noise of each entry of the
 * empirical moment grows like √(p!·q!) times the root mean square of A, so the ratio
 * compares moments of different orders on one scale. It is 0 when φ has no component of
 * that order.
 */
export function normalizedMomentCoefficient(
  activation: Activation | ActivationName,
  order: MomentOrder,
  sigmaU: number,
  sigmaV: number,
): number {
  const resolved = resolve(activation);
  const a = hermiteExpectations(resolved, sigmaU, Math.max(order.x, 0))[order.x] as number;
  const b = hermiteExpectations(resolved, sigmaV, Math.max(order.y, 0))[order.y] as number;
  const energy = factorial(order.x) * factorial(order.y) * gaussianMeanSquare(resolved, sigmaU) * gaussianMeanSquare(resolved, sigmaV);
  return energy > 0 ? Math.abs(a * b) / Math.sqrt(energy) : 0;
}

const gridSize = 7;

function checkNormRange(range: readonly [number, number]): void {
  const [low, high] = range;
  if (!(low > 0 && high >= low && Number.isFinite(high))) {
    throw new RangeError(`invalid normRange: expected 0 < σmin ≤ σmax < ∞, received [${low}, ${high}]`);
  }
}

/** Scores a moment by its normalized coefficient on a 7×7 log-spaced grid of (‖u‖, ‖v‖) in `normRange`. */
export function scoreMoment(
  activation: Activation | ActivationName,
  order: MomentOrder,
  normRange: readonly [number, number] = [0.5, 5],
): MomentScore {
  checkNormRange(normRange);
  const resolved = resolve(activation);
  const [low, high] = normRange;
  const grid = Array.from({ length: gridSize }, (_, i) => low * (high / low) ** (i / (gridSize - 1)));
  let score = Infinity;
  let maxScore = 0;
  const signs = new Set<number>();
  for (const sigmaU of grid) {
    for (const sigmaV of grid) {
      const value = normalizedMomentCoefficient(resolved, order, sigmaU, sigmaV);
      score = Math.min(score, value);
      maxScore = Math.max(maxScore, value);
      const product =
        (hermiteExpectations(resolved, sigmaU, order.x)[order.x] as number) *
        (hermiteExpectations(resolved, sigmaV, order.y)[order.y] as number);
      signs.add(Math.sign(product));
    }
  }
  const sign = signs.size === 1 ? ([...signs][0] as number) : 0;
  return { order, label: momentLabel(order), score, maxScore, sign };
}

function isTensorCandidate(side: MomentSide, order: MomentOrder): boolean {
  const own = side === 'x' ? order.x : order.y;
  const other = side === 'x' ? order.y : order.x;
  return Number.isInteger(own) && Number.isInteger(other) && own >= 2 && own <= 4 && other >= 0 && other <= 1 && own + other >= 3;
}

/**
 * Chooses the moment whose tensor decomposition gives the directions of one side.
 * With 'auto', the candidate of `tensorMomentCandidates` with the largest score wins.
 * Throws a DegenerateMomentError when the requested moment, or with 'auto' every
 * candidate, has a score below `minCoefficient`: for the identity every candidate
 * vanishes, for ReLU E[A·He3(x)] vanishes, and for tanh every moment of x alone vanishes.
 */
export function selectTensorMoment(
  activation: Activation | ActivationName,
  side: MomentSide,
  request: MomentOrder | 'auto' = 'auto',
  options: MomentSelectionOptions = {},
): MomentChoice {
  const resolved = resolve(activation);
  const normRange = options.normRange ?? [0.5, 5];
  const threshold = options.minCoefficient ?? 1e-3;
  const range = `[${normRange[0]}, ${normRange[1]}]`;

  if (request !== 'auto') {
    if (!isTensorCandidate(side, request)) {
      throw new RangeError(
        `invalid moment (${request.x}, ${request.y}) for side ${side}: the ${side} order must be 2 to 4 and the other order 0 or 1, with a sum of at least 3`,
      );
    }
    const scored = scoreMoment(resolved, request, normRange);
    if (scored.score < threshold) {
      throw new DegenerateMomentError(
        `degenerate moment ${scored.label} for activation ${resolved.name}: its normalized coefficient is ${scored.score.toPrecision(3)} ` +
          `(below ${threshold}) for column norms in ${range}, so it carries no information about the ${side} directions; ` +
          `choose another order or 'auto'`,
        resolved.name,
        [scored],
      );
    }
    return { ...scored, candidates: [scored] };
  }

  const candidates = tensorMomentCandidates[side].map((order) => scoreMoment(resolved, order, normRange));
  let best = candidates[0] as MomentScore;
  for (const candidate of candidates) if (candidate.score > best.score) best = candidate;
  if (best.score < threshold) {
    const list = candidates.map((candidate) => `${candidate.label}: ${candidate.score.toPrecision(3)}`).join(', ');
    throw new DegenerateMomentError(
      `degenerate moments for activation ${resolved.name}: every tensor moment for the ${side} directions has a normalized ` +
        `coefficient below ${threshold} for column norms in ${range} (${list}); the tensor method cannot recover them, use random initialization`,
      resolved.name,
      candidates,
    );
  }
  return { ...best, candidates };
}

/**
 * Scores a second- or first-order moment used for pairing or signs, such as E[A·x⊗y].
 * Throws a DegenerateMomentError when `required` is true and its score is below `minCoefficient`.
 */
export function selectAuxiliaryMoment(
  activation: Activation | ActivationName,
  order: MomentOrder,
  purpose: string,
  required: boolean,
  options: MomentSelectionOptions = {},
): MomentChoice | undefined {
  const resolved = resolve(activation);
  const normRange = options.normRange ?? [0.5, 5];
  const threshold = options.minCoefficient ?? 1e-3;
  const scored = scoreMoment(resolved, order, normRange);
  if (scored.score >= threshold && scored.sign !== 0) return { ...scored, candidates: [scored] };
  if (!required) return undefined;
  throw new DegenerateMomentError(
    `degenerate moment ${scored.label} for activation ${resolved.name}: its normalized coefficient is ${scored.score.toPrecision(3)} ` +
      `(below ${threshold}, or of changing sign) for column norms in [${normRange[0]}, ${normRange[1]}], so it cannot serve for ${purpose}`,
    resolved.name,
    [scored],
  );
}
