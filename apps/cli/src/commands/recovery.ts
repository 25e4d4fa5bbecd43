import { readFileSync } from 'node:fs';
import type { ActivationName } from '@nimc/activations';
import { CommandError, UsageError } from '../errors.js';
import { buildRecoveryConvergenceReport, runRecoveryConvergence } from '../experiments/recovery-convergence.js';
import {
  defaultGrid,
  defaultInitSampleSize,
  defaultMergeTitle,
  recoveryConvergenceDefaults,
  recoveryGridDefaults,
  recoveryInitDefaults,
  type RecoveryInitMethod,
} from '../experiments/recovery-defaults.js';
import { buildRecoveryGridReport, runRecoveryGrid } from '../experiments/recovery-grid.js';
import { buildRecoveryInitReport, runRecoveryInit } from '../experiments/recovery-init.js';
import { mergeRecoveryReports, type MergeInput } from '../experiments/recovery-merge.js';
import { buildTensorErrorReport, runTensorError } from '../experiments/recovery-tensor-error.js';
import type { RecoveryProgress, RecoveryTimings } from '../experiments/recovery-trial.js';
import type { ExperimentReport, ReportPlot, ReportTable } from '../experiments/report-format.js';
import type { SyntheticInit } from '../experiments/synthetic-defaults.js';
import type { OptimizerName } from '../options.js';
import { formatJson, formatNumber, formatSeconds } from '../output.js';
import { combinePanels, heatMap, linePlot } from '../plot/svg.js';
import { createProgress, type Progress } from '../progress.js';
import { formatFields, formatTable } from '../table.js';
import { writeFileAtomically } from '../write-file.js';
import { checkInitOptions } from './synthetic.js';

/** Options that every recovery command has. */
interface OutputOptions {
  plot?: string;
  json: boolean;
  quiet: boolean;
}

/** Options of `nimc recovery convergence`, as commander parses them. */
export interface RecoveryConvergenceCommandOptions extends OutputOptions {
  activation: ActivationName;
  d: number;
  k: number;
  n: number;
  m: number;
  init: SyntheticInit;
  alpha: number;
  trials: number;
  seed: number;
  optimizer: OptimizerName;
  maxIterations: number;
  /** True when --alpha was given on the command line. */
  alphaGiven: boolean;
}

/** Options of `nimc recovery init`, as commander parses them. */
export interface RecoveryInitCommandOptions extends OutputOptions {
  activation: ActivationName;
  d: number;
  k: number;
  n: number;
  /** Absent for the default 20·k·d. */
  m?: number;
  alphas: number[];
  init: RecoveryInitMethod[];
  trials: number;
  seed: number;
  optimizer: OptimizerName;
  maxIterations: number;
  /** True when --alphas was given on the command line. */
  alphasGiven: boolean;
}

/** Options of `nimc recovery grid`, as commander parses them. */
export interface RecoveryGridCommandOptions extends OutputOptions {
  activation: ActivationName;
  init: SyntheticInit;
  alpha: number;
  ns?: number[];
  ms?: number[];
  d: number;
  k: number;
  trials: number;
  seed: number;
  optimizer: OptimizerName;
  maxIterations: number;
  /** True when --alpha was given on the command line. */
  alphaGiven: boolean;
}

/** Options of `nimc recovery tensor-error`, as commander parses them. */
export interface TensorErrorCommandOptions extends OutputOptions {
  activation: ActivationName[];
  ms: number[];
  n?: number;
  d: number;
  k: number;
  trials: number;
  seed: number;
}

/** Options of `nimc recovery merge`. */
export interface RecoveryMergeCommandOptions {
  files: string[];
  title: string;
}

function checkRank(options: { k: number; d: number }): void {
  if (options.k > options.d) throw new UsageError(`invalid --k: expected at most --d = ${options.d}, received ${options.k}`);
}

function formatElapsed(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(Math.floor(seconds - 60 * minutes)).padStart(2, '0')}`;
}

function progressReporter(name: string, progress: Progress): (event: RecoveryProgress) => void {
  const started = performance.now();
  return (event) => {
    const parts = [`recovery ${name}`, `${event.done} of ${event.total} done`, event.label];
    if (event.iteration !== undefined && event.loss !== undefined) parts.push(`iteration ${event.iteration}  loss ${event.loss.toExponential(2)}`);
    parts.push(`elapsed ${formatElapsed((performance.now() - started) / 1000)}`);
    progress.update(parts.join('  '));
  };
}

function formatCell(value: string | number | null): string {
  if (value === null) return '–';
  if (typeof value === 'string') return value;
  if (Number.isInteger(value)) return String(value);
  return formatNumber(value, 3);
}

function formatSetting(value: string | number | boolean): string {
  if (typeof value === 'number' && value !== 0 && Math.abs(value) < 1e-3) return value.toExponential();
  return String(value);
}

function formatReportTable(table: ReportTable): string {
  const columns = table.columns.map((header, c) => ({ header, align: c === 0 || header === 'stop reason' ? ('left' as const) : ('right' as const) }));
  return `${table.caption}\n${formatTable(columns, table.rows.map((row) => row.map(formatCell)))}`;
}

function formatTextReport(report: ExperimentReport, timings: RecoveryTimings, plotPath: string | undefined): string {
  const settings = Object.entries(report.settings).map(([name, value]): [string, string] => [name, formatSetting(value)]);
  const footer: [string, string][] = [
    ['wall time', `${formatSeconds(timings.totalSeconds)} (per trial: mean ${formatSeconds(timings.meanTrialSeconds)}, largest ${formatSeconds(timings.maxTrialSeconds)})`],
  ];
  if (plotPath !== undefined) footer.unshift(['plot', plotPath]);
  return [formatFields(settings), '', ...report.tables.flatMap((table) => [formatReportTable(table), '']), formatFields(footer), ''].join('\n');
}

/** Draws the plots of a report as one SVG document, side by side when there are several. */
export function drawReportPlots(plots: readonly ReportPlot[]): string {
  const panels = plots.map((plot) => (plot.kind === 'line' ? linePlot(plot) : heatMap({ ...plot, cellLabels: true })));
  return panels.length === 1 ? (panels[0] as string) : combinePanels(panels);
}

// The JSON is formatted before the plot is written, so a report with a non-finite number
// leaves no plot behind.
function writeOutput(report: ExperimentReport & { timings: RecoveryTimings }, options: OutputOptions, progress: Progress): void {
  const output = options.json ? formatJson(report) : formatTextReport(report, report.timings, options.plot);
  if (options.plot !== undefined) {
    writeFileAtomically(options.plot, drawReportPlots(report.plots));
    if (options.json) progress.note(`wrote the plot to ${options.plot}`);
  }
  process.stdout.write(output);
}

/** Runs `nimc recovery convergence`: the training loss curve of each trial. */
export function runRecoveryConvergenceCommand(options: RecoveryConvergenceCommandOptions): void {
  checkRank(options);
  checkInitOptions(options);
  const progress = createProgress({ quiet: options.quiet });
  const result = runRecoveryConvergence(
    {
      ...recoveryConvergenceDefaults,
      activation: options.activation,
      d: options.d,
      k: options.k,
      n: options.n,
      m: options.m,
      init: options.init,
      alpha: options.alpha,
      trials: options.trials,
      seed: options.seed,
      optimizer: options.optimizer,
      maxIterations: options.maxIterations,
    },
    progressReporter('convergence', progress),
  );
  progress.clear();
  writeOutput(buildRecoveryConvergenceReport(result), options, progress);
}

/** Runs `nimc recovery init`: the recovery rate against the start. */
export function runRecoveryInitCommand(options: RecoveryInitCommandOptions): void {
  checkRank(options);
  if (options.alphasGiven && !options.init.includes('perturbed')) {
    throw new UsageError(`invalid --alphas: they set the perturbed starts only, but --init is ${options.init.join(',')}`);
  }
  if (options.init.includes('tensor')) checkInitOptions({ init: 'tensor', activation: options.activation });
  const progress = createProgress({ quiet: options.quiet });
  const result = runRecoveryInit(
    {
      ...recoveryInitDefaults,
      activation: options.activation,
      d: options.d,
      k: options.k,
      n: options.n,
      m: options.m ?? defaultInitSampleSize(options.k, options.d),
      alphas: options.alphas,
      inits: options.init,
      trials: options.trials,
      seed: options.seed,
      optimizer: options.optimizer,
      maxIterations: options.maxIterations,
    },
    progressReporter('init', progress),
  );
  progress.clear();
  writeOutput(buildRecoveryInitReport(result), options, progress);
}

/** Runs `nimc recovery grid`: the recovery rate over n and m. */
export function runRecoveryGridCommand(options: RecoveryGridCommandOptions): void {
  checkRank(options);
  checkInitOptions(options);
  const grid = defaultGrid(options.activation, options.k, options.d);
  const progress = createProgress({ quiet: options.quiet });
  const result = runRecoveryGrid(
    {
      ...recoveryGridDefaults,
      activation: options.activation,
      init: options.init,
      alpha: options.alpha,
      d: options.d,
      k: options.k,
      ns: options.ns ?? grid.ns,
      ms: options.ms ?? grid.ms,
      trials: options.trials,
      seed: options.seed,
      optimizer: options.optimizer,
      maxIterations: options.maxIterations,
    },
    progressReporter('grid', progress),
  );
  progress.clear();
  writeOutput(buildRecoveryGridReport(result), options, progress);
}

/** Runs `nimc recovery tensor-error`: the distance of the tensor initialization to the truth against m. */
export function runTensorErrorCommand(options: TensorErrorCommandOptions): void {
  checkRank(options);
  const progress = createProgress({ quiet: options.quiet });
  const result = runTensorError(
    {
      activations: options.activation,
      d: options.d,
      k: options.k,
      ms: options.ms,
      n: options.n,
      seed: options.seed,
      trials: options.trials,
    },
    progressReporter('tensor-error', progress),
  );
  progress.clear();
  writeOutput(buildTensorErrorReport(result), options, progress);
}

function readReport(file: string): MergeInput {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new CommandError(`file not found: ${file}`);
    if (code === 'EISDIR') throw new CommandError(`failed to read ${file}: it is a folder, not a file`);
    const reason = error instanceof Error ? error.message : String(error);
    throw new CommandError(`failed to read ${file}: ${reason}`);
  }
  try {
    return { file, report: JSON.parse(text) as unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CommandError(`invalid report ${file}: not valid JSON (${reason})`);
  }
}

/** Runs `nimc recovery merge`: prints the combined report of the given files as JSON. */
export function runRecoveryMergeCommand(options: RecoveryMergeCommandOptions): void {
  const inputs = options.files.map(readReport);
  const parts = ['nimc recovery merge', ...options.files];
  if (options.title !== defaultMergeTitle) parts.push(`--title ${JSON.stringify(options.title)}`);
  const command = parts.join(' ');
  process.stdout.write(formatJson(mergeRecoveryReports(inputs, options.title, command)));
}
