import { getActivation } from '@nimc/activations';
import type { FeatureTable, RatingTable, UnseenCategory } from '@nimc/datasets';
import { predictObserved, type NimcProblem } from '@nimc/objective';
import { checkIgnoredColumns, loadRatings, loadTrainingFeatures, type ReadOptions } from './inputs.js';
import type { RecommenderModel, TrainingSummary } from './model.js';
import { resolveTrainingSettings, type TrainingOptions } from './settings.js';
import { assembleTrainingData } from './training-data.js';
import { trainFactors, type IterationProgress } from './train.js';

/** The files (or tables already read) that `fit` trains on. */
export interface TrainingInput {
  ratings: string | RatingTable;
  userFeatures: string | FeatureTable;
  itemFeatures: string | FeatureTable;
}

/** A progress event of `fit`. */
export type FitProgress =
  | { readonly phase: 'reading'; readonly file: string }
  | { readonly phase: 'initializing'; readonly message: string }
  | ({ readonly phase: 'training' } & IterationProgress);

/** Options of `fit`: the reading options, the training options, progress and cancellation. */
export interface FitOptions extends ReadOptions, TrainingOptions {
  onProgress?: (event: FitProgress) => void;
  /** Aborting stops training after the current iteration; the model keeps the parameters reached. */
  signal?: AbortSignal;
}

/** A trained model, with the categories of catalogue items that training never saw. */
export interface FitResult {
  model: RecommenderModel;
  /** Categories of unrated items that no rated item has; they are encoded as zeros. */
  unseenItemCategories: readonly UnseenCategory[];
}

function rmse(problem: NimcProblem, model: Parameters<typeof predictObserved>[0]): number {
  const predictions = predictObserved(model, problem);
  const values = problem.observations.values;
  let sum = 0;
  for (let t = 0; t < values.length; t++) {
    const residual = (predictions[t] as number) - (values[t] as number);
    sum += residual * residual;
  }
  return Math.sqrt(sum / values.length);
}

function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}

function sourceName(source: string | { file: string }): string {
  return typeof source === 'string' ? source : source.file;
}

// Describes the type of a value for an error message, naming null and arrays as such.
function describeValue(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

// Checks that `input` names the three sources, because a missing one fails later with a TypeError.
function checkTrainingInput(input: unknown): asserts input is TrainingInput {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new TypeError(`invalid input: expected an object { ratings, userFeatures, itemFeatures }, received ${describeValue(input)}`);
  }
  for (const key of ['ratings', 'userFeatures', 'itemFeatures'] as const) {
    const value = (input as Record<string, unknown>)[key];
    if (typeof value !== 'string' && (value === null || typeof value !== 'object')) {
      throw new TypeError(`invalid input.${key}: expected a file path or a table, received ${describeValue(value)}`);
    }
  }
}

/**
 * Trains a recommender on a ratings file and the user and item feature files. A fraction
 * of the rated users is held out for early stopping, which keeps the parameters with the
 * best held-out RMSE. Numeric feature columns are standardised and categorical ones one-hot
 * encoded, with statistics and categories from the training rows only.
 *
 * Throws a DatasetError for unreadable or invalid files (see `@nimc/datasets`), EMPTY_DATA
 * for an empty training set, UNKNOWN_ID for a rated user or item without a feature row,
 * a TypeError for a missing input, and a RangeError for an invalid option.
 */
export async function fit(input: TrainingInput, options: FitOptions = {}): Promise<FitResult> {
  checkTrainingInput(input);
  const settings = resolveTrainingSettings(options, options.duplicates ?? 'error');
  const report = options.onProgress ?? (() => {});

  report({ phase: 'reading', file: sourceName(input.ratings) });
  const ratings = await loadRatings(input.ratings, { ...options, duplicates: settings.duplicates });
  report({ phase: 'reading', file: sourceName(input.userFeatures) });
  const users = await loadTrainingFeatures(input.userFeatures, 'user', options);
  report({ phase: 'reading', file: sourceName(input.itemFeatures) });
  const items = await loadTrainingFeatures(input.itemFeatures, 'item', options);
  checkIgnoredColumns(options, input, users, items);

  const data = assembleTrainingData(ratings, users, items, settings);
  const d1 = data.fit.X.columns;
  const d2 = data.fit.Y.columns;
  if (settings.init === 'tensor' && settings.rank > Math.min(d1, d2)) {
    throw new RangeError(
      `invalid rank: the tensor initialization needs rank ≤ min(d1, d2) = ${Math.min(d1, d2)} (${d1} user features, ${d2} item features), received ${settings.rank}`,
    );
  }
  if (settings.init === 'tensor') report({ phase: 'initializing', message: 'tensor initialization' });
  const trained = trainFactors(data.fit, data.validation, getActivation(settings.activation), settings, {
    signal: options.signal,
    onInitialization: (message) => report({ phase: 'initializing', message }),
    onIteration: (progress) => report({ phase: 'training', ...progress }),
  });

  const { result } = trained;
  const summary: TrainingSummary = {
    ratings: ratings.values.length,
    mergedRatings: ratings.merged,
    users: data.users,
    items: data.items,
    ratedItems: data.ratedItems,
    fitUsers: data.fit.X.rows,
    validationUsers: data.validation?.X.rows ?? 0,
    stopReason: result.stopReason,
    iterations: result.iterations,
    bestIteration: result.bestIteration ?? null,
    divergedAtIteration: result.stopReason === 'diverged' ? result.iterations + 1 : null,
    trainingLoss: result.loss,
    trainingRmse: rmse(data.fit, trained.model),
    validationRmse: finiteOrNull(trained.validationRmse),
  };
  const model: RecommenderModel = {
    activation: settings.activation,
    U: trained.model.U,
    V: trained.model.V,
    userEncoder: data.userEncoder,
    itemEncoder: data.itemEncoder,
    settings,
    summary,
  };
  return { model, unseenItemCategories: data.unseenItemCategories };
}
