// The generated part of the Benchmarks page: checks the report that `pnpm bench` writes
// (bench/results/report.json, copied to data/benchmarks.json) and renders its tables and
// bar charts.
import { codeBlock, escapeMarkdownText, markdownTable } from './markdown.mjs';
import { checkString, fail, isObject } from './report-validation.mjs';
import { barChart, formatNumber } from './svg-plot.mjs';

/** The plots of the Benchmarks page, written next to the generated fragment. */
export const benchmarkPlotFiles = {
  evaluationTime: 'benchmarks-evaluation-time.svg',
  threadSpeedup: 'benchmarks-thread-speedup.svg',
  bundleSize: 'benchmarks-bundle-size.svg',
};

/** Returns true when `report` has the shape that `pnpm bench` writes to bench/results/report.json. */
export function isBenchReport(report) {
  return isObject(report) && Array.isArray(report.results) && isObject(report.machine);
}

function checkNumber(file, path, value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(file, path, 'a finite number', value);
}

function checkBundle(file, at, entry, sizeKeys) {
  if (!isObject(entry)) fail(file, at, 'an object', entry);
  for (const key of sizeKeys) checkNumber(file, `${at}.${key}`, entry[key]);
  if (typeof entry.includesMlMatrix !== 'boolean') fail(file, `${at}.includesMlMatrix`, 'true or false', entry.includesMlMatrix);
  if (!Array.isArray(entry.mlMatrixImporters) || !entry.mlMatrixImporters.every((path) => typeof path === 'string')) {
    fail(file, `${at}.mlMatrixImporters`, 'an array of file paths', entry.mlMatrixImporters);
  }
}

function validateBundleSizes(file, bundleSizes) {
  if (!isObject(bundleSizes)) fail(file, 'bundleSizes', 'an object', bundleSizes);
  for (const key of ['date', 'command', 'tool']) checkString(file, `bundleSizes.${key}`, bundleSizes[key]);
  if (!Array.isArray(bundleSizes.packages) || bundleSizes.packages.length === 0) {
    fail(file, 'bundleSizes.packages', 'a non-empty array', bundleSizes.packages);
  }
  const packageSizes = ['minifiedBytes', 'gzipBytes', 'ownMinifiedBytes', 'ownGzipBytes', 'mlMatrixMinifiedBytes'];
  bundleSizes.packages.forEach((entry, p) => {
    checkBundle(file, `bundleSizes.packages[${p}]`, entry, packageSizes);
    checkString(file, `bundleSizes.packages[${p}].entryPoint`, entry.entryPoint);
  });
  if (!Array.isArray(bundleSizes.importSets)) fail(file, 'bundleSizes.importSets', 'an array', bundleSizes.importSets);
  bundleSizes.importSets.forEach((set, s) => {
    checkBundle(file, `bundleSizes.importSets[${s}]`, set, ['minifiedBytes', 'gzipBytes', 'mlMatrixMinifiedBytes']);
    for (const key of ['name', 'description']) checkString(file, `bundleSizes.importSets[${s}].${key}`, set[key]);
  });
}

function checkSolverRun(file, at, run) {
  if (!isObject(run)) fail(file, at, 'an object', run);
  for (const key of ['iterations', 'evaluations', 'products', 'cost', 'medianSeconds', 'minSeconds', 'maxSeconds']) {
    checkNumber(file, `${at}.${key}`, run[key]);
  }
}

// The per-seed numbers of bench/tasks/synthetic-solvers.mjs (see solverRaceSummary in bench/cases.mjs).
function validateSolverRace(file, at, details) {
  for (const key of ['mode']) checkString(file, `${at}.${key}`, details[key]);
  for (const key of ['repeats', 'warmups', 'target']) checkNumber(file, `${at}.${key}`, details[key]);
  if (!Array.isArray(details.seeds) || details.seeds.length === 0) fail(file, `${at}.seeds`, 'a non-empty array', details.seeds);
  details.seeds.forEach((entry, e) => {
    if (!isObject(entry)) fail(file, `${at}.seeds[${e}]`, 'an object', entry);
    checkNumber(file, `${at}.seeds[${e}].seed`, entry.seed);
    checkSolverRun(file, `${at}.seeds[${e}].gradientDescent`, entry.gradientDescent);
    checkSolverRun(file, `${at}.seeds[${e}].gaussNewton`, entry.gaussNewton);
  });
}

// The provenance that `pnpm bench --merge-into` adds to each result it merges.
function validateRun(file, at, run) {
  if (!isObject(run)) fail(file, at, 'an object', run);
  for (const key of ['date', 'command']) checkString(file, `${at}.${key}`, run[key]);
  if (!isObject(run.machine)) fail(file, `${at}.machine`, 'an object', run.machine);
  for (const key of ['cpu', 'node', 'platform']) checkString(file, `${at}.machine.${key}`, run.machine[key]);
  checkNumber(file, `${at}.machine.cores`, run.machine.cores);
  if (run.loadAverages !== undefined) {
    const valid = Array.isArray(run.loadAverages) && run.loadAverages.every((loads) => Array.isArray(loads) && loads.length > 0 && loads.every(Number.isFinite));
    if (!valid) fail(file, `${at}.loadAverages`, 'an array of load-average triples', run.loadAverages);
  }
}

/** Checks a report of `pnpm bench` and throws a ReportFormatError on a mismatch. */
export function validateBenchReport(file, report) {
  for (const key of ['date', 'command']) checkString(file, key, report[key]);
  for (const key of ['cpu', 'node', 'platform']) checkString(file, `machine.${key}`, report.machine[key]);
  for (const key of ['cores', 'memoryGiB']) {
    if (typeof report.machine[key] !== 'number') fail(file, `machine.${key}`, 'a number', report.machine[key]);
  }
  report.results.forEach((result, r) => {
    const at = `results[${r}]`;
    if (!isObject(result)) fail(file, at, 'an object', result);
    for (const key of ['name', 'command']) checkString(file, `${at}.${key}`, result[key]);
    checkString(file, `${at}.description`, result.description, true);
    checkString(file, `${at}.output`, result.output, true);
    for (const key of ['repeats', 'medianSeconds', 'minSeconds', 'maxSeconds', 'peakRssMiB']) {
      if (typeof result[key] !== 'number') fail(file, `${at}.${key}`, 'a number', result[key]);
    }
    if (result.ratioToReference !== undefined) checkNumber(file, `${at}.ratioToReference`, result.ratioToReference);
    if (result.details !== undefined) {
      if (!isObject(result.details)) fail(file, `${at}.details`, 'an object', result.details);
      if (result.details.kind === 'solver-race') validateSolverRace(file, `${at}.details`, result.details);
    }
    if (result.run !== undefined) validateRun(file, `${at}.run`, result.run);
  });
  if (report.bundleSizes !== undefined) validateBundleSizes(file, report.bundleSizes);
  return report;
}

/**
 * Groups the results of evaluation cases by case. bench/lib/report.mjs names each of them
 * `<case> / <implementation>`, and no other result name contains " / ".
 */
export function evaluationGroups(results) {
  const groups = new Map();
  for (const result of results) {
    const separator = result.name.indexOf(' / ');
    if (separator === -1) continue;
    const name = result.name.slice(0, separator);
    if (!groups.has(name)) groups.set(name, []);
    groups.get(name).push({ implementation: result.name.slice(separator + 3), result });
  }
  return [...groups].map(([name, entries]) => ({ name, entries }));
}

// The nimc variants that differ only in their thread count, as the benchmark cases label them.
const threadVariant = /^nimc, (\d+) threads?$/;

/**
 * Returns, for each evaluation case and each thread count above 1, the median wall time of
 * `nimc, 1 thread` divided by that of `nimc, N threads` on the same problem.
 */
export function threadSpeedups(groups) {
  const speedups = [];
  for (const group of groups) {
    const variants = group.entries.flatMap(({ implementation, result }) => {
      const match = threadVariant.exec(implementation);
      return match === null ? [] : [{ threads: Number(match[1]), seconds: result.medianSeconds }];
    });
    const single = variants.find((variant) => variant.threads === 1);
    if (single === undefined) continue;
    for (const variant of variants.filter((other) => other.threads > 1)) {
      speedups.push({ name: group.name, threads: variant.threads, speedup: single.seconds / variant.seconds });
    }
  }
  return speedups;
}

const threeDigits = (value) => formatNumber(value, 3);
const kibibytes = (bytes) => (bytes / 1024).toFixed(1);

function evaluationTimePlot(groups) {
  const implementations = [...new Set(groups.flatMap((group) => group.entries.map((entry) => entry.implementation)))];
  return barChart({
    title: 'One loss-and-gradient evaluation: nimc and the NumPy/SciPy reference',
    valueLabel: 'median wall time per evaluation (s, log scale)',
    categoryLabel: 'evaluation case',
    categories: groups.map((group) => group.name),
    series: implementations.map((implementation) => ({
      label: implementation,
      values: groups.map((group) => group.entries.find((entry) => entry.implementation === implementation)?.result.medianSeconds ?? null),
    })),
    valueScale: 'log',
  });
}

function threadSpeedupPlot(speedups) {
  const names = [...new Set(speedups.map((entry) => entry.name))];
  const threadCounts = [...new Set(speedups.map((entry) => entry.threads))].sort((a, b) => a - b);
  return barChart({
    title: 'Speed-up of nimc with more threads (wall time, 1 thread / N threads)',
    valueLabel: 'speed-up over 1 thread (×)',
    categoryLabel: 'evaluation case',
    categories: names,
    series: threadCounts.map((threads) => ({
      label: `${threads} threads`,
      values: names.map((name) => speedups.find((entry) => entry.name === name && entry.threads === threads)?.speedup ?? null),
    })),
    guides: threadCounts.map((threads) => ({ label: `ideal for ${threads} threads: ${threads}×`, value: threads })),
    valueSuffix: '×',
  });
}

function bundleSizePlot(bundleSizes) {
  const kib = (bytes) => bytes / 1024;
  return barChart({
    title: 'Browser bundle of each entry point, with its dependencies',
    valueLabel: 'size (KiB, 1 KiB = 1024 bytes)',
    categoryLabel: 'entry point',
    categories: bundleSizes.packages.map((entry) => entry.entryPoint),
    series: [
      { label: 'minified', values: bundleSizes.packages.map((entry) => kib(entry.minifiedBytes)) },
      { label: 'minified and gzipped', values: bundleSizes.packages.map((entry) => kib(entry.gzipBytes)) },
      { label: 'ml-matrix inside (minified)', values: bundleSizes.packages.map((entry) => (entry.includesMlMatrix ? kib(entry.mlMatrixMinifiedBytes) : null)) },
    ],
  });
}

const describeMachine = (m) => `${escapeMarkdownText(m.cpu)} (${m.cores} cores${m.memoryGiB === undefined ? '' : `, ${m.memoryGiB} GiB`}), Node ${escapeMarkdownText(m.node)}, ${escapeMarkdownText(m.platform)}`;

/**
 * Groups the results that `pnpm bench --merge-into` added to the report by the run that
 * measured them (its date and command), in order of first appearance.
 */
export function mergedRuns(results) {
  const runs = new Map();
  for (const result of results) {
    if (result.run === undefined) continue;
    const key = `${result.run.date}\n${result.run.command}`;
    if (!runs.has(key)) runs.set(key, { run: result.run, names: [], loadAverages: [] });
    const entry = runs.get(key);
    entry.names.push(result.name);
    entry.loadAverages.push(...(result.run.loadAverages ?? []));
  }
  return [...runs.values()];
}

function renderMergedRuns(results) {
  const out = [];
  for (const { run, names, loadAverages } of mergedRuns(results)) {
    const oneMinute = loadAverages.map((loads) => loads[0]);
    const load =
      oneMinute.length === 0 ? '' : ` The 1-minute load average was ${formatNumber(Math.min(...oneMinute), 3)} to ${formatNumber(Math.max(...oneMinute), 3)}.`;
    out.push(
      `${names.map((name) => `\`${name}\``).join(', ')}: measured ${escapeMarkdownText(run.date)} on ${describeMachine(run.machine)} by a separate run, merged into this report:`,
      '',
      codeBlock(run.command),
      '',
    );
    if (load !== '') out.push(load.trim(), '');
  }
  return out;
}

/** Returns the results that carry the per-seed numbers of a Gauss–Newton and gradient descent race. */
export function solverRaces(results) {
  return results.filter((result) => result.details?.kind === 'solver-race');
}

const milliseconds = (seconds) => formatNumber(seconds * 1000, 3);

function renderSolverRaces(races) {
  const rows = races.flatMap((result) =>
    result.details.seeds.map(({ seed, gradientDescent, gaussNewton }) => [
      `${result.name}, seed ${seed}`,
      String(gradientDescent.cost),
      `${gaussNewton.cost} (${gaussNewton.evaluations} + ${gaussNewton.products})`,
      (gaussNewton.cost / gradientDescent.cost).toFixed(2),
      milliseconds(gradientDescent.medianSeconds),
      milliseconds(gaussNewton.medianSeconds),
      (gaussNewton.medianSeconds / gradientDescent.medianSeconds).toFixed(2),
    ]),
  );
  const targets = [...new Set(races.map((result) => result.details.target))];
  return [
    '### Gauss–Newton against gradient descent',
    '',
    `Cost and median wall time to a relative test error of ${targets.map((target) => String(target)).join(' or ')}, per seed, for each race case. ` +
      'The cost counts each gradient evaluation and each Gauss–Newton product as one. The ratios are Gauss–Newton over gradient descent.',
    '',
    markdownTable(
      ['case and seed', 'gd: cost', 'Gauss–Newton: cost (gradients + products)', 'cost ratio', 'gd: median (ms)', 'Gauss–Newton: median (ms)', 'time ratio'],
      rows,
      { align: ['left', 'right', 'right', 'right', 'right', 'right', 'right'] },
    ),
    '',
  ];
}

function renderResults(report, files) {
  if (report.results.length === 0) return [];
  const m = report.machine;
  const merged = report.results.some((result) => result.run !== undefined);
  const out = [
    '## Results',
    '',
    `Measured ${escapeMarkdownText(report.date)} on ${describeMachine(m)}, by${merged ? ' the command below, except the results named after the table' : ''}:`,
    '',
    codeBlock(report.command),
    '',
    markdownTable(
      ['case', 'median (s)', 'min–max (s)', 'runs', 'peak RSS (MiB)', 'vs reference'],
      report.results.map((r) => [
        r.name,
        threeDigits(r.medianSeconds),
        `${threeDigits(r.minSeconds)}–${threeDigits(r.maxSeconds)}`,
        String(r.repeats),
        r.peakRssMiB.toFixed(0),
        r.ratioToReference === undefined ? '' : `${formatNumber(r.ratioToReference, 2)}×`,
      ]),
      { align: ['left', 'right', 'right', 'right', 'right', 'right'] },
    ),
    '',
    ...renderMergedRuns(report.results),
  ];

  const races = solverRaces(report.results);
  if (races.length > 0) out.push(...renderSolverRaces(races));

  const groups = evaluationGroups(report.results);
  if (groups.length > 0) {
    files[benchmarkPlotFiles.evaluationTime] = evaluationTimePlot(groups);
    out.push(
      '### Time per evaluation',
      '',
      `![Median wall time of one loss-and-gradient evaluation per implementation and case, in seconds on a log scale](./generated/${benchmarkPlotFiles.evaluationTime})`,
      '',
    );
  }
  const speedups = threadSpeedups(groups);
  if (speedups.length > 0) {
    files[benchmarkPlotFiles.threadSpeedup] = threadSpeedupPlot(speedups);
    out.push(
      '### Speed-up with threads',
      '',
      'The median wall time of `nimc, 1 thread` divided by that of `nimc, N threads` on the same problem.',
      '',
      markdownTable(
        ['case', 'threads', 'speed-up (×)'],
        speedups.map((entry) => [entry.name, String(entry.threads), formatNumber(entry.speedup, 3)]),
        { align: ['left', 'right', 'right'] },
      ),
      '',
      `![Speed-up of nimc with N threads over 1 thread for each evaluation case, with the ideal speed-up as a dashed line](./generated/${benchmarkPlotFiles.threadSpeedup})`,
      '',
    );
  }
  return out;
}

function renderBundleSizes(bundleSizes, files) {
  const mlMatrix = (entry) => (entry.includesMlMatrix ? `yes, ${kibibytes(entry.mlMatrixMinifiedBytes)} KiB` : 'no');
  const importers = [...new Set([...bundleSizes.packages, ...bundleSizes.importSets].flatMap((entry) => entry.mlMatrixImporters))].sort();
  files[benchmarkPlotFiles.bundleSize] = bundleSizePlot(bundleSizes);
  const out = [
    '## Bundle size',
    '',
    `Measured ${escapeMarkdownText(bundleSizes.date)} by:`,
    '',
    codeBlock(bundleSizes.command),
    '',
    `The bundler settings: ${escapeMarkdownText(bundleSizes.tool)}. ` +
      'A bundle "with dependencies" contains the @nimc and third-party packages that the entry point imports, and "own code" leaves them out. Sizes are in KiB (1024 bytes).',
    '',
    markdownTable(
      ['entry point', 'minified (KiB)', 'gzip (KiB)', 'own code minified (KiB)', 'own code gzip (KiB)', 'ml-matrix inside (minified)'],
      bundleSizes.packages.map((entry) => [
        entry.entryPoint,
        kibibytes(entry.minifiedBytes),
        kibibytes(entry.gzipBytes),
        kibibytes(entry.ownMinifiedBytes),
        kibibytes(entry.ownGzipBytes),
        mlMatrix(entry),
      ]),
      { align: ['left', 'right', 'right', 'right', 'right', 'left'] },
    ),
    '',
    `![Minified and gzipped bundle size of each entry point with its dependencies, in KiB, and the part of it that is ml-matrix](./generated/${benchmarkPlotFiles.bundleSize})`,
    '',
    `Bundled files that import ml-matrix: ${importers.map((path) => `\`${path}\``).join(', ') || 'none'}.`,
    '',
  ];
  if (bundleSizes.importSets.length > 0) {
    out.push(
      '### Import sets',
      '',
      'Each set bundles only the names it imports, with their dependencies, so it shows what tree shaking leaves of the bundles above.',
      '',
      markdownTable(
        ['import set', 'minified (KiB)', 'gzip (KiB)', 'ml-matrix inside (minified)'],
        bundleSizes.importSets.map((set) => [`${set.name}: ${set.description}`, kibibytes(set.minifiedBytes), kibibytes(set.gzipBytes), mlMatrix(set)]),
        { align: ['left', 'right', 'right', 'left'] },
      ),
      '',
    );
  }
  return out;
}

/**
 * Renders the report of `pnpm bench`: the machine, the command and a table of the results,
 * bar charts of the evaluation cases, the bundle sizes when the report has them, and each
 * case's command and output. Returns the markdown and the plots by file name.
 */
export function renderBenchReport(report) {
  const files = {};
  const out = renderResults(report, files);
  if (report.bundleSizes !== undefined) out.push(...renderBundleSizes(report.bundleSizes, files));
  if (report.results.length > 0) out.push('## Commands and output', '');
  for (const r of report.results) {
    out.push(`### ${escapeMarkdownText(r.name)}`, '');
    if (r.description) out.push(escapeMarkdownText(r.description), '');
    out.push(codeBlock(r.command), '');
    if (r.output) out.push('Output of the last run:', '', codeBlock(r.output, 'text'), '');
  }
  return { markdown: `${out.join('\n')}\n`, files };
}
