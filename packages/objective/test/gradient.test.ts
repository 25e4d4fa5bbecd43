import { activationNames, getActivation } from '@nimc/activations';
import { createRandom, type DenseMatrix } from '@nimc/linalg';
import { describe, expect, it } from 'vitest';
import { createObjective, type NimcProblem } from '../src/index.js';
import { randomObservations } from './synthetic.js';

function randomProblem(seed: number, n1: number, n2: number, d1: number, d2: number, m: number): NimcProblem {
  const random = createRandom(seed);
  const X: DenseMatrix = random.gaussianMatrix(n1, d1);
  const Y: DenseMatrix = random.gaussianMatrix(n2, d2);
  return { X, Y, observations: randomObservations(random, n1, n2, m) };
}

// Central difference (f(θ + h e_t) − f(θ − h e_t)) / 2h for every coordinate t.
function centralDifferences(f: (theta: Float64Array) => number, theta: Float64Array, h: number): Float64Array {
  const out = new Float64Array(theta.length);
  const probe = Float64Array.from(theta);
  for (let t = 0; t < theta.length; t++) {
    const saved = probe[t] as number;
    probe[t] = saved + h;
    const plus = f(probe);
    probe[t] = saved - h;
    const minus = f(probe);
    probe[t] = saved;
    out[t] = (plus - minus) / (2 * h);
  }
  return out;
}

function relativeError(a: Float64Array, b: Float64Array): number {
  let diff = 0;
  let norm = 0;
  for (let t = 0; t < a.length; t++) {
    diff += ((a[t] as number) - (b[t] as number)) ** 2;
    norm += (b[t] as number) ** 2;
  }
  return Math.sqrt(diff / norm);
}

describe('objective gradient', () => {
  for (const name of activationNames) {
    for (const l2 of [0, 0.3]) {
      it(`matches central differences for ${name}, l2=${l2}`, () => {
        const problem = randomProblem(7, 13, 11, 5, 4, 60);
        const objective = createObjective(problem, getActivation(name), 3, { l2 });
        const theta = createRandom(8).gaussianMatrix(1, objective.dimension).data;
        const gradient = new Float64Array(objective.dimension);

        objective.evaluate(theta, gradient);
        const numeric = centralDifferences((x) => objective.loss(x), theta, 1e-6);

        const error = relativeError(gradient, numeric);
        expect(error, `relative error ${error} for ${name}`).toBeLessThan(1e-7);
      });
    }
  }

  it('batch gradient over all observations equals the full gradient', () => {
    const problem = randomProblem(3, 9, 7, 4, 3, 40);
    const objective = createObjective(problem, getActivation('sigmoid'), 2, { l2: 0.1 });
    const theta = createRandom(4).gaussianMatrix(1, objective.dimension).data;
    const full = new Float64Array(objective.dimension);
    const batch = new Float64Array(objective.dimension);
    const all = Int32Array.from({ length: 40 }, (_, t) => t);

    const fullLoss = objective.evaluate(theta, full);
    const batchLoss = objective.evaluateBatch(theta, all, batch);

    // The full pass visits observations row by row, so sums agree up to reassociation.
    expect(Math.abs(batchLoss - fullLoss)).toBeLessThan(1e-14 * fullLoss);
    expect(relativeError(batch, full)).toBeLessThan(1e-14);
  });

  it('batch gradient matches central differences of the batch loss', () => {
    const problem = randomProblem(5, 9, 7, 4, 3, 40);
    const objective = createObjective(problem, getActivation('tanh'), 2);
    const theta = createRandom(6).gaussianMatrix(1, objective.dimension).data;
    const batch = Int32Array.from([3, 17, 17, 25, 39]);
    const gradient = new Float64Array(objective.dimension);
    const scratch = new Float64Array(objective.dimension);

    objective.evaluateBatch(theta, batch, gradient);
    const numeric = centralDifferences((x) => objective.evaluateBatch(x, batch, scratch), theta, 1e-6);

    expect(relativeError(gradient, numeric)).toBeLessThan(1e-7);
  });

  it('loss is half the mean squared residual', () => {
    const problem = randomProblem(1, 3, 2, 2, 2, 4);
    const objective = createObjective(problem, getActivation('identity'), 1);
    // U = [1; 0] and V = [0; 1] give the score x_i[0]·y_j[1].
    const theta = Float64Array.from([1, 0, 0, 1]);
    const { rows, columns, values } = problem.observations;
    let expected = 0;
    for (let t = 0; t < 4; t++) {
      const score = (problem.X.data[(rows[t] as number) * 2] as number) * (problem.Y.data[(columns[t] as number) * 2 + 1] as number);
      expected += (score - (values[t] as number)) ** 2;
    }
    expected /= 8;

    expect(objective.loss(theta)).toBeCloseTo(expected, 14);
  });

  it('rejects a parameter vector of the wrong length', () => {
    const objective = createObjective(randomProblem(1, 3, 2, 2, 2, 4), getActivation('relu'), 1);

    expect(() => objective.loss(new Float64Array(3))).toThrow('expected length (d1 + d2)·k = 4, received 3');
  });

  it('rejects a rank that is not a positive integer', () => {
    const problem = randomProblem(1, 3, 2, 2, 2, 4);

    expect(() => createObjective(problem, getActivation('relu'), 0)).toThrow('received 0');
    expect(() => createObjective(problem, getActivation('relu'), 1.5)).toThrow('received 1.5');
  });
});
