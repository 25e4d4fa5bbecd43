import type { ActivationName } from '@nimc/activations';

/** Settings of one playground run: a synthetic problem with d1 = d2 = d and n1 = n2 = n. */
export interface TrainingSettings {
  activation: ActivationName;
  /** Feature dimension of queries and of items. */
  d: number;
  /** Rank of the ground truth and of the model. */
  k: number;
  /** Number of queries and of items. */
  n: number;
  /** Number of observed pairs. */
  m: number;
  /** Weight of the random matrix in the start W0 = (1 − α)W* + αW_r. */
  alpha: number;
  optimizer: 'gd' | 'adam';
  /** Adam's step size. Gradient descent ignores it. */
  learningRate: number;
  maxIterations: number;
  seed: number;
  /** Number of fresh test queries and of fresh test items for the relative test error. */
  nTest: number;
  /** The relative test error is measured every this many iterations. */
  testInterval: number;
}

/** Sent by the page to start training. */
export interface StartMessage {
  type: 'start';
  settings: TrainingSettings;
}

/** One iteration: the training loss, and the relative test error when it was measured. */
export interface ProgressPoint {
  iteration: number;
  loss: number;
  testError?: number;
}

/** Messages the worker sends, in order: one 'started', any number of 'progress', then 'done' or 'error'. */
export type WorkerMessage =
  | { type: 'started'; initialLoss: number; initialTestError: number; parameters: number; setupSeconds: number }
  | { type: 'progress'; points: ProgressPoint[]; gradientNorm: number }
  | { type: 'done'; stopReason: string; iterations: number; finalLoss: number; testError: number; seconds: number }
  | { type: 'error'; message: string };
