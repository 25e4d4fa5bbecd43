import type { IterationInfo } from '@nimc/optimizers';
import type { RecoveryTraining } from './recovery-defaults.js';
import { InitializationError, runSyntheticTrial, type SyntheticOptions, type SyntheticStopReason } from './synthetic.js';

/** The outcome of one recovery trial, without timings, so equal settings give equal records. */
export interface RecoveryTrial {
  seed: number;
  /** True when the relative test error is at most the success threshold 1e-3. */
  success: boolean;
  /** Relative test error of the trained model; null when the initialization failed. */
  relativeTestError: number | null;
  /** Relative distance of the start to the ground truth after column matching; null when the initialization failed. */
  startDistance: number | null;
  iterations: number;
  stopReason: SyntheticStopReason | 'initialization-failed';
  /** Message of the initialization failure, when there was one. */
  error?: string;
}

/** Progress of an experiment made of recovery trials. */
export interface RecoveryProgress {
  /** Trials finished so far. */
  done: number;
  total: number;
  /** The setting of the running trial, such as "n = 50, m = 300, trial 2". */
  label: string;
  /** The running trial's latest iteration and training loss, sent every `progressInterval` iterations. */
  iteration?: number;
  loss?: number;
}

/** Iterations between two progress events of a running trial. */
export const progressInterval = 50;

/** Settings of one trial: the synthetic problem, its start and the training rule. */
export type RecoveryTrialSettings = Pick<SyntheticOptions, 'activation' | 'd' | 'k' | 'n' | 'm' | 'init' | 'alpha' | 'seed'> &
  RecoveryTraining;

/**
 * Runs one trial without tracking the test error during training. A
 * tensor initialization that fails counts as a failed trial with stop reason
 * 'initialization-failed'; every other error propagates.
 */
export function runRecoveryTrial(
  settings: RecoveryTrialSettings,
  onIteration?: (info: IterationInfo) => void,
): { trial: RecoveryTrial; seconds: number; lossHistory: number[] } {
  const started = performance.now();
  try {
    const { result, lossHistory } = runSyntheticTrial(settings, { onIteration, trackTarget: false });
    const trial: RecoveryTrial = {
      seed: settings.seed,
      success: result.success,
      relativeTestError: result.relativeTestError,
      startDistance: result.start.distance,
      iterations: result.iterations,
      stopReason: result.stopReason,
    };
    return { trial, seconds: (performance.now() - started) / 1000, lossHistory };
  } catch (error) {
    if (!(error instanceof InitializationError)) throw error;
    const trial: RecoveryTrial = {
      seed: settings.seed,
      success: false,
      relativeTestError: null,
      startDistance: null,
      iterations: 0,
      stopReason: 'initialization-failed',
      error: error.message,
    };
    return { trial, seconds: (performance.now() - started) / 1000, lossHistory: [] };
  }
}

/** Returns the fraction of trials that recovered the ground truth. */
export function recoveryRate(trials: readonly RecoveryTrial[]): number {
  if (trials.length === 0) throw new RangeError('invalid trials: expected at least one trial, received none');
  return trials.filter((trial) => trial.success).length / trials.length;
}

/** Wall-clock times of an experiment in seconds. */
export interface RecoveryTimings {
  totalSeconds: number;
  /** Mean and largest time of one trial. */
  meanTrialSeconds: number;
  maxTrialSeconds: number;
}

/** Collects trial times into `RecoveryTimings`. */
export function summarizeTimings(trialSeconds: readonly number[], totalSeconds: number): RecoveryTimings {
  const sum = trialSeconds.reduce((total, seconds) => total + seconds, 0);
  return {
    totalSeconds,
    meanTrialSeconds: trialSeconds.length === 0 ? 0 : sum / trialSeconds.length,
    maxTrialSeconds: trialSeconds.length === 0 ? 0 : Math.max(...trialSeconds),
  };
}

/** Describes the start of a trial for a report. */
export function describeStart(init: string, alpha: number): string {
  if (init === 'tensor') return 'tensor initialization';
  if (init === 'random') return 'U0, V0 with N(0, 1/d) entries';
  return alpha === 1 ? 'W0 = W_r with standard Gaussian entries (α = 1)' : `W0 = (1 − α)W* + αW_r with α = ${alpha}`;
}

/** Names the start of a trial in a few words, for plot and section titles. */
export function shortStart(init: string, alpha: number): string {
  if (init === 'tensor') return 'tensor initialization';
  if (init === 'random') return 'random N(0, 1/d) start';
  return `α = ${alpha}`;
}

const optimizerLabels: Record<RecoveryTraining['optimizer'], string> = {
  gd: 'gradient descent with Armijo line search',
  adam: 'full-batch Adam with learning rate 0.01',
  'gauss-newton': 'Gauss–Newton (Levenberg–Marquardt with conjugate gradients)',
};

/** Formats the training rule for a report, such as "gradient descent with Armijo line search, at most 5000 iterations, …". */
export function describeTraining(stopping: RecoveryTraining): string {
  const parts = [
    optimizerLabels[stopping.optimizer],
    `at most ${stopping.maxIterations} iterations`,
    `gradient norm ≤ ${stopping.gradientTolerance.toExponential()}`,
    `relative training error ≤ ${stopping.trainingTolerance.toExponential()}`,
  ];
  if (stopping.stallWindow > 0) {
    parts.push(`loss down by less than ${stopping.stallDecrease * 100}% over ${stopping.stallWindow} iterations`);
  }
  return parts.join(', ');
}

/** Adds the training rule to the settings of a report. */
export function trainingSettings(stopping: RecoveryTraining): Record<string, number | string> {
  return {
    optimizer: stopping.optimizer,
    'max iterations': stopping.maxIterations,
    'gradient tolerance': stopping.gradientTolerance,
    'training error tolerance': stopping.trainingTolerance,
    'stall window (iterations)': stopping.stallWindow === 0 ? 'off' : stopping.stallWindow,
    'stall decrease': stopping.stallDecrease,
  };
}
