import { activationNames, isActivationName, type ActivationName } from '@nimc/activations';
import type { DuplicatePolicy } from '@nimc/datasets';
import type { InitName, OptimizerName, TrainingSettings } from './model.js';

/** Training options of `fit`; every one is optional. */
export interface TrainingOptions {
  /** Rank k of U and V. Default 50. */
  rank?: number;
  /** Activation φ. Default 'relu'. */
  activation?: ActivationName;
  /** Starting point: 'random' (default, N(0, 1/d) entries) or 'tensor' (method of moments; needs k ≤ min(d1, d2)). */
  init?: InitName;
  /** 'adam' (default, full batch) or 'gd' (gradient descent with Armijo line search). */
  optimizer?: OptimizerName;
  /** Adam's step size, or the first step gradient descent tries. Default 0.01. */
  learningRate?: number;
  /** Maximum number of optimizer iterations. Default 2000. */
  maxIterations?: number;
  /** Weight λ of the penalty (λ/2)(‖U‖² + ‖V‖²). Default 0. */
  l2?: number;
  /** Fraction of the training users held out for early stopping, in [0, 1). Default 0.1; 0 turns early stopping off. */
  validationFraction?: number;
  /** Validations without improvement before training stops. Default 10. */
  patience?: number;
  /** Iterations between two validations. Default 10. */
  validationInterval?: number;
  /** Standardises numeric feature columns. Default true. */
  standardize?: boolean;
  /** Appends a constant-1 feature to users and items. Default true. */
  bias?: boolean;
  /** Seed of the held-out users and the starting point, a non-negative integer. Default 0. */
  seed?: number;
}

/** Defaults of `TrainingOptions`. */
export const trainingDefaults: Omit<TrainingSettings, 'duplicates'> = {
  rank: 50,
  activation: 'relu',
  init: 'random',
  optimizer: 'adam',
  learningRate: 0.01,
  maxIterations: 2000,
  l2: 0,
  validationFraction: 0.1,
  patience: 10,
  validationInterval: 10,
  standardize: true,
  bias: true,
  seed: 0,
};

function invalid(name: string, expected: string, value: unknown): RangeError {
  return new RangeError(`invalid ${name}: expected ${expected}, received ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`);
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw invalid(name, 'a positive integer', value);
  return value;
}

function oneOf<T extends string>(name: string, value: string, names: readonly T[]): T {
  if (!(names as readonly string[]).includes(value)) throw invalid(name, `one of ${names.join(', ')}`, value);
  return value as T;
}

/** Applies the defaults to `options` and checks every value; throws a RangeError naming the first invalid one. */
export function resolveTrainingSettings(options: TrainingOptions, duplicates: DuplicatePolicy = 'error'): TrainingSettings {
  const d = trainingDefaults;
  const activation = options.activation ?? d.activation;
  if (!isActivationName(activation)) throw invalid('activation', `one of ${activationNames.join(', ')}`, activation);
  const learningRate = options.learningRate ?? d.learningRate;
  if (!(learningRate > 0 && Number.isFinite(learningRate))) throw invalid('learningRate', 'a finite positive number', learningRate);
  const l2 = options.l2 ?? d.l2;
  if (!(l2 >= 0 && Number.isFinite(l2))) throw invalid('l2', 'a finite number ≥ 0', l2);
  const validationFraction = options.validationFraction ?? d.validationFraction;
  if (!(validationFraction >= 0 && validationFraction < 1)) throw invalid('validationFraction', 'a number in [0, 1)', validationFraction);
  const seed = options.seed ?? d.seed;
  if (!Number.isSafeInteger(seed) || seed < 0) throw invalid('seed', 'a non-negative integer', seed);
  return {
    rank: positiveInteger('rank', options.rank ?? d.rank),
    activation,
    init: oneOf('init', options.init ?? d.init, ['random', 'tensor'] as const),
    optimizer: oneOf('optimizer', options.optimizer ?? d.optimizer, ['adam', 'gd'] as const),
    learningRate,
    maxIterations: positiveInteger('maxIterations', options.maxIterations ?? d.maxIterations),
    l2,
    validationFraction,
    patience: positiveInteger('patience', options.patience ?? d.patience),
    validationInterval: positiveInteger('validationInterval', options.validationInterval ?? d.validationInterval),
    standardize: options.standardize ?? d.standardize,
    bias: options.bias ?? d.bias,
    duplicates: oneOf('duplicates', duplicates, ['error', 'mean'] as const),
    seed,
  };
}
