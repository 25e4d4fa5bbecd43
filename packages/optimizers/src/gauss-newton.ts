import {
  conjugateGradient,
  createConjugateGradientBuffers,
  type ConjugateGradientOutcome,
} from './conjugate-gradient.js';
import { IterationMonitor } from './monitor.js';
import {
  checkFunction,
  checkOptionsObject,
  checkStartingPoint,
  formatValue,
  readOpenUnitInterval,
  readPositiveFinite,
  readPositiveInteger,
  resolveStopping,
} from './options.js';
import type { OptimizationResult, StoppingOptions, StopReason } from './types.js';
import { isFiniteEvaluation, isFiniteVector, l2Norm } from './vector.js';

/**
 * A least-squares loss f(x) = 1/(2m)‖r(x)‖² (plus an optional quadratic penalty) seen
 * through its value, gradient and Gauss–Newton matrix G(x) = J(x)ᵀJ(x)/m (plus the
 * penalty's Hessian), where J is the Jacobian of the residuals r.
 */
export interface GaussNewtonFunction {
  /** Writes ∇f(x) into `gradient` and returns f(x). */
  evaluate(x: Float64Array, gradient: Float64Array): number;
  /** Writes G(x)·v into `out`. G must be symmetric positive semi-definite. */
  gaussNewtonTimes(x: Float64Array, v: Float64Array, out: Float64Array): unknown;
}

/** Options of `gaussNewton`. */
export interface GaussNewtonOptions extends StoppingOptions {
  /**
   * Damping μ of the first iteration. Default 1e-3·gᵀGg/gᵀg at x0, which costs one product
   * and sets μ relative to the curvature along the first gradient.
   */
  initialDamping?: number;
  /**
   * Largest relative residual ‖(G + μI)p + g‖/‖g‖ at which CG stops (default 0.1). The
   * tolerance used at iteration k is min(cgTolerance, √(‖g_k‖/‖g_0‖)), which tightens as
   * the gradient shrinks.
   */
  cgTolerance?: number;
  /** Maximum CG iterations (products) per step (default 100). */
  maxCgIterations?: number;
  /** Consecutive rejected steps after which the run stops with 'line-search-failed' (default 40). */
  maxRejections?: number;
  /** A step is accepted when the ratio of actual to predicted decrease exceeds this, in (0, 1) (default 1e-4). */
  acceptanceRatio?: number;
}

/** Result of `gaussNewton`: `evaluations` counts gradient evaluations only. */
export interface GaussNewtonResult extends OptimizationResult {
  /** Gauss–Newton products G·v computed, by CG and by the default initial damping. */
  productEvaluations: number;
  /** Damping μ at return. */
  damping: number;
}

// Relative change of f below which f(x) and f(x + p) are treated as equal up to rounding
// (the same threshold `gradientDescent` uses).
const INDISTINGUISHABLE_CHANGE = 1e-10;

function checkGaussNewtonFunction(f: unknown): asserts f is GaussNewtonFunction {
  if (f === null || typeof f !== 'object') {
    throw new TypeError(`invalid f: expected an object with evaluate and gaussNewtonTimes, received ${formatValue(f)}`);
  }
  const candidate = f as Record<string, unknown>;
  checkFunction('f.evaluate', candidate.evaluate);
  checkFunction('f.gaussNewtonTimes', candidate.gaussNewtonTimes);
}

/**
 * Minimizes a least-squares loss by Levenberg–Marquardt: each iteration solves the damped
 * Gauss–Newton system (G + μI)p = −g by truncated conjugate gradients and tries x + p.
 * With ρ the ratio of the actual decrease to the decrease m(0) − m(p) predicted by the
 * model m(p) = f + gᵀp + ½pᵀGp, a step with ρ > acceptanceRatio is accepted and
 * μ ← μ·max(1/3, 1 − (2ρ − 1)³). Otherwise μ ← μ·ν and ν ← 2ν, with ν reset to 2 on
 * acceptance (the rule of Madsen, Nielsen & Tingleff, 2004, §3.2).
 *
 * On the bilinear residuals of inductive matrix completion with the identity activation,
 * this is a damped, inexact variant of GNIMC (Zilber & Nadler, "Inductive Matrix
 * Completion: No Bad Local Minima and a Fast Algorithm", ICML 2022).
 *
 * One iteration is one accepted step, however many rejected trials precede it.
 * `evaluations` counts calls of `f.evaluate` (one per trial) and `productEvaluations`
 * counts calls of `f.gaussNewtonTimes`. IterationInfo.step is ‖p‖₂. When f(x + p) and
 * f(x) agree to 1e-10 relative, as happens near a minimum with f* ≠ 0, the step is
 * accepted when it reduces ‖∇f‖ instead. A trial with a non-finite loss or gradient is
 * rejected. Stops with 'line-search-failed' after `maxRejections` consecutive rejections.
 */
export function gaussNewton(
  f: GaussNewtonFunction,
  x0: Float64Array,
  options: GaussNewtonOptions = {},
): GaussNewtonResult {
  checkGaussNewtonFunction(f);
  checkStartingPoint(x0);
  checkOptionsObject(options);
  const stopping = resolveStopping(options, 100);
  const cgTolerance = readOpenUnitInterval('cgTolerance', options.cgTolerance, 0.1);
  const maxCgIterations = readPositiveInteger('maxCgIterations', options.maxCgIterations, 100);
  const maxRejections = readPositiveInteger('maxRejections', options.maxRejections, 40);
  const acceptanceRatio = readOpenUnitInterval('acceptanceRatio', options.acceptanceRatio, 1e-4);
  const requestedDamping =
    options.initialDamping === undefined ? undefined : readPositiveFinite('initialDamping', options.initialDamping, 1);

  const d = x0.length;
  let x = Float64Array.from(x0);
  let gradient = new Float64Array(d);
  let trial = new Float64Array(d);
  let trialGradient = new Float64Array(d);
  const step = new Float64Array(d);
  const negativeGradient = new Float64Array(d);
  const buffers = createConjugateGradientBuffers(d);
  const solve: ConjugateGradientOutcome = { iterations: 0, residualNorm: 0, solutionDotResidual: 0 };
  const monitor = new IterationMonitor(stopping, d);
  let productEvaluations = 0;
  let damping = requestedDamping ?? 0;
  let loss = f.evaluate(x, gradient);
  let evaluations = 1;
  let gradientNorm = l2Norm(gradient);

  const finish = (iterations: number, reason: StopReason): GaussNewtonResult => ({
    ...monitor.finish(x, loss, iterations, evaluations, reason),
    productEvaluations,
    damping,
  });

  const startReason = monitor.start(x, loss, gradientNorm, isFiniteEvaluation(loss, gradient));
  if (startReason !== undefined) return finish(0, startReason);
  const initialGradientNorm = gradientNorm;

  if (requestedDamping === undefined) {
    f.gaussNewtonTimes(x, gradient, buffers.image);
    productEvaluations++;
    let curvature = 0;
    for (let i = 0; i < d; i++) curvature += (gradient[i] as number) * (buffers.image[i] as number);
    const rayleigh = curvature / (gradientNorm * gradientNorm);
    damping = rayleigh > 0 && Number.isFinite(rayleigh) ? 1e-3 * rayleigh : 1e-3;
  }
  let growth = 2;

  // (G + μI)·v with the current x and μ.
  const dampedTimes = (v: Float64Array, out: Float64Array): void => {
    f.gaussNewtonTimes(x, v, out);
    productEvaluations++;
    for (let i = 0; i < d; i++) out[i]! += damping * (v[i] as number);
  };

  for (let iteration = 1; ; iteration++) {
    if (monitor.isAborted()) return finish(iteration - 1, 'callback');

    let rejections = 0;
    let trialLoss = Number.NaN;
    for (;;) {
      // Damped Gauss–Newton step by truncated CG, and the model decrease
      // m(0) − m(p) = −gᵀp − ½pᵀGp, where (G + μI)p = −g − r gives pᵀGp without a product.
      for (let i = 0; i < d; i++) negativeGradient[i] = -(gradient[i] as number);
      const tolerance = Math.min(cgTolerance, Math.sqrt(gradientNorm / initialGradientNorm));
      conjugateGradient(dampedTimes, negativeGradient, tolerance, maxCgIterations, step, buffers, solve);
      let gradientDotStep = 0;
      let stepSquared = 0;
      for (let i = 0; i < d; i++) {
        gradientDotStep += (gradient[i] as number) * (step[i] as number);
        stepSquared += (step[i] as number) ** 2;
      }
      const curvatureAlongStep = -gradientDotStep - solve.solutionDotResidual - damping * stepSquared;
      const predicted = -gradientDotStep - 0.5 * curvatureAlongStep;

      for (let i = 0; i < d; i++) trial[i] = (x[i] as number) + (step[i] as number);
      trialLoss = f.evaluate(trial, trialGradient);
      evaluations++;

      let accepted = false;
      if (isFiniteEvaluation(trialLoss, trialGradient) && predicted > 0) {
        const actual = loss - trialLoss;
        if (Math.abs(actual) <= INDISTINGUISHABLE_CHANGE * Math.abs(loss)) {
          accepted = l2Norm(trialGradient) < gradientNorm;
          if (accepted) damping /= 3;
        } else {
          const ratio = actual / predicted;
          accepted = ratio > acceptanceRatio;
          if (accepted) damping *= Math.max(1 / 3, 1 - (2 * ratio - 1) ** 3);
        }
      }
      if (accepted) {
        growth = 2;
        break;
      }

      damping *= growth;
      growth *= 2;
      rejections++;
      if (rejections >= maxRejections || !Number.isFinite(damping)) {
        const reason = isFiniteVector(trialGradient) && Number.isFinite(trialLoss) ? 'line-search-failed' : 'diverged';
        return finish(iteration - 1, reason);
      }
    }

    // Accept the trial point by swapping buffers, so nothing is copied or allocated.
    const previous = x;
    x = trial;
    trial = previous;
    const previousGradient = gradient;
    gradient = trialGradient;
    trialGradient = previousGradient;
    loss = trialLoss;
    gradientNorm = l2Norm(gradient);

    const reason = monitor.record(iteration, x, loss, l2Norm(step), gradientNorm, evaluations);
    if (reason !== undefined) return finish(iteration, reason);
  }
}
