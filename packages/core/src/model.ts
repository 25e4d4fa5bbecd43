import { getActivation, type ActivationName } from '@nimc/activations';
import type { DuplicatePolicy, FeatureEncoder } from '@nimc/datasets';
import type { DenseMatrix } from '@nimc/linalg';
import type { NimcModel } from '@nimc/objective';
import type { StopReason } from '@nimc/optimizers';

/** Method that draws the starting point of training. */
export type InitName = 'random' | 'tensor';

/** The optimizer that trains the model. */
export type OptimizerName = 'adam' | 'gd';

/** The settings a model was trained with, all defaults applied. */
export interface TrainingSettings {
  readonly rank: number;
  readonly activation: ActivationName;
  readonly init: InitName;
  readonly optimizer: OptimizerName;
  /** Adam's step size, or the first step gradient descent tries. */
  readonly learningRate: number;
  readonly maxIterations: number;
  readonly l2: number;
  /** Fraction of the training users held out for early stopping (0: none). */
  readonly validationFraction: number;
  /** Validations without improvement before training stops. */
  readonly patience: number;
  /** Iterations between two validations. */
  readonly validationInterval: number;
  readonly standardize: boolean;
  readonly bias: boolean;
  readonly duplicates: DuplicatePolicy;
  readonly seed: number;
}

/** Record of the training data and of how training ended. */
export interface TrainingSummary {
  /** Ratings after merging duplicates. */
  readonly ratings: number;
  /** Ratings merged into an earlier rating of the same pair. */
  readonly mergedRatings: number;
  /** Users with at least one rating. */
  readonly users: number;
  /** Items in the item feature file (the catalogue). */
  readonly items: number;
  /** Items with at least one rating. */
  readonly ratedItems: number;
  /** Users the model was fitted on. */
  readonly fitUsers: number;
  /** Users held out for early stopping. */
  readonly validationUsers: number;
  readonly stopReason: StopReason;
  /** Completed optimizer iterations. */
  readonly iterations: number;
  /** Iteration whose parameters early stopping restored, or null. */
  readonly bestIteration: number | null;
  /** Iteration at which the loss or gradient became non-finite, or null. */
  readonly divergedAtIteration: number | null;
  /** Training loss (half the mean squared error plus the penalty) at the returned parameters. */
  readonly trainingLoss: number;
  /** RMSE on the fit users' ratings at the returned parameters. */
  readonly trainingRmse: number;
  /**
   * RMSE on the held-out users' ratings at the returned parameters; null without held-out
   * users, or when it is not finite (after divergence).
   */
  readonly validationRmse: number | null;
}

/**
 * A trained recommender: the NIMC factors U (d1×k) and V (d2×k), the activation, and the
 * encoders that turn rows of the user and item feature files into feature vectors x and y.
 * The score of a pair is φ(Uᵀx)ᵀφ(Vᵀy).
 */
export interface RecommenderModel {
  readonly activation: ActivationName;
  readonly U: DenseMatrix;
  readonly V: DenseMatrix;
  readonly userEncoder: FeatureEncoder;
  readonly itemEncoder: FeatureEncoder;
  readonly settings: TrainingSettings;
  readonly summary: TrainingSummary;
}

/** Returns the `@nimc/objective` model of a recommender (shares U and V, no copy). */
export function toNimcModel(model: RecommenderModel): NimcModel {
  return { U: model.U, V: model.V, activation: getActivation(model.activation) };
}
