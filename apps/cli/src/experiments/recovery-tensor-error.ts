import type { ActivationName } from '@nimc/activations';
import { generateSynthetic } from '@nimc/datasets';
import { tensorErrorPairsPerRow, type TensorErrorOptions } from './recovery-defaults.js';
import type { RecoveryProgress, RecoveryTimings } from './recovery-trial.js';
import { summarizeTimings } from './recovery-trial.js';
import type { ExperimentReport, ReportLinePlot, ReportTable } from './report-format.js';
import { syntheticDefaults } from './synthetic-defaults.js';
import { createSyntheticStart, InitializationError } from './synthetic-start.js';

/** One tensor initialization and its distance to the ground truth. */
export interface TensorErrorTrial {
  seed: number;
  /** Relative distance of (U0, V0) to (U*, V*) after the best column matching; null when the initialization failed. */
  distance: number | null;
  /** Message of the initialization failure, when there was one. */
  error?: string;
}

/** The trials of one activation and one m. */
export interface TensorErrorPoint {
  activation: ActivationName;
  m: number;
  n: number;
  /** Median, smallest and largest distance over the trials that did not fail; null when all failed. */
  median: number | null;
  min: number | null;
  max: number | null;
  failures: number;
  trials: TensorErrorTrial[];
}

/** The outcome of `runTensorError`. */
export interface TensorErrorResult {
  settings: TensorErrorOptions;
  /** Points by activation, then by m, in the order of the settings. */
  points: TensorErrorPoint[];
  timings: RecoveryTimings;
}

/** Returns the number of queries and of items at m observed pairs: `n` when set, else ⌈m / 5⌉. */
export function tensorErrorSize(options: Pick<TensorErrorOptions, 'n'>, m: number): number {
  return options.n ?? Math.ceil(m / tensorErrorPairsPerRow);
}

function median(sorted: readonly number[]): number {
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function checkOptions(options: TensorErrorOptions): void {
  if (!Number.isInteger(options.trials) || options.trials < 1) {
    throw new RangeError(`invalid trials: expected a positive integer, received ${options.trials}`);
  }
  if (options.activations.length === 0) throw new RangeError('invalid activations: expected at least one, received none');
  if (options.ms.length === 0) throw new RangeError('invalid ms: expected at least one value, received none');
}

/**
 * Runs the tensor initialization `trials` times for every activation and m, and measures the
 * relative distance of each (U0, V0) to (U*, V*). Trial t solves the synthetic problem of seed
 * `seed + t`, the same problem as trial t of the other recovery experiments.
 */
export function runTensorError(options: TensorErrorOptions, onProgress?: (progress: RecoveryProgress) => void): TensorErrorResult {
  checkOptions(options);
  const started = performance.now();
  const total = options.activations.length * options.ms.length * options.trials;
  const points: TensorErrorPoint[] = [];
  const trialSeconds: number[] = [];

  for (const activation of options.activations) {
    for (const m of options.ms) {
      const n = tensorErrorSize(options, m);
      const trials: TensorErrorTrial[] = [];
      for (let t = 0; t < options.trials; t++) {
        const seed = options.seed + t;
        onProgress?.({ done: trialSeconds.length, total, label: `${activation}, m = ${m}, n = ${n}, trial ${t + 1} of ${options.trials}` });
        const trialStarted = performance.now();
        const { problem, truth } = generateSynthetic({ activation, d: options.d, k: options.k, n, m, seed });
        try {
          const settings = { ...syntheticDefaults, activation, d: options.d, k: options.k, n, m, seed, init: 'tensor' as const };
          trials.push({ seed, distance: createSyntheticStart(problem, truth, settings).distance });
        } catch (error) {
          if (!(error instanceof InitializationError)) throw error;
          trials.push({ seed, distance: null, error: error.message });
        }
        trialSeconds.push((performance.now() - trialStarted) / 1000);
      }
      const distances = trials.flatMap((trial) => (trial.distance === null ? [] : [trial.distance])).sort((a, b) => a - b);
      points.push({
        activation,
        m,
        n,
        median: distances.length === 0 ? null : median(distances),
        min: distances[0] ?? null,
        max: distances[distances.length - 1] ?? null,
        failures: trials.length - distances.length,
        trials,
      });
    }
  }
  return { settings: options, points, timings: summarizeTimings(trialSeconds, (performance.now() - started) / 1000) };
}

/** Formats the `nimc recovery tensor-error` command line that reproduces `settings`. */
export function tensorErrorCommandLine(settings: TensorErrorOptions): string {
  const parts = [
    'nimc recovery tensor-error',
    `--activation ${settings.activations.join(',')}`,
    `--d ${settings.d}`,
    `--k ${settings.k}`,
    `--ms ${settings.ms.join(',')}`,
  ];
  if (settings.n !== undefined) parts.push(`--n ${settings.n}`);
  parts.push(`--trials ${settings.trials}`, `--seed ${settings.seed}`, '--json');
  return parts.join(' ');
}

/** Draws the median distance against m, one series per activation, on log axes. */
export function tensorErrorPlot(result: TensorErrorResult): ReportLinePlot {
  const s = result.settings;
  const series = s.activations.map((activation) => {
    const points = result.points.filter((point) => point.activation === activation && point.median !== null && point.median > 0);
    return { label: activation, x: points.map((point) => point.m), y: points.map((point) => point.median as number) };
  });
  return {
    kind: 'line',
    title: `Tensor initialization: distance to the ground truth (d = ${s.d}, k = ${s.k})`,
    xLabel: 'observed pairs m',
    yLabel: `median relative distance over ${s.trials} trials`,
    xScale: 'log',
    yScale: 'log',
    series,
  };
}

function pointTable(result: TensorErrorResult): ReportTable {
  return {
    caption: `Relative distance of the tensor initialization to (U*, V*) over ${result.settings.trials} trials`,
    columns: ['activation', 'm', 'n', 'median', 'smallest', 'largest', 'failed'],
    rows: result.points.map((point) => [point.activation, point.m, point.n, point.median, point.min, point.max, point.failures]),
  };
}

/** The report of `nimc recovery tensor-error --json`: the experiment report, then the raw settings, points and timings. */
export interface TensorErrorReport extends ExperimentReport, Omit<TensorErrorResult, 'settings'> {
  options: TensorErrorOptions;
}

/** Builds the experiment report of the tensor initialization's error. */
export function buildTensorErrorReport(result: TensorErrorResult): TensorErrorReport {
  const s = result.settings;
  const sizes = s.n === undefined ? `n = ⌈m / ${tensorErrorPairsPerRow}⌉ queries and items` : `n = ${s.n} queries and items`;
  const summary =
    `Relative distance √(‖U0 − U*‖²_F + ‖V0 − V*‖²_F) / √(‖U*‖²_F + ‖V*‖²_F) of the tensor initialization to the ground ` +
    `truth, after the column permutation (with sign flips for tanh and positive rescaling for relu) that brings them closest, ` +
    `on synthetic problems with d = ${s.d}, k = ${s.k} and ${sizes}. A failed initialization counts in the column "failed" ` +
    `and not in the distances.`;
  return {
    command: tensorErrorCommandLine(s),
    title: 'Error of the tensor initialization',
    summary,
    settings: {
      activations: s.activations.join(', '),
      d: s.d,
      k: s.k,
      m: s.ms.join(', '),
      n: s.n === undefined ? `⌈m / ${tensorErrorPairsPerRow}⌉` : s.n,
      'trials per point': s.trials,
      seed: s.seed,
    },
    tables: [pointTable(result)],
    plots: [tensorErrorPlot(result)],
    options: s,
    points: result.points,
    timings: result.timings,
  };
}
