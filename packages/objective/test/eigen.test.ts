import { getActivation } from '@nimc/activations';
import { describe, expect, it } from 'vitest';
import {
  constrainedExtremeEigenvalues,
  createCurvature,
  extremeEigenvalues,
  operatorExtremeEigenvalues,
  type SymmetricOperator,
} from '../src/index.js';
import { gaussianVector, noisyProblem, plantedProblem } from './synthetic.js';

// diag(values) as an operator without a matrix method.
function diagonalOperator(values: number[]): SymmetricOperator {
  return {
    dimension: values.length,
    times: (v, out) => {
      for (let t = 0; t < values.length; t++) out[t] = (values[t] as number) * (v[t] as number);
    },
  };
}

describe('operatorExtremeEigenvalues', () => {
  const values = Array.from({ length: 60 }, (_, t) => Math.sin(t + 1) * (t + 1));
  const expectedMin = Math.min(...values);
  const expectedMax = Math.max(...values);

  for (const method of ['dense', 'lanczos'] as const) {
    it(`finds the extremes of a diagonal operator with ${method}`, () => {
      const result = operatorExtremeEigenvalues(diagonalOperator(values), { method });

      expect(result.method).toBe(method);
      expect(result.converged).toBe(true);
      expect(Math.abs(result.min - expectedMin), `min ${result.min} against ${expectedMin}`).toBeLessThan(1e-10 * expectedMax);
      expect(Math.abs(result.max - expectedMax), `max ${result.max} against ${expectedMax}`).toBeLessThan(1e-10 * expectedMax);
      expect(result.minResidual).toBeLessThan(1e-9 * expectedMax);
      expect(result.maxResidual).toBeLessThan(1e-9 * expectedMax);
    });
  }

  it('restricts to the complement of excluded directions', () => {
    // Excluding e_0 and e_1 removes the eigenvalues −5 and 9, leaving [−1, 4].
    const operator = diagonalOperator([-5, 9, 1, 4, -1, 2]);
    const e0 = Float64Array.of(1, 0, 0, 0, 0, 0);
    const e1 = Float64Array.of(0, 2, 0, 0, 0, 0);

    for (const method of ['dense', 'lanczos'] as const) {
      const result = operatorExtremeEigenvalues(operator, { method, excludedDirections: [e0, e1] });
      expect(result.subspaceDimension).toBe(4);
      expect(Math.abs(result.min + 1), `${method} min ${result.min}`).toBeLessThan(1e-12);
      expect(Math.abs(result.max - 4), `${method} max ${result.max}`).toBeLessThan(1e-12);
      expect(Math.abs(result.minVector[0] as number)).toBeLessThan(1e-12);
      expect(Math.abs(result.maxVector[1] as number)).toBeLessThan(1e-12);
    }
  });

  it('drops linearly dependent excluded directions', () => {
    const operator = diagonalOperator([3, 1, 2]);
    const direction = Float64Array.of(1, 0, 0);

    const result = operatorExtremeEigenvalues(operator, { excludedDirections: [direction, direction] });

    expect(result.subspaceDimension).toBe(2);
    expect(result.max).toBeCloseTo(2, 12);
  });

  it('rejects excluded directions that span the whole space', () => {
    const operator = diagonalOperator([3, 1]);
    const excludedDirections = [Float64Array.of(1, 0), Float64Array.of(1, 1)];
    expect(() => operatorExtremeEigenvalues(operator, { excludedDirections })).toThrow(
      'invalid excluded directions: they span all 2 dimensions, so no subspace is left',
    );
  });

  it('rejects an unknown method', () => {
    const operator = diagonalOperator([3, 1]);
    expect(() => operatorExtremeEigenvalues(operator, { method: 'power' as 'dense' })).toThrow(
      "invalid method: expected 'auto', 'dense' or 'lanczos', received power",
    );
  });

  it('rejects an excluded direction of the wrong length', () => {
    const operator = diagonalOperator([3, 1]);
    expect(() => operatorExtremeEigenvalues(operator, { excludedDirections: [Float64Array.of(1)] })).toThrow(
      'invalid excluded direction 0: expected length 2, received 1',
    );
  });
});

describe('Hessian extreme eigenvalues', () => {
  it('Lanczos agrees with the dense solver on an indefinite Hessian', () => {
    const problem = noisyProblem(31, 60, 50, 8, 7, 900);
    const curvature = createCurvature(problem, getActivation('tanh'), 4, { l2: 1e-3 });
    const theta = gaussianVector(32, curvature.dimension, 0.5);

    const dense = extremeEigenvalues(curvature, theta, { method: 'dense' });
    const lanczos = extremeEigenvalues(curvature, theta, { method: 'lanczos', tolerance: 1e-10 });
    const scale = Math.max(Math.abs(dense.min), Math.abs(dense.max));

    expect(dense.min, 'the Hessian away from a minimum should be indefinite').toBeLessThan(0);
    expect(Math.abs(lanczos.min - dense.min), `Lanczos ${lanczos.min}, dense ${dense.min}`).toBeLessThan(1e-9 * scale);
    expect(Math.abs(lanczos.max - dense.max), `Lanczos ${lanczos.max}, dense ${dense.max}`).toBeLessThan(1e-9 * scale);
    expect(lanczos.converged).toBe(true);
    expect(lanczos.minResidual).toBeLessThan(1e-9 * scale);
    expect(lanczos.maxResidual).toBeLessThan(1e-9 * scale);
    expect(dense.minResidual).toBeLessThan(1e-12 * scale);
  });

  it('Lanczos agrees with the dense solver on the constrained ReLU Hessian', () => {
    const planted = plantedProblem(33, getActivation('relu'), 8, 3, 300, 3000);
    const curvature = createCurvature(planted.problem, getActivation('relu'), 3);

    const dense = constrainedExtremeEigenvalues(curvature, planted.theta, { method: 'dense' });
    const lanczos = constrainedExtremeEigenvalues(curvature, planted.theta, { method: 'lanczos' });

    expect(Math.abs(lanczos.min - dense.min), `Lanczos ${lanczos.min}, dense ${dense.min}`).toBeLessThan(1e-9 * dense.max);
    expect(Math.abs(lanczos.max - dense.max), `Lanczos ${lanczos.max}, dense ${dense.max}`).toBeLessThan(1e-9 * dense.max);
    expect(lanczos.subspaceDimension).toBe(dense.subspaceDimension);
  });

  it('picks the dense method up to denseLimit and Lanczos above it', () => {
    const problem = noisyProblem(34, 20, 20, 3, 3, 100);
    const curvature = createCurvature(problem, getActivation('sigmoid'), 2);
    const theta = new Float64Array(12).fill(0.3);

    expect(extremeEigenvalues(curvature, theta).method).toBe('dense');
    expect(extremeEigenvalues(curvature, theta, { denseLimit: 11 }).method).toBe('lanczos');
  });
});
