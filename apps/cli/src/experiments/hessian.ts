import { generateSynthetic } from '@nimc/datasets';
import { createRandom } from '@nimc/linalg';
import {
  constrainedExtremeEigenvalues,
  createCurvature,
  extremeEigenvalues,
  type Curvature,
  type ExtremeEigenpairs,
} from '@nimc/objective';
import { hessianDefaults, type EigenMethodName, type HessianOptions, type HessianProblemOptions } from './hessian-defaults.js';

export * from './hessian-defaults.js';

/** The extreme eigenvalues of the Hessian at one point, with the diagnostics of their computation. */
export interface EigenvalueMeasurement {
  /** ‖(U, V) − (U*, V*)‖_F at the point. */
  radius: number;
  /** Index of the perturbation direction, or null at the ground truth. */
  direction: number | null;
  min: number;
  max: number;
  /** min / max; positive exactly when the Hessian is positive definite. */
  ratio: number;
  method: 'dense' | 'lanczos';
  /** ‖P·H·y − λ·y‖ of the computed eigenvectors, where P projects onto the subspace. */
  minResidual: number;
  maxResidual: number;
  converged: boolean;
  /** Lanczos steps, 0 for the dense method. */
  iterations: number;
  /** Dimension (d1 + d2)·k, less k when the Hessian is restricted. */
  subspaceDimension: number;
}

/** A synthetic problem with its curvature and its ground truth θ* = [vec(U*); vec(V*)]. */
export interface HessianProblem {
  curvature: Curvature;
  truth: Float64Array;
}

/** The outcome of `runHessian`. */
export interface HessianResult {
  settings: HessianOptions;
  /** Number of parameters (d1 + d2)·k. */
  dimension: number;
  /** ‖(U*, V*)‖_F. */
  truthNorm: number;
  points: EigenvalueMeasurement[];
  /** Smallest λ_min and largest λ_max over the points. */
  smallestMin: number;
  largestMax: number;
  /** Number of points whose Hessian is positive definite beyond rounding (see `isPositiveDefinite`). */
  positiveDefinite: number;
  timings: { totalSeconds: number };
}

/** Generates the synthetic problem of `options` and its curvature, without regularization. */
export function createHessianProblem(options: HessianProblemOptions): HessianProblem {
  const { problem, truth } = generateSynthetic({
    activation: options.activation,
    d: options.d,
    k: options.k,
    n: options.n,
    m: options.m,
    seed: options.seed,
  });
  const curvature = createCurvature(problem, truth.activation, options.k);
  const theta = new Float64Array(curvature.dimension);
  theta.set(truth.U.data, 0);
  theta.set(truth.V.data, truth.U.data.length);
  return { curvature, truth: theta };
}

/**
 * Draws `count` directions of unit Euclidean norm in R^dimension, uniform on the sphere:
 * standard Gaussian vectors from the stream "<seed>:directions", each divided by its norm.
 * Direction i is the same for every count > i.
 */
export function perturbationDirections(dimension: number, count: number, seed: number): Float64Array[] {
  const random = createRandom(`${seed}:directions`);
  const directions: Float64Array[] = [];
  for (let s = 0; s < count; s++) {
    const direction = new Float64Array(dimension);
    let squaredNorm = 0;
    for (let t = 0; t < dimension; t++) {
      const value = random.gaussian();
      direction[t] = value;
      squaredNorm += value * value;
    }
    const norm = Math.sqrt(squaredNorm);
    for (let t = 0; t < dimension; t++) direction[t] = (direction[t] as number) / norm;
    directions.push(direction);
  }
  return directions;
}

/** Returns θ* + radius·direction, a point at Frobenius distance `radius` from θ* when ‖direction‖ = 1. */
export function perturbedPoint(truth: Float64Array, direction: Float64Array, radius: number): Float64Array {
  const point = new Float64Array(truth.length);
  for (let t = 0; t < truth.length; t++) point[t] = (truth[t] as number) + radius * (direction[t] as number);
  return point;
}

/**
 * Computes the extreme eigenvalues of the Hessian at `theta`. With `constrained`, the
 * Hessian is restricted to the orthogonal complement of the k scaling directions
 * (U·diag(e_c), −V·diag(e_c)), along which ReLU leaves the model unchanged.
 */
export function measureEigenvalues(
  curvature: Curvature,
  theta: Float64Array,
  options: { constrained: boolean; method: EigenMethodName; radius: number; direction: number | null },
): EigenvalueMeasurement {
  const eigen = { method: options.method };
  const pairs: ExtremeEigenpairs = options.constrained
    ? constrainedExtremeEigenvalues(curvature, theta, eigen)
    : extremeEigenvalues(curvature, theta, eigen);
  return {
    radius: options.radius,
    direction: options.direction,
    min: pairs.min,
    max: pairs.max,
    ratio: pairs.min / pairs.max,
    method: pairs.method,
    minResidual: pairs.minResidual,
    maxResidual: pairs.maxResidual,
    converged: pairs.converged,
    iterations: pairs.iterations,
    subspaceDimension: pairs.subspaceDimension,
  };
}

/**
 * The ratio λ_min/λ_max above which a Hessian counts as positive definite. Eigenvalues
 * computed in double precision carry errors near 1e-16·λ_max·dimension, so a smaller λ_min
 * cannot be distinguished from zero.
 */
export const positiveDefiniteRatio = 1e-10;

/** Returns true when λ_min > `positiveDefiniteRatio`·λ_max. */
export function isPositiveDefinite(measurement: Pick<EigenvalueMeasurement, 'min' | 'max'>): boolean {
  return measurement.max > 0 && measurement.min > positiveDefiniteRatio * measurement.max;
}

function euclideanNorm(values: Float64Array): number {
  let sum = 0;
  for (const value of values) sum += value * value;
  return Math.sqrt(sum);
}

/**
 * Generates the synthetic problem of `options` and computes the extreme Hessian eigenvalues
 * of its loss at the ground truth, or at `samples` random points at Frobenius distance
 * `radius` from it. At the ground truth, the result's settings carry radius 0 and samples 1.
 * `onPoint` is called before each point with its index. Throws a
 * RangeError for invalid settings, such as k > d.
 */
export function runHessian(overrides: Partial<HessianOptions> = {}, onPoint?: (index: number, total: number) => void): HessianResult {
  const merged: HessianOptions = { ...hessianDefaults, ...overrides };
  // At the ground truth there is one point at distance 0, whatever the radius and samples settings.
  const options: HessianOptions = merged.at === 'truth' ? { ...merged, radius: 0, samples: 1 } : merged;
  const started = performance.now();
  const { curvature, truth } = createHessianProblem(options);

  const points: EigenvalueMeasurement[] = [];
  const measure = { constrained: options.constrained, method: options.method };
  if (options.at === 'truth') {
    onPoint?.(0, 1);
    points.push(measureEigenvalues(curvature, truth, { ...measure, radius: 0, direction: null }));
  } else {
    const directions = perturbationDirections(curvature.dimension, options.samples, options.seed);
    directions.forEach((direction, s) => {
      onPoint?.(s, options.samples);
      const point = perturbedPoint(truth, direction, options.radius);
      points.push(measureEigenvalues(curvature, point, { ...measure, radius: options.radius, direction: s }));
    });
  }

  return {
    settings: options,
    dimension: curvature.dimension,
    truthNorm: euclideanNorm(truth),
    points,
    smallestMin: Math.min(...points.map((point) => point.min)),
    largestMax: Math.max(...points.map((point) => point.max)),
    positiveDefinite: points.filter(isPositiveDefinite).length,
    timings: { totalSeconds: (performance.now() - started) / 1000 },
  };
}
