import type { ExperimentReport, ReportPlot, ReportTable } from './report-format.js';

/** One report to merge and the file it came from, for error messages. */
export interface MergeInput {
  file: string;
  report: unknown;
}

/** A merged report: the experiment report, then each part as it was read. */
export interface MergedRecoveryReport extends ExperimentReport {
  parts: unknown[];
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

function requireField(file: string, name: string, value: unknown, check: (value: unknown) => boolean, requirement: string): void {
  if (!check(value)) {
    const received = value === undefined ? 'nothing' : JSON.stringify(value).slice(0, 80);
    throw new RangeError(`invalid report ${file}: ${name} must be ${requirement}, received ${received}`);
  }
}

function readPart(input: MergeInput): ExperimentReport & { timings?: { totalSeconds?: unknown } } {
  const { file, report } = input;
  requireField(file, 'the report', report, isObject, 'a JSON object');
  const part = report as Record<string, unknown>;
  const isText = (value: unknown): boolean => typeof value === 'string' && value.trim() !== '';
  requireField(file, 'command', part.command, isText, 'a non-empty string');
  requireField(file, 'title', part.title, isText, 'a non-empty string');
  requireField(file, 'tables', part.tables, Array.isArray, 'an array');
  requireField(file, 'plots', part.plots, Array.isArray, 'an array');
  return part as unknown as ExperimentReport;
}

function totalSeconds(part: { timings?: { totalSeconds?: unknown } }): number | null {
  const seconds = part.timings?.totalSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) ? seconds : null;
}

/**
 * Combines the reports of several recovery commands into one experiment report: a table of
 * the parts with their command lines and wall times, then every part's tables and plots in
 * order. Table captions get the part's title in front. `command` is the merge command line.
 * Throws a RangeError that names the file for a part without command, title, tables or plots.
 */
export function mergeRecoveryReports(inputs: readonly MergeInput[], title: string, command: string): MergedRecoveryReport {
  if (inputs.length === 0) throw new RangeError('invalid reports: expected at least one report, received none');
  const parts = inputs.map(readPart);

  const partTable: ReportTable = {
    caption: 'Parts of this report and the commands that produced them',
    columns: ['part', 'command', 'wall time (s)'],
    rows: parts.map((part) => [part.title, part.command, totalSeconds(part as { timings?: { totalSeconds?: unknown } })]),
  };
  const tables: ReportTable[] = [partTable];
  const plots: ReportPlot[] = [];
  for (const part of parts) {
    for (const table of part.tables) tables.push({ ...table, caption: `${part.title}: ${table.caption}` });
    plots.push(...part.plots);
  }

  const summary =
    `Synthetic recovery experiments, one part per command: ${parts.map((part) => part.title).join('; ')}. ` +
    `Each part's summary follows. ` +
    parts.map((part) => (typeof part.summary === 'string' ? `${part.title}: ${part.summary}` : part.title)).join(' ');
  return { command, title, summary, settings: { parts: parts.length }, tables, plots, parts: inputs.map((input) => input.report) };
}
