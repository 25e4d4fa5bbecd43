import { getActivation } from '@nimc/activations';
import { createMatrix, createRandom, frobeniusNorm, type DenseMatrix } from '@nimc/linalg';
import { gaussNewton } from '@nimc/optimizers';
import { describe, expect, it } from 'vitest';
import { createCurvature, createNormalizedObjective, predictAll } from '../src/index.js';
import { plantedProblem, type PlantedProblem } from './synthetic.js';

const d = 5;
const k = 3;

// ‖φ(X_t U)φ(Y_t V)ᵀ − φ(X_t U*)φ(Y_t V*)ᵀ‖_F / ‖φ(X_t U*)φ(Y_t V*)ᵀ‖_F on 200 fresh
// Gaussian queries and items.
function relativeTestError(planted: PlantedProblem, name: string, theta: Float64Array): number {
  const random = createRandom(99);
  const Xt = random.gaussianMatrix(200, d);
  const Yt = random.gaussianMatrix(200, d);
  const activation = getActivation(name);
  const truth = predictAll({ U: planted.U, V: planted.V, activation }, Xt, Yt);
  const model = {
    U: createMatrix(d, k, theta.subarray(0, d * k)),
    V: createMatrix(d, k, theta.subarray(d * k)),
    activation,
  };
  const estimate = predictAll(model, Xt, Yt);
  const difference: DenseMatrix = createMatrix(truth.rows, truth.columns);
  for (let t = 0; t < difference.data.length; t++) {
    difference.data[t] = (estimate.data[t] as number) - (truth.data[t] as number);
  }
  return frobeniusNorm(difference) / frobeniusNorm(truth);
}

// W0 = 0.9·W* + 0.1·W_r with standard normal W_r.
function perturbed(theta: Float64Array, seed: number): Float64Array {
  const random = createRandom(seed);
  return theta.map((value) => 0.9 * value + 0.1 * random.gaussian());
}

describe('Gauss–Newton on a zero-residual NIMC problem', () => {
  for (const name of ['sigmoid', 'tanh', 'identity']) {
    it(`reaches relative test error 1e-3 for ${name}`, () => {
      const planted = plantedProblem(21, getActivation(name), d, k, 200, 2000);
      const curvature = createCurvature(planted.problem, getActivation(name), k);
      const start = perturbed(planted.theta, 22);

      const result = gaussNewton(curvature, start, { maxIterations: 50, gradientTolerance: 1e-12 });
      const before = relativeTestError(planted, name, start);
      const after = relativeTestError(planted, name, result.x);

      expect(before, `test error at the start: ${before}`).toBeGreaterThan(1e-2);
      expect(after, `test error ${after} after ${result.iterations} iterations (${result.stopReason})`).toBeLessThanOrEqual(1e-3);
    });
  }

  it('reaches relative test error 1e-3 for ReLU in the unit-norm parametrization', () => {
    const planted = plantedProblem(23, getActivation('relu'), d, k, 200, 2000);
    const objective = createNormalizedObjective(planted.problem, getActivation('relu'), k);
    const start = objective.fromFactors(perturbed(planted.theta, 24));

    const result = gaussNewton(objective, start, { maxIterations: 50, gradientTolerance: 1e-12 });
    const after = relativeTestError(planted, 'relu', objective.toFactors(result.x));

    expect(after, `test error ${after} after ${result.iterations} iterations (${result.stopReason})`).toBeLessThanOrEqual(1e-3);
  });
});
