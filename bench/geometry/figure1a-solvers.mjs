// Compares Levenberg–Marquardt Gauss–Newton with Armijo gradient descent on the problem of
// Figure 1(a) of Zhong, Song, Jain & Dhillon, "Provable Non-linear Inductive Matrix
// Completion" (NeurIPS 2019): sigmoid, k = 5, d = 10, n = 1000, m = 10000, start
// W0 = 0.9·W* + 0.1·W_r. Each solver runs until the relative test error on fresh Gaussian
// features is at most 1e-3, and the script prints the gradient evaluations, Gauss–Newton
// products and wall time it needed.
//
// Usage (after `pnpm --filter @nimc/<name> build` for activations, linalg, objective,
// optimizers and tensor-init):
//   node bench/geometry/figure1a-solvers.mjs [--trials 5] [--test-size 500] [--json]
//
// Wall time excludes the test-error checks, which run after every iteration, and an untimed
// warm-up run on seed 0.

import { performance } from 'node:perf_hooks';

import { getActivation } from '../../packages/activations/dist/index.js';
import {
  createObservations,
  createRandom,
  frobeniusNorm,
  topRightSingularVectors,
} from '../../packages/linalg/dist/index.js';
import { createGaussNewtonObjective, createObjective, predictAll, predictPairs } from '../../packages/objective/dist/index.js';
import { gaussNewton, gradientDescent } from '../../packages/optimizers/dist/index.js';
import { perturbedInit } from '../../packages/tensor-init/dist/index.js';

const settings = { d: 10, k: 5, n: 1000, m: 10000, alpha: 0.1, target: 1e-3 };

function readArguments(argv) {
  const options = { trials: 5, testSize: 500, json: false };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    if (name === '--json') options.json = true;
    else if (name === '--trials') options.trials = Number(argv[++i]);
    else if (name === '--test-size') options.testSize = Number(argv[++i]);
    else throw new Error(`unknown option ${name}: expected --trials N, --test-size N or --json`);
  }
  if (!Number.isInteger(options.trials) || options.trials < 1) {
    throw new Error(`invalid --trials: expected a positive integer, received ${options.trials}`);
  }
  if (!Number.isInteger(options.testSize) || options.testSize < 1) {
    throw new Error(`invalid --test-size: expected a positive integer, received ${options.testSize}`);
  }
  return options;
}

function divideBySmallestSingularValue(w) {
  const values = topRightSingularVectors(w, w.columns).values;
  const smallest = values[w.columns - 1];
  for (let t = 0; t < w.data.length; t++) w.data[t] /= smallest;
  return w;
}

// Gaussian features and ground truth, m pairs drawn uniformly with replacement, and exact
// observations A_ij = φ(U*ᵀx_i)ᵀφ(V*ᵀy_j).
function createTrial(seed, activation, testSize) {
  const { d, k, n, m, alpha } = settings;
  const random = createRandom(seed);
  const X = random.gaussianMatrix(n, d);
  const Y = random.gaussianMatrix(n, d);
  const U = divideBySmallestSingularValue(random.gaussianMatrix(d, k));
  const V = divideBySmallestSingularValue(random.gaussianMatrix(d, k));
  const rows = new Int32Array(m);
  const columns = new Int32Array(m);
  for (let t = 0; t < m; t++) {
    rows[t] = random.integer(n);
    columns[t] = random.integer(n);
  }
  const values = predictPairs({ U, V, activation }, X, Y, rows, columns);
  const problem = { X, Y, observations: createObservations(n, n, rows, columns, values) };

  const start = perturbedInit({ U, V }, alpha, random);
  const x0 = new Float64Array(2 * d * k);
  x0.set(start.U.data, 0);
  x0.set(start.V.data, d * k);

  const Xt = random.gaussianMatrix(testSize, d);
  const Yt = random.gaussianMatrix(testSize, d);
  const truth = predictAll({ U, V, activation }, Xt, Yt);
  const truthNorm = frobeniusNorm(truth);

  // ‖φ(X_t U)φ(Y_t V)ᵀ − φ(X_t U*)φ(Y_t V*)ᵀ‖_F / ‖φ(X_t U*)φ(Y_t V*)ᵀ‖_F.
  const testError = (theta) => {
    const model = {
      U: { rows: d, columns: k, data: theta.subarray(0, d * k) },
      V: { rows: d, columns: k, data: theta.subarray(d * k) },
      activation,
    };
    const estimate = predictAll(model, Xt, Yt);
    let sum = 0;
    for (let t = 0; t < estimate.data.length; t++) sum += (estimate.data[t] - truth.data[t]) ** 2;
    return Math.sqrt(sum) / truthNorm;
  };
  return { problem, x0, testError };
}

// Runs `solve(onIteration)` and stops it at the first iteration whose test error reaches the
// target. The solver's own time is the wall time minus the time spent in the checks.
function runToTarget(solve, currentPoint, testError) {
  let checkTime = 0;
  let reached = false;
  let finalError = Number.NaN;
  const onIteration = () => {
    const started = performance.now();
    finalError = testError(currentPoint());
    checkTime += performance.now() - started;
    if (finalError <= settings.target) {
      reached = true;
      return false;
    }
    return true;
  };
  const started = performance.now();
  const result = solve(onIteration);
  const wall = performance.now() - started - checkTime;
  return { result, reached, finalError, milliseconds: wall };
}

function runGradientDescent(trial, activation) {
  const objective = createObjective(trial.problem, activation, settings.k);
  // The accepted point is the last one f saw before onIteration runs, because each
  // backtracking search ends with the accepted trial.
  let point = trial.x0;
  const f = (x, gradient) => {
    point = x;
    return objective.evaluate(x, gradient);
  };
  const outcome = runToTarget(
    (onIteration) => gradientDescent(f, trial.x0, { maxIterations: 50000, onIteration }),
    () => point,
    trial.testError,
  );
  return {
    ...outcome,
    iterations: outcome.result.iterations,
    gradientEvaluations: outcome.result.evaluations,
    products: 0,
    cost: outcome.result.evaluations,
  };
}

function runGaussNewton(trial, activation) {
  const objective = createGaussNewtonObjective(trial.problem, activation, settings.k);
  // The accepted point is the last one `evaluate` saw before onIteration runs.
  let point = trial.x0;
  const tracked = {
    evaluate: (x, gradient) => {
      point = x;
      return objective.evaluate(x, gradient);
    },
    gaussNewtonTimes: (x, v, out) => objective.gaussNewtonTimes(x, v, out),
  };
  const outcome = runToTarget(
    (onIteration) => gaussNewton(tracked, trial.x0, { maxIterations: 500, onIteration }),
    () => point,
    trial.testError,
  );
  const { evaluations, productEvaluations } = outcome.result;
  return {
    ...outcome,
    iterations: outcome.result.iterations,
    gradientEvaluations: evaluations,
    products: productEvaluations,
    cost: evaluations + productEvaluations,
  };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : 0.5 * (sorted[middle - 1] + sorted[middle]);
}

function main() {
  const options = readArguments(process.argv.slice(2));
  const activation = getActivation('sigmoid');
  // An untimed run of both solvers on seed 0, so that JIT compilation falls outside the timings.
  const warmup = createTrial(0, activation, options.testSize);
  runGaussNewton(warmup, activation);
  runGradientDescent(warmup, activation);

  const rows = [];
  for (let seed = 1; seed <= options.trials; seed++) {
    const trial = createTrial(seed, activation, options.testSize);
    const gn = runGaussNewton(trial, activation);
    const gd = runGradientDescent(trial, activation);
    rows.push({ seed, gn, gd });
  }

  const summary = (pick) => ({
    gaussNewton: median(rows.map((row) => pick(row.gn))),
    gradientDescent: median(rows.map((row) => pick(row.gd))),
  });
  const report = {
    problem: { ...settings, activation: 'sigmoid', testSize: options.testSize, trials: options.trials },
    trials: rows.map(({ seed, gn, gd }) => ({
      seed,
      gaussNewton: {
        reached: gn.reached,
        testError: gn.finalError,
        iterations: gn.iterations,
        gradientEvaluations: gn.gradientEvaluations,
        products: gn.products,
        cost: gn.cost,
        milliseconds: Math.round(gn.milliseconds),
      },
      gradientDescent: {
        reached: gd.reached,
        testError: gd.finalError,
        iterations: gd.iterations,
        gradientEvaluations: gd.gradientEvaluations,
        cost: gd.cost,
        milliseconds: Math.round(gd.milliseconds),
      },
    })),
    medians: {
      cost: summary((run) => run.cost),
      milliseconds: summary((run) => Math.round(run.milliseconds)),
    },
  };

  if (options.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  const lines = ['seed  solver            reached  iterations  evaluations  products  cost    ms'];
  for (const { seed, gn, gd } of rows) {
    for (const [name, run] of [
      ['gauss-newton', gn],
      ['gradient-descent', gd],
    ]) {
      lines.push(
        [
          String(seed).padEnd(4),
          name.padEnd(16),
          String(run.reached).padEnd(7),
          String(run.iterations).padStart(10),
          String(run.gradientEvaluations).padStart(11),
          String(run.products).padStart(9),
          String(run.cost).padStart(6),
          String(Math.round(run.milliseconds)).padStart(6),
        ].join('  '),
      );
    }
  }
  lines.push(
    `median cost (evaluations + products): Gauss–Newton ${report.medians.cost.gaussNewton}, gradient descent ${report.medians.cost.gradientDescent}`,
  );
  lines.push(
    `median wall time (ms): Gauss–Newton ${report.medians.milliseconds.gaussNewton}, gradient descent ${report.medians.milliseconds.gradientDescent}`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

main();
