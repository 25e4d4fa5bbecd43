import type { ActivationName } from '@nimc/activations';
import { UsageError } from '../errors.js';
import { buildHessianSweepReport, seriesLabel, type HessianSweepReport } from '../experiments/hessian-report.js';
import { runHessianSweep, type HessianSweepProgress } from '../experiments/hessian-sweep.js';
import type { HessianSweepOptions } from '../experiments/hessian-defaults.js';
import { formatJson, formatNumber, formatSeconds } from '../output.js';
import { combinePanels, linePlot } from '../plot/svg.js';
import { createProgress } from '../progress.js';
import { formatFields, formatTable, type TableColumn } from '../table.js';
import { writeFileAtomically } from '../write-file.js';
import { checkMeasurement, formatMethod, formatResiduals } from './hessian.js';

/** Options of `nimc hessian sweep`, as commander parses them. */
export interface HessianSweepCommandOptions {
  activation: ActivationName[];
  d: number;
  k: number;
  n: number;
  m: number;
  seed: number;
  radii: number[];
  ms: number[];
  samples: number;
  /** Absent without --constrained, true for a bare --constrained, and the listed activations otherwise. */
  constrained?: true | ActivationName[];
  method: HessianSweepOptions['method'];
  plot?: string;
  json: boolean;
  quiet: boolean;
}

function resolveConstrained(options: HessianSweepCommandOptions): ActivationName[] {
  if (options.constrained === undefined) return [];
  if (options.constrained === true) return [...options.activation];
  for (const name of options.constrained) {
    if (!options.activation.includes(name)) {
      throw new UsageError(
        `invalid --constrained: ${name} is not swept, expected activations of --activation (${options.activation.join(', ')})`,
      );
    }
  }
  return options.constrained;
}

function formatRadiusTable(report: HessianSweepReport): string {
  const columns: TableColumn[] = [
    { header: 'activation' },
    { header: 'r', align: 'right' },
    { header: 'points', align: 'right' },
    { header: 'smallest λ_min', align: 'right' },
    { header: 'median λ_min', align: 'right' },
    { header: 'largest λ_max', align: 'right' },
    { header: 'smallest λ_min/λ_max', align: 'right' },
    { header: 'positive definite', align: 'right' },
  ];
  const rows = report.radiusSweep.map((point) => [
    seriesLabel(point.activation, point.constrained),
    String(point.radius),
    String(point.points.length),
    formatNumber(point.smallestMin, 4),
    formatNumber(point.medianMin, 4),
    formatNumber(point.largestMax, 4),
    formatNumber(point.smallestRatio, 3),
    `${point.positiveDefinite} of ${point.points.length}`,
  ]);
  return formatTable(columns, rows);
}

function formatSampleSizeTable(report: HessianSweepReport): string {
  const columns: TableColumn[] = [
    { header: 'activation' },
    { header: 'm', align: 'right' },
    { header: 'λ_min', align: 'right' },
    { header: 'λ_max', align: 'right' },
    { header: 'λ_min/λ_max', align: 'right' },
    { header: 'method' },
    { header: 'residual min / max' },
  ];
  const rows = report.sampleSizeSweep.map((point) => [
    seriesLabel(point.activation, point.constrained),
    String(point.m),
    formatNumber(point.measurement.min, 4),
    formatNumber(point.measurement.max, 4),
    formatNumber(point.measurement.ratio, 3),
    formatMethod(point.measurement),
    formatResiduals(point.measurement),
  ]);
  return formatTable(columns, rows);
}

function formatReport(report: HessianSweepReport, plotPath: string | undefined): string {
  const settings = Object.entries(report.settings).map(([name, value]): [string, string] => [name, String(value)]);
  const footer: [string, string][] = [['wall time', formatSeconds(report.timings.totalSeconds)]];
  if (plotPath !== undefined) footer.unshift(['plot', plotPath]);
  return [
    formatFields(settings),
    '',
    report.tables[0]?.caption ?? '',
    formatRadiusTable(report),
    '',
    report.tables[1]?.caption ?? '',
    formatSampleSizeTable(report),
    '',
    'A Hessian counts as positive definite when λ_min/λ_max > 1e-10.',
    formatFields(footer),
    '',
  ].join('\n');
}

function formatProgress(progress: HessianSweepProgress): string {
  const value = progress.sweep === 'radius' ? `r = ${progress.value}` : `m = ${progress.value}`;
  return `hessian sweep  ${progress.activation}  ${value}  point ${progress.done + 1} of ${progress.total}`;
}

/** Draws the two panels of a sweep report side by side in one SVG document. */
export function drawSweepPlot(report: HessianSweepReport): string {
  return combinePanels(report.plots.map((plot) => linePlot(plot)));
}

/**
 * Runs `nimc hessian sweep`: prints both tables, or the experiment report as one JSON
 * object with `--json`, and writes the two-panel SVG plot with `--plot`.
 */
export function runHessianSweepCommand(options: HessianSweepCommandOptions): void {
  if (options.k > options.d) {
    throw new UsageError(`invalid --k: expected at most --d = ${options.d}, received ${options.k}`);
  }
  const constrained = resolveConstrained(options);
  const progress = createProgress({ quiet: options.quiet });
  const result = runHessianSweep(
    {
      activations: options.activation,
      constrained,
      d: options.d,
      k: options.k,
      n: options.n,
      m: options.m,
      seed: options.seed,
      radii: options.radii,
      ms: options.ms,
      samples: options.samples,
      method: options.method,
    },
    (stage) => progress.update(formatProgress(stage)),
  );
  progress.clear();

  for (const point of result.radiusSweep) {
    point.points.forEach((measurement) => checkMeasurement(`of ${point.activation} at r = ${point.radius}`, measurement));
  }
  for (const point of result.sampleSizeSweep) checkMeasurement(`of ${point.activation} at m = ${point.m}`, point.measurement);
  const report = buildHessianSweepReport(result);

  // The JSON is formatted before the plot is written, so a failed check leaves no plot behind.
  const output = options.json ? formatJson(report) : formatReport(report, options.plot);
  if (options.plot !== undefined) {
    writeFileAtomically(options.plot, drawSweepPlot(report));
    if (options.json) progress.note(`wrote the plot to ${options.plot}`);
  }
  process.stdout.write(output);
}
