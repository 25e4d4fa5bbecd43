import { generateSynthetic, relativeTestError, sampleFeatures } from '@nimc/datasets';
import { createRandom } from '@nimc/linalg';
import { createObjective, predictAll } from '@nimc/objective';
import { gradientDescent } from '@nimc/optimizers';
import { randomInit } from '@nimc/tensor-init';

const d = 10;
const k = 3;

// A synthetic problem: 200 queries and 200 items with Gaussian features, a ground truth
// (U*, V*) of rank 3, and 2000 observed pairs A_ij = sigmoid(U*ᵀx_i)ᵀ sigmoid(V*ᵀy_j).
const { problem, truth } = generateSynthetic({ activation: 'sigmoid', d, k, n: 200, m: 2000, seed: 0 });

// The training loss f(U, V) as a function of θ = [vec(U); vec(V)], minimized from a random start.
const objective = createObjective(problem, truth.activation, k);
const start = randomInit(d, d, k, createRandom(1));
const result = gradientDescent(objective.evaluate, objective.pack(start.U, start.V), {
  maxIterations: 3000,
  gradientTolerance: 1e-9,
});
const model = objective.unpack(result.x);
console.log(`stopped after ${result.iterations} iterations: ${result.stopReason}`);
console.log(`training loss ${result.history[0]} -> ${result.loss}`);

// Error against the ground truth on 1000 × 1000 fresh test pairs.
console.log(`relative test error ${relativeTestError(model, truth)}`);

// Cold start: score 3 queries that were never seen in training, from their features alone.
const newQueries = sampleFeatures(3, d, createRandom(2));
const scores = predictAll(model, newQueries, problem.Y);
console.log(`scores of the new queries: ${scores.rows} × ${scores.columns}`);
