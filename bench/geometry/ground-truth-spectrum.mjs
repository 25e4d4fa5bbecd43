// Prints the extreme Hessian eigenvalues at the ground truth of a zero-residual NIMC problem
// with Gaussian features, d = 10, k = 5, n = 1000, for each activation and several m.
// U* and V* are Gaussian divided by their k-th singular value. For ReLU it also prints the
// eigenvalues restricted to the orthogonal complement of the scaling directions.
//
// Usage (after `pnpm --filter @nimc/<name> build` for activations, linalg and objective):
//   node bench/geometry/ground-truth-spectrum.mjs [--seed 1]

import { getActivation } from '../../packages/activations/dist/index.js';
import { createObservations, createRandom, topRightSingularVectors } from '../../packages/linalg/dist/index.js';
import {
  constrainedExtremeEigenvalues,
  createCurvature,
  extremeEigenvalues,
  predictPairs,
} from '../../packages/objective/dist/index.js';

const d = 10;
const k = 5;
const n = 1000;

function readSeed(argv) {
  if (argv.length === 0) return 1;
  if (argv.length !== 2 || argv[0] !== '--seed') throw new Error('unknown options: expected --seed N or nothing');
  const seed = Number(argv[1]);
  if (!Number.isInteger(seed)) throw new Error(`invalid --seed: expected an integer, received ${argv[1]}`);
  return seed;
}

function divideBySmallestSingularValue(w) {
  const smallest = topRightSingularVectors(w, w.columns).values[w.columns - 1];
  for (let t = 0; t < w.data.length; t++) w.data[t] /= smallest;
  return w;
}

function plantedProblem(seed, activation, m) {
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
  const theta = new Float64Array(2 * d * k);
  theta.set(U.data, 0);
  theta.set(V.data, d * k);
  return { problem: { X, Y, observations: createObservations(n, n, rows, columns, values) }, theta };
}

function format(value) {
  return value.toExponential(3).padStart(11);
}

function main() {
  const seed = readSeed(process.argv.slice(2));
  const lines = ['activation  m       λ_min        λ_max        λ_min/λ_max  constrained λ_min'];
  for (const name of ['sigmoid', 'tanh', 'identity', 'relu']) {
    const activation = getActivation(name);
    for (const m of [300, 1000, 3000, 10000]) {
      const { problem, theta } = plantedProblem(seed, activation, m);
      const curvature = createCurvature(problem, activation, k);
      const spectrum = extremeEigenvalues(curvature, theta);
      const constrained = name === 'relu' ? format(constrainedExtremeEigenvalues(curvature, theta).min) : '';
      lines.push(
        [
          name.padEnd(10),
          String(m).padEnd(6),
          format(spectrum.min),
          format(spectrum.max),
          format(spectrum.min / spectrum.max),
          constrained,
        ].join('  '),
      );
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

main();
