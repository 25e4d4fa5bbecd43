// Trains a small model through the ESM builds of the installed packages and prints the
// result as JSON, so that it can be compared with fit.cjs.
import { getActivation } from '@nimc/activations';
import { generateSynthetic, relativeTestError } from '@nimc/datasets';
import { createRandom } from '@nimc/linalg';
import { createObjective, predictPairs } from '@nimc/objective';
import { gradientDescent } from '@nimc/optimizers';
import { randomInit } from '@nimc/tensor-init';

const d = 6;
const k = 3;
const { problem, truth } = generateSynthetic({ activation: 'sigmoid', d, k, n: 300, m: 3000, seed: 0 });
const objective = createObjective(problem, getActivation('sigmoid'), k);
const start = randomInit(d, d, k, createRandom(1));
const result = gradientDescent(objective.evaluate, objective.pack(start.U, start.V), { maxIterations: 30 });

const model = objective.unpack(result.x);
const rows = problem.observations.rows.subarray(0, 5);
const columns = problem.observations.columns.subarray(0, 5);
const predictions = predictPairs(model, problem.X, problem.Y, rows, columns);
console.log(
  JSON.stringify({
    initialLoss: result.history[0],
    finalLoss: result.loss,
    iterations: result.iterations,
    predictions: Array.from(predictions),
    observed: Array.from(problem.observations.values.subarray(0, 5)),
    testError: relativeTestError(model, truth, { nTest: 200, seed: 3 }),
  }),
);
