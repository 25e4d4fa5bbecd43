import { createRandom, type Random } from '@nimc/linalg';
import { AdamState, applyAdamStep, resolveAdamSettings } from './adam-step.js';
import { IterationMonitor } from './monitor.js';
import {
  checkFunction,
  checkOptionsObject,
  checkStartingPoint,
  formatValue,
  readPositiveInteger,
  resolveStopping,
} from './options.js';
import type { MinibatchAdamOptions, OptimizationResult, StochasticFunction } from './types.js';
import { isFiniteEvaluation, l2Norm } from './vector.js';

/**
 * Minimizes the mean loss of a stochastic function with mini-batch Adam. Each epoch visits the
 * terms in a new seeded random order, in consecutive batches of `batchSize`, and takes one Adam
 * step per batch. Batches are subarray views of one index buffer, so no term data is copied.
 *
 * History, stopping rules, validation and callbacks work per epoch. The loss of an epoch is
 * `f.evaluate` at the end of the epoch when f has it. Otherwise it is the mean of the per-term
 * losses seen during the epoch (batch losses weighted by batch length), and the gradient norm
 * is the norm of the matching mean gradient. The loss at x0 is `f.evaluate`, or else
 * `f.evaluateBatch` over all terms.
 *
 * When a batch loss, a batch gradient or the epoch loss is non-finite, stops with 'diverged'
 * and returns the parameters at the end of the last completed epoch (x0 if there is none),
 * with that epoch's loss.
 */
export function minibatchAdam(
  f: StochasticFunction,
  x0: Float64Array,
  options: MinibatchAdamOptions = {},
): OptimizationResult {
  checkStochasticFunction(f);
  checkStartingPoint(x0);
  checkOptionsObject(options);
  const stopping = resolveStopping(options, 100);
  const settings = resolveAdamSettings(options);
  const batchSize = readPositiveInteger('batchSize', options.batchSize, 256);
  const random = createSeededRandom(options.seed);

  // Batch b is the view order[b·batchSize, min((b + 1)·batchSize, n)), made once; each epoch
  // only rewrites the contents of `order`.
  const n = f.size;
  const order = new Int32Array(n);
  for (let t = 0; t < n; t++) order[t] = t;
  const batches: Int32Array[] = [];
  for (let start = 0; start < n; start += batchSize) {
    batches.push(order.subarray(start, Math.min(start + batchSize, n)));
  }

  const d = x0.length;
  const x = Float64Array.from(x0);
  const epochStart = Float64Array.from(x0);
  const gradient = new Float64Array(d);
  const hasFullLoss = f.evaluate !== undefined;
  const gradientSum = hasFullLoss ? undefined : new Float64Array(d);
  const state = new AdamState(d);
  const monitor = new IterationMonitor(stopping, d);

  let loss = hasFullLoss ? evaluateFull(f, x, gradient) : f.evaluateBatch(x, order, gradient);
  let evaluations = 1;
  const startReason = monitor.start(x, loss, l2Norm(gradient), isFiniteEvaluation(loss, gradient));
  if (startReason !== undefined) return monitor.finish(x, loss, 0, evaluations, startReason);

  for (let epoch = 1; ; epoch++) {
    if (monitor.isAborted()) return monitor.finish(x, loss, epoch - 1, evaluations, 'callback');

    drawPermutation(random, order);
    let weightedLossSum = 0;
    gradientSum?.fill(0);

    for (const batch of batches) {
      const batchLoss = f.evaluateBatch(x, batch, gradient);
      evaluations++;
      if (!isFiniteEvaluation(batchLoss, gradient)) {
        x.set(epochStart);
        return monitor.finish(x, loss, epoch - 1, evaluations, 'diverged');
      }
      if (gradientSum !== undefined) {
        weightedLossSum += batch.length * batchLoss;
        for (let i = 0; i < d; i++) gradientSum[i]! += batch.length * (gradient[i] as number);
      }
      applyAdamStep(settings, state, x, gradient, x);
    }

    let epochLoss: number;
    let gradientNorm: number;
    if (gradientSum === undefined) {
      epochLoss = evaluateFull(f, x, gradient);
      evaluations++;
      if (!isFiniteEvaluation(epochLoss, gradient)) {
        x.set(epochStart);
        return monitor.finish(x, loss, epoch - 1, evaluations, 'diverged');
      }
      gradientNorm = l2Norm(gradient);
    } else {
      epochLoss = weightedLossSum / n;
      gradientNorm = l2Norm(gradientSum) / n;
    }
    loss = epochLoss;
    epochStart.set(x);

    const reason = monitor.record(epoch, x, loss, settings.learningRate, gradientNorm, evaluations);
    if (reason !== undefined) return monitor.finish(x, loss, epoch, evaluations, reason);
  }
}

function evaluateFull(f: StochasticFunction, x: Float64Array, gradient: Float64Array): number {
  return (f.evaluate as NonNullable<StochasticFunction['evaluate']>).call(f, x, gradient);
}

// Fisher–Yates shuffle of the identity permutation, written into `order` in place.
function drawPermutation(random: Random, order: Int32Array): void {
  for (let t = 0; t < order.length; t++) order[t] = t;
  for (let t = order.length - 1; t > 0; t--) {
    const u = Math.floor(random.uniform() * (t + 1));
    const swap = order[t] as number;
    order[t] = order[u] as number;
    order[u] = swap;
  }
}

function createSeededRandom(seed: unknown): Random {
  if (seed === undefined) return createRandom(0);
  if (typeof seed === 'string' || (typeof seed === 'number' && Number.isFinite(seed))) {
    return createRandom(seed);
  }
  const kind = typeof seed === 'number' ? RangeError : TypeError;
  throw new kind(`invalid seed: expected a finite number or a string, received ${formatValue(seed)}`);
}

function checkStochasticFunction(f: unknown): asserts f is StochasticFunction {
  if (f === null || typeof f !== 'object') {
    throw new TypeError(
      `invalid f: expected an object with size and evaluateBatch, received ${formatValue(f)}`,
    );
  }
  const { size, evaluateBatch, evaluate } = f as Record<string, unknown>;
  if (!Number.isSafeInteger(size) || (size as number) <= 0) {
    throw new RangeError(`invalid f.size: expected a positive integer, received ${formatValue(size)}`);
  }
  checkFunction('f.evaluateBatch', evaluateBatch);
  if (evaluate !== undefined) checkFunction('f.evaluate', evaluate);
}
