import type { RecoveryInitMethod, RecoveryInitOptions } from './recovery-defaults.js';
import type { ExperimentReport, ReportLinePlot, ReportTable } from './report-format.js';
import {
  describeStart,
  describeTraining,
  progressInterval,
  recoveryRate,
  runRecoveryTrial,
  trainingSettings,
  summarizeTimings,
  type RecoveryProgress,
  type RecoveryTimings,
  type RecoveryTrial,
} from './recovery-trial.js';

/** The trials of one start: a perturbed start at one α, or another initializer. */
export interface RecoveryInitPoint {
  init: RecoveryInitMethod;
  /** α of a perturbed start; null for the other initializers. */
  alpha: number | null;
  /** Fraction of the trials that recovered the ground truth. */
  rate: number;
  /** Mean relative distance of the starts to the ground truth, over the trials whose initialization succeeded; null when none did. */
  meanStartDistance: number | null;
  trials: RecoveryTrial[];
}

/** The outcome of `runRecoveryInit`. */
export interface RecoveryInitResult {
  settings: RecoveryInitOptions;
  /** The perturbed starts in the order of `alphas`, then the other initializers in the order of `inits`. */
  points: RecoveryInitPoint[];
  timings: RecoveryTimings;
}

function meanDistance(trials: readonly RecoveryTrial[]): number | null {
  const distances = trials.flatMap((trial) => (trial.startDistance === null ? [] : [trial.startDistance]));
  return distances.length === 0 ? null : distances.reduce((sum, value) => sum + value, 0) / distances.length;
}

function checkOptions(options: RecoveryInitOptions): void {
  if (!Number.isInteger(options.trials) || options.trials < 1) {
    throw new RangeError(`invalid trials: expected a positive integer, received ${options.trials}`);
  }
  if (options.inits.length === 0) throw new RangeError('invalid inits: expected at least one initializer, received none');
  if (options.inits.includes('perturbed') && options.alphas.length === 0) {
    throw new RangeError('invalid alphas: the perturbed start needs at least one α, received none');
  }
}

/**
 * Runs `trials` recovery trials for each start, trial t with seed `seed + t`: a perturbed
 * start at every α of `alphas` when `inits` lists `perturbed`, and one point for each other
 * initializer of `inits`. Trial t of every start solves the same problem.
 */
export function runRecoveryInit(options: RecoveryInitOptions, onProgress?: (progress: RecoveryProgress) => void): RecoveryInitResult {
  checkOptions(options);
  const started = performance.now();
  const starts: { init: RecoveryInitMethod; alpha: number | null }[] = [];
  if (options.inits.includes('perturbed')) for (const alpha of options.alphas) starts.push({ init: 'perturbed', alpha });
  for (const init of options.inits) if (init !== 'perturbed') starts.push({ init, alpha: null });

  const total = starts.length * options.trials;
  const points: RecoveryInitPoint[] = [];
  const trialSeconds: number[] = [];
  for (const { init, alpha } of starts) {
    const trials: RecoveryTrial[] = [];
    for (let t = 0; t < options.trials; t++) {
      const label = `${describeStart(init, alpha ?? 1)}, trial ${t + 1} of ${options.trials}`;
      const done = trialSeconds.length;
      onProgress?.({ done, total, label });
      const settings = { ...options, init, alpha: alpha ?? 1, seed: options.seed + t };
      const { trial, seconds } = runRecoveryTrial(settings, (info) => {
        if (info.iteration % progressInterval === 0) onProgress?.({ done, total, label, iteration: info.iteration, loss: info.loss });
      });
      trials.push(trial);
      trialSeconds.push(seconds);
    }
    points.push({ init, alpha, rate: recoveryRate(trials), meanStartDistance: meanDistance(trials), trials });
  }
  return { settings: options, points, timings: summarizeTimings(trialSeconds, (performance.now() - started) / 1000) };
}

/** Formats the `nimc recovery init` command line that reproduces `settings`. */
export function recoveryInitCommandLine(settings: RecoveryInitOptions): string {
  const parts = [
    'nimc recovery init',
    `--activation ${settings.activation}`,
    `--d ${settings.d}`,
    `--k ${settings.k}`,
    `--n ${settings.n}`,
    `--m ${settings.m}`,
    `--init ${settings.inits.join(',')}`,
  ];
  if (settings.inits.includes('perturbed')) parts.push(`--alphas ${settings.alphas.join(',')}`);
  parts.push(`--trials ${settings.trials}`, `--seed ${settings.seed}`, `--optimizer ${settings.optimizer}`, `--max-iterations ${settings.maxIterations}`, '--json');
  return parts.join(' ');
}

const initLabels: Record<RecoveryInitMethod, string> = {
  perturbed: 'perturbed start W0 = (1 − α)W* + αW_r',
  random: 'random start, N(0, 1/d) entries',
  tensor: 'tensor initialization',
};

/**
 * Draws the recovery rate against α for the perturbed starts, and each other initializer as a
 * dashed horizontal line at its rate.
 */
export function recoveryInitPlot(result: RecoveryInitResult): ReportLinePlot {
  const s = result.settings;
  const perturbed = result.points.filter((point) => point.init === 'perturbed');
  const alphas = perturbed.map((point) => point.alpha as number);
  // With a single α (or none) the dashed lines of the other starts span the whole range [0, 1].
  const spread = alphas.length > 0 && Math.max(...alphas) > Math.min(...alphas);
  const low = spread ? Math.min(...alphas) : 0;
  const high = spread ? Math.max(...alphas) : 1;
  const series = [];
  if (perturbed.length > 0) series.push({ label: initLabels.perturbed, x: alphas, y: perturbed.map((point) => point.rate) });
  for (const point of result.points) {
    if (point.init === 'perturbed') continue;
    series.push({ label: `${initLabels[point.init]} (rate ${point.rate})`, x: [low, high], y: [point.rate, point.rate], dashed: true });
  }
  return {
    kind: 'line',
    title: `Recovery rate against the start, ${s.activation} (d = ${s.d}, k = ${s.k}, n = ${s.n}, m = ${s.m})`,
    xLabel: 'weight α of the random part of the start',
    yLabel: `recovered fraction of ${s.trials} trials`,
    xScale: 'linear',
    yScale: 'linear',
    series,
  };
}

function pointTable(result: RecoveryInitResult): ReportTable {
  return {
    caption: `Recovery rate over ${result.settings.trials} trials for each start`,
    columns: ['start', 'α', 'recovery rate', 'mean distance of the start', 'largest relative test error', 'stop reasons'],
    rows: result.points.map((point) => {
      const errors = point.trials.map((trial) => trial.relativeTestError);
      const largest = errors.includes(null) ? null : Math.max(...(errors as number[]));
      const reasons = [...new Set(point.trials.map((trial) => trial.stopReason))].sort().join(', ');
      return [initLabels[point.init], point.alpha, point.rate, point.meanStartDistance, largest, reasons];
    }),
  };
}

/** The report of `nimc recovery init --json`: the experiment report, then the raw settings, points and timings. */
export interface RecoveryInitReport extends ExperimentReport, Omit<RecoveryInitResult, 'settings'> {
  options: RecoveryInitOptions;
}

/** Builds the experiment report of the recovery rate against the start. */
export function buildRecoveryInitReport(result: RecoveryInitResult): RecoveryInitReport {
  const s = result.settings;
  const summary =
    `Fraction of ${s.trials} trials that recover the ground truth (relative test error ≤ 1e-3 on 1000 × 1000 fresh test pairs) ` +
    `from the start W0 = (1 − α)W* + αW_r, where W_r has standard Gaussian entries, and from the other initializers, with ` +
    `${s.activation}, d = ${s.d}, k = ${s.k}, n = ${s.n} and m = ${s.m}. Training: ${describeTraining(s)}. The distance of a start is √(‖U0 − U*‖²_F + ‖V0 − V*‖²_F) / √(‖U*‖²_F + ‖V*‖²_F) ` +
    `after the best matching of columns.`;
  return {
    command: recoveryInitCommandLine(s),
    title: `Recovery against the start: ${s.activation}`,
    summary,
    settings: {
      activation: s.activation,
      d: s.d,
      k: s.k,
      n: s.n,
      m: s.m,
      initializers: s.inits.join(', '),
      α: s.inits.includes('perturbed') ? s.alphas.join(', ') : 'none',
      'trials per start': s.trials,
      seed: s.seed,
      ...trainingSettings(s),
    },
    tables: [pointTable(result)],
    plots: [recoveryInitPlot(result)],
    options: s,
    points: result.points,
    timings: result.timings,
  };
}
