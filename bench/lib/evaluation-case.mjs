// Runs an evaluation case: one loss-and-gradient evaluation of nimc against the NumPy/SciPy
// reference on the same problem file, side by side in interleaved rounds.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { compareGradientFiles } from './compare.mjs';
import { loadAverage } from './machine.mjs';
import { lastJsonLine, timedRun } from './processes.mjs';
import { median, summarize } from './statistics.mjs';

/** Largest relative difference of loss or gradient accepted between nimc and the reference. */
export const agreementTolerance = 1e-9;
// Bump when the problem file layout or the problem builders change, so cached files are rebuilt.
const problemVersion = 1;

const cacheFolder = join(os.tmpdir(), 'nimc-bench');

// The reference's environment: OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE may be set on this
// machine for older OpenBLAS builds, and they slow a current one, so both are unset for
// the reference alone.
function referenceEnvironment() {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

/**
 * Builds the problem file of `benchCase` (its `problem` arguments of
 * tasks/prepare-problem.mjs), or reuses one built with the same arguments. Cases that name
 * the same `problemName` share a file.
 */
export async function problemFile(benchCase, log) {
  mkdirSync(cacheFolder, { recursive: true });
  const path = join(cacheFolder, `${benchCase.problemName ?? benchCase.name}.bin`);
  const key = JSON.stringify({ version: problemVersion, args: benchCase.problem });
  if (existsSync(path) && existsSync(`${path}.key`) && readFileSync(`${path}.key`, 'utf8') === key) {
    return { path, prepareSeconds: null, summary: JSON.parse(readFileSync(`${path}.summary`, 'utf8')) };
  }
  log(`preparing ${path}`);
  rmSync(`${path}.key`, { force: true });
  const prepared = await timedRun(['node', 'bench/tasks/prepare-problem.mjs', ...benchCase.problem, '--out', path]);
  const summary = lastJsonLine(prepared.stdout);
  writeFileSync(`${path}.summary`, JSON.stringify(summary));
  writeFileSync(`${path}.key`, key);
  return { path, prepareSeconds: prepared.wallSeconds, summary };
}

function referenceCommand(path, evaluations, gradientOut) {
  return ['python3', 'bench/reference/nimc_reference.py', '--input', path, '--repeats', String(evaluations), '--gradient-out', gradientOut];
}

function nimcCommand(path, evaluations, variant, gradientOut) {
  return ['node', 'bench/tasks/evaluate-nimc.mjs', '--input', path, '--repeats', String(evaluations), ...variant.args, '--gradient-out', gradientOut];
}

function relativeDifference(a, b) {
  return Math.abs(a - b) / Math.max(Math.abs(b), Number.MIN_VALUE);
}

/**
 * Runs `benchCase`. Returns the problem file, the load averages between rounds, the
 * reference's timings and BLAS, and for each variant its timings, peak RSS, agreement with
 * the reference and time ratio to it.
 */
export async function runEvaluationCase(benchCase, { python, rounds, evaluations, log }) {
  const file = await problemFile(benchCase, log);
  const gradients = (label) => `${file.path}.${label.replace(/[^a-z0-9]+/gi, '-')}.f64`;
  const runs = { reference: [], ...Object.fromEntries(benchCase.variants.map((v) => [v.label, []])) };
  const loads = [];

  for (let round = 0; round < rounds; round++) {
    loads.push(loadAverage());
    if (python.available) {
      log(`${benchCase.name}: reference, round ${round + 1}/${rounds}`);
      const measured = await timedRun(referenceCommand(file.path, evaluations, gradients('reference')), { env: referenceEnvironment() });
      runs.reference.push({ ...lastJsonLine(measured.stdout), peakRssMiB: measured.peakRssMiB });
    }
    for (const variant of benchCase.variants) {
      log(`${benchCase.name}: ${variant.label}, round ${round + 1}/${rounds}`);
      const measured = await timedRun(nimcCommand(file.path, evaluations, variant, gradients(variant.label)));
      runs[variant.label].push({ ...lastJsonLine(measured.stdout), peakRssMiB: measured.peakRssMiB });
    }
  }
  loads.push(loadAverage());

  const flatten = (entries, key) => entries.flatMap((entry) => entry[key]);
  const describe = (entries) => ({
    wall: summarize(flatten(entries, 'wallSeconds')),
    cpu: summarize(flatten(entries, 'cpuSeconds')),
    peakRssMiB: Math.max(...entries.map((entry) => entry.peakRssMiB ?? Number.NaN)),
    setupSeconds: median(entries.map((entry) => entry.setupSeconds)),
    loss: entries.at(-1).loss,
  });

  const reference = python.available ? { ...describe(runs.reference), blas: runs.reference.at(-1).blas } : undefined;
  const variants = benchCase.variants.map((variant) => {
    const entries = runs[variant.label];
    const summary = describe(entries);
    const threadSeconds = entries.flatMap((entry) => entry.threadCpuSeconds ?? []);
    const agreement =
      reference === undefined || variant.compare === false
        ? undefined
        : {
            loss: relativeDifference(summary.loss, reference.loss),
            ...compareGradientFiles(gradients(variant.label), gradients('reference')),
          };
    return {
      ...variant,
      ...summary,
      backend: entries.at(-1).backend,
      busiestThreadSeconds: threadSeconds.length === 0 ? undefined : median(threadSeconds.map((times) => Math.max(...times))),
      agreement,
      ratioToReference:
        reference === undefined ? undefined : { wall: summary.wall.median / reference.wall.median, cpu: summary.cpu.median / reference.cpu.median },
    };
  });
  return { file, loads, reference, variants, evaluations: rounds * evaluations };
}
