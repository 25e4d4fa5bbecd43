import type { ActivationName } from '@nimc/activations';
import { runMovieLens, type MovieLensEvent, type MovieLensOptions, type MovieLensReport } from '../experiments/movielens.js';
import { formatFixed, formatJson, requireFinite } from '../output.js';
import { createProgress, type Progress } from '../progress.js';
import { cachedMovieLensFolder } from './download-movielens.js';
import { formatFields, formatTable, type TableColumn, type TableRow } from '../table.js';
import { UsageError } from '../errors.js';

/**
 * Rejects a --seed whose last split seed, seed + splits − 1, is above 2^53 − 1, because the
 * splits reproduce NumPy's permutation only for seeds up to that value.
 */
export function checkSplitSeeds(seed: number, splits: number): void {
  // Compared as a difference, because seed + splits − 1 rounds in floating point above 2^53.
  if (splits - 1 > Number.MAX_SAFE_INTEGER - seed) {
    throw new UsageError(
      `invalid --seed: the last of ${splits} splits would use seed ${seed} + ${splits - 1}, above 2^53 - 1 = ${Number.MAX_SAFE_INTEGER}; choose a smaller --seed or fewer --splits`,
    );
  }
}

/** Options of `nimc movielens`, as commander parses them. */
export interface MovieLensCommandOptions {
  dataset: MovieLensOptions['dataset'];
  /** Folder with the GroupLens files; without it the files come from the download cache. */
  dataDir: string | undefined;
  splits: number;
  seed: number;
  rank: number;
  activation: ActivationName;
  config: MovieLensOptions['config'];
  json: boolean;
  quiet: boolean;
}

/** The method every other method is compared with, split by split. */
const baselineMethod = 'item-mean';

// RMSE differences between methods are often below 0.01, so four decimals are shown.
const decimals = 4;

function checkReport(report: MovieLensReport): void {
  for (const [method, result] of Object.entries(report.methods)) {
    result.rmse.forEach((value, s) => requireFinite(`test RMSE of ${method} on split ${s + 1}`, value));
    requireFinite(`mean test RMSE of ${method}`, result.mean);
    requireFinite(`standard deviation of the test RMSE of ${method}`, result.sd);
  }
  for (const row of report.ablation ?? []) requireFinite(`mean RMSE difference of the variant "${row.name}"`, row.mean);
  for (const [method, difference] of Object.entries(report.pairedDifference)) {
    requireFinite(`mean RMSE difference of ${method}`, difference.mean);
    requireFinite(`standard error of the RMSE difference of ${method}`, difference.standardError);
  }
}

function formatSetting(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function formatRmseTable(report: MovieLensReport): string {
  const methods = Object.keys(report.methods);
  const columns: TableColumn[] = [
    { header: 'split' },
    { header: 'seed', align: 'right' },
    { header: 'test users', align: 'right' },
    { header: 'test ratings', align: 'right' },
    ...methods.map((method): TableColumn => ({ header: method, align: 'right' })),
  ];
  const rows: TableRow[] = report.splits.map((split, s) => [
    String(s + 1),
    String(split.seed),
    String(split.testUsers),
    String(split.testRatings),
    ...methods.map((method) => formatFixed(report.methods[method]?.rmse[s] as number, decimals)),
  ]);
  rows.push('rule');
  rows.push(['mean', '', '', '', ...methods.map((method) => formatFixed(report.methods[method]?.mean as number, decimals))]);
  const count = report.splits.length;
  rows.push(['sd', '', '', '', ...methods.map((method) => formatSpread(report.methods[method]?.sd as number, count))]);
  return formatTable(columns, rows);
}

// The runner reports a spread of 0 for a single split, which carries no information, so it prints as n/a.
function formatSpread(value: number, splits: number): string {
  return splits < 2 ? 'n/a' : formatFixed(value, decimals);
}

function formatDifferenceTable(report: MovieLensReport): string {
  const columns: TableColumn[] = [
    { header: 'method' },
    { header: `mean RMSE − ${baselineMethod}`, align: 'right' },
    { header: 'standard error', align: 'right' },
    { header: 'per split' },
  ];
  const rows: TableRow[] = Object.entries(report.pairedDifference)
    .filter(([method]) => method !== baselineMethod)
    .map(([method, difference]) => [
      method,
      formatFixed(difference.mean, decimals, true),
      formatSpread(difference.standardError, report.splits.length),
      difference.perSplit.map((value) => formatFixed(value, decimals, true)).join(' '),
    ]);
  return formatTable(columns, rows);
}

function formatAblationTable(report: MovieLensReport): string {
  const columns: TableColumn[] = [
    { header: 'nimc-best variant' },
    { header: `mean RMSE − ${baselineMethod}`, align: 'right' },
    { header: 'standard error', align: 'right' },
    { header: 'per split' },
  ];
  const rows: TableRow[] = (report.ablation ?? []).map((row) => [
    row.name,
    formatFixed(row.mean, decimals, true),
    formatSpread(row.standardError, report.splits.length),
    row.perSplit.map((value) => formatFixed(value, decimals, true)).join(' '),
  ]);
  return formatTable(columns, rows);
}

function formatReport(report: MovieLensReport): string {
  // A nested setting (the recipe of each configuration) prints one field per line, indented.
  const settingRows = Object.entries(report.settings).flatMap(([key, value]): [string, string][] =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? [
          [`  ${key}`, ''],
          ...Object.entries(value)
            .filter(([, innerValue]) => innerValue !== undefined)
            .map(([inner, innerValue]): [string, string] => [`    ${inner}`, formatSetting(innerValue)]),
        ]
      : [[`  ${key}`, formatSetting(value)]],
  );
  const settings = formatFields(settingRows);
  const first = report.splits[0];
  const sizes = first === undefined ? '' : ` (split 1: ${first.trainUsers} training users, ${first.testUsers} new users)`;
  return [
    `MovieLens ${report.dataset}: test RMSE on new users over ${report.splits.length} user split${report.splits.length === 1 ? '' : 's'}${sizes}`,
    'settings:',
    settings,
    '',
    formatRmseTable(report),
    '',
    `RMSE minus the ${baselineMethod} RMSE on the same split (negative means more accurate than ${baselineMethod}):`,
    formatDifferenceTable(report),
    '',
    ...(report.ablation === undefined
      ? []
      : ['Test RMSE minus item-mean of nimc-best with fewer movie features, each fitted the same way:', formatAblationTable(report), '']),
  ].join('\n');
}

function reportEvent(event: MovieLensEvent, progress: Progress, splits: number): void {
  if (event.kind === 'note') {
    progress.note(event.message);
    return;
  }
  if (event.kind === 'split-start') {
    progress.update(`split ${event.split + 1}/${event.splits} (seed ${event.seed}): preparing`);
    return;
  }
  if (event.kind === 'training') {
    const validation = event.validationRmse === undefined ? '' : `  validation RMSE ${event.validationRmse.toFixed(decimals)}`;
    progress.update(
      `split ${event.split + 1}/${splits}  ${event.method}  iteration ${event.iteration}  loss ${event.loss.toExponential(3)}${validation}`,
    );
  }
}

/** Runs `nimc movielens` and prints the settings and RMSE tables, or one JSON object with `--json`. */
export async function runMovieLensCommand(options: MovieLensCommandOptions): Promise<void> {
  checkSplitSeeds(options.seed, options.splits);
  const progress = createProgress({ quiet: options.quiet });
  const dataDir = options.dataDir ?? (await cachedMovieLensFolder(options.dataset, progress)).folder;
  const report = await runMovieLens(
    {
      dataset: options.dataset,
      dataDir,
      splits: options.splits,
      seed: options.seed,
      rank: options.rank,
      activation: options.activation,
      config: options.config,
    },
    (event) => reportEvent(event, progress, options.splits),
  ).finally(() => progress.clear());

  checkReport(report);
  process.stdout.write(options.json ? formatJson(report) : formatReport(report));
}
