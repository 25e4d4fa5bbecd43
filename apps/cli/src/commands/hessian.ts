import type { ActivationName } from '@nimc/activations';
import { UsageError } from '../errors.js';
import { runHessian, type EigenvalueMeasurement, type HessianOptions, type HessianResult } from '../experiments/hessian.js';
import { formatJson, formatNumber, formatSeconds, requireFinite } from '../output.js';
import { createProgress } from '../progress.js';
import { formatFields, formatTable, type TableColumn } from '../table.js';

/** Options of `nimc hessian`, as commander parses them, and which location options the user gave. */
export interface HessianCommandOptions {
  activation: ActivationName;
  d: number;
  k: number;
  n: number;
  m: number;
  seed: number;
  constrained: boolean;
  at: HessianOptions['at'];
  radius: number;
  samples: number;
  method: HessianOptions['method'];
  json: boolean;
  quiet: boolean;
  /** True for each option that appeared on the command line instead of taking its default. */
  explicit: { at: boolean; radius: boolean; samples: boolean };
}

// --radius or --samples alone selects the perturbed points; with an explicit --at truth they conflict.
function resolveLocation(options: HessianCommandOptions): HessianOptions['at'] {
  const { explicit } = options;
  if (explicit.at) {
    if (options.at === 'truth' && (explicit.radius || explicit.samples)) {
      const flag = explicit.radius ? '--radius' : '--samples';
      throw new UsageError(`invalid ${flag}: it applies only with --at perturbed, but --at truth was given`);
    }
    return options.at;
  }
  return explicit.radius || explicit.samples ? 'perturbed' : options.at;
}

/** Throws a CommandError when an eigenvalue or a residual is not finite. */
export function checkMeasurement(label: string, point: EigenvalueMeasurement): void {
  requireFinite(`λ_min ${label}`, point.min);
  requireFinite(`λ_max ${label}`, point.max);
  requireFinite(`λ_min/λ_max ${label}`, point.ratio);
  requireFinite(`residual of λ_min ${label}`, point.minResidual);
  requireFinite(`residual of λ_max ${label}`, point.maxResidual);
}

function pointLabel(point: EigenvalueMeasurement): string {
  return point.direction === null ? 'truth' : `direction ${point.direction + 1}`;
}

/** Formats the residuals of a measurement, with "not converged" when Lanczos stopped early. */
export function formatResiduals(point: EigenvalueMeasurement): string {
  const text = `${formatNumber(point.minResidual, 2)} / ${formatNumber(point.maxResidual, 2)}`;
  return point.converged ? text : `${text} (not converged)`;
}

/** Formats a measurement's method, with the Lanczos step count. */
export function formatMethod(point: EigenvalueMeasurement): string {
  return point.method === 'lanczos' ? `lanczos, ${point.iterations} steps` : 'dense';
}

function formatReport(result: HessianResult): string {
  const s = result.settings;
  const location =
    s.at === 'truth'
      ? 'the ground truth (U*, V*)'
      : `${s.samples} random point${s.samples === 1 ? '' : 's'} at ‖(U, V) − (U*, V*)‖_F = ${s.radius}`;
  const subspace = result.points[0]?.subspaceDimension ?? result.dimension;
  const fields: [string, string][] = [
    ['activation', s.activation],
    ['dimensions', `d1 = d2 = ${s.d}, k = ${s.k}, n1 = n2 = ${s.n}, m = ${s.m}`],
    ['seed', String(s.seed)],
    ['evaluated at', location],
    ['‖(U*, V*)‖_F', formatNumber(result.truthNorm, 4)],
    [
      'Hessian',
      s.constrained
        ? `${subspace} × ${subspace}, restricted to the complement of the ${s.k} scaling directions`
        : `${result.dimension} × ${result.dimension}, unrestricted`,
    ],
  ];
  const columns: TableColumn[] = [
    { header: 'point' },
    { header: 'λ_min', align: 'right' },
    { header: 'λ_max', align: 'right' },
    { header: 'λ_min/λ_max', align: 'right' },
    { header: 'method' },
    { header: 'residual min / max' },
  ];
  const rows = result.points.map((point) => [
    pointLabel(point),
    formatNumber(point.min, 4),
    formatNumber(point.max, 4),
    formatNumber(point.ratio, 3),
    formatMethod(point),
    formatResiduals(point),
  ]);
  const count = result.points.length;
  const summary: [string, string][] = [
    ['positive definite', `${result.positiveDefinite} of ${count} (λ_min/λ_max > 1e-10)`],
    ['wall time', formatSeconds(result.timings.totalSeconds)],
  ];
  return `${formatFields(fields)}\n\n${formatTable(columns, rows)}\n\n${formatFields(summary)}\n`;
}

/** Runs `nimc hessian` and prints its report, or one JSON object with `--json`. */
export function runHessianCommand(options: HessianCommandOptions): void {
  if (options.k > options.d) {
    throw new UsageError(`invalid --k: expected at most --d = ${options.d}, received ${options.k}`);
  }
  const at = resolveLocation(options);
  const progress = createProgress({ quiet: options.quiet });
  const result = runHessian(
    {
      activation: options.activation,
      d: options.d,
      k: options.k,
      n: options.n,
      m: options.m,
      seed: options.seed,
      constrained: options.constrained,
      at,
      radius: options.radius,
      samples: options.samples,
      method: options.method,
    },
    (index, total) => progress.update(`hessian  ${options.activation}  point ${index + 1} of ${total}`),
  );
  progress.clear();

  result.points.forEach((point) => checkMeasurement(`at ${pointLabel(point)}`, point));
  process.stdout.write(options.json ? formatJson(result) : formatReport(result));
}
