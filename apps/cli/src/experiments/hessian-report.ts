import type { LinePlotOptions, LineSeries } from '../plot/svg.js';
import { positiveDefiniteRatio } from './hessian.js';
import type { HessianSweepResult, RadiusSweepPoint, SampleSizeSweepPoint } from './hessian-sweep.js';
import type { HessianSweepOptions } from './hessian-defaults.js';

/** A line plot of an experiment report, in the form `linePlot` draws. */
export interface ReportLinePlot extends LinePlotOptions {
  kind: 'line';
}

/** A table of an experiment report: one string, number or null per column in each row. */
export interface ReportTable {
  caption: string;
  columns: string[];
  rows: (string | number | null)[][];
}

/**
 * The experiment report that `nimc hessian sweep --json` prints: the report format of the
 * documentation site (command, title, summary, settings, tables, plots) plus the raw sweep.
 */
export interface HessianSweepReport {
  command: string;
  title: string;
  summary: string;
  settings: Record<string, string | number | boolean>;
  tables: ReportTable[];
  plots: ReportLinePlot[];
  truthNorm: number;
  radiusSweep: RadiusSweepPoint[];
  sampleSizeSweep: SampleSizeSweepPoint[];
  timings: { totalSeconds: number };
}

const listText = (values: readonly (string | number)[]): string => values.join(',');

/** Formats the `nimc hessian sweep` command line that reproduces `settings`, with every option spelled out. */
export function hessianSweepCommandLine(settings: HessianSweepOptions): string {
  const parts = [
    'nimc hessian sweep',
    `--activation ${listText(settings.activations)}`,
    `--d ${settings.d}`,
    `--k ${settings.k}`,
    `--n ${settings.n}`,
    `--m ${settings.m}`,
    `--seed ${settings.seed}`,
    `--radii ${listText(settings.radii)}`,
    `--ms ${listText(settings.ms)}`,
    `--samples ${settings.samples}`,
    `--method ${settings.method}`,
  ];
  if (settings.constrained.length > 0) parts.push(`--constrained ${listText(settings.constrained)}`);
  parts.push('--json');
  return parts.join(' ');
}

/** Formats the legend entry of an activation, marking a restricted Hessian. */
export function seriesLabel(activation: string, constrained: boolean): string {
  return constrained ? `${activation}, scaling directions removed` : activation;
}

// A log scale keeps a ratio that spans decades readable, but it needs every value positive.
// Otherwise the scale is linear, with a dashed zero line where positive definiteness is lost.
function ratioPlot(base: Omit<ReportLinePlot, 'yScale' | 'kind'>): ReportLinePlot {
  const values = base.series.flatMap((line) => line.y);
  if (values.every((value) => value > 0)) return { kind: 'line', ...base, yScale: 'log' };
  const xs = base.series.flatMap((line) => line.x);
  const zero: LineSeries = { label: 'zero', x: [Math.min(...xs), Math.max(...xs)], y: [0, 0], dashed: true };
  return { kind: 'line', ...base, yScale: 'linear', series: [...base.series, zero] };
}

/**
 * Builds the two panels of a sweep, with one series per activation: the smallest
 * λ_min/λ_max over the directions against the distance r, and λ_min/λ_max at the ground
 * truth against m.
 */
export function hessianSweepPlots(result: HessianSweepResult): ReportLinePlot[] {
  const { settings } = result;
  const byActivation = settings.activations.map((activation) => ({
    activation,
    radius: result.radiusSweep.filter((point) => point.activation === activation),
    sampleSize: result.sampleSizeSweep.filter((point) => point.activation === activation),
  }));
  const directions = settings.samples === 1 ? '1 direction' : `smallest over ${settings.samples} directions`;
  const radiusPanel = ratioPlot({
    title: `Hessian near the ground truth (m = ${settings.m})`,
    xLabel: 'distance r = ‖(U, V) − (U*, V*)‖_F',
    yLabel: `λ_min / λ_max (${directions})`,
    xScale: 'linear',
    series: byActivation.map(({ activation, radius }) => ({
      label: seriesLabel(activation, settings.constrained.includes(activation)),
      x: radius.map((point) => point.radius),
      y: radius.map((point) => point.smallestRatio),
    })),
  });
  const sampleSizePanel = ratioPlot({
    title: 'Hessian at the ground truth',
    xLabel: 'observed pairs m',
    yLabel: 'λ_min / λ_max',
    xScale: 'log',
    series: byActivation.map(({ activation, sampleSize }) => ({
      label: seriesLabel(activation, settings.constrained.includes(activation)),
      x: sampleSize.map((point) => point.m),
      y: sampleSize.map((point) => point.measurement.ratio),
    })),
  });
  return [radiusPanel, sampleSizePanel];
}

function radiusTable(result: HessianSweepResult): ReportTable {
  return {
    caption: `Extreme eigenvalues at distance r from the ground truth (m = ${result.settings.m}, ${result.settings.samples} random directions per r > 0)`,
    columns: ['activation', 'r', 'points', 'smallest λ_min', 'median λ_min', 'largest λ_max', 'smallest λ_min/λ_max', 'positive definite'],
    rows: result.radiusSweep.map((point) => [
      seriesLabel(point.activation, point.constrained),
      point.radius,
      point.points.length,
      point.smallestMin,
      point.medianMin,
      point.largestMax,
      point.smallestRatio,
      `${point.positiveDefinite} of ${point.points.length}`,
    ]),
  };
}

function sampleSizeTable(result: HessianSweepResult): ReportTable {
  return {
    caption: 'Extreme eigenvalues at the ground truth against the number of observed pairs m',
    columns: ['activation', 'm', 'λ_min', 'λ_max', 'λ_min/λ_max', 'method', 'largest residual'],
    rows: result.sampleSizeSweep.map((point) => [
      seriesLabel(point.activation, point.constrained),
      point.m,
      point.measurement.min,
      point.measurement.max,
      point.measurement.ratio,
      point.measurement.method,
      Math.max(point.measurement.minResidual, point.measurement.maxResidual),
    ]),
  };
}

function summaryText(settings: HessianSweepOptions): string {
  return (
    `Extreme eigenvalues of the Hessian of the training loss on synthetic problems with Gaussian features and a Gaussian ` +
    `ground truth (d = ${settings.d}, k = ${settings.k}, n = ${settings.n}, seed ${settings.seed}): at random points at ` +
    `Frobenius distance r from the ground truth with m = ${settings.m} observed pairs, and at the ground truth for ` +
    `several m. A Hessian counts as positive definite when λ_min/λ_max > ${positiveDefiniteRatio.toExponential()}, ` +
    `because a smaller ratio cannot be distinguished from zero in double precision. Each activation and m has one ` +
    `problem, so the numbers show one draw, not an average.`
  );
}

/** Builds the experiment report of a sweep. */
export function buildHessianSweepReport(result: HessianSweepResult): HessianSweepReport {
  const s = result.settings;
  return {
    command: hessianSweepCommandLine(s),
    title: 'Hessian eigenvalues near the ground truth',
    summary: summaryText(s),
    settings: {
      activations: s.activations.join(', '),
      'restricted to the complement of the scaling directions': s.constrained.length > 0 ? s.constrained.join(', ') : 'none',
      d: s.d,
      k: s.k,
      n: s.n,
      m: s.m,
      seed: s.seed,
      '‖(U*, V*)‖_F': result.truthNorm,
      radii: s.radii.join(', '),
      'directions per radius': s.samples,
      'm of the sample-size sweep': s.ms.join(', '),
      'eigenvalue method': s.method,
    },
    tables: [radiusTable(result), sampleSizeTable(result)],
    plots: hessianSweepPlots(result),
    truthNorm: result.truthNorm,
    radiusSweep: result.radiusSweep,
    sampleSizeSweep: result.sampleSizeSweep,
    timings: result.timings,
  };
}
