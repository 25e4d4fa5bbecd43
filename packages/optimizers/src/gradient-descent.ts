import { backtrack, type LineSearchOutcome } from './line-search.js';
import { IterationMonitor } from './monitor.js';
import {
  checkFunction,
  checkOptionsObject,
  checkStartingPoint,
  readGrowthFactor,
  readOpenUnitInterval,
  readPositiveFinite,
  readPositiveInteger,
  resolveStopping,
} from './options.js';
import type { DifferentiableFunction, GradientDescentOptions, OptimizationResult } from './types.js';
import { isFiniteEvaluation, isFiniteVector, l2Norm } from './vector.js';

/**
 * Minimizes f by steepest descent with Armijo backtracking. Each search starts from the
 * previous accepted step times `grow` (from `initialStep` at iteration 1), and multiplies the
 * step by `shrink` until f(x − t·g) ≤ f(x) − c1·t·‖g‖². A trial with a non-finite loss counts
 * as rejected. Where rounding hides the change in f, an equivalent test on the slope decides
 * (see `backtrack`).
 *
 * When `maxBacktracks` reductions find no step, stops with 'line-search-failed', or with
 * 'diverged' when the loss at the smallest step was non-finite. Also stops with 'diverged' when
 * an accepted point has a non-finite gradient. In all three cases x is the last accepted point.
 */
export function gradientDescent(
  f: DifferentiableFunction,
  x0: Float64Array,
  options: GradientDescentOptions = {},
): OptimizationResult {
  checkFunction('f', f);
  checkStartingPoint(x0);
  checkOptionsObject(options);
  const stopping = resolveStopping(options, 1000);
  const initialStep = readPositiveFinite('initialStep', options.initialStep, 1);
  const settings = {
    c1: readOpenUnitInterval('c1', options.c1, 1e-4),
    shrink: readOpenUnitInterval('shrink', options.shrink, 0.5),
    maxBacktracks: readPositiveInteger('maxBacktracks', options.maxBacktracks, 50),
  };
  const grow = readGrowthFactor('grow', options.grow, 2);

  const d = x0.length;
  let x = Float64Array.from(x0);
  let gradient = new Float64Array(d);
  let trial = new Float64Array(d);
  let trialGradient = new Float64Array(d);
  const outcome: LineSearchOutcome = { status: 'failed', step: 0, loss: 0, evaluations: 0 };
  const monitor = new IterationMonitor(stopping, d);

  let loss = f(x, gradient);
  let evaluations = 1;
  const startReason = monitor.start(x, loss, l2Norm(gradient), isFiniteEvaluation(loss, gradient));
  if (startReason !== undefined) return monitor.finish(x, loss, 0, evaluations, startReason);

  let step = initialStep;
  for (let iteration = 1; ; iteration++) {
    if (monitor.isAborted()) return monitor.finish(x, loss, iteration - 1, evaluations, 'callback');

    backtrack(f, x, loss, gradient, step, settings, trial, trialGradient, outcome);
    evaluations += outcome.evaluations;
    if (outcome.status !== 'accepted') {
      const reason = outcome.status === 'failed' ? 'line-search-failed' : 'diverged';
      return monitor.finish(x, loss, iteration - 1, evaluations, reason);
    }
    if (!isFiniteVector(trialGradient)) {
      return monitor.finish(x, loss, iteration - 1, evaluations, 'diverged');
    }

    // Accept the trial point by swapping buffers, so nothing is copied or allocated.
    const previous = x;
    x = trial;
    trial = previous;
    const previousGradient = gradient;
    gradient = trialGradient;
    trialGradient = previousGradient;
    loss = outcome.loss;
    step = outcome.step;

    const reason = monitor.record(iteration, x, loss, step, l2Norm(gradient), evaluations);
    if (reason !== undefined) return monitor.finish(x, loss, iteration, evaluations, reason);

    // The next search starts from a longer step. A step that would overflow is kept as is.
    const grownStep = step * grow;
    if (Number.isFinite(grownStep)) step = grownStep;
  }
}
