import type { RecoveryGridOptions } from './recovery-defaults.js';
import type { ExperimentReport, ReportHeatMap, ReportTable } from './report-format.js';
import {
  describeStart,
  describeTraining,
  shortStart,
  progressInterval,
  recoveryRate,
  runRecoveryTrial,
  trainingSettings,
  summarizeTimings,
  type RecoveryProgress,
  type RecoveryTimings,
  type RecoveryTrial,
} from './recovery-trial.js';

/** The trials of one (n, m) cell of the grid. */
export interface RecoveryGridCell {
  n: number;
  m: number;
  /** Fraction of the trials that recovered the ground truth. */
  rate: number;
  trials: RecoveryTrial[];
}

/** The outcome of `runRecoveryGrid`. */
export interface RecoveryGridResult {
  settings: RecoveryGridOptions;
  /** Cells in row order: every m of the first n, then every m of the next n. */
  cells: RecoveryGridCell[];
  /**
   * For each n, the smallest m of the grid from which every larger m recovers in all trials,
   * or null when the largest m does not.
   */
  thresholds: { n: number; m: number | null }[];
  timings: RecoveryTimings;
}

function checkGrid(options: RecoveryGridOptions): void {
  for (const [name, values] of [
    ['ns', options.ns],
    ['ms', options.ms],
  ] as const) {
    if (values.length === 0) throw new RangeError(`invalid ${name}: expected at least one value, received none`);
    for (const value of values) {
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`invalid ${name}: expected positive integers, received ${value}`);
    }
  }
  if (!Number.isInteger(options.trials) || options.trials < 1) {
    throw new RangeError(`invalid trials: expected a positive integer, received ${options.trials}`);
  }
}

function findThresholds(ns: readonly number[], ms: readonly number[], cells: readonly RecoveryGridCell[]): { n: number; m: number | null }[] {
  const sorted = [...ms].sort((a, b) => a - b);
  return ns.map((n) => {
    let threshold: number | null = null;
    for (let j = sorted.length - 1; j >= 0; j--) {
      const m = sorted[j] as number;
      const cell = cells.find((candidate) => candidate.n === n && candidate.m === m);
      if (cell === undefined || cell.rate < 1) break;
      threshold = m;
    }
    return { n, m: threshold };
  });
}

/**
 * Runs `trials` recovery trials in every cell (n, m) of the grid, trial t with seed
 * `seed + t`. A cell's trials share their seeds with every other cell, so trial t of two
 * cells draws U* and V* from the same stream.
 */
export function runRecoveryGrid(options: RecoveryGridOptions, onProgress?: (progress: RecoveryProgress) => void): RecoveryGridResult {
  checkGrid(options);
  const started = performance.now();
  const total = options.ns.length * options.ms.length * options.trials;
  const cells: RecoveryGridCell[] = [];
  const trialSeconds: number[] = [];

  for (const n of options.ns) {
    for (const m of options.ms) {
      const trials: RecoveryTrial[] = [];
      for (let t = 0; t < options.trials; t++) {
        const label = `n = ${n}, m = ${m}, trial ${t + 1} of ${options.trials}`;
        const done = trialSeconds.length;
        onProgress?.({ done, total, label });
        const { trial, seconds } = runRecoveryTrial({ ...options, n, m, seed: options.seed + t }, (info) => {
          if (info.iteration % progressInterval === 0) onProgress?.({ done, total, label, iteration: info.iteration, loss: info.loss });
        });
        trials.push(trial);
        trialSeconds.push(seconds);
      }
      cells.push({ n, m, rate: recoveryRate(trials), trials });
    }
  }

  return {
    settings: options,
    cells,
    thresholds: findThresholds(options.ns, options.ms, cells),
    timings: summarizeTimings(trialSeconds, (performance.now() - started) / 1000),
  };
}

/** Formats the `nimc recovery grid` command line that reproduces `settings`, with every option spelled out. */
export function recoveryGridCommandLine(settings: RecoveryGridOptions): string {
  const parts = ['nimc recovery grid', `--activation ${settings.activation}`, `--init ${settings.init}`];
  if (settings.init === 'perturbed') parts.push(`--alpha ${settings.alpha}`);
  parts.push(
    `--d ${settings.d}`,
    `--k ${settings.k}`,
    `--ns ${settings.ns.join(',')}`,
    `--ms ${settings.ms.join(',')}`,
    `--trials ${settings.trials}`,
    `--seed ${settings.seed}`,
    `--optimizer ${settings.optimizer}`,
    `--max-iterations ${settings.maxIterations}`,
    '--json',
  );
  return parts.join(' ');
}

function rateMatrix(result: RecoveryGridResult): number[][] {
  const { ns, ms } = result.settings;
  return ns.map((n) => ms.map((m) => (result.cells.find((cell) => cell.n === n && cell.m === m) as RecoveryGridCell).rate));
}

/** Draws the recovery rate over the grid: rows n (first at the bottom), columns m. */
export function recoveryGridHeatMap(result: RecoveryGridResult): ReportHeatMap {
  const s = result.settings;
  const facts = [s.activation, `d = ${s.d}`, `k = ${s.k}`, shortStart(s.init, s.alpha)];
  if (s.optimizer !== 'gd') facts.push(s.optimizer);
  return {
    kind: 'heatmap',
    title: `Recovery rate, ${facts.join(', ')}`,
    xLabel: 'observed pairs m',
    yLabel: 'queries and items n',
    x: s.ms,
    y: s.ns,
    values: rateMatrix(result),
    min: 0,
    max: 1,
    colorLabel: `recovered fraction of ${s.trials} trials`,
  };
}

function rateTable(result: RecoveryGridResult): ReportTable {
  const s = result.settings;
  const values = rateMatrix(result);
  return {
    caption: `Recovery rate over ${s.trials} trials for each n (rows) and m (columns), ${s.activation}`,
    columns: ['n', ...s.ms.map((m) => `m = ${m}`)],
    rows: s.ns.map((n, i) => [n, ...(values[i] as number[])]),
  };
}

function thresholdTable(result: RecoveryGridResult): ReportTable {
  const s = result.settings;
  return {
    caption: `Smallest m of the grid from which every larger m recovers in all ${s.trials} trials`,
    columns: ['n', 'm', 'm / (k·d)'],
    rows: result.thresholds.map(({ n, m }) => [n, m, m === null ? null : m / (s.k * s.d)]),
  };
}

function stopReasonTable(result: RecoveryGridResult): ReportTable {
  const counts = new Map<string, { trials: number; recovered: number }>();
  for (const cell of result.cells) {
    for (const trial of cell.trials) {
      const entry = counts.get(trial.stopReason) ?? { trials: 0, recovered: 0 };
      entry.trials++;
      if (trial.success) entry.recovered++;
      counts.set(trial.stopReason, entry);
    }
  }
  return {
    caption: 'Why training stopped, over all trials',
    columns: ['stop reason', 'trials', 'recovered'],
    rows: [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([reason, entry]) => [reason, entry.trials, entry.recovered]),
  };
}

// The activation, then the start and the optimizer where they differ from Figure 1 (α = 1, gradient descent).
function gridTitle(s: RecoveryGridOptions): string {
  const parts: string[] = [s.activation];
  if (s.init !== 'perturbed' || s.alpha !== 1) parts.push(shortStart(s.init, s.alpha));
  if (s.optimizer !== 'gd') parts.push(s.optimizer);
  return `Recovery over n and m: ${parts.join(', ')}`;
}

/** The report of `nimc recovery grid --json`: the experiment report, then the raw settings, cells and timings. */
export interface RecoveryGridReport extends ExperimentReport, Omit<RecoveryGridResult, 'settings'> {
  options: RecoveryGridOptions;
}

/** Builds the experiment report of a grid. */
export function buildRecoveryGridReport(result: RecoveryGridResult): RecoveryGridReport {
  const s = result.settings;
  const summary =
    `Fraction of ${s.trials} trials that recover the ground truth (relative test error ≤ 1e-3 on 1000 × 1000 fresh test pairs) ` +
    `for each number of queries and items n and of observed pairs m, with ${s.activation}, d = ${s.d}, k = ${s.k} and the start ` +
    `${describeStart(s.init, s.alpha)}. Training: ${describeTraining(s)}. ` +
    `Every cell runs its trials with the seeds ${s.seed} to ${s.seed + s.trials - 1}, so trial t of every cell has the same ground truth.`;
  return {
    command: recoveryGridCommandLine(s),
    title: gridTitle(s),
    summary,
    settings: {
      activation: s.activation,
      d: s.d,
      k: s.k,
      start: describeStart(s.init, s.alpha),
      n: s.ns.join(', '),
      m: s.ms.join(', '),
      'trials per cell': s.trials,
      seed: s.seed,
      ...trainingSettings(s),
    },
    tables: [rateTable(result), thresholdTable(result), stopReasonTable(result)],
    plots: [recoveryGridHeatMap(result)],
    options: s,
    cells: result.cells,
    thresholds: result.thresholds,
    timings: result.timings,
  };
}
