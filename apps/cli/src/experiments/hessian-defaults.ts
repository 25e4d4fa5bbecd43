import type { ActivationName } from '@nimc/activations';

// This module imports no library code, so the command line can show these defaults in its
// help text without loading the experiment.

/** The locations `nimc hessian` evaluates the Hessian at: the ground truth, or random points around it. */
export const hessianLocations = ['truth', 'perturbed'] as const;

/** A location of `hessianLocations`. */
export type HessianLocation = (typeof hessianLocations)[number];

/** The eigenvalue methods: dense decomposition, Lanczos on Hessian-vector products, or chosen by size. */
export const eigenMethodNames = ['auto', 'dense', 'lanczos'] as const;

/** A method of `eigenMethodNames`. */
export type EigenMethodName = (typeof eigenMethodNames)[number];

/**
 * The synthetic problem of `nimc synthetic`, with d1 = d2 = d and n1 = n2 = n: Gaussian
 * features, a Gaussian ground truth with σk = 1 and m exact observations.
 */
export interface HessianProblemOptions {
  activation: ActivationName;
  /** Feature dimension of queries and of items. */
  d: number;
  /** Rank of the ground truth and of the model. */
  k: number;
  /** Number of queries and of items. */
  n: number;
  /** Number of observed pairs. */
  m: number;
  /** Seed of the problem and of the perturbation directions. */
  seed: number;
}

/** Settings of `runHessian`. */
export interface HessianOptions extends HessianProblemOptions {
  /** Restricts the Hessian to the orthogonal complement of the k scaling directions. */
  constrained: boolean;
  at: HessianLocation;
  /** Frobenius distance ‖(U, V) − (U*, V*)‖_F of the perturbed points. */
  radius: number;
  /** Number of perturbed points. */
  samples: number;
  method: EigenMethodName;
}

/** Defaults of `HessianOptions`: the problem size of `nimc synthetic` at the ground truth. */
export const hessianDefaults: HessianOptions = {
  activation: 'sigmoid',
  d: 10,
  k: 5,
  n: 1000,
  m: 10000,
  seed: 0,
  constrained: false,
  at: 'truth',
  radius: 0.5,
  samples: 5,
  method: 'auto',
};

/** Settings of `runHessianSweep`. */
export interface HessianSweepOptions extends Omit<HessianProblemOptions, 'activation'> {
  activations: ActivationName[];
  /** Activations whose Hessians are restricted to the complement of the k scaling directions. */
  constrained: ActivationName[];
  /** Distances from the ground truth of the radius sweep, at m observations. */
  radii: number[];
  /** Numbers of observations of the sample-size sweep, at the ground truth. */
  ms: number[];
  /** Perturbed points per positive radius. */
  samples: number;
  method: EigenMethodName;
}

/**
 * Defaults of `HessianSweepOptions`: sigmoid at the size of `nimc synthetic`, 19 radius
 * points and 5 sample sizes, which take about 10 s on a 2-core virtual machine.
 */
export const hessianSweepDefaults: HessianSweepOptions = {
  activations: ['sigmoid'],
  constrained: [],
  d: 10,
  k: 5,
  n: 1000,
  m: 10000,
  seed: 0,
  radii: [0, 0.25, 0.5, 0.75, 1, 1.5, 2],
  ms: [1000, 2000, 5000, 10000, 20000],
  samples: 3,
  method: 'auto',
};
