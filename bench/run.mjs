// Runs nimc's benchmark cases and writes a Markdown and a JSON report.
//
//   pnpm bench                                  every case
//   pnpm bench -- --case evaluate-ml-1m --rounds 1 --evaluations 3
//   pnpm bench -- --case bundle-size --merge-bundle-sizes apps/docs/data/benchmarks.json
//   pnpm bench -- --case synthetic-figure1a-solvers --merge-into apps/docs/data/benchmarks.json
//
// Options: --case NAME (repeatable), --repeats N (runs of each command case), --rounds N
// and --evaluations N (processes per implementation and timed evaluations per process in
// evaluation cases), --out DIR (default bench/results), --merge-bundle-sizes FILE (write
// this run's bundleSizes into the JSON report FILE and keep its other fields),
// --merge-into FILE (write the results of the cases that ran into the JSON report FILE, in
// place of that report's results of the same cases, and keep everything else).
//
// Every case runs in child processes, so that each peak RSS is its own. Command cases time
// a whole command. Evaluation cases build a problem file once (cached in the system's
// temporary folder). Then they alternate the NumPy/SciPy reference and each nimc variant
// for a number of rounds, so all of them see the same machine load, and compare their loss
// and gradient. Task cases run a script that times its own work. The bundle-size case
// measures the browser bundle of each published entry point. The report records the
// machine, the load average, each case's median and spread, peak RSS, the ratio to the
// reference, the checks and the bundle sizes.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { benchCases } from './cases.mjs';
import { measureBundleSizes } from './lib/bundle-size.mjs';
import { problemFile, runEvaluationCase } from './lib/evaluation-case.mjs';
import { describeMachine, loadAverage, openBlasEnvironment, probePythonReference } from './lib/machine.mjs';
import { lastJsonLine, repositoryRoot, timedRun } from './lib/processes.mjs';
import { mergeCaseResults } from './lib/merge.mjs';
import { evaluateChecks, evaluationEntries, renderReport } from './lib/report.mjs';
import { summarize } from './lib/statistics.mjs';

function parseArguments(argv) {
  const options = {
    cases: [],
    repeats: undefined,
    rounds: undefined,
    evaluations: undefined,
    out: join(repositoryRoot, 'bench', 'results'),
    mergeBundleSizes: undefined,
    mergeInto: undefined,
  };
  const numeric = (flag, value) => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < 1) throw new Error(`invalid ${flag}: expected a positive integer, received ${value}`);
    return number;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--') continue;
    if (flag === '--case') options.cases.push(value);
    else if (flag === '--repeats') options.repeats = numeric(flag, value);
    else if (flag === '--rounds') options.rounds = numeric(flag, value);
    else if (flag === '--evaluations') options.evaluations = numeric(flag, value);
    else if (flag === '--out') options.out = value;
    else if (flag === '--merge-bundle-sizes') {
      if (value === undefined) throw new Error('missing value for --merge-bundle-sizes: expected the path of a JSON report');
      options.mergeBundleSizes = value;
    } else if (flag === '--merge-into') {
      if (value === undefined) throw new Error('missing value for --merge-into: expected the path of a JSON report');
      options.mergeInto = value;
    } else {
      throw new Error(
        `unknown option ${flag}: expected --case NAME, --repeats N, --rounds N, --evaluations N, --out DIR, --merge-bundle-sizes FILE or --merge-into FILE`,
      );
    }
    i++;
  }
  return options;
}

// Reads the JSON report that --merge-bundle-sizes or --merge-into (`flag`) names.
async function readReportFile(flag, path) {
  let text;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`invalid ${flag}: cannot read ${path} (${error.code ?? error.message})`);
  }
  let report;
  try {
    report = JSON.parse(text);
  } catch (error) {
    throw new Error(`invalid ${flag}: ${path} is not valid JSON (${error.message})`);
  }
  if (report === null || typeof report !== 'object' || !Array.isArray(report.results)) {
    throw new Error(`invalid ${flag}: ${path} is not a report of pnpm bench (it has no results array)`);
  }
  return { path, report };
}

// Reads the JSON report that --merge-bundle-sizes names. The run must include the bundle-size case.
async function readMergeTarget(path, selected) {
  if (!selected.some((benchCase) => benchCase.kind === 'bundle-size')) {
    throw new Error('invalid --merge-bundle-sizes: the run has no bundle-size case, so add --case bundle-size');
  }
  return readReportFile('--merge-bundle-sizes', path);
}

async function writeAtomically(path, text) {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}

const log = (message) => process.stderr.write(`bench: ${message}\n`);

// Returns why `benchCase` cannot run here, or undefined when it can: a case's `requires`
// names a command whose output must match `pattern`.
async function unavailableReason(benchCase) {
  const { requires } = benchCase;
  if (requires === undefined) return undefined;
  try {
    const { stdout } = await timedRun(requires.command);
    return requires.pattern.test(stdout) ? undefined : requires.reason;
  } catch {
    return requires.reason;
  }
}

async function runCommandCase(benchCase, repeats) {
  const runs = [];
  for (let r = 0; r < repeats; r++) {
    log(`${benchCase.name} run ${r + 1}/${repeats}`);
    runs.push(await timedRun(benchCase.command, { timeoutSeconds: benchCase.timeoutSeconds }));
  }
  const timedOut = runs.some((entry) => entry.timedOut);
  const seconds = summarize(runs.map((entry) => entry.wallSeconds));
  const cpu = runs.every((entry) => entry.cpuSeconds !== null) ? summarize(runs.map((entry) => entry.cpuSeconds)) : undefined;
  const last = runs.at(-1);
  const summary = timedOut ? `stopped after ${benchCase.timeoutSeconds} s without finishing` : benchCase.summarize?.(last.stdout);
  const cpuLine = cpu === undefined ? undefined : `CPU time (user + system, all threads): median ${cpu.median.toFixed(1)} s`;
  return {
    name: benchCase.name,
    description: benchCase.description,
    command: benchCase.command.join(' '),
    repeats,
    medianSeconds: seconds.median,
    minSeconds: seconds.min,
    maxSeconds: seconds.max,
    peakRssMiB: Math.max(...runs.map((entry) => entry.peakRssMiB ?? Number.NaN)),
    cpuMedianSeconds: cpu?.median,
    output: [cpuLine, summary].filter((line) => line !== undefined).join('\n') || undefined,
  };
}

async function runTaskCase(benchCase) {
  // A case without `problem` builds its own problems, and its command takes no path.
  const file = benchCase.problem === undefined ? undefined : await problemFile(benchCase, log);
  const command = benchCase.command(file?.path);
  const commandText = benchCase.command(file === undefined ? undefined : `${benchCase.problemName ?? benchCase.name}.bin`).join(' ');
  log(`${benchCase.name}`);
  const measured = await timedRun(command, { timeoutSeconds: benchCase.timeoutSeconds });
  if (measured.timedOut) {
    return { note: `${benchCase.name}: stopped after ${benchCase.timeoutSeconds} s without finishing (\`${commandText}\`).` };
  }
  const summary = benchCase.measure(lastJsonLine(measured.stdout));
  if (summary.unavailable !== undefined) return { note: `${benchCase.name}: ${summary.unavailable}` };
  const seconds = summarize(summary.seconds);
  return {
    result: {
      name: benchCase.name,
      description: benchCase.description,
      command: commandText,
      repeats: seconds.count,
      medianSeconds: seconds.median,
      minSeconds: seconds.min,
      maxSeconds: seconds.max,
      peakRssMiB: measured.peakRssMiB ?? Number.NaN,
      output: summary.output,
      ...(summary.details === undefined ? {} : { details: summary.details }),
    },
  };
}

const options = parseArguments(process.argv.slice(2));
const selected = options.cases.length === 0 ? benchCases : benchCases.filter((c) => options.cases.includes(c.name));
if (selected.length === 0) {
  throw new Error(`no case matches ${options.cases.join(', ')}: expected one of ${benchCases.map((c) => c.name).join(', ')}`);
}
// The merge targets are read before the cases run, so that a wrong path fails at once.
const mergeTarget = options.mergeBundleSizes === undefined ? undefined : await readMergeTarget(options.mergeBundleSizes, selected);
const mergeIntoTarget = options.mergeInto === undefined ? undefined : await readReportFile('--merge-into', options.mergeInto);

const python = await probePythonReference();
const report = {
  date: new Date().toISOString(),
  command: ['pnpm bench', ...process.argv.slice(2).filter((arg) => arg !== '--')].join(' '),
  machine: describeMachine(),
  loadAtStart: loadAverage(),
  loadAtEnd: [],
  reference: python,
  openBlasEnvironment: openBlasEnvironment(),
  checks: [],
  notes: [],
  results: [],
  cases: [],
};

const measuredCases = [];
for (const benchCase of selected) {
  const reason = await unavailableReason(benchCase);
  if (reason !== undefined) {
    report.notes.push(`${benchCase.name}: not available yet (${reason}).`);
    continue;
  }
  const loadBefore = loadAverage();
  if (benchCase.kind === 'evaluation') {
    let measured;
    try {
      measured = await runEvaluationCase(benchCase, {
        python,
        rounds: options.rounds ?? benchCase.rounds,
        evaluations: options.evaluations ?? benchCase.evaluations,
        log,
      });
    } catch (error) {
      report.notes.push(`${benchCase.name}: did not run (${error.message.split('\n')[0]}).`);
      continue;
    }
    for (const variant of measured.variants) {
      variant.commandText = `node bench/tasks/evaluate-nimc.mjs --input ${benchCase.name}.bin ${variant.args.join(' ')} --repeats N`;
    }
    const referenceText = `env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 bench/reference/nimc_reference.py --input ${benchCase.name}.bin --repeats N`;
    report.results.push(...evaluationEntries(benchCase, measured, referenceText));
    if (measured.reference?.blas !== undefined) report.reference.blas = measured.reference.blas;
    report.cases.push({ name: benchCase.name, kind: 'evaluation', problem: measured.file.summary, loadAverages: measured.loads });
    measuredCases.push({ case: benchCase, measured });
  } else if (benchCase.kind === 'bundle-size') {
    log(benchCase.name);
    try {
      report.bundleSizes = await measureBundleSizes(benchCase, options.out, report.command);
    } catch (error) {
      report.notes.push(`${benchCase.name}: did not run (${error.message.split('\n')[0]}).`);
    }
  } else if (benchCase.kind === 'task') {
    let outcome;
    try {
      outcome = await runTaskCase(benchCase);
    } catch (error) {
      outcome = { note: `${benchCase.name}: did not run (${error.message.split('\n')[0]}).` };
    }
    const { result, note } = outcome;
    if (note !== undefined) report.notes.push(note);
    if (result !== undefined) {
      report.results.push(result);
      report.cases.push({ name: benchCase.name, kind: 'task', loadAverages: [loadBefore, loadAverage()] });
      measuredCases.push({ case: benchCase, result });
    }
  } else {
    const result = await runCommandCase(benchCase, options.repeats ?? benchCase.repeats);
    report.results.push(result);
    report.cases.push({ name: benchCase.name, kind: 'command', loadAverages: [loadBefore, loadAverage()] });
    measuredCases.push({ case: benchCase, result });
  }
}
report.loadAtEnd = loadAverage();
// The docs site reads peakRssMiB as a number; 0 marks a run without /usr/bin/time.
for (const result of report.results) {
  if (!Number.isFinite(result.peakRssMiB)) result.peakRssMiB = 0;
}
report.checks = evaluateChecks(measuredCases);
if (!python.available) report.notes.push(`The NumPy/SciPy reference did not run: ${python.reason}.`);

const markdown = renderReport(report);
await writeAtomically(join(options.out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
await writeAtomically(join(options.out, 'report.md'), `${markdown}\n`);
console.log(markdown);
if (mergeTarget !== undefined) {
  if (report.bundleSizes === undefined) throw new Error(`failed to measure the bundle sizes, so ${mergeTarget.path} is unchanged. The notes above give the reason.`);
  await writeAtomically(mergeTarget.path, `${JSON.stringify({ ...mergeTarget.report, bundleSizes: report.bundleSizes }, null, 2)}\n`);
  log(`wrote bundleSizes into ${mergeTarget.path}`);
}
if (mergeIntoTarget !== undefined) {
  const merged = mergeCaseResults(mergeIntoTarget.report, report, selected);
  await writeAtomically(mergeIntoTarget.path, `${JSON.stringify(merged, null, 2)}\n`);
  log(`wrote the results of ${selected.map((benchCase) => benchCase.name).join(', ')} into ${mergeIntoTarget.path}`);
}
