import { evaluate, type EvaluationMetrics, type EvaluationReport } from '@nimc/core';
import { formatJson, formatFixed } from '../output.js';
import { createProgress } from '../progress.js';
import { formatTable, type TableColumn, type TableRow } from '../table.js';
import { checkInputFiles, loadModelFile, noteUnseen, progressLine, readOptions, type FileLayoutOptions } from './recommender-io.js';

/** Options of `nimc evaluate`, as commander parses them. */
export interface EvaluateCommandOptions extends FileLayoutOptions {
  model: string;
  ratings: string;
  userFeatures: string;
  itemFeatures: string;
  k: number;
  threshold: number;
  groupBy?: string;
  excludeRated?: string;
  json: boolean;
  quiet: boolean;
}

function ratio(value: number | null): string {
  return value === null ? 'n/a' : formatFixed(value, 4);
}

function metricCells(label: string, metrics: EvaluationMetrics): string[] {
  return [
    label,
    String(metrics.users),
    String(metrics.ratings),
    formatFixed(metrics.rmse, 4),
    formatFixed(metrics.mae, 4),
    ratio(metrics.precisionAtK),
    ratio(metrics.recallAtK),
    ratio(metrics.ndcgAtK),
    formatFixed(metrics.coverage, 4),
  ];
}

function formatReport(report: EvaluationReport): string {
  const k = report.k;
  const columns: TableColumn[] = [
    { header: report.groupBy ?? 'group' },
    { header: 'users', align: 'right' },
    { header: 'ratings', align: 'right' },
    { header: 'RMSE', align: 'right' },
    { header: 'MAE', align: 'right' },
    { header: `P@${k}`, align: 'right' },
    { header: `R@${k}`, align: 'right' },
    { header: `NDCG@${k}`, align: 'right' },
    { header: 'coverage', align: 'right' },
  ];
  const rows: TableRow[] = [metricCells('all', report.overall)];
  if (report.groups.length > 0) {
    rows.push('rule');
    for (const group of report.groups) rows.push(metricCells(group.group === '' ? '(empty)' : group.group, group.metrics));
  }
  const o = report.overall;
  return [
    `${o.ratings} test ratings of ${o.users} users, ranked against ${report.catalogue} items`,
    `relevant: a test rating ≥ ${report.threshold}; ranking metrics average over the ${o.rankedUsers} users with a relevant item`,
    '',
    formatTable(columns, rows),
    '',
  ].join('\n');
}

/** Runs `nimc evaluate` and prints the metrics table, or one JSON object with `--json`. */
export async function runEvaluateCommand(options: EvaluateCommandOptions): Promise<void> {
  await checkInputFiles({
    '--model': options.model,
    '--ratings': options.ratings,
    '--user-features': options.userFeatures,
    '--item-features': options.itemFeatures,
    '--exclude-rated': options.excludeRated,
  });
  const progress = createProgress({ quiet: options.quiet });
  const model = await loadModelFile(options.model);
  const report = await evaluate(
    model,
    { ratings: options.ratings, userFeatures: options.userFeatures, itemFeatures: options.itemFeatures },
    {
      ...readOptions(options),
      k: options.k,
      threshold: options.threshold,
      groupBy: options.groupBy,
      exclude: options.excludeRated,
      onProgress: (event) => {
        if (event.phase === 'reading') progress.update(`reading ${event.file}`);
        else progress.update(progressLine('ranking', event.done, event.total, 'users'));
      },
    },
  ).finally(() => progress.clear());
  noteUnseen(progress, report.unseen, options.userFeatures, options.itemFeatures);
  process.stdout.write(options.json ? formatJson(report) : formatReport(report));
}
