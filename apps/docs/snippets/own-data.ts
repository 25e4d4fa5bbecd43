import { getActivation } from '@nimc/activations';
import { createObservations, createRandom, matrixFromRows } from '@nimc/linalg';
import { createObjective, predictAll, type NimcProblem } from '@nimc/objective';
import { adam } from '@nimc/optimizers';
import { randomInit } from '@nimc/tensor-init';

// Features: one row per user (n1 × d1) and one row per item (n2 × d2).
const userFeatures = matrixFromRows([
  [1, 0, 1],
  [0, 1, 1],
  [1, 1, 0],
  [0, 0, 1],
]);
const itemFeatures = matrixFromRows([
  [1, 0],
  [0, 1],
  [1, 1],
]);

// Observed ratings as "user,item,rating" lines, with 0-based row indices into the feature matrices.
const ratingsCsv = `user,item,rating
0,0,5
0,1,3
1,1,4
1,2,2
2,0,4
2,2,5
3,0,1
3,1,2`;

const lines = ratingsCsv.trim().split('\n').slice(1);
const rows = new Int32Array(lines.length);
const columns = new Int32Array(lines.length);
const values = new Float64Array(lines.length);
lines.forEach((line, t) => {
  const [user, item, rating] = line.split(',').map(Number);
  rows[t] = user!;
  columns[t] = item!;
  values[t] = rating!;
});

const problem: NimcProblem = {
  X: userFeatures,
  Y: itemFeatures,
  observations: createObservations(userFeatures.rows, itemFeatures.rows, rows, columns, values),
};

// A rank-2 ReLU model with a small L2 penalty, trained by full-batch Adam.
const k = 2;
const objective = createObjective(problem, getActivation('relu'), k, { l2: 1e-3 });
const start = randomInit(userFeatures.columns, itemFeatures.columns, k, createRandom(0));
const result = adam(objective.evaluate, objective.pack(start.U, start.V), { learningRate: 0.05, maxIterations: 2000 });
console.log(`training loss ${result.history[0]} -> ${result.loss}`);

// A new user, known only by features, gets a score for every item.
const newUser = matrixFromRows([[1, 0, 0]]);
const scores = predictAll(objective.unpack(result.x), newUser, itemFeatures);
console.log(`scores of the new user: ${Array.from(scores.data, (score) => score.toFixed(2)).join(', ')}`);
