// Races Gauss–Newton against gradient descent with Armijo backtracking on the problem of
// `nimc synthetic --alpha 0.1`: sigmoid, k = 5, d = 10, n = 1000, m = 10,000,
// W0 = 0.9·W* + 0.1·W_r, success at a relative test error of 1e-3.
//
//   node bench/tasks/synthetic-solvers.mjs [--seeds 0,1,2,3,4] [--repeats 5] [--warmups 2] [--mode in-process|cli]
//
// --mode in-process (default) runs both solvers in this process on the problem, start and
// test features of `nimc synthetic` for each seed, and on the same losses:
// `createObjective` for gradient descent, `createGaussNewtonObjective` (the same loss and
// its Gauss–Newton products) for Gauss–Newton. Each run stops at the first iteration whose
// test error is at most 1e-3, and its time excludes the test-error checks, as in
// `nimc synthetic`. --mode cli runs `node apps/cli/dist/bin.js synthetic --json` in a fresh
// process per run instead and reads toTarget and timings.secondsToTarget from its output.
//
// Every repeat runs both solvers on every seed, in alternating order, so that they share
// the machine load. The warm-up repeats are not recorded. Prints one JSON object with the
// counts to the target, which do not change between repeats, and the median, minimum and
// maximum seconds per seed and solver.
import { execFileSync } from 'node:child_process';
import { getActivation } from '../../packages/activations/dist/index.js';
import { generateSynthetic, sampleFeatures } from '../../packages/datasets/dist/index.js';
import { createRandom, multiplyTransposeA } from '../../packages/linalg/dist/index.js';
import { createGaussNewtonObjective, createObjective, embed } from '../../packages/objective/dist/index.js';
import { gaussNewton, gradientDescent } from '../../packages/optimizers/dist/index.js';
import { perturbedInit } from '../../packages/tensor-init/dist/index.js';
import { parseOptions } from '../lib/arguments.mjs';
import { repositoryRoot } from '../lib/processes.mjs';
import { summarize } from '../lib/statistics.mjs';

const settings = { activation: 'sigmoid', d: 10, k: 5, n: 1000, m: 10000, alpha: 0.1, nTest: 1000, target: 1e-3 };
const maxIterations = 20000;

const options = parseOptions(process.argv.slice(2), { seeds: '0,1,2,3,4', repeats: 5, warmups: 2, mode: 'in-process' });
if (options.mode !== 'in-process' && options.mode !== 'cli') {
  throw new Error(`invalid --mode: expected in-process or cli, received ${options.mode}`);
}
const seeds = options.seeds.split(',').map(Number);
if (seeds.some((seed) => !Number.isInteger(seed) || seed < 0)) {
  throw new Error(`invalid --seeds: expected comma-separated non-negative integers, received ${options.seeds}`);
}
for (const name of ['repeats', 'warmups']) {
  if (!Number.isInteger(options[name]) || options[name] < 0) {
    throw new Error(`invalid --${name}: expected a non-negative integer, received ${options[name]}`);
  }
}

const entrywiseDot = (a, b) => {
  let sum = 0;
  for (let t = 0; t < a.data.length; t++) sum += a.data[t] * b.data[t];
  return sum;
};

// The relative test error of `nimc synthetic` on the test features of stream
// "test-features:<seed>", through k×k Gram matrices.
function createTestError(truth, seed) {
  const random = createRandom(`test-features:${seed}`);
  const Xt = sampleFeatures(settings.nTest, truth.U.rows, random);
  const Yt = sampleFeatures(settings.nTest, truth.V.rows, random);
  const Pstar = embed(Xt, truth.U, truth.activation);
  const Qstar = embed(Yt, truth.V, truth.activation);
  const reference = entrywiseDot(multiplyTransposeA(Pstar, Pstar), multiplyTransposeA(Qstar, Qstar));
  const { rows: d1, columns: k } = truth.U;
  return (theta) => {
    const U = { rows: d1, columns: k, data: theta.subarray(0, d1 * k) };
    const V = { rows: truth.V.rows, columns: k, data: theta.subarray(d1 * k) };
    const P = embed(Xt, U, truth.activation);
    const Q = embed(Yt, V, truth.activation);
    const model = entrywiseDot(multiplyTransposeA(P, P), multiplyTransposeA(Q, Q));
    const cross = entrywiseDot(multiplyTransposeA(P, Pstar), multiplyTransposeA(Q, Qstar));
    return Math.sqrt(Math.max(0, model - 2 * cross + reference) / reference);
  };
}

function prepareSeed(seed) {
  const { problem, truth } = generateSynthetic({ activation: settings.activation, d: settings.d, k: settings.k, n: settings.n, m: settings.m, seed });
  const start = perturbedInit(truth, settings.alpha, createRandom(`${seed}:init`));
  const x0 = new Float64Array((truth.U.rows + truth.V.rows) * settings.k);
  x0.set(start.U.data, 0);
  x0.set(start.V.data, start.U.data.length);
  return { seed, problem, truth, x0, testError: createTestError(truth, seed) };
}

// Runs one solver from x0 until the test error reaches the target. The loss objects are
// built before the clock starts, as `nimc synthetic` builds them.
function raceHere(trial, solver) {
  const activation = getActivation(settings.activation);
  let lastPoint = trial.x0;
  let products = 0;
  let minimize;
  if (solver === 'gauss-newton') {
    const objective = createGaussNewtonObjective(trial.problem, activation, settings.k);
    const evaluate = (x, gradient) => {
      lastPoint = x;
      return objective.evaluate(x, gradient);
    };
    const gaussNewtonTimes = (x, v, out) => {
      products++;
      objective.gaussNewtonTimes(x, v, out);
    };
    minimize = (stopping) => gaussNewton({ evaluate, gaussNewtonTimes }, trial.x0, stopping);
  } else {
    const objective = createObjective(trial.problem, activation, settings.k);
    const evaluate = (x, gradient) => {
      lastPoint = x;
      return objective.evaluate(x, gradient);
    };
    minimize = (stopping) => gradientDescent(evaluate, trial.x0, stopping);
  }

  let checkSeconds = 0;
  let reached;
  let started = 0;
  const onIteration = (info) => {
    const checkStarted = performance.now();
    const error = trial.testError(lastPoint);
    const now = performance.now();
    checkSeconds += (now - checkStarted) / 1000;
    if (error > settings.target) return true;
    reached = { iterations: info.iteration, evaluations: info.evaluations, products, seconds: (now - started) / 1000 - checkSeconds };
    return false;
  };
  started = performance.now();
  minimize({ maxIterations, gradientTolerance: 1e-7, onIteration });
  if (reached === undefined) throw new Error(`${solver} did not reach a test error of ${settings.target} on seed ${trial.seed}`);
  return reached;
}

// Runs `nimc synthetic` in a fresh process and returns what it reports about the target.
function raceInFreshProcess(seed, solver) {
  const argv = ['apps/cli/dist/bin.js', 'synthetic', '--alpha', String(settings.alpha), '--optimizer', solver, '--seed', String(seed), '--json', '--quiet'];
  const result = JSON.parse(execFileSync('node', argv, { cwd: repositoryRoot, encoding: 'utf8' }));
  const target = result.toTarget;
  if (target === null) throw new Error(`${solver} did not reach a test error of ${settings.target} on seed ${seed}`);
  return { iterations: target.iterations, evaluations: target.evaluations, products: target.productEvaluations, seconds: result.timings.secondsToTarget };
}

const solvers = ['gd', 'gauss-newton'];
const trials = options.mode === 'cli' ? [] : seeds.map(prepareSeed);
const records = new Map(seeds.map((seed) => [seed, { gd: [], 'gauss-newton': [] }]));
for (let repeat = 0; repeat < options.warmups + options.repeats; repeat++) {
  for (const [index, seed] of seeds.entries()) {
    const order = repeat % 2 === 0 ? solvers : [...solvers].reverse();
    for (const solver of order) {
      const outcome = options.mode === 'cli' ? raceInFreshProcess(seed, solver) : raceHere(trials[index], solver);
      if (repeat >= options.warmups) records.get(seed)[solver].push(outcome);
    }
  }
}

const results = [];
for (const [seed, bySolver] of records) {
  for (const solver of solvers) {
    const runs = bySolver[solver];
    const first = runs[0];
    const seconds = summarize(runs.map((run) => run.seconds));
    results.push({
      seed,
      solver,
      iterations: first.iterations,
      evaluations: first.evaluations,
      products: first.products,
      cost: first.evaluations + first.products,
      medianSeconds: seconds.median,
      minSeconds: seconds.min,
      maxSeconds: seconds.max,
      seconds: runs.map((run) => run.seconds),
    });
  }
}
console.log(JSON.stringify({ settings, mode: options.mode, repeats: options.repeats, warmups: options.warmups, results }));
