// Writes the generated parts of the experiment pages, experiments/generated/*.md and their SVG
// plots, from the JSON files in data/: the output of `nimc movielens --json`, of `pnpm bench`
// (bench/results/report.json), and experiment reports in the format that `validateReport`
// describes. Each page in experiments/ includes its fragment. It also writes
// guide/generated/movielens-ablation.md, the table of `nimc movielens-ablation --json` that
// the MovieLens settings guide includes. For a missing JSON file the fragment states that the
// experiment has not been run. A JSON file in the wrong format stops the script with an error
// that names the file and the field.
//
// Usage: node scripts/generate-experiments.mjs [data folder] [experiments output] [guide output]
//        (defaults: data, experiments/generated, guide/generated)
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isBenchReport, renderBenchReport, validateBenchReport } from './benchmark-report.mjs';
import { codeBlock, escapeMarkdownText, markdownTable } from './markdown.mjs';
import { checkString, fail, isObject, ReportFormatError } from './report-validation.mjs';
import { formatNumber, heatMap, linePlot, seriesColors } from './svg-plot.mjs';

const docsRoot = fileURLToPath(new URL('..', import.meta.url));

/** Test RMSE on new users reported in Table 1 of Zhong, Song, Jain and Dhillon (NeurIPS 2019). */
export const paperMovieLensRmse = {
  'ml-100k': { nimc: 1.034, imc: 1.321 },
  'ml-1m': { nimc: 1.021, imc: 1.32 },
};

export const movieLensDatasets = ['ml-100k', 'ml-1m'];

/**
 * The pages built from an experiment report (the format `validateReport` checks). `missing`
 * is the markdown shown while the report does not exist. An experiment with `parts` is also
 * built from the separate reports `<prefix><name>.json` when `file` does not exist.
 */
export const reportExperiments = [
  {
    id: 'recovery',
    file: 'recovery.json',
    // Each `nimc recovery` command writes one part, and `nimc recovery merge` combines parts
    // into recovery.json.
    parts: { prefix: 'recovery-', order: ['convergence', 'init', 'init-tensor-vs-random', 'grid', 'tensor-error'] },
    missing: [
      'Neither does any `recovery-*.json` report. Each `nimc recovery` command writes one part of the experiment; run them from the repository root:',
      '',
      codeBlock(
        [
          'pnpm nimc recovery convergence --json > apps/docs/data/recovery-convergence.json',
          'pnpm nimc recovery init --json > apps/docs/data/recovery-init.json',
          'pnpm nimc recovery grid --activation sigmoid --json > apps/docs/data/recovery-grid-sigmoid.json',
          'pnpm nimc recovery grid --activation relu --json > apps/docs/data/recovery-grid-relu.json',
          'pnpm nimc recovery tensor-error --json > apps/docs/data/recovery-tensor-error.json',
        ].join('\n'),
      ),
      '',
      '`nimc recovery merge` combines such parts into one `recovery.json`, which the page then shows in their place.',
    ].join('\n'),
  },
  {
    id: 'hessian',
    file: 'hessian.json',
    missing: [
      '`nimc hessian sweep --json` writes this report. Run this from the repository root to produce it:',
      '',
      codeBlock('pnpm nimc hessian sweep --activation sigmoid,tanh,relu,identity --constrained relu --samples 5 --json > apps/docs/data/hessian.json'),
    ].join('\n'),
  },
  {
    id: 'benchmarks',
    file: 'benchmarks.json',
    missing: [
      'Run the benchmarks from the repository root, then copy their JSON report here:',
      '',
      codeBlock('pnpm bench\ncp bench/results/report.json apps/docs/data/benchmarks.json'),
    ].join('\n'),
  },
];

const isNumberOrNull = (value) => value === null || typeof value === 'number';

function checkNumberArray(file, path, value) {
  if (!Array.isArray(value) || !value.every(isNumberOrNull)) fail(file, path, 'an array of numbers (null for a missing value)', value);
}

function checkScale(file, path, value) {
  if (value !== undefined && value !== 'linear' && value !== 'log') fail(file, path, '"linear" or "log"', value);
}

function checkPlot(file, path, plot) {
  if (!isObject(plot)) fail(file, path, 'an object', plot);
  checkString(file, `${path}.title`, plot.title);
  checkString(file, `${path}.xLabel`, plot.xLabel);
  checkString(file, `${path}.yLabel`, plot.yLabel);
  if (plot.kind === 'line') {
    checkScale(file, `${path}.xScale`, plot.xScale);
    checkScale(file, `${path}.yScale`, plot.yScale);
    if (!Array.isArray(plot.series) || plot.series.length === 0) fail(file, `${path}.series`, 'a non-empty array', plot.series);
    plot.series.forEach((line, s) => {
      const at = `${path}.series[${s}]`;
      if (!isObject(line)) fail(file, at, 'an object with label, x and y', line);
      checkString(file, `${at}.label`, line.label);
      checkNumberArray(file, `${at}.x`, line.x);
      checkNumberArray(file, `${at}.y`, line.y);
      if (line.x.length !== line.y.length) fail(file, `${at}.y`, `as long as ${at}.x (${line.x.length} values)`, line.y.length);
    });
    return;
  }
  if (plot.kind === 'heatmap') {
    if (!Array.isArray(plot.x) || plot.x.length === 0) fail(file, `${path}.x`, 'a non-empty array of column labels', plot.x);
    if (!Array.isArray(plot.y) || plot.y.length === 0) fail(file, `${path}.y`, 'a non-empty array of row labels', plot.y);
    if (!Array.isArray(plot.values) || plot.values.length !== plot.y.length) {
      fail(file, `${path}.values`, `an array of ${plot.y.length} rows, one per entry of y`, plot.values);
    }
    plot.values.forEach((row, i) => {
      checkNumberArray(file, `${path}.values[${i}]`, row);
      if (row.length !== plot.x.length) fail(file, `${path}.values[${i}]`, `a row of ${plot.x.length} values, one per entry of x`, row.length);
    });
    for (const key of ['min', 'max']) {
      if (plot[key] !== undefined && typeof plot[key] !== 'number') fail(file, `${path}.${key}`, 'a number', plot[key]);
    }
    checkString(file, `${path}.colorLabel`, plot.colorLabel, true);
    return;
  }
  fail(file, `${path}.kind`, '"line" or "heatmap"', plot.kind);
}

/**
 * Checks an experiment report and throws a ReportFormatError that names the first field
 * that does not match. The format:
 *
 *     { "command": string,                      the exact command line that wrote the file
 *       "title"?, "summary"?, "date"?, "machine"?: string,
 *       "settings"?: { name: string | number | boolean },
 *       "tables"?: [{ "caption": string, "columns": string[], "rows": (string | number | null)[][] }],
 *       "plots"?: [{ "kind": "line", "title", "xLabel", "yLabel": string,
 *                    "xScale"?, "yScale"?: "linear" | "log",
 *                    "series": [{ "label": string, "x": number[], "y": number[] }] }
 *                | { "kind": "heatmap", "title", "xLabel", "yLabel": string,
 *                    "x": labels, "y": labels, "values": number[][] (row i belongs to y[i]),
 *                    "min"?, "max"?: number, "colorLabel"?: string }] }
 */
export function validateReport(file, report) {
  if (!isObject(report)) fail(file, 'the file', 'a JSON object', report);
  checkString(file, 'command', report.command);
  for (const key of ['title', 'summary', 'date', 'machine']) checkString(file, key, report[key], true);
  if (report.settings !== undefined) {
    if (!isObject(report.settings)) fail(file, 'settings', 'an object', report.settings);
    for (const [key, value] of Object.entries(report.settings)) {
      if (!['string', 'number', 'boolean'].includes(typeof value)) fail(file, `settings.${key}`, 'a string, number or boolean', value);
    }
  }
  if (report.tables !== undefined) {
    if (!Array.isArray(report.tables)) fail(file, 'tables', 'an array', report.tables);
    report.tables.forEach((table, t) => {
      const at = `tables[${t}]`;
      if (!isObject(table)) fail(file, at, 'an object with caption, columns and rows', table);
      checkString(file, `${at}.caption`, table.caption);
      if (!Array.isArray(table.columns) || !table.columns.every((c) => typeof c === 'string')) {
        fail(file, `${at}.columns`, 'an array of strings', table.columns);
      }
      if (!Array.isArray(table.rows)) fail(file, `${at}.rows`, 'an array of rows', table.rows);
      table.rows.forEach((row, r) => {
        if (!Array.isArray(row) || row.length !== table.columns.length) {
          fail(file, `${at}.rows[${r}]`, `an array of ${table.columns.length} cells`, row);
        }
        row.forEach((cell, c) => {
          if (cell !== null && !['string', 'number'].includes(typeof cell)) fail(file, `${at}.rows[${r}][${c}]`, 'a string, number or null', cell);
        });
      });
    });
  }
  if (report.plots !== undefined) {
    if (!Array.isArray(report.plots)) fail(file, 'plots', 'an array', report.plots);
    report.plots.forEach((plot, p) => checkPlot(file, `plots[${p}]`, plot));
  }
  return report;
}

/** Checks the output of `nimc movielens --json` and throws a ReportFormatError on a mismatch. */
export function validateMovieLensReport(file, report) {
  if (!isObject(report)) fail(file, 'the file', 'a JSON object', report);
  checkString(file, 'dataset', report.dataset);
  if (typeof report.seed !== 'number') fail(file, 'seed', 'a number', report.seed);
  if (!isObject(report.settings)) fail(file, 'settings', 'an object', report.settings);
  if (!Array.isArray(report.splits) || report.splits.length === 0) fail(file, 'splits', 'a non-empty array', report.splits);
  report.splits.forEach((split, s) => {
    for (const key of ['seed', 'trainUsers', 'testUsers', 'testRatings']) {
      if (typeof split?.[key] !== 'number') fail(file, `splits[${s}].${key}`, 'a number', split?.[key]);
    }
  });
  if (!isObject(report.methods) || Object.keys(report.methods).length === 0) fail(file, 'methods', 'a non-empty object', report.methods);
  for (const [method, result] of Object.entries(report.methods)) {
    checkNumberArray(file, `methods.${method}.rmse`, result?.rmse);
    if (result.rmse.length !== report.splits.length) {
      fail(file, `methods.${method}.rmse`, `one value per split (${report.splits.length})`, result.rmse.length);
    }
    for (const key of ['mean', 'sd']) {
      if (typeof result[key] !== 'number') fail(file, `methods.${method}.${key}`, 'a number', result[key]);
    }
  }
  if (!isObject(report.pairedDifference)) fail(file, 'pairedDifference', 'an object', report.pairedDifference);
  if (report.ablation !== undefined) {
    if (!Array.isArray(report.ablation)) fail(file, 'ablation', 'an array', report.ablation);
    report.ablation.forEach((row, r) => {
      checkString(file, `ablation[${r}].name`, row?.name);
      checkNumberArray(file, `ablation[${r}].perSplit`, row.perSplit);
      if (row.perSplit.length !== report.splits.length) fail(file, `ablation[${r}].perSplit`, `one value per split (${report.splits.length})`, row.perSplit.length);
      for (const key of ['mean', 'standardError']) {
        if (typeof row[key] !== 'number') fail(file, `ablation[${r}].${key}`, 'a number', row[key]);
      }
    });
  }
  report.splits.forEach((split, s) => {
    if (split.best === undefined) return;
    const weights = split.best?.weights;
    const values = [weights?.intercept, weights?.shrunkMean, weights?.offsets?.occupation, weights?.offsets?.age, weights?.offsets?.gender];
    if (!values.every((value) => typeof value === 'number')) fail(file, `splits[${s}].best.weights`, 'the five weights as numbers', weights);
    for (const key of ['movie', 'group']) {
      if (typeof split.best.shrinkage?.[key] !== 'number') fail(file, `splits[${s}].best.shrinkage.${key}`, 'a number', split.best.shrinkage?.[key]);
    }
  });
  return report;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ReportFormatError(`invalid ${path}: not valid JSON (${error.message})`);
  }
}

/** Formats a table cell: integers as they are, other numbers with 4 significant digits. */
export function formatCell(value) {
  if (value === null || value === undefined) return '–';
  if (typeof value !== 'number') return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e9) return String(value);
  return formatNumber(value, 4);
}

function notRunYet(file, explanation) {
  return [
    '::: warning Not run yet',
    `This experiment has not been run yet, so \`apps/docs/data/${file}\` does not exist.`,
    explanation,
    ':::',
    '',
  ].join('\n');
}

const methodLabels = {
  nimc: 'NIMC',
  imc: 'IMC (linear)',
  'nimc-best': 'nimc-best',
  'item-mean': 'item mean',
  'global-mean': 'global mean',
};

const fixed = (value, digits = 4) => (typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '–');

/** Returns the command line that reproduces a `nimc movielens --json` report. */
export function movieLensCommand(report, file) {
  const s = report.settings;
  const options = [`--dataset ${report.dataset}`, '--data-dir path/to/movielens', `--splits ${report.splits.length}`, `--seed ${report.seed}`];
  if (s.rank !== undefined) options.push(`--rank ${s.rank}`);
  if (s.activation !== undefined) options.push(`--activation ${s.activation}`);
  if (s.config !== undefined) options.push(`--config ${s.config}`);
  return `pnpm nimc movielens ${options.join(' ')} --json > apps/docs/data/${file}`;
}

function renderMovieLensDataset(report, file, plotName) {
  const paper = paperMovieLensRmse[report.dataset] ?? {};
  const count = report.splits.length;
  const methods = Object.keys(report.methods);
  const label = (method) => (method === 'nimc' && report.settings.activation ? `NIMC (${report.settings.activation})` : (methodLabels[method] ?? method));
  const out = [`## ${report.dataset}`, '', 'Produced by the command below, where `path/to/movielens` is the folder that contains the `ml-100k` and `ml-1m` folders of the GroupLens download:', '', codeBlock(movieLensCommand(report, file)), ''];

  const spread = (value) => (count < 2 ? 'n/a' : fixed(value));
  const summaryRows = methods.map((method) => {
    const result = report.methods[method];
    const difference = report.pairedDifference[method];
    const differenceText =
      method === 'item-mean' || difference === undefined ? '–' : `${difference.mean >= 0 ? '+' : ''}${fixed(difference.mean)} ± ${spread(difference.standardError)}`;
    return [label(method), paper[method] === undefined ? 'not reported' : fixed(paper[method], 3), `${fixed(result.mean)} ± ${spread(result.sd)}`, differenceText];
  });
  out.push(
    markdownTable(['method', 'paper (Table 1)', `nimc: mean ± sd over ${count} split${count === 1 ? '' : 's'}`, 'nimc: difference from item mean (mean ± standard error)'], summaryRows, {
      align: ['left', 'right', 'right', 'right'],
    }),
    '',
    'Test RMSE on the ratings of the new users. Lower is better. A negative difference means the method beats the item-mean baseline on the same splits.',
    '',
    '### Split by split',
    '',
  );
  const splitRows = report.splits.map((split, s) => [
    String(s + 1),
    String(split.seed),
    String(split.trainUsers),
    String(split.testUsers),
    String(split.testRatings),
    ...methods.map((method) => fixed(report.methods[method].rmse[s])),
  ]);
  out.push(
    markdownTable(['split', 'seed', 'training users', 'new users', 'test ratings', ...methods.map(label)], splitRows, {
      align: ['left', ...new Array(4 + methods.length).fill('right')],
    }),
    '',
  );

  const seeds = report.splits.map((split) => split.seed);
  const series = methods.map((method) => ({ label: label(method), x: seeds, y: report.methods[method].rmse }));
  // A paper value is a dashed line in the colour of its method.
  for (const [method, value] of Object.entries(paper)) {
    const index = methods.indexOf(method);
    const color = index === -1 ? undefined : seriesColors[index % seriesColors.length];
    series.push({ label: `paper ${label(method)}`, x: [Math.min(...seeds), Math.max(...seeds)], y: [value, value], dashed: true, color });
  }
  const svg = linePlot({ title: `MovieLens ${report.dataset}: test RMSE on new users`, xLabel: 'split seed', yLabel: 'test RMSE', series });
  out.push(`![Test RMSE of each method on each split of ${report.dataset}, with the paper's values as dashed lines](./generated/${plotName})`, '');

  if (Array.isArray(report.ablation) && report.ablation.length > 0) {
    const signed = (value) => `${value >= 0 ? '+' : ''}${fixed(value)}`;
    out.push(
      '### What nimc-best gains from each movie feature',
      '',
      'Test RMSE minus item-mean RMSE on the same splits. Each row refits the weights and chooses the shrinkage on the training users, the same way as nimc-best (the last row).',
      '',
      markdownTable(
        ['movie features', 'mean ± standard error', 'per split'],
        report.ablation.map((row) => [row.name, `${signed(row.mean)} ± ${spread(row.standardError)}`, row.perSplit.map(signed).join(' ')]),
        { align: ['left', 'right', 'right'] },
      ),
      '',
    );
  }
  if (report.splits.every((split) => isObject(split.best))) {
    const weight = (value) => fixed(value, 3);
    out.push(
      '### What nimc-best chose on the training users',
      '',
      'The prior of the movie mean, the shrinkage β₀ of the movie mean and β of the group means, chosen by out-of-fold RMSE on the training users, and the fitted weights of the prediction w₀ + w₁·m + w_occupation·o_occupation + w_age·o_age + w_gender·o_gender.',
      '',
      markdownTable(
        ['split seed', 'prior', 'β₀', 'β', 'w₀', 'w₁', 'w_occupation', 'w_age', 'w_gender'],
        report.splits.map((split) => {
          const { shrinkage, weights } = split.best;
          return [String(split.seed), shrinkage.prior ?? '–', String(shrinkage.movie), String(shrinkage.group), weight(weights.intercept), weight(weights.shrunkMean), weight(weights.offsets.occupation), weight(weights.offsets.age), weight(weights.offsets.gender)];
        }),
        { align: ['right', 'left', ...new Array(7).fill('right')] },
      ),
      '',
    );
  }

  out.push('### Settings', '', markdownTable(['setting', 'value'], Object.entries(report.settings).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)])), '');
  return { markdown: out.join('\n'), svg };
}

/** Renders the MovieLens fragment and its plots from the reports that exist in `dataFolder`. */
export function renderMovieLens(dataFolder) {
  const parts = [];
  const files = {};
  for (const dataset of movieLensDatasets) {
    const file = `movielens-${dataset}.json`;
    const path = join(dataFolder, file);
    if (!existsSync(path)) {
      parts.push(
        `## ${dataset}`,
        '',
        notRunYet(
          file,
          `Run this from the repository root, with \`path/to/movielens\` the folder that contains the \`${dataset}\` folder of the GroupLens download:\n\n${codeBlock(`pnpm nimc movielens --dataset ${dataset} --data-dir path/to/movielens --json > apps/docs/data/${file}`)}`,
        ),
      );
      continue;
    }
    const report = validateMovieLensReport(file, readJson(path));
    if (report.dataset !== dataset) fail(file, 'dataset', `"${dataset}" (the file name says so)`, report.dataset);
    const plotName = `movielens-${dataset}.svg`;
    const rendered = renderMovieLensDataset(report, file, plotName);
    parts.push(rendered.markdown);
    files[plotName] = rendered.svg;
  }
  return { markdown: `${parts.join('\n')}\n`, files };
}

/** Checks the output of `nimc movielens-ablation --json` and throws a ReportFormatError on a mismatch. */
export function validateAblationReport(file, report) {
  if (!isObject(report)) fail(file, 'the file', 'a JSON object', report);
  checkString(file, 'dataset', report.dataset);
  for (const key of ['seed', 'rank']) {
    if (typeof report[key] !== 'number') fail(file, key, 'a number', report[key]);
  }
  if (!Number.isInteger(report.splits) || report.splits < 1) fail(file, 'splits', 'a positive integer', report.splits);
  if (report.match !== undefined) checkString(file, 'match', report.match);
  if (!Array.isArray(report.results) || report.results.length === 0) fail(file, 'results', 'a non-empty array', report.results);
  report.results.forEach((result, r) => {
    const at = `results[${r}]`;
    if (!isObject(result)) fail(file, at, 'an object with name, differences, mean and standardError', result);
    checkString(file, `${at}.name`, result.name);
    if (!Array.isArray(result.differences) || !result.differences.every((value) => typeof value === 'number')) {
      fail(file, `${at}.differences`, 'an array of numbers', result.differences);
    }
    if (result.differences.length !== report.splits) {
      fail(file, `${at}.differences`, `one value per split (${report.splits})`, result.differences.length);
    }
    for (const key of ['mean', 'standardError']) {
      if (typeof result[key] !== 'number') fail(file, `${at}.${key}`, 'a number', result[key]);
    }
  });
  return report;
}

/** Returns the command line that reproduces a `nimc movielens-ablation --json` report. */
export function movieLensAblationCommand(report, file) {
  // NOTE: the report does not record --activation, so the command leaves it at its default, relu.
  const options = [`--dataset ${report.dataset}`, '--data-dir path/to/movielens', `--splits ${report.splits}`, `--seed ${report.seed}`, `--rank ${report.rank}`];
  if (report.match !== undefined) options.push(`--match ${shellQuote(report.match)}`);
  return `pnpm nimc movielens-ablation ${options.join(' ')} --json > apps/docs/data/${file}`;
}

// Quotes a command-line argument for a POSIX shell.
const shellQuote = (text) => (/^[\w./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`);

const signedFixed = (value) => `${value >= 0 ? '+' : ''}${fixed(value)}`;

function renderAblationDataset(report, file) {
  const count = report.splits;
  const lowest = report.results.reduce((best, result) => (result.mean < best.mean ? result : best));
  const seeds = count === 1 ? `seed ${report.seed}` : `seeds ${report.seed} to ${report.seed + count - 1}`;
  const rows = report.results.map((result) => [
    result.name,
    signedFixed(result.mean),
    count < 2 ? 'n/a' : fixed(result.standardError),
    result.differences.map(signedFixed).join(' '),
  ]);
  return [
    `### ${report.dataset}`,
    '',
    'Produced by the command below, where `path/to/movielens` is the folder that contains the `ml-100k` and `ml-1m` folders of the GroupLens download:',
    '',
    codeBlock(movieLensAblationCommand(report, file)),
    '',
    markdownTable(['variant', 'mean validation RMSE − item-mean', 'standard error', `per split (${seeds})`], rows, { align: ['left', 'right', 'right', 'left'] }),
    '',
    `Each number is the validation RMSE of the variant minus the RMSE of the item mean on the same held-out training users, with rank ${report.rank}. ` +
      `Lower is better, and a negative number means the variant beats the item mean. The lowest mean over the ${count} split${count === 1 ? '' : 's'} is that of “${escapeMarkdownText(lowest.name)}”.`,
    '',
  ].join('\n');
}

/**
 * Renders the ablation table of the MovieLens settings guide from
 * `movielens-ablation-<dataset>.json` in `dataFolder`. The guide runs the ablation on ml-100k,
 * so a missing ml-100k file gets a note with the command, and an ml-1m table appears only when
 * its file exists.
 */
export function renderMovieLensAblation(dataFolder) {
  const parts = [];
  for (const dataset of movieLensDatasets) {
    const file = `movielens-ablation-${dataset}.json`;
    const path = join(dataFolder, file);
    if (!existsSync(path)) {
      if (dataset !== 'ml-100k') continue;
      const command = `pnpm nimc movielens-ablation --dataset ${dataset} --data-dir path/to/movielens --splits 5 --json > apps/docs/data/${file}`;
      parts.push(
        notRunYet(
          file,
          `Run this from the repository root, with \`path/to/movielens\` the folder that contains the \`${dataset}\` folder of the GroupLens download:\n\n${codeBlock(command)}`,
        ),
      );
      continue;
    }
    const report = validateAblationReport(file, readJson(path));
    if (report.dataset !== dataset) fail(file, 'dataset', `"${dataset}" (the file name says so)`, report.dataset);
    parts.push(renderAblationDataset(report, file));
  }
  return { markdown: `${parts.join('\n')}\n` };
}

/**
 * Renders an experiment report's fragment and plots, named `<experiment.id>-<n>.svg`.
 * `fallbackTitle` is the heading of a report without a title.
 */
export function renderReport(experiment, report, fallbackTitle = undefined) {
  const out = [];
  const title = report.title ?? fallbackTitle;
  if (title) out.push(`## ${escapeMarkdownText(title)}`, '');
  if (report.summary) out.push(escapeMarkdownText(report.summary), '');
  out.push('Produced by:', '', codeBlock(report.command), '');
  const facts = [];
  if (report.date) facts.push(['date', report.date]);
  if (report.machine) facts.push(['machine', report.machine]);
  const settings = Object.entries(report.settings ?? {}).map(([key, value]) => [key, formatCell(value)]);
  if (facts.length > 0 || settings.length > 0) out.push('### Settings', '', markdownTable(['setting', 'value'], [...facts, ...settings]), '');

  for (const table of report.tables ?? []) {
    out.push(`### ${escapeMarkdownText(table.caption)}`, '', markdownTable(table.columns, table.rows.map((row) => row.map(formatCell))), '');
  }
  const files = {};
  (report.plots ?? []).forEach((plot, p) => {
    const name = `${experiment.id}-${p + 1}.svg`;
    const finite = (values) => values.map((v) => (v === null ? Number.NaN : v));
    files[name] =
      plot.kind === 'line'
        ? linePlot({ ...plot, series: plot.series.map((line) => ({ ...line, x: finite(line.x), y: finite(line.y) })) })
        : heatMap({ ...plot, values: plot.values.map(finite) });
    out.push(`### ${escapeMarkdownText(plot.title)}`, '', `![${escapeMarkdownText(plot.title)}](./generated/${name})`, '');
  });
  return { markdown: `${out.join('\n')}\n`, files };
}

/**
 * Returns the data files of an experiment in the order they are rendered: its `file` when that
 * exists, and otherwise its part files, ordered by `parts.order` and then by name. A file
 * belongs to the longest part whose name it starts with, so
 * `recovery-init-tensor-vs-random-relu.json` belongs to `init-tensor-vs-random` and not to
 * `init`. Among the files of one part, `<prefix><part>.json` comes before
 * `<prefix><part>-<suffix>.json`. `skipped` lists the part files that are not rendered
 * because `file` exists.
 */
export function experimentFiles(dataFolder, experiment) {
  const whole = existsSync(join(dataFolder, experiment.file)) ? [experiment.file] : [];
  if (experiment.parts === undefined || !existsSync(dataFolder)) return { files: whole, skipped: [] };
  const { prefix, order } = experiment.parts;
  const rank = (name) => {
    let index = order.length;
    for (const [i, part] of order.entries()) {
      const matches = name === `${prefix}${part}.json` || name.startsWith(`${prefix}${part}-`);
      if (matches && (index === order.length || part.length > order[index].length)) index = i;
    }
    return index;
  };
  const base = (name) => name.replace(/\.json$/, '');
  const byName = (a, b) => (base(a) < base(b) ? -1 : base(a) > base(b) ? 1 : 0);
  const parts = readdirSync(dataFolder)
    .filter((name) => name.startsWith(prefix) && name.endsWith('.json'))
    .sort((a, b) => rank(a) - rank(b) || byName(a, b));
  return whole.length > 0 ? { files: whole, skipped: parts } : { files: parts, skipped: [] };
}

/**
 * Returns the heading of each report of one page, in the order of `reports` (pairs of file
 * name and report). A report without a title gets its file name when the page shows more than
 * one report. Reports that share a title get the numeric settings that tell them apart, such
 * as "(n = 500, m = 20000)", or their file name when no numeric setting differs.
 */
export function reportHeadings(reports) {
  const titles = reports.map(([file, report]) => report.title ?? (reports.length > 1 ? file : undefined));
  return titles.map((title, r) => {
    if (title === undefined) return undefined;
    const twins = reports.filter((_, other) => titles[other] === title).map(([, report]) => report);
    if (twins.length === 1) return title;
    const settings = reports[r][1].settings ?? {};
    const differing = Object.entries(settings).filter(
      ([key, value]) => typeof value === 'number' && twins.some((twin) => twin.settings?.[key] !== value),
    );
    if (differing.length === 0) return `${title} (${reports[r][0]})`;
    return `${title} (${differing.map(([key, value]) => `${key} = ${formatCell(value)}`).join(', ')})`;
  });
}

/**
 * Writes every fragment and plot into `outFolder`, replacing what was there. `onWarning`
 * receives a message for each data file that is left out.
 *
 * @param {string} dataFolder
 * @param {string} outFolder
 * @param {{ onWarning?: (message: string) => void }} [options]
 */
export function generateExperiments(dataFolder, outFolder, { onWarning = () => {} } = {}) {
  rmSync(outFolder, { recursive: true, force: true });
  mkdirSync(outFolder, { recursive: true });
  const written = [];
  const write = (name, text) => {
    writeFileSync(join(outFolder, name), text);
    written.push(name);
  };

  const movieLens = renderMovieLens(dataFolder);
  write('movielens.md', movieLens.markdown);
  for (const [name, svg] of Object.entries(movieLens.files)) write(name, svg);

  for (const experiment of reportExperiments) {
    const { files, skipped } = experimentFiles(dataFolder, experiment);
    if (skipped.length > 0) onWarning(`${experiment.file} is shown, so ${skipped.join(', ')} ${skipped.length === 1 ? 'is' : 'are'} left out of the ${experiment.id} page`);
    if (files.length === 0) {
      write(`${experiment.id}.md`, notRunYet(experiment.file, experiment.missing));
      continue;
    }
    const fragments = [];
    const reports = files.map((file) => [file, readJson(join(dataFolder, file))]);
    const benchmarks = reports.map(([, report]) => experiment.id === 'benchmarks' && isBenchReport(report));
    reports.forEach(([file, report], r) => {
      if (!benchmarks[r]) validateReport(file, report);
    });
    const headings = reportHeadings(reports.filter((_, r) => !benchmarks[r]));
    let next = 0;
    reports.forEach(([file, report], r) => {
      const rendered = benchmarks[r]
        ? renderBenchReport(validateBenchReport(file, report))
        : renderReport({ id: file.replace(/\.json$/, '') }, { ...report, title: headings[next++] });
      fragments.push(rendered.markdown);
      for (const [name, svg] of Object.entries(rendered.files)) write(name, svg);
    });
    write(`${experiment.id}.md`, fragments.join('\n'));
  }
  return written;
}

/** Writes the fragments that guide pages include into `outFolder`, replacing what was there. */
export function generateGuideFragments(dataFolder, outFolder) {
  rmSync(outFolder, { recursive: true, force: true });
  mkdirSync(outFolder, { recursive: true });
  writeFileSync(join(outFolder, 'movielens-ablation.md'), renderMovieLensAblation(dataFolder).markdown);
  return ['movielens-ablation.md'];
}

function main() {
  const dataFolder = resolve(docsRoot, process.argv[2] ?? 'data');
  const outFolder = resolve(docsRoot, process.argv[3] ?? 'experiments/generated');
  const guideFolder = resolve(docsRoot, process.argv[4] ?? 'guide/generated');
  try {
    const written = generateExperiments(dataFolder, outFolder, { onWarning: (message) => console.warn(`generate-experiments: ${message}`) });
    console.log(`wrote ${written.length} files to ${outFolder}`);
    const guideWritten = generateGuideFragments(dataFolder, guideFolder);
    console.log(`wrote ${guideWritten.length} files to ${guideFolder}`);
  } catch (error) {
    if (!(error instanceof ReportFormatError)) throw error;
    console.error(`generate-experiments: ${error.message}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
