import type { ActivationName } from '@nimc/activations';
import {
  createHessianProblem,
  isPositiveDefinite,
  measureEigenvalues,
  perturbationDirections,
  perturbedPoint,
  type EigenvalueMeasurement,
} from './hessian.js';
import { hessianSweepDefaults, type HessianSweepOptions } from './hessian-defaults.js';

/** The Hessians at one distance from the ground truth, over the sampled directions. */
export interface RadiusSweepPoint {
  activation: ActivationName;
  constrained: boolean;
  radius: number;
  /** One measurement per direction; a single one at radius 0. */
  points: EigenvalueMeasurement[];
  /** Smallest and median λ_min, and smallest and median λ_min/λ_max, over the points. */
  smallestMin: number;
  medianMin: number;
  smallestRatio: number;
  medianRatio: number;
  /** Largest λ_max over the points. */
  largestMax: number;
  /** Number of points whose Hessian is positive definite beyond rounding. */
  positiveDefinite: number;
}

/** The Hessian at the ground truth for one number of observations. */
export interface SampleSizeSweepPoint {
  activation: ActivationName;
  constrained: boolean;
  m: number;
  measurement: EigenvalueMeasurement;
}

/** The outcome of `runHessianSweep`. */
export interface HessianSweepResult {
  settings: HessianSweepOptions;
  /**
   * ‖(U*, V*)‖_F, the scale of the radii. U* and V* are drawn before anything that depends on
   * φ or m, so every problem of the sweep shares them.
   */
  truthNorm: number;
  radiusSweep: RadiusSweepPoint[];
  sampleSizeSweep: SampleSizeSweepPoint[];
  timings: { totalSeconds: number };
}

/** The stage a sweep is at, for progress reports. */
export interface HessianSweepProgress {
  activation: ActivationName;
  sweep: 'radius' | 'sample size';
  /** The radius or the number of observations. */
  value: number;
  /** Points done so far and in total, over the whole sweep. */
  done: number;
  total: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle] as number;
  return ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function summarizeRadius(
  activation: ActivationName,
  constrained: boolean,
  radius: number,
  points: EigenvalueMeasurement[],
): RadiusSweepPoint {
  const mins = points.map((point) => point.min);
  const ratios = points.map((point) => point.ratio);
  return {
    activation,
    constrained,
    radius,
    points,
    smallestMin: Math.min(...mins),
    medianMin: median(mins),
    smallestRatio: Math.min(...ratios),
    medianRatio: median(ratios),
    largestMax: Math.max(...points.map((point) => point.max)),
    positiveDefinite: points.filter(isPositiveDefinite).length,
  };
}

function checkSweepOptions(options: HessianSweepOptions): void {
  for (const [name, list] of [
    ['activations', options.activations],
    ['radii', options.radii],
    ['ms', options.ms],
  ] as const) {
    if (list.length === 0) throw new RangeError(`invalid ${name}: expected at least one value, received none`);
  }
  for (const radius of options.radii) {
    if (!(radius >= 0 && Number.isFinite(radius))) {
      throw new RangeError(`invalid radii: expected finite numbers ≥ 0, received ${radius}`);
    }
  }
}

/**
 * Sweeps the extreme Hessian eigenvalues of each activation's synthetic problem over the
 * distance from the ground truth and over the number of observations. The radius sweep uses
 * m observations and `samples` random directions, the same directions for every radius. The
 * sample-size sweep evaluates the Hessian at the ground truth. For one seed, the problems of the sample-size sweep share U*, V*, X and Y,
 * and the first m observed pairs, so a larger m adds pairs to a smaller one. Radii and
 * sample sizes are sorted in increasing order. Throws a RangeError for invalid settings.
 */
export function runHessianSweep(
  overrides: Partial<HessianSweepOptions> = {},
  onProgress?: (progress: HessianSweepProgress) => void,
): HessianSweepResult {
  const merged: HessianSweepOptions = { ...hessianSweepDefaults, ...overrides };
  checkSweepOptions(merged);
  const options: HessianSweepOptions = {
    ...merged,
    radii: [...merged.radii].sort((a, b) => a - b),
    ms: [...merged.ms].sort((a, b) => a - b),
  };
  const started = performance.now();
  const pointsPerActivation =
    options.radii.reduce((sum, radius) => sum + (radius === 0 ? 1 : options.samples), 0) + options.ms.length;
  const total = pointsPerActivation * options.activations.length;
  let done = 0;

  let truthNorm = Number.NaN;
  const radiusSweep: RadiusSweepPoint[] = [];
  const sampleSizeSweep: SampleSizeSweepPoint[] = [];
  for (const activation of options.activations) {
    const constrained = options.constrained.includes(activation);
    const measure = { constrained, method: options.method };

    const { curvature, truth } = createHessianProblem({ ...options, activation });
    truthNorm = Math.sqrt(truth.reduce((sum, value) => sum + value * value, 0));
    const directions = perturbationDirections(curvature.dimension, options.samples, options.seed);
    for (const radius of options.radii) {
      onProgress?.({ activation, sweep: 'radius', value: radius, done, total });
      const points =
        radius === 0
          ? [measureEigenvalues(curvature, truth, { ...measure, radius, direction: null })]
          : directions.map((direction, s) =>
              measureEigenvalues(curvature, perturbedPoint(truth, direction, radius), { ...measure, radius, direction: s }),
            );
      done += points.length;
      radiusSweep.push(summarizeRadius(activation, constrained, radius, points));
    }

    for (const m of options.ms) {
      onProgress?.({ activation, sweep: 'sample size', value: m, done, total });
      const problem = createHessianProblem({ ...options, activation, m });
      const measurement = measureEigenvalues(problem.curvature, problem.truth, { ...measure, radius: 0, direction: null });
      done++;
      sampleSizeSweep.push({ activation, constrained, m, measurement });
    }
  }

  return { settings: options, truthNorm, radiusSweep, sampleSizeSweep, timings: { totalSeconds: (performance.now() - started) / 1000 } };
}
