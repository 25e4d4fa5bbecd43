import { generateSynthetic, relativeTestError } from '@nimc/datasets';
import { createGaussNewtonObjective, createObjective, type NimcProblem } from '@nimc/objective';
import type { Activation } from '@nimc/activations';
import {
  adam,
  gaussNewton,
  gradientDescent,
  type DifferentiableFunction,
  type IterationInfo,
  type OptimizationResult,
  type StopReason,
  type StoppingOptions,
} from '@nimc/optimizers';
import { syntheticDefaults, type SyntheticOptions } from './synthetic-defaults.js';
import { createSyntheticStart } from './synthetic-start.js';
import { createTestErrorTracker } from './test-error-tracker.js';

export {
  syntheticDefaults,
  syntheticInitNames,
  type SyntheticInit,
  type SyntheticOptimizer,
  type SyntheticOptions,
} from './synthetic-defaults.js';
export { InitializationError } from './synthetic-start.js';

/**
 * Why training stopped: an optimizer's reason, the training error reaching its tolerance, or
 * the loss stalling under the rule of `stallWindow` and `stallDecrease`.
 */
export type SyntheticStopReason = StopReason | 'training-tolerance' | 'stalled';

/** The starting point of a trial. */
export interface StartInfo {
  /** Relative distance of (U0, V0) to (U*, V*) after the best column matching. */
  distance: number;
}

/** The training cost up to the first iteration whose relative test error reaches the success threshold. */
export interface TargetCost {
  /** First iteration whose model has a relative test error ≤ the threshold; 0 for the start. */
  iterations: number;
  /** Loss and gradient evaluations up to that iteration. */
  evaluations: number;
  /** Gauss–Newton products up to that iteration; 0 for gradient descent and Adam. */
  productEvaluations: number;
  /** evaluations + productEvaluations. Each costs O((n1·d1 + n2·d2)·k + m·k). */
  cost: number;
}

/** The outcome of one synthetic trial. */
export interface SyntheticResult {
  settings: SyntheticOptions;
  /** ‖φ(X_t U)φ(Y_t V)ᵀ − φ(X_t U*)φ(Y_t V*)ᵀ‖_F / ‖φ(X_t U*)φ(Y_t V*)ᵀ‖_F on fresh features. */
  relativeTestError: number;
  /** True when `relativeTestError` ≤ the success threshold. */
  success: boolean;
  iterations: number;
  /** Loss and gradient evaluations. */
  evaluations: number;
  /** Gauss–Newton products G·v; 0 for gradient descent and Adam. */
  productEvaluations: number;
  /** The cost of reaching the success threshold, or null when no iteration reached it. */
  toTarget: TargetCost | null;
  stopReason: SyntheticStopReason;
  start: StartInfo;
  /** Training loss f(U, V) at the start and at the end. */
  initialLoss: number;
  finalLoss: number;
  /** Relative training error √(Σ residual² / Σ A²) at the end. */
  trainingError: number;
  /**
   * Wall-clock times in seconds: the initializer, the optimizer alone (without the test-error
   * checks that find `toTarget`), the optimizer until the iteration of `toTarget` (null when
   * it is null), and the whole trial.
   */
  timings: { startSeconds: number; trainingSeconds: number; secondsToTarget: number | null; totalSeconds: number };
}

// Matches relativeTestError: with all targets zero, an exact fit scores 0 and any other fit ∞.
function relativeTrainingError(loss: number, lossScale: number): number {
  if (lossScale > 0) return Math.sqrt(loss / lossScale);
  return loss === 0 ? 0 : Number.POSITIVE_INFINITY;
}

/** The loss seen by the optimizers, which records the last point it evaluated and counts products. */
interface TrackedLoss {
  evaluate: DifferentiableFunction;
  /** The most recent point passed to `evaluate` and its loss. */
  lastPoint: () => Float64Array;
  lastLoss: () => number;
  products: () => number;
  minimize: (x0: Float64Array, stopping: StoppingOptions) => OptimizationResult;
}

function createTrackedLoss(problem: NimcProblem, activation: Activation, options: SyntheticOptions, x0: Float64Array): TrackedLoss {
  let point = x0;
  let loss = Number.NaN;
  let products = 0;
  const record = (x: Float64Array, value: number): number => {
    point = x;
    loss = value;
    return value;
  };
  const tracked = { lastPoint: () => point, lastLoss: () => loss, products: () => products };

  if (options.optimizer === 'gauss-newton') {
    // The objective caches the embeddings of its two most recent product points, so the
    // products at an accepted point reuse the forward pass of its evaluation.
    const gaussNewtonObjective = createGaussNewtonObjective(problem, activation, options.k);
    const evaluate: DifferentiableFunction = (x, gradient) => record(x, gaussNewtonObjective.evaluate(x, gradient));
    const gaussNewtonTimes = (x: Float64Array, v: Float64Array, out: Float64Array): void => {
      products++;
      gaussNewtonObjective.gaussNewtonTimes(x, v, out);
    };
    return { ...tracked, evaluate, minimize: (start, stopping) => gaussNewton({ evaluate, gaussNewtonTimes }, start, stopping) };
  }
  const objective = createObjective(problem, activation, options.k);
  const evaluate: DifferentiableFunction = (x, gradient) => record(x, objective.evaluate(x, gradient));
  if (options.optimizer === 'adam') {
    return { ...tracked, evaluate, minimize: (start, stopping) => adam(evaluate, start, { ...stopping, learningRate: options.learningRate }) };
  }
  return { ...tracked, evaluate, minimize: (start, stopping) => gradientDescent(evaluate, start, stopping) };
}

/** Callbacks and switches of `runSyntheticTrial` that do not change its outcome. */
export interface SyntheticRunControl {
  /** Called after every optimizer iteration. */
  onIteration?: (info: IterationInfo) => void;
  /**
   * Checks the test error after every iteration until it reaches the success threshold, to
   * fill `toTarget`. Default true. When false, `toTarget` is null unless the start already
   * reaches the threshold, and training runs faster.
   */
  trackTarget?: boolean;
}

/** A trial's result and its training loss per iteration. */
export interface SyntheticTrial {
  result: SyntheticResult;
  /** Training loss f(U, V) per iteration, with index 0 at the start. */
  lossHistory: number[];
}

/**
 * Runs one recovery trial: generates the synthetic problem with `seed`, computes the start of
 * `init` (`createSyntheticStart`), trains, and measures the relative test error on
 * nTest × nTest fresh Gaussian test pairs. After every iteration until the error first
 * reaches the success threshold, it checks the error on the same test pairs to record
 * `toTarget`, unless `control.trackTarget` is false. Throws a RangeError for invalid
 * settings, such as k > d, and an InitializationError when the tensor method fails.
 */
export function runSyntheticTrial(overrides: Partial<SyntheticOptions> = {}, control: SyntheticRunControl = {}): SyntheticTrial {
  const options: SyntheticOptions = { ...syntheticDefaults, ...overrides };
  const started = performance.now();

  const { problem, truth } = generateSynthetic({
    activation: options.activation,
    d: options.d,
    k: options.k,
    n: options.n,
    m: options.m,
    seed: options.seed,
  });
  const objective = createObjective(problem, truth.activation, options.k);
  const start = createSyntheticStart(problem, truth, options);
  const x0 = objective.pack(start.U, start.V);
  const loss = createTrackedLoss(problem, truth.activation, options, x0);

  // f = Σ residual² / (2m), so a relative training error ε means f = ε²·Σ A² / (2m).
  let sumOfSquares = 0;
  for (const value of problem.observations.values) sumOfSquares += value * value;
  const lossScale = sumOfSquares / (2 * options.m);
  const lossTolerance = options.trainingTolerance ** 2 * lossScale;

  const trackTarget = control.trackTarget ?? true;
  const testError = createTestErrorTracker(truth, { nTest: options.nTest, seed: options.seed });
  let toTarget: TargetCost | null =
    testError(x0) <= options.successThreshold
      ? { iterations: 0, evaluations: 0, productEvaluations: 0, cost: 0 }
      : null;
  let secondsToTarget: number | null = toTarget === null ? null : 0;
  let checkSeconds = 0;
  let trainingStarted = 0;

  // Each optimizer evaluates its accepted point last before it reports an iteration, so the
  // last evaluated point is the model of this iteration. The loss comparison guards that.
  const checkTarget = (info: IterationInfo): void => {
    if (toTarget !== null || !trackTarget) return;
    if (loss.lastLoss() !== info.loss) {
      throw new Error(`the last evaluated loss ${loss.lastLoss()} differs from the loss ${info.loss} of iteration ${info.iteration}`);
    }
    const checkStarted = performance.now();
    const error = testError(loss.lastPoint());
    const now = performance.now();
    checkSeconds += (now - checkStarted) / 1000;
    if (error > options.successThreshold) return;
    const products = loss.products();
    toTarget = { iterations: info.iteration, evaluations: info.evaluations, productEvaluations: products, cost: info.evaluations + products };
    secondsToTarget = (now - trainingStarted) / 1000 - checkSeconds;
  };

  // losses[t - 1] is the loss after iteration t, for the stalling rule.
  const losses: number[] = [];
  let callbackReason: 'training-tolerance' | 'stalled' | undefined;
  const stopping: StoppingOptions = {
    maxIterations: options.maxIterations,
    gradientTolerance: options.gradientTolerance,
    onIteration: (info) => {
      control.onIteration?.(info);
      checkTarget(info);
      if (info.loss <= lossTolerance) {
        callbackReason = 'training-tolerance';
        return false;
      }
      if (options.stallWindow === 0) return true;
      losses.push(info.loss);
      const earlier = losses[info.iteration - 1 - options.stallWindow];
      if (earlier === undefined || info.loss < (1 - options.stallDecrease) * earlier) return true;
      callbackReason = 'stalled';
      return false;
    },
  };
  trainingStarted = performance.now();
  const optimized = loss.minimize(x0, stopping);
  const trainingSeconds = (performance.now() - trainingStarted) / 1000 - checkSeconds;

  const model = objective.unpack(optimized.x);
  const finalError = relativeTestError(model, truth, { nTest: options.nTest, seed: options.seed });

  const result: SyntheticResult = {
    settings: options,
    relativeTestError: finalError,
    success: finalError <= options.successThreshold,
    iterations: optimized.iterations,
    evaluations: optimized.evaluations,
    productEvaluations: loss.products(),
    toTarget,
    stopReason: optimized.stopReason === 'callback' && callbackReason !== undefined ? callbackReason : optimized.stopReason,
    start: { distance: start.distance },
    initialLoss: optimized.history[0] as number,
    finalLoss: optimized.loss,
    trainingError: relativeTrainingError(optimized.loss, lossScale),
    timings: { startSeconds: start.seconds, trainingSeconds, secondsToTarget, totalSeconds: (performance.now() - started) / 1000 },
  };
  return { result, lossHistory: optimized.history };
}

/** Runs `runSyntheticTrial` and returns its result without the loss history. */
export function runSynthetic(overrides: Partial<SyntheticOptions> = {}, onIteration?: (info: IterationInfo) => void): SyntheticResult {
  return runSyntheticTrial(overrides, { onIteration }).result;
}
