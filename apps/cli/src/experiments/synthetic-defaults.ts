import type { ActivationName } from '@nimc/activations';

// This module imports no library code, so the command line can show these defaults in its
// help text without loading the experiment.

/**
 * The optimizers a synthetic run can use: gradient descent with Armijo line search, Adam, or
 * Gauss–Newton (Levenberg–Marquardt with conjugate gradients on Gauss–Newton products).
 */
export type SyntheticOptimizer = 'gd' | 'adam' | 'gauss-newton';

/**
 * The starting points a synthetic run can use: `perturbed` is W0 = (1 − α)W* + αW_r with W_r
 * standard Gaussian, `random` draws U0 and V0 with N(0, 1/d) entries (`randomInit`), and
 * `tensor` estimates them from the observations by the method of moments (`tensorInit`).
 */
export const syntheticInitNames = ['perturbed', 'random', 'tensor'] as const;

/** A starting point of `syntheticInitNames`. */
export type SyntheticInit = (typeof syntheticInitNames)[number];

/**
 * Settings of one synthetic recovery trial with d1 = d2 = d and n1 = n2 = n. The training
 * stops at the first of: `maxIterations` iterations, a gradient norm ≤ `gradientTolerance`,
 * or a training error ≤ `trainingTolerance`.
 */
export interface SyntheticOptions {
  activation: ActivationName;
  /** Feature dimension of queries and of items. */
  d: number;
  /** Rank of the ground truth and of the model. */
  k: number;
  /** Number of queries and of items. */
  n: number;
  /** Number of observed pairs. */
  m: number;
  /** Initializer of the starting point. */
  init: SyntheticInit;
  /** Weight of the random matrix in the start W0 = (1 − α)W* + αW_r, in [0, 1]; used by `perturbed` only. */
  alpha: number;
  /** Seed of the problem, the random start and the test features. */
  seed: number;
  optimizer: SyntheticOptimizer;
  maxIterations: number;
  /** Euclidean norm of the gradient at which training stops. */
  gradientTolerance: number;
  /** Relative training error √(Σ residual² / Σ A²) over Ω at which training stops. */
  trainingTolerance: number;
  /**
   * Stalling rule: training stops when the loss fell by less than the fraction
   * `stallDecrease` over the last `stallWindow` iterations. A window of 0 turns the rule off.
   */
  stallWindow: number;
  stallDecrease: number;
  /** Adam's step size. Gradient descent and Gauss–Newton ignore it. */
  learningRate: number;
  /** Number of fresh test queries and of fresh test items. */
  nTest: number;
  /** Largest relative test error that counts as recovery. */
  successThreshold: number;
}

/**
 * Defaults of `SyntheticOptions`: the problem of Figure 1(a) of Zhong et al. (NeurIPS 2019)
 * with a pure random start, and stopping rules under which gradient descent reaches a relative
 * test error near 1e-6 for sigmoid, tanh and ReLU on seeds 0 to 4.
 */
export const syntheticDefaults: SyntheticOptions = {
  activation: 'sigmoid',
  d: 10,
  k: 5,
  n: 1000,
  m: 10000,
  init: 'perturbed',
  alpha: 1,
  seed: 0,
  optimizer: 'gd',
  maxIterations: 20000,
  gradientTolerance: 1e-7,
  trainingTolerance: 1e-6,
  stallWindow: 0,
  stallDecrease: 0.01,
  learningRate: 0.01,
  nTest: 1000,
  successThreshold: 1e-3,
};
