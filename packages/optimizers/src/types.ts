/** Writes ∇f(x) into `gradient` and returns f(x). */
export type DifferentiableFunction = (x: Float64Array, gradient: Float64Array) => number;

/** A sum over `size` terms whose gradient can be estimated on a mini-batch. */
export interface StochasticFunction {
  /** Number of terms (observations). */
  readonly size: number;
  /**
   * Writes the gradient of the mean loss over `batch` (term indices) into `gradient` and
   * returns that mean loss. `batch` is a view into a buffer that the optimizer reuses, so its
   * contents are valid only during the call.
   */
  evaluateBatch(x: Float64Array, batch: Int32Array, gradient: Float64Array): number;
  /**
   * Optional full loss, used for the history and stopping. When it is absent, the running mean
   * of the batch losses over the epoch is used.
   */
  evaluate?(x: Float64Array, gradient: Float64Array): number;
}

/** Progress report passed to `onIteration` after each completed iteration. */
export interface IterationInfo {
  /** 1-based iteration number; for mini-batch Adam, the epoch. */
  iteration: number;
  /** Training loss after the iteration. */
  loss: number;
  /** Step length used: the accepted line-search step, or the learning rate. */
  step: number;
  /** Euclidean norm of the gradient that goes with `loss`. */
  gradientNorm: number;
  /** Validation loss, present only when a validation function ran at this iteration. */
  validationLoss?: number;
  /** Function and gradient evaluations so far. */
  evaluations: number;
}

/** Reason an optimizer returned. */
export type StopReason =
  | 'max-iterations'
  | 'gradient-tolerance'
  | 'relative-tolerance'
  | 'early-stopping'
  | 'callback'
  | 'line-search-failed'
  | 'diverged';

/** Early stopping on a validation loss. */
export interface ValidationOptions {
  /** Validation loss at x. */
  evaluate: (x: Float64Array) => number;
  /** Stop after this many consecutive validations without improvement. */
  patience: number;
  /** Validate every `interval` iterations, counting the starting point as iteration 0 (default 1). */
  interval?: number;
  /** An improvement of at most this amount does not count (default 0). */
  minDelta?: number;
}

/** Stopping rules and progress reporting shared by every optimizer. */
export interface StoppingOptions {
  /** Maximum number of iterations (default 1000; epochs for mini-batch Adam, default 100). */
  maxIterations?: number;
  /**
   * Stop when ‖∇f‖₂ ≤ this (default 0, which stops only at an exactly zero gradient).
   */
  gradientTolerance?: number;
  /** Stop when |f_prev − f| ≤ tol·max(|f_prev|, tiny) (default 0: off). */
  relativeTolerance?: number;
  /** Early stopping, which restores the parameters with the best validation loss. */
  validation?: ValidationOptions;
  /** Called after each iteration. Returning false stops with 'callback'. */
  onIteration?: (info: IterationInfo) => void | boolean;
  /** Aborting stops before the next iteration with 'callback'. */
  signal?: AbortSignal;
}

/** Result of an optimizer run. */
export interface OptimizationResult {
  /** Final parameters, or the best-validation parameters when early stopping restored them. */
  x: Float64Array;
  /** Training loss at x. */
  loss: number;
  /** Completed iterations (epochs for mini-batch Adam). */
  iterations: number;
  /** Function and gradient evaluations. */
  evaluations: number;
  stopReason: StopReason;
  /** Training loss per iteration, with index 0 at x0. */
  history: number[];
  /** Validation losses with the iteration they were measured at. */
  validationHistory: { iteration: number; loss: number }[];
  /** Iteration whose parameters were restored by early stopping. */
  bestIteration?: number;
}

/** Options of `gradientDescent`. */
export interface GradientDescentOptions extends StoppingOptions {
  /** Step tried first at iteration 1 (default 1). */
  initialStep?: number;
  /** Armijo sufficient-decrease constant in (0, 1) (default 1e-4). */
  c1?: number;
  /** Factor in (0, 1) that multiplies a rejected step (default 0.5). */
  shrink?: number;
  /** Factor ≥ 1 that multiplies an accepted step to give the next first trial (default 2). */
  grow?: number;
  /** Maximum number of step reductions per iteration (default 50). */
  maxBacktracks?: number;
}

/** Options of `adam`. */
export interface AdamOptions extends StoppingOptions {
  /** Step size α (default 1e-3). */
  learningRate?: number;
  /** Decay rate of the first-moment estimate, in [0, 1) (default 0.9). */
  beta1?: number;
  /** Decay rate of the second-moment estimate, in [0, 1) (default 0.999). */
  beta2?: number;
  /** Constant added to √v̂ in the denominator (default 1e-8). */
  epsilon?: number;
}

/** Options of `minibatchAdam`. */
export interface MinibatchAdamOptions extends AdamOptions {
  /** Terms per batch (default 256). The last batch of an epoch contains the remainder. */
  batchSize?: number;
  /** Seed of the permutation drawn at each epoch (default 0). */
  seed?: number | string;
}
