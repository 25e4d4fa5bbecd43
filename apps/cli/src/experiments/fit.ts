import type { Activation } from '@nimc/activations';
import { createRandom } from '@nimc/linalg';
import { createObjective, type NimcModel, type NimcProblem } from '@nimc/objective';
import { adam, type OptimizationResult } from '@nimc/optimizers';
import { randomInit } from '@nimc/tensor-init';

/** Settings of one NIMC training run with early stopping. */
export interface FitSettings {
  activation: Activation;
  rank: number;
  l2: number;
  learningRate: number;
  maxIterations: number;
  /** Validations without improvement before training stops. */
  patience: number;
  /** Iterations between two validations. */
  validationInterval: number;
  seed: number | string;
}

/** Progress of one training run, passed to `onIteration`. */
export interface FitProgress {
  iteration: number;
  loss: number;
  validationRmse?: number;
}

/** A trained model with the optimizer's record. */
export interface FitOutcome {
  model: NimcModel;
  result: OptimizationResult;
  /** RMSE on the validation problem at the restored parameters, when one was given. */
  validationRmse?: number;
}

/**
 * Trains a NIMC model on `train` with full-batch Adam from a random start, and, when
 * `validation` is given, stops early on its RMSE and restores the best parameters.
 */
export function fitModel(
  train: NimcProblem,
  validation: NimcProblem | undefined,
  settings: FitSettings,
  onIteration?: (progress: FitProgress) => void,
): FitOutcome {
  const objective = createObjective(train, settings.activation, settings.rank, { l2: settings.l2 });
  const start = randomInit(objective.d1, objective.d2, settings.rank, createRandom(settings.seed));
  const x0 = objective.pack(start.U, start.V);

  // The validation loss without penalty is half the mean squared error, so RMSE = √(2·loss).
  const validationObjective =
    validation === undefined ? undefined : createObjective(validation, settings.activation, settings.rank);
  const validationRmse = (x: Float64Array): number => {
    if (validationObjective === undefined) throw new Error('validationRmse needs a validation problem');
    return Math.sqrt(2 * validationObjective.loss(x));
  };

  const result = adam((x, gradient) => objective.evaluate(x, gradient), x0, {
    learningRate: settings.learningRate,
    maxIterations: settings.maxIterations,
    validation:
      validationObjective === undefined
        ? undefined
        : { evaluate: validationRmse, patience: settings.patience, interval: settings.validationInterval },
    onIteration:
      onIteration === undefined
        ? undefined
        : (info) => {
            onIteration({ iteration: info.iteration, loss: info.loss, validationRmse: info.validationLoss });
          },
  });

  const model = objective.unpack(Float64Array.from(result.x));
  return {
    model,
    result,
    validationRmse: validationObjective === undefined ? undefined : validationRmse(result.x),
  };
}
