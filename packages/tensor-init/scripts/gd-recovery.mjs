// Compares tensor initialization with random initialization as starting points of full-batch
// gradient descent on synthetic NIMC problems. A trial succeeds when the relative test error
// ‖φ(X_t U)φ(Y_t V)ᵀ − φ(X_t U*)φ(Y_t V*)ᵀ‖_F / ‖φ(X_t U*)φ(Y_t V*)ᵀ‖_F on fresh Gaussian
// features reaches 1e-3 within the iteration budget. Gradient descent runs in chunks of
// --chunk iterations; the test error is measured after each chunk, and the run stops at the
// first chunk that reaches the threshold. Each chunk restarts the step-size search from
// its default first trial step.
//
// Run from the repository root after building this package and its dependencies
// (pnpm --filter @nimc/tensor-init... build):
//   node packages/tensor-init/scripts/gd-recovery.mjs --activation sigmoid --d 100 --k 10 \
//     --n 50000 --m 1000000 --trials 5 --iterations 1500 --chunk 50
// Trial t uses seed t for the data and the tensor start; --first-trial skips the first ones.
// Prints one line per run and a summary table in Markdown.
import { parseArgs } from 'node:util';
import { getActivation } from '@nimc/activations';
import { generateSynthetic, relativeTestError } from '@nimc/datasets';
import { createRandom } from '@nimc/linalg';
import { createObjective } from '@nimc/objective';
import { gradientDescent } from '@nimc/optimizers';
import { matchColumns, randomInit, tensorInit } from '../dist/index.js';

const { values } = parseArgs({
  options: {
    activation: { type: 'string', default: 'sigmoid' },
    d: { type: 'string', default: '100' },
    k: { type: 'string', default: '10' },
    n: { type: 'string', default: '50000' },
    m: { type: 'string', default: '1000000' },
    trials: { type: 'string', default: '5' },
    'first-trial': { type: 'string', default: '0' },
    iterations: { type: 'string', default: '1500' },
    starts: { type: 'string', default: 'tensor,random' },
    threshold: { type: 'string', default: '1e-3' },
    chunk: { type: 'string', default: '50' },
  },
});
const activation = getActivation(values.activation);
const [d, k, n, m, trials, iterations] = ['d', 'k', 'n', 'm', 'trials', 'iterations'].map((key) => Number(values[key]));
const threshold = Number(values.threshold);
const firstTrial = Number(values['first-trial']);
const chunk = Number(values.chunk);
const starts = values.starts.split(',');

const rows = [];
for (let trial = firstTrial; trial < firstTrial + trials; trial++) {
  const { problem, truth } = generateSynthetic({ activation, d, k, n, m, seed: trial });
  const objective = createObjective(problem, activation, k);
  for (const start of starts) {
    const began = Date.now();
    let initial;
    let initDistance = NaN;
    if (start === 'tensor') {
      initial = tensorInit(problem, activation, k, { seed: trial });
      initDistance = matchColumns(initial.U, initial.V, truth.U, truth.V, { activation }).distance;
    } else {
      initial = randomInit(d, d, k, createRandom(`random-start:${trial}`));
    }
    const initSeconds = (Date.now() - began) / 1000;
    const initialError = relativeTestError({ ...initial, activation }, truth);
    let theta = objective.pack(initial.U, initial.V);
    let done = 0;
    let testError = initialError;
    let stopReason = 'max-iterations';
    let loss = NaN;
    while (done < iterations && testError > threshold && stopReason === 'max-iterations') {
      const result = gradientDescent((x, g) => objective.evaluate(x, g), theta, {
        maxIterations: Math.min(chunk, iterations - done),
        gradientTolerance: 1e-12,
      });
      theta = result.x;
      done += result.iterations;
      stopReason = result.stopReason;
      loss = result.loss;
      testError = relativeTestError(objective.unpack(theta), truth);
    }
    const row = {
      trial,
      start,
      initDistance,
      initialError,
      testError,
      success: testError <= threshold,
      iterations: done,
      stopReason,
      loss,
      initSeconds,
      seconds: (Date.now() - began) / 1000,
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
}

console.log(
  `\n${activation.name}, d = ${d}, k = ${k}, n = ${n}, m = ${m}, budget ${iterations} gradient-descent iterations ` +
    `checked every ${chunk}, success: relative test error ≤ ${threshold}\n`,
);
console.log('| start | successes | median iterations to success | median final test error | median initial test error | median seconds |');
console.log('|---|---|---|---|---|---|');
const median = (list) => {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
};
for (const start of starts) {
  const own = rows.filter((row) => row.start === start);
  console.log(
    `| ${start} | ${own.filter((row) => row.success).length}/${own.length} | ` +
      `${median(own.filter((row) => row.success).map((row) => row.iterations)) ?? '—'} | ${median(own.map((row) => row.testError)).toExponential(2)} | ` +
      `${median(own.map((row) => row.initialError)).toExponential(2)} | ${median(own.map((row) => row.seconds)).toFixed(0)} |`,
  );
}
