import { generateSynthetic, relativeTestError } from '@nimc/datasets';
import { createRandom } from '@nimc/linalg';
import { createObjective } from '@nimc/objective';
import {
  adam,
  gradientDescent,
  type DifferentiableFunction,
  type IterationInfo,
  type OptimizationResult,
  type StopReason,
  type StoppingOptions,
} from '@nimc/optimizers';
import { perturbedInit } from '@nimc/tensor-init';
import { syntheticDefaults, type SyntheticOptions } from './synthetic-defaults.js';

export { syntheticDefaults, type SyntheticOptimizer, type SyntheticOptions } from './synthetic-defaults.js';

/** Why training stopped: an optimizer's reason, or the training error reaching its tolerance. */
export type SyntheticStopReason = StopReason | 'training-tolerance';

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
  stopReason: SyntheticStopReason;
  /** Training loss f(U, V) at the start and at the end. */
  initialLoss: number;
  finalLoss: number;
  /** Relative training error √(Σ residual² / Σ A²) at the end. */
  trainingError: number;
  /** Wall-clock times in seconds: the optimizer alone, and the whole trial. */
  timings: { trainingSeconds: number; totalSeconds: number };
}

// Matches relativeTestError: with all targets zero, an exact fit scores 0 and any other fit ∞.
function relativeTrainingError(loss: number, lossScale: number): number {
  if (lossScale > 0) return Math.sqrt(loss / lossScale);
  return loss === 0 ? 0 : Number.POSITIVE_INFINITY;
}

function minimize(
  f: DifferentiableFunction,
  x0: Float64Array,
  options: SyntheticOptions,
  stopping: StoppingOptions,
): OptimizationResult {
  if (options.optimizer === 'adam') return adam(f, x0, { ...stopping, learningRate: options.learningRate });
  return gradientDescent(f, x0, stopping);
}

/**
 * Runs one recovery trial: generates the synthetic problem with `seed`, starts from
 * W0 = (1 − α)W* + αW_r with W_r drawn from the stream "<seed>:init", trains, and measures
 * the relative test error on nTest × nTest fresh Gaussian test pairs. Throws a RangeError for
 * invalid settings, such as k > d.
 */
export function runSynthetic(
  overrides: Partial<SyntheticOptions> = {},
  onIteration?: (info: IterationInfo) => void,
): SyntheticResult {
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
  const start = perturbedInit(truth, options.alpha, createRandom(`${options.seed}:init`));

  // f = Σ residual² / (2m), so a relative training error ε means f = ε²·Σ A² / (2m).
  let sumOfSquares = 0;
  for (const value of problem.observations.values) sumOfSquares += value * value;
  const lossScale = sumOfSquares / (2 * options.m);
  const lossTolerance = options.trainingTolerance ** 2 * lossScale;

  let reachedTolerance = false;
  const stopping: StoppingOptions = {
    maxIterations: options.maxIterations,
    gradientTolerance: options.gradientTolerance,
    onIteration: (info) => {
      onIteration?.(info);
      if (info.loss > lossTolerance) return true;
      reachedTolerance = true;
      return false;
    },
  };
  const trainingStarted = performance.now();
  const result = minimize(objective.evaluate, objective.pack(start.U, start.V), options, stopping);
  const trainingSeconds = (performance.now() - trainingStarted) / 1000;

  const model = objective.unpack(result.x);
  const testError = relativeTestError(model, truth, { nTest: options.nTest, seed: options.seed });

  return {
    settings: options,
    relativeTestError: testError,
    success: testError <= options.successThreshold,
    iterations: result.iterations,
    evaluations: result.evaluations,
    stopReason: result.stopReason === 'callback' && reachedTolerance ? 'training-tolerance' : result.stopReason,
    initialLoss: result.history[0] as number,
    finalLoss: result.loss,
    trainingError: relativeTrainingError(result.loss, lossScale),
    timings: { trainingSeconds, totalSeconds: (performance.now() - started) / 1000 },
  };
}
