import { getActivation, type ActivationName } from '@nimc/activations';
import {
  buildUserFeatures,
  globalMean,
  itemMeanRatings,
  loadMovieLens,
  type MovieLensData,
  type MovieLensDataset,
  type RatingTriples,
} from '@nimc/datasets';
import type { DenseMatrix } from '@nimc/linalg';
import { predictObserved } from '@nimc/objective';
import { fitModel, type FitProgress, type FitSettings } from './fit.js';
import {
  crossFitFolds,
  fitGroupOffsetMethod,
  groupOffsetAblation,
  moviePriors,
  predictWithGroupModel,
  shrinkageGrid,
  userGroups,
  type GroupShrinkage,
  type GroupOffsetWeights,
  type UserGroups,
} from './group-offset-model.js';
import { paperConfig, zerosConfig, type MethodConfig, type MovieLensConfigName } from './movielens-configs.js';
import { prepareSplit, type PreparedSplit } from './movielens-split.js';
import { rmse, summarize } from './statistics.js';

/** Options of one MovieLens cold-start run. */
export interface MovieLensOptions {
  dataset: MovieLensDataset;
  dataDir: string;
  splits: number;
  seed: number;
  rank: number;
  activation: ActivationName;
  /**
   * Name of the configuration. `paper` runs nimc, imc and the baselines. `zeros` runs them
   * with zeros at the unrated positions of the rating matrix. `best` adds nimc-best and its
   * ablation to `paper`.
   */
  config: MovieLensConfigName;
}

/** Progress of a run, in the order it happens. */
export type MovieLensEvent =
  | { kind: 'split-start'; split: number; splits: number; seed: number }
  | { kind: 'training'; split: number; method: string; iteration: number; loss: number; validationRmse?: number }
  | { kind: 'split-done'; split: number; rmse: Record<string, number> }
  | { kind: 'note'; message: string };

/** Test RMSE of one method on every split, with its mean and sample standard deviation. */
export interface MethodResult {
  rmse: number[];
  mean: number;
  sd: number;
}

/** Per-split RMSE differences of a method minus the item-mean baseline. */
export interface PairedDifference {
  perSplit: number[];
  mean: number;
  standardError: number;
}

/** Choices of nimc-best on the training users of one split. */
export interface BestChoice {
  shrinkage: GroupShrinkage;
  weights: GroupOffsetWeights;
  /** Out-of-fold RMSE on the training users of every shrinkage candidate. */
  candidates: { shrinkage: GroupShrinkage; outOfFoldRmse: number }[];
}

/** Test RMSE minus item-mean of one variant of nimc-best, per split. */
export interface AblationRow extends PairedDifference {
  name: string;
}

/** The outcome of a run, as `nimc movielens --json` prints it. */
export interface MovieLensReport {
  dataset: MovieLensDataset;
  seed: number;
  settings: Record<string, unknown>;
  splits: { seed: number; trainUsers: number; testUsers: number; testRatings: number; best?: BestChoice }[];
  methods: Record<string, MethodResult>;
  pairedDifference: Record<string, PairedDifference>;
  /** Variants of nimc-best with fewer movie features, each refitted the same way (with `--config best`). */
  ablation?: AblationRow[];
}

// Predicts each test rating with the movie's mean training rating; movies that no
// training user rated get the global training mean.
function itemMeanPredictions(split: PreparedSplit, nMovies: number): Float64Array {
  const means = itemMeanRatings(nMovies, split.trainRatings);
  return Float64Array.from(split.test.ratings.movies, (movie) => means[movie] as number);
}

function constantPredictions(ratings: RatingTriples, value: number): Float64Array {
  return new Float64Array(ratings.values.length).fill(value);
}

/**
 * Trains `config.ensemble` models on the fit users of `split`, each stopped early on the
 * held-out training users, and returns the mean of their test predictions.
 */
function ensembleTestPredictions(
  split: PreparedSplit,
  config: MethodConfig,
  activation: ActivationName,
  rank: number,
  seedLabel: string,
  report: (progress: FitProgress) => void,
): Float64Array {
  const sum = new Float64Array(split.test.ratings.values.length);
  for (let member = 0; member < config.ensemble; member++) {
    const settings: FitSettings = {
      activation: getActivation(activation),
      rank,
      ...config.training,
      seed: member === 0 ? seedLabel : `${seedLabel}:${member}`,
    };
    const outcome = fitModel(split.fit.problem, split.validation.problem, settings, report);
    const predictions = predictObserved(outcome.model, split.test.problem);
    for (let t = 0; t < sum.length; t++) sum[t]! += predictions[t] as number;
  }
  for (let t = 0; t < sum.length; t++) sum[t]! /= config.ensemble;
  return sum;
}

// Lists the distinct values of each field of the grid, such as "β₀ ∈ {2, 5, 10, 20}".
function describeGrid(grid: GroupShrinkage[]): string {
  const values = (pick: (candidate: GroupShrinkage) => string | number) => [...new Set(grid.map(pick))].join(', ');
  return `prior ∈ {${values((c) => c.prior)}}, β₀ ∈ {${values((c) => c.movie)}}, β ∈ {${values((c) => c.group)}}`;
}

// The recipe of nimc and imc: `zeros` has its own, and `best` shares the paper's.
function methodConfig(name: MovieLensConfigName): MethodConfig {
  return name === 'zeros' ? zerosConfig : paperConfig;
}

function describeConfig(config: MethodConfig): Record<string, unknown> {
  return { ...config.split, ...config.training, ensemble: config.ensemble };
}

// Scores every method of `options.config` on one split. Returns test RMSE by method name,
// and with `best`, nimc-best's choices and the test RMSE of each ablation variant.
function scoreSplit(
  data: MovieLensData,
  userFeatures: DenseMatrix,
  groups: UserGroups,
  seed: number,
  splitIndex: number,
  options: MovieLensOptions,
  onEvent: (event: MovieLensEvent) => void,
): { split: PreparedSplit; scores: Record<string, number>; best?: BestChoice; ablation?: number[] } {
  const config = methodConfig(options.config);
  const split = prepareSplit(data, userFeatures, seed, config.split);
  const targets = split.test.ratings.values;
  const progress = (method: string) => (update: FitProgress) =>
    onEvent({ kind: 'training', split: splitIndex, method, ...update });

  const scores: Record<string, number> = {
    nimc: rmse(ensembleTestPredictions(split, config, options.activation, options.rank, `${seed}:nimc`, progress('nimc')), targets),
    imc: rmse(ensembleTestPredictions(split, config, 'identity', options.rank, `${seed}:imc`, progress('imc')), targets),
  };
  scores['item-mean'] = rmse(itemMeanPredictions(split, data.movies.length), targets);
  scores['global-mean'] = rmse(constantPredictions(split.test.ratings, globalMean(split.trainRatings)), targets);
  if (options.config !== 'best') return { split, scores };

  // nimc-best reads the training ratings only. The test ratings are scored once per variant.
  const nMovies = data.movies.length;
  const ablation = groupOffsetAblation.map(({ mask, priors }) => {
    const method = fitGroupOffsetMethod(nMovies, split.trainRatings, groups, seed, mask, priors);
    return { method, rmse: rmse(predictWithGroupModel(method.model, groups, method.features, split.test.ratings), targets) };
  });
  const best = ablation[ablation.length - 1] as (typeof ablation)[number];
  scores['nimc-best'] = best.rmse;
  const itemMean = scores['item-mean'] as number;
  return {
    split,
    scores,
    best: { shrinkage: best.method.shrinkage, weights: best.method.weights, candidates: best.method.candidates },
    ablation: ablation.map((variant) => variant.rmse - itemMean),
  };
}

/**
 * Runs the cold-start protocol of Zhong et al. (NeurIPS 2019, Table 1) on `splits` user
 * splits, which use the seeds `seed`, `seed + 1`, …: 80% of users train, 20% are new users known only
 * by age, gender and occupation, and each method is scored by RMSE on the new users.
 */
export async function runMovieLens(
  options: MovieLensOptions,
  onEvent: (event: MovieLensEvent) => void = () => {},
): Promise<MovieLensReport> {
  const data = await loadMovieLens(options.dataDir, options.dataset);
  const userFeatures = buildUserFeatures(data).matrix;
  const groups = userGroups(data);
  const methodNames =
    options.config === 'best'
      ? ['nimc', 'imc', 'nimc-best', 'item-mean', 'global-mean']
      : ['nimc', 'imc', 'item-mean', 'global-mean'];
  const scores: Record<string, number[]> = Object.fromEntries(methodNames.map((name) => [name, []]));
  const splits: MovieLensReport['splits'] = [];
  const ablationDifferences: number[][] = groupOffsetAblation.map(() => []);

  for (let s = 0; s < options.splits; s++) {
    const seed = options.seed + s;
    onEvent({ kind: 'split-start', split: s, splits: options.splits, seed });
    const { split, scores: splitScores, best, ablation } = scoreSplit(data, userFeatures, groups, seed, s, options, onEvent);
    splits.push({
      seed,
      trainUsers: split.trainUsers.length,
      testUsers: split.testUsers.length,
      testRatings: split.test.ratings.values.length,
      ...(best === undefined ? {} : { best }),
    });
    ablation?.forEach((difference, v) => (ablationDifferences[v] as number[]).push(difference));
    for (const name of methodNames) (scores[name] as number[]).push(splitScores[name] as number);
    onEvent({ kind: 'split-done', split: s, rmse: splitScores });
  }

  const methods: Record<string, MethodResult> = {};
  const pairedDifference: Record<string, PairedDifference> = {};
  const baseline = scores['item-mean'] as number[];
  for (const name of methodNames) {
    const values = scores[name] as number[];
    const summary = summarize(values);
    methods[name] = { rmse: values, mean: summary.mean, sd: summary.sd };
    const differences = values.map((value, s) => value - (baseline[s] as number));
    const paired = summarize(differences);
    pairedDifference[name] = { perSplit: differences, mean: paired.mean, standardError: paired.standardError };
  }

  const settings: Record<string, unknown> = {
    config: options.config,
    rank: options.rank,
    activation: options.activation,
    optimizer: 'adam (full batch), early stopping on held-out training users',
    initialization: 'random, N(0, 1/d) entries',
    [options.config === 'zeros' ? 'zeros' : 'paper']: describeConfig(methodConfig(options.config)),
  };
  if (options.config !== 'best') return { dataset: options.dataset, seed: options.seed, settings, splits, methods, pairedDifference };

  settings['best'] = {
    model: 'linear IMC (identity φ), rank 1 + number of demographic groups',
    userFeatures: 'constant 1, one-hot occupation, age range and gender',
    movieFeatures:
      'constant 1, shrunk mean rating m_j = (Σr + β₀·p_j)/(count + β₀), and per demographic group the offset ' +
      '(Σ_group r + β·m_j)/(count_group + β) − m_j, all from training ratings; the prior p_j is a weighted ' +
      'least-squares fit of the movie mean ratings on [1, log(1 + count), genre flags] with weights count/(count + 5), ' +
      'or the global mean',
    weights: `least squares on out-of-fold features over ${crossFitFolds} folds of the training users`,
    shrinkageGrid: describeGrid(shrinkageGrid(moviePriors)),
    selection: 'the prior and shrinkage (β₀, β) with the lowest out-of-fold RMSE on the training users',
  };
  const ablation = groupOffsetAblation.map(({ name }, v) => {
    const perSplit = ablationDifferences[v] as number[];
    const summary = summarize(perSplit);
    return { name, perSplit, mean: summary.mean, standardError: summary.standardError };
  });
  return { dataset: options.dataset, seed: options.seed, settings, splits, methods, pairedDifference, ablation };
}
