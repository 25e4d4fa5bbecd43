// Times one Hessian-vector product of nimc on a problem file (lib/problem-file.mjs).
//
//   node bench/tasks/curvature.mjs --input FILE [--repeats 3]
//
// Prints one JSON object with the seconds to build the curvature operators and of each
// product. The first product also computes the embeddings and residuals at θ. Each further
// product, at the same θ with a new direction v, reuses them.
import { parseOptions } from '../lib/arguments.mjs';
import { activations, linalg, objective as objectivePackage } from '../lib/packages.mjs';
import { readProblemFile } from '../lib/problem-file.mjs';

const options = parseOptions(process.argv.slice(2), { input: '', repeats: 3 });
if (options.input === '') throw new Error('missing --input FILE');

const { header, problem, U, V } = readProblemFile(options.input);
const seconds = (start) => (performance.now() - start) / 1000;

let started = performance.now();
const curvature = objectivePackage.createCurvature(problem, activations.getActivation(header.activation), header.k, { l2: header.l2 });
const setupSeconds = seconds(started);

const theta = new Float64Array(curvature.dimension);
theta.set(U.data, 0);
theta.set(V.data, U.data.length);
const random = linalg.createRandom(2);
const direction = () => random.gaussianMatrix(1, curvature.dimension).data;
const out = new Float64Array(curvature.dimension);

started = performance.now();
curvature.hessianTimes(theta, direction(), out);
const firstSeconds = seconds(started);
const productSeconds = [];
for (let r = 0; r < options.repeats; r++) {
  const v = direction();
  started = performance.now();
  curvature.hessianTimes(theta, v, out);
  productSeconds.push(seconds(started));
}
console.log(JSON.stringify({ setupSeconds, firstSeconds, productSeconds }));
