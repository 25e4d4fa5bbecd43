import { AdamState, applyAdamStep, resolveAdamSettings } from './adam-step.js';
import { IterationMonitor } from './monitor.js';
import { checkFunction, checkOptionsObject, checkStartingPoint, resolveStopping } from './options.js';
import type { AdamOptions, DifferentiableFunction, OptimizationResult } from './types.js';
import { isFiniteEvaluation, l2Norm } from './vector.js';

/**
 * Minimizes f with full-batch Adam: one gradient evaluation and one Adam step per iteration.
 * When the loss or gradient at a new point is non-finite, stops with 'diverged' and returns
 * the previous point.
 */
export function adam(
  f: DifferentiableFunction,
  x0: Float64Array,
  options: AdamOptions = {},
): OptimizationResult {
  checkFunction('f', f);
  checkStartingPoint(x0);
  checkOptionsObject(options);
  const stopping = resolveStopping(options, 1000);
  const settings = resolveAdamSettings(options);

  const d = x0.length;
  let x = Float64Array.from(x0);
  let gradient = new Float64Array(d);
  let next = new Float64Array(d);
  let nextGradient = new Float64Array(d);
  const state = new AdamState(d);
  const monitor = new IterationMonitor(stopping, d);

  let loss = f(x, gradient);
  let evaluations = 1;
  const startReason = monitor.start(x, loss, l2Norm(gradient), isFiniteEvaluation(loss, gradient));
  if (startReason !== undefined) return monitor.finish(x, loss, 0, evaluations, startReason);

  for (let iteration = 1; ; iteration++) {
    if (monitor.isAborted()) return monitor.finish(x, loss, iteration - 1, evaluations, 'callback');

    applyAdamStep(settings, state, x, gradient, next);
    const nextLoss = f(next, nextGradient);
    evaluations++;
    if (!isFiniteEvaluation(nextLoss, nextGradient)) {
      return monitor.finish(x, loss, iteration - 1, evaluations, 'diverged');
    }

    // Move to the new point by swapping buffers, so nothing is copied or allocated.
    const previous = x;
    x = next;
    next = previous;
    const previousGradient = gradient;
    gradient = nextGradient;
    nextGradient = previousGradient;
    loss = nextLoss;

    const gradientNorm = l2Norm(gradient);
    const reason = monitor.record(iteration, x, loss, settings.learningRate, gradientNorm, evaluations);
    if (reason !== undefined) return monitor.finish(x, loss, iteration, evaluations, reason);
  }
}
