import type { RecoveryConvergenceOptions } from './recovery-defaults.js';
import type { ExperimentReport, ReportLinePlot, ReportTable } from './report-format.js';
import {
  describeStart,
  describeTraining,
  progressInterval,
  runRecoveryTrial,
  trainingSettings,
  summarizeTimings,
  type RecoveryProgress,
  type RecoveryTimings,
  type RecoveryTrial,
} from './recovery-trial.js';

/** One trial of `runRecoveryConvergence`: its outcome and its training loss per iteration. */
export interface ConvergenceTrial extends RecoveryTrial {
  /** Training loss f(U, V) = Σ residual² / (2m), with index 0 at the start. */
  lossHistory: number[];
}

/** The outcome of `runRecoveryConvergence`. */
export interface RecoveryConvergenceResult {
  settings: RecoveryConvergenceOptions;
  trials: ConvergenceTrial[];
  timings: RecoveryTimings;
}

/** Trains `trials` times, trial t with seed `seed + t`, and keeps each training loss curve. */
export function runRecoveryConvergence(
  options: RecoveryConvergenceOptions,
  onProgress?: (progress: RecoveryProgress) => void,
): RecoveryConvergenceResult {
  if (!Number.isInteger(options.trials) || options.trials < 1) {
    throw new RangeError(`invalid trials: expected a positive integer, received ${options.trials}`);
  }
  const started = performance.now();
  const trials: ConvergenceTrial[] = [];
  const trialSeconds: number[] = [];
  for (let t = 0; t < options.trials; t++) {
    const label = `trial ${t + 1} of ${options.trials}`;
    onProgress?.({ done: t, total: options.trials, label });
    const { trial, seconds, lossHistory } = runRecoveryTrial({ ...options, seed: options.seed + t }, (info) => {
      if (info.iteration % progressInterval === 0) onProgress?.({ done: t, total: options.trials, label, iteration: info.iteration, loss: info.loss });
    });
    trials.push({ ...trial, lossHistory });
    trialSeconds.push(seconds);
  }
  return { settings: options, trials, timings: summarizeTimings(trialSeconds, (performance.now() - started) / 1000) };
}

/** Formats the `nimc recovery convergence` command line that reproduces `settings`. */
export function recoveryConvergenceCommandLine(settings: RecoveryConvergenceOptions): string {
  const parts = [
    'nimc recovery convergence',
    `--activation ${settings.activation}`,
    `--d ${settings.d}`,
    `--k ${settings.k}`,
    `--n ${settings.n}`,
    `--m ${settings.m}`,
    `--init ${settings.init}`,
  ];
  if (settings.init === 'perturbed') parts.push(`--alpha ${settings.alpha}`);
  parts.push(`--trials ${settings.trials}`, `--seed ${settings.seed}`, `--optimizer ${settings.optimizer}`, `--max-iterations ${settings.maxIterations}`, '--json');
  return parts.join(' ');
}

/** Draws the training loss of every trial against the iteration, on a log axis. */
export function convergencePlot(result: RecoveryConvergenceResult): ReportLinePlot {
  const s = result.settings;
  // A loss of exactly 0 has no place on a log axis, so such points are left out.
  const series = result.trials.map((trial) => {
    const x: number[] = [];
    const y: number[] = [];
    trial.lossHistory.forEach((loss, iteration) => {
      if (loss > 0) {
        x.push(iteration);
        y.push(loss);
      }
    });
    return { label: `seed ${trial.seed}`, x, y };
  });
  return {
    kind: 'line',
    title: `Training loss, ${s.activation} (d = ${s.d}, k = ${s.k}, n = ${s.n}, m = ${s.m})`,
    xLabel: 'iteration',
    yLabel: 'training loss Σ residual² / (2m)',
    xScale: 'linear',
    yScale: 'log',
    series,
  };
}

// Rate r per iteration in loss_t ≈ C·r^t, fitted by least squares on log(loss) over the
// iterations where the loss lies between 1e-2 and 1e-8 of its start. Null when fewer than
// 10 iterations lie there.
function linearRate(lossHistory: readonly number[]): number | null {
  const start = lossHistory[0] as number;
  const points = lossHistory
    .map((loss, iteration) => ({ iteration, loss }))
    .filter(({ loss }) => loss > 0 && loss <= 1e-2 * start && loss >= 1e-8 * start);
  if (points.length < 10) return null;
  const meanX = points.reduce((sum, p) => sum + p.iteration, 0) / points.length;
  const meanY = points.reduce((sum, p) => sum + Math.log(p.loss), 0) / points.length;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.iteration - meanX) * (Math.log(p.loss) - meanY);
    sxx += (p.iteration - meanX) ** 2;
  }
  return Math.exp(sxy / sxx);
}

function trialTable(result: RecoveryConvergenceResult): ReportTable {
  return {
    caption: 'Outcome of each trial',
    columns: ['seed', 'iterations', 'stop reason', 'initial loss', 'final loss', 'loss ratio per iteration', 'relative test error', 'recovered'],
    rows: result.trials.map((trial) => [
      trial.seed,
      trial.iterations,
      trial.stopReason,
      trial.lossHistory[0] ?? null,
      trial.lossHistory[trial.lossHistory.length - 1] ?? null,
      linearRate(trial.lossHistory),
      trial.relativeTestError,
      trial.success ? 'yes' : 'no',
    ]),
  };
}

/** The report of `nimc recovery convergence --json`: the experiment report, then the raw settings, trials and timings. */
export interface RecoveryConvergenceReport extends ExperimentReport, Omit<RecoveryConvergenceResult, 'settings'> {
  options: RecoveryConvergenceOptions;
}

/** Builds the experiment report of the loss curves. */
export function buildRecoveryConvergenceReport(result: RecoveryConvergenceResult): RecoveryConvergenceReport {
  const s = result.settings;
  const summary =
    `Training loss at every iteration on the synthetic problem with ${s.activation}, d = ${s.d}, k = ${s.k}, n = ${s.n} and ` +
    `m = ${s.m}, from the start ${describeStart(s.init, s.alpha)}. Training: ${describeTraining(s)}. ` +
    `A straight line on the log axis means linear convergence. The column "loss ratio per iteration" fits that line to ` +
    `the iterations where the loss lies between 1e-2 and 1e-8 of its start.`;
  return {
    command: recoveryConvergenceCommandLine(s),
    title: `Convergence of ${s.optimizer === 'gd' ? 'gradient descent' : s.optimizer}: ${s.activation}`,
    summary,
    settings: {
      activation: s.activation,
      d: s.d,
      k: s.k,
      n: s.n,
      m: s.m,
      start: describeStart(s.init, s.alpha),
      trials: s.trials,
      seed: s.seed,
      ...trainingSettings(s),
    },
    tables: [trialTable(result)],
    plots: [convergencePlot(result)],
    options: s,
    trials: result.trials,
    timings: result.timings,
  };
}
