import type { ActivationName } from '@nimc/activations';
import type { SyntheticInit, SyntheticOptimizer } from './synthetic-defaults.js';

// This module imports no library code, so the command line can show these defaults in its
// help text without loading the experiments. Figure numbers refer to Zhong, Song, Jain and
// Dhillon, "Provable Non-linear Inductive Matrix Completion", NeurIPS 2019.

/**
 * The training rule of a recovery trial: the optimizer and its stopping rules. Training stops
 * at the first of `maxIterations` iterations, a gradient norm ≤ `gradientTolerance`, a
 * relative training error ≤ `trainingTolerance`, or a loss that fell by less than the fraction
 * `stallDecrease` over the last `stallWindow` iterations. A window of 0 turns the last rule off.
 */
export interface RecoveryTraining {
  /** Gradient descent with Armijo line search (the method of Figure 1), Adam or Gauss–Newton. */
  optimizer: SyntheticOptimizer;
  maxIterations: number;
  gradientTolerance: number;
  trainingTolerance: number;
  stallWindow: number;
  stallDecrease: number;
}

/** The start of a trial: the initializer and, for `perturbed`, the weight α of the random part. */
export interface RecoveryStart {
  init: SyntheticInit;
  alpha: number;
}

/** Settings shared by every recovery experiment. d1 = d2 = d and n1 = n2 = n. */
export interface RecoveryProblemOptions {
  activation: ActivationName;
  d: number;
  k: number;
  /** Trial t uses the seed `seed + t` for its problem, its start and its test features. */
  seed: number;
  /** Trials per setting. */
  trials: number;
}

/** Settings of `runRecoveryConvergence`, the loss curve of Figure 1(a). */
export interface RecoveryConvergenceOptions extends RecoveryProblemOptions, RecoveryStart, RecoveryTraining {
  n: number;
  m: number;
}

/**
 * Defaults of `RecoveryConvergenceOptions`: sigmoid, k = 5, d = 10, n = 1000, m = 10000 and
 * α = 0.1, as in Figure 1(a), which runs 4000 iterations of plain gradient descent. The line
 * search here converges in fewer iterations and stops at a relative training error of 1e-6.
 */
export const recoveryConvergenceDefaults: RecoveryConvergenceOptions = {
  activation: 'sigmoid',
  d: 10,
  k: 5,
  n: 1000,
  m: 10000,
  init: 'perturbed',
  alpha: 0.1,
  seed: 0,
  trials: 5,
  optimizer: 'gd',
  maxIterations: 4000,
  gradientTolerance: 1e-7,
  trainingTolerance: 1e-6,
  stallWindow: 0,
  stallDecrease: 0.01,
};

/** The initializers `nimc recovery init` compares; `perturbed` adds one point per α. */
export type RecoveryInitMethod = SyntheticInit;

/** Settings of `runRecoveryInit`, the recovery rate against α of Figure 1(b). */
export interface RecoveryInitOptions extends RecoveryProblemOptions, RecoveryTraining {
  n: number;
  m: number;
  /** Weights α of the perturbed starts. */
  alphas: number[];
  /** Initializers to run: `perturbed` at every α, `random` and `tensor` once each. */
  inits: RecoveryInitMethod[];
}

/** Returns the number of observed pairs of `nimc recovery init` when --m is absent: 20·k·d. */
export function defaultInitSampleSize(k: number, d: number): number {
  return 20 * k * d;
}

/**
 * Defaults of `RecoveryInitOptions`: sigmoid, k = 10, d = 100 and n = 500 as in Figure 1(b),
 * whose m is not stated. The default m is 20·k·d = 20000, ten times the 2·k·d parameters.
 */
export const recoveryInitDefaults: RecoveryInitOptions = {
  activation: 'sigmoid',
  d: 100,
  k: 10,
  n: 500,
  m: defaultInitSampleSize(10, 100),
  alphas: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
  inits: ['perturbed', 'tensor'],
  seed: 0,
  trials: 5,
  optimizer: 'gd',
  maxIterations: 6000,
  gradientTolerance: 1e-7,
  trainingTolerance: 1e-5,
  stallWindow: 2000,
  stallDecrease: 0.01,
};

/** Settings of `runRecoveryGrid`, the recovery rate over n and m of Figures 1(c) and 1(d). */
export interface RecoveryGridOptions extends RecoveryProblemOptions, RecoveryStart, RecoveryTraining {
  /** Numbers of queries and of items, one row of the grid each. */
  ns: number[];
  /** Numbers of observed pairs, one column of the grid each. */
  ms: number[];
}

/**
 * Returns the grid of Figures 1(c) and 1(d) for an activation, with i = 1, …, 10: n = 10i and
 * m = 2kd·i for sigmoid, and n = 20i and m = 4kd·i for ReLU. Figure 1 has no tanh grid, so
 * tanh uses the sigmoid grid, as does identity.
 */
export function defaultGrid(activation: ActivationName, k: number, d: number): { ns: number[]; ms: number[] } {
  const steps = Array.from({ length: 10 }, (_, i) => i + 1);
  if (activation === 'relu') return { ns: steps.map((i) => 20 * i), ms: steps.map((i) => 4 * k * d * i) };
  return { ns: steps.map((i) => 10 * i), ms: steps.map((i) => 2 * k * d * i) };
}

/** Defaults of `RecoveryGridOptions` apart from the grid, which `defaultGrid` gives. */
export const recoveryGridDefaults: Omit<RecoveryGridOptions, 'ns' | 'ms'> = {
  activation: 'sigmoid',
  d: 10,
  k: 5,
  init: 'perturbed',
  alpha: 1,
  seed: 0,
  trials: 5,
  optimizer: 'gd',
  maxIterations: 10000,
  gradientTolerance: 1e-7,
  trainingTolerance: 1e-5,
  stallWindow: 2000,
  stallDecrease: 0.01,
};

/** Settings of `runTensorError`: the distance of the tensor initialization to the truth against m. */
export interface TensorErrorOptions {
  activations: ActivationName[];
  d: number;
  k: number;
  ms: number[];
  /** Fixed n for every m, or undefined for n = ⌈m / `tensorErrorPairsPerRow`⌉. */
  n: number | undefined;
  seed: number;
  trials: number;
}

/** Observed pairs per query (and per item) when n follows m: n = ⌈m / 5⌉. */
export const tensorErrorPairsPerRow = 5;

/** Defaults of `TensorErrorOptions`. */
export const tensorErrorDefaults: TensorErrorOptions = {
  activations: ['sigmoid', 'relu', 'tanh'],
  d: 10,
  k: 5,
  ms: [1000, 3000, 10000, 30000, 100000],
  n: undefined,
  seed: 0,
  trials: 5,
};

/** The activations the tensor method supports: for identity every tensor moment vanishes. */
export const tensorActivationNames = ['sigmoid', 'relu', 'tanh'] as const satisfies readonly ActivationName[];

/** Title of the report of `nimc recovery merge` when --title is absent. */
export const defaultMergeTitle = 'Recovery of the ground truth';
