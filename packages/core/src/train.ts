import type { Activation } from '@nimc/activations';
import { createRandom } from '@nimc/linalg';
import { createObjective, type NimcModel, type NimcProblem } from '@nimc/objective';
import { adam, gradientDescent, type OptimizationResult, type StoppingOptions } from '@nimc/optimizers';
import { randomInit, tensorInit } from '@nimc/tensor-init';
import type { TrainingSettings } from './model.js';

/** Progress of training, reported after each optimizer iteration. */
export interface IterationProgress {
  readonly iteration: number;
  readonly maxIterations: number;
  readonly loss: number;
  /** RMSE on the held-out users, at iterations where it was measured. */
  readonly validationRmse?: number;
}

/** Callbacks and cancellation of `trainFactors`. */
export interface TrainHooks {
  onIteration?: (progress: IterationProgress) => void;
  /** Called with each stage message of the tensor initialization. */
  onInitialization?: (message: string) => void;
  signal?: AbortSignal;
}

/** Trained factors with the optimizer's record. */
export interface TrainedFactors {
  model: NimcModel;
  result: OptimizationResult;
  /** RMSE on the validation problem at the returned parameters, or null without one. */
  validationRmse: number | null;
}

function startingPoint(fit: NimcProblem, activation: Activation, settings: TrainingSettings, hooks: TrainHooks) {
  const d1 = fit.X.columns;
  const d2 = fit.Y.columns;
  if (settings.init === 'tensor') {
    return tensorInit(fit, activation, settings.rank, {
      seed: `${settings.seed}:tensor`,
      onProgress: (event) => hooks.onInitialization?.(event.message),
    });
  }
  // The seed label matches the MovieLens experiment's NIMC runs, so the same seed gives the
  // same start there and here.
  return randomInit(d1, d2, settings.rank, createRandom(`${settings.seed}:nimc`));
}

/**
 * Trains U and V on `fit` with full-batch Adam or gradient descent from a random or tensor
 * start. With `validation`, training validates the RMSE every `validationInterval`
 * iterations, stops after `patience` validations without improvement, and restores the
 * best parameters. When the loss becomes non-finite, training stops with 'diverged' and
 * keeps the last finite parameters.
 */
export function trainFactors(
  fit: NimcProblem,
  validation: NimcProblem | undefined,
  activation: Activation,
  settings: TrainingSettings,
  hooks: TrainHooks = {},
): TrainedFactors {
  const objective = createObjective(fit, activation, settings.rank, { l2: settings.l2 });
  const start = startingPoint(fit, activation, settings, hooks);
  const x0 = objective.pack(start.U, start.V);

  // Without the penalty, the loss is half the mean squared error, so RMSE = √(2·loss).
  const validationObjective = validation === undefined ? undefined : createObjective(validation, activation, settings.rank);
  const validationRmse = (x: Float64Array): number => Math.sqrt(2 * (validationObjective as NonNullable<typeof validationObjective>).loss(x));

  const stopping: StoppingOptions = {
    maxIterations: settings.maxIterations,
    signal: hooks.signal,
    validation:
      validationObjective === undefined
        ? undefined
        : { evaluate: validationRmse, patience: settings.patience, interval: settings.validationInterval },
    onIteration: (info) => {
      hooks.onIteration?.({
        iteration: info.iteration,
        maxIterations: settings.maxIterations,
        loss: info.loss,
        validationRmse: info.validationLoss,
      });
    },
  };
  const f = (x: Float64Array, gradient: Float64Array): number => objective.evaluate(x, gradient);
  const result =
    settings.optimizer === 'adam'
      ? adam(f, x0, { ...stopping, learningRate: settings.learningRate })
      : gradientDescent(f, x0, { ...stopping, initialStep: settings.learningRate });

  if (result.stopReason === 'diverged' && !Number.isFinite(result.loss)) throw startingLossError(fit, result.loss);
  const model = objective.unpack(Float64Array.from(result.x));
  return { model, result, validationRmse: validationObjective === undefined ? null : validationRmse(result.x) };
}

function maxMagnitude(values: Float64Array): number {
  let max = 0;
  for (const value of values) max = Math.max(max, Math.abs(value));
  return max;
}

// Explains a non-finite loss at the starting point from the largest |rating| and |feature|:
// the squared residuals overflow when the ratings are huge, the activations when the features are.
function startingLossError(fit: NimcProblem, loss: number): RangeError {
  const rating = maxMagnitude(fit.observations.values);
  const feature = Math.max(maxMagnitude(fit.X.data), maxMagnitude(fit.Y.data));
  const sizes = `the largest |rating| is ${rating} and the largest |feature| after encoding is ${feature}`;
  // (rating)² overflows float64 above about 1.3e154, and so does their mean.
  const cause =
    rating > 1e150 || !Number.isFinite(rating)
      ? 'the ratings are out of range: rescale them'
      : 'the feature values are out of range: standardise the numeric columns or scale them down';
  return new RangeError(`cannot train: the loss at the starting point is ${loss}, not a finite number; ${sizes}, so ${cause}`);
}
