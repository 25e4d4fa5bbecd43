import { getActivation, type ActivationName } from '@nimc/activations';
import {
  buildUserFeatures,
  globalMean,
  itemMeanRatings,
  loadMovieLens,
  type MovieLensDataset,
  type RatingTriples,
} from '@nimc/datasets';
import { predictObserved } from '@nimc/objective';
import { fitModel, type FitSettings } from './fit.js';
import { prepareSplit, type PreparedSplit, type SplitSettings } from './movielens-split.js';
import { rmse, summarize } from './statistics.js';

/** Options of one MovieLens cold-start run. */
export interface MovieLensOptions {
  dataset: MovieLensDataset;
  dataDir: string;
  splits: number;
  seed: number;
  rank: number;
  activation: ActivationName;
  config: 'paper';
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

/** The outcome of a run, as `nimc movielens --json` prints it. */
export interface MovieLensReport {
  dataset: MovieLensDataset;
  seed: number;
  settings: Record<string, unknown>;
  splits: { seed: number; trainUsers: number; testUsers: number; testRatings: number }[];
  methods: Record<string, MethodResult>;
  pairedDifference: Record<string, PairedDifference>;
}

/** Settings of the `paper` configuration, chosen on held-out training users. */
export const paperSettings = {
  split: {
    testFraction: 0.2,
    validationFraction: 0.1,
    singularVectors: 20,
    singularVectorScale: 'unit',
  } satisfies SplitSettings,
  training: {
    l2: 0,
    learningRate: 0.01,
    maxIterations: 2000,
    patience: 10,
    validationInterval: 10,
  },
};

// Predicts each test rating with the movie's mean training rating; movies that no
// training user rated get the global training mean.
function itemMeanPredictions(split: PreparedSplit, nMovies: number): Float64Array {
  const means = itemMeanRatings(nMovies, split.trainRatings);
  return Float64Array.from(split.test.ratings.movies, (movie) => means[movie] as number);
}

function testRmseOfMethod(
  split: PreparedSplit,
  splitIndex: number,
  method: 'nimc' | 'imc',
  options: MovieLensOptions,
  onEvent: (event: MovieLensEvent) => void,
): number {
  const activation = getActivation(method === 'imc' ? 'identity' : options.activation);
  const settings: FitSettings = {
    activation,
    rank: options.rank,
    ...paperSettings.training,
    seed: `${split.seed}:${method}`,
  };
  const outcome = fitModel(split.fit.problem, split.validation.problem, settings, (progress) => {
    onEvent({ kind: 'training', split: splitIndex, method, ...progress });
  });
  return rmse(predictObserved(outcome.model, split.test.problem), split.test.ratings.values);
}

function constantPredictions(ratings: RatingTriples, value: number): Float64Array {
  return new Float64Array(ratings.values.length).fill(value);
}

/**
 * Runs the cold-start protocol of Zhong et al. (NeurIPS 2019, Table 1) on `splits` user
 * splits, split i with seed `seed + i`: 80% of users train, 20% are new users known only
 * by age, gender and occupation, and each method is scored by RMSE on the new users.
 */
export async function runMovieLens(
  options: MovieLensOptions,
  onEvent: (event: MovieLensEvent) => void = () => {},
): Promise<MovieLensReport> {
  const data = await loadMovieLens(options.dataDir, options.dataset);
  const userFeatures = buildUserFeatures(data).matrix;
  const methodNames = ['nimc', 'imc', 'item-mean', 'global-mean'] as const;
  const scores: Record<string, number[]> = Object.fromEntries(methodNames.map((name) => [name, []]));
  const splits: MovieLensReport['splits'] = [];

  for (let s = 0; s < options.splits; s++) {
    const seed = options.seed + s;
    onEvent({ kind: 'split-start', split: s, splits: options.splits, seed });
    const split = prepareSplit(data, userFeatures, seed, paperSettings.split);
    const targets = split.test.ratings.values;
    splits.push({
      seed,
      trainUsers: split.trainUsers.length,
      testUsers: split.testUsers.length,
      testRatings: targets.length,
    });

    const result: Record<string, number> = {
      'item-mean': rmse(itemMeanPredictions(split, data.movies.length), targets),
      'global-mean': rmse(constantPredictions(split.test.ratings, globalMean(split.trainRatings)), targets),
      nimc: testRmseOfMethod(split, s, 'nimc', options, onEvent),
      imc: testRmseOfMethod(split, s, 'imc', options, onEvent),
    };
    for (const name of methodNames) (scores[name] as number[]).push(result[name] as number);
    onEvent({ kind: 'split-done', split: s, rmse: result });
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

  return {
    dataset: options.dataset,
    seed: options.seed,
    settings: {
      config: options.config,
      rank: options.rank,
      activation: options.activation,
      ...paperSettings.split,
      ...paperSettings.training,
      optimizer: 'adam (full batch)',
      initialization: 'random, N(0, 1/d) entries',
    },
    splits,
    methods,
    pairedDifference,
  };
}
