import { activationNames, getActivation } from '@nimc/activations';
import { createMatrix, multiply, type DenseMatrix } from '@nimc/linalg';
import { describe, expect, it } from 'vitest';
import {
  createCurvature,
  createObjective,
  gaussNewtonVectorProduct,
  hessian,
  hessianVectorProduct,
  predictPairs,
  type NimcProblem,
} from '../src/index.js';
import { gaussianVector, matrixTimes, noisyProblem, norm, relativeError } from './synthetic.js';

// Column t of the result is (∇f(θ + h·e_t) − ∇f(θ − h·e_t)) / 2h, from `createObjective`.
function differencedHessian(problem: NimcProblem, name: string, k: number, l2: number, theta: Float64Array, h: number): DenseMatrix {
  const objective = createObjective(problem, getActivation(name), k, { l2 });
  const n = objective.dimension;
  const out = createMatrix(n, n);
  const probe = Float64Array.from(theta);
  const plus = new Float64Array(n);
  const minus = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const saved = probe[t] as number;
    probe[t] = saved + h;
    objective.evaluate(probe, plus);
    probe[t] = saved - h;
    objective.evaluate(probe, minus);
    probe[t] = saved;
    for (let s = 0; s < n; s++) out.data[s * n + t] = ((plus[s] as number) - (minus[s] as number)) / (2 * h);
  }
  return out;
}

// The m×(d1 + d2)k Jacobian of the predictions, written out entry by entry:
// ∂s_t/∂U(a, c) = x_i[a]·φ′(x_iᵀu_c)·φ(y_jᵀv_c) and ∂s_t/∂V(b, c) = y_j[b]·φ′(y_jᵀv_c)·φ(x_iᵀu_c).
function explicitJacobian(problem: NimcProblem, name: string, k: number, theta: Float64Array): DenseMatrix {
  const activation = getActivation(name);
  const { X, Y, observations } = problem;
  const d1 = X.columns;
  const d2 = Y.columns;
  const n = (d1 + d2) * k;
  const U = createMatrix(d1, k, theta.subarray(0, d1 * k));
  const V = createMatrix(d2, k, theta.subarray(d1 * k));
  const Z1 = multiply(X, U);
  const Z2 = multiply(Y, V);
  const m = observations.values.length;
  const J = createMatrix(m, n);
  for (let t = 0; t < m; t++) {
    const i = observations.rows[t] as number;
    const j = observations.columns[t] as number;
    for (let c = 0; c < k; c++) {
      const z1 = Z1.data[i * k + c] as number;
      const z2 = Z2.data[j * k + c] as number;
      for (let a = 0; a < d1; a++) {
        J.data[t * n + a * k + c] = (X.data[i * d1 + a] as number) * activation.derivative(z1) * activation.value(z2);
      }
      for (let b = 0; b < d2; b++) {
        J.data[t * n + d1 * k + b * k + c] = (Y.data[j * d2 + b] as number) * activation.derivative(z2) * activation.value(z1);
      }
    }
  }
  return J;
}

function frobeniusRelativeError(a: DenseMatrix, b: DenseMatrix): number {
  return relativeError(a.data, b.data);
}

function dotProduct(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let t = 0; t < a.length; t++) sum += (a[t] as number) * (b[t] as number);
  return sum;
}

describe('exact Hessian', () => {
  for (const name of activationNames) {
    for (const l2 of [0, 0.3]) {
      it(`matches differenced gradients for ${name}, l2=${l2}`, () => {
        const problem = noisyProblem(11, 13, 11, 5, 4, 80);
        const theta = gaussianVector(12, (5 + 4) * 3, 0.6);

        const exact = hessian(problem, getActivation(name), 3, theta, { l2 });
        const numeric = differencedHessian(problem, name, 3, l2, theta, 1e-5);

        const error = frobeniusRelativeError(exact, numeric);
        expect(error, `relative Frobenius error ${error} for ${name}`).toBeLessThan(1e-6);
      });
    }
  }

  it('is symmetric', () => {
    const problem = noisyProblem(2, 10, 12, 4, 6, 70);
    const H = hessian(problem, getActivation('tanh'), 3, gaussianVector(3, 30), { l2: 0.1 });
    let asymmetry = 0;
    for (let r = 0; r < H.rows; r++) {
      for (let s = 0; s < r; s++) asymmetry = Math.max(asymmetry, Math.abs((H.data[r * H.columns + s] as number) - (H.data[s * H.columns + r] as number)));
    }
    expect(asymmetry).toBe(0);
  });

  it('rejects a θ of the wrong length', () => {
    const problem = noisyProblem(2, 5, 5, 3, 3, 10);
    expect(() => hessian(problem, getActivation('tanh'), 2, new Float64Array(5))).toThrow(
      'invalid θ: expected length (d1 + d2)·k = 12, received 5',
    );
  });
});

describe('Hessian-vector product', () => {
  for (const name of activationNames) {
    for (const l2 of [0, 0.3]) {
      it(`equals the exact Hessian times v for ${name}, l2=${l2}`, () => {
        const problem = noisyProblem(21, 17, 14, 6, 5, 120);
        const curvature = createCurvature(problem, getActivation(name), 4, { l2 });
        const theta = gaussianVector(22, curvature.dimension, 0.5);
        const H = curvature.hessian(theta);

        for (let trial = 0; trial < 3; trial++) {
          const v = gaussianVector(30 + trial, curvature.dimension);
          const product = curvature.hessianTimes(theta, v);
          const error = relativeError(product, matrixTimes(H, v));
          expect(error, `relative error ${error} for ${name}, trial ${trial}`).toBeLessThan(1e-10);
        }
      });
    }
  }

  it('is self-adjoint: uᵀ(Hv) = vᵀ(Hu)', () => {
    const problem = noisyProblem(5, 20, 15, 5, 6, 150);
    const curvature = createCurvature(problem, getActivation('sigmoid'), 3);
    const theta = gaussianVector(6, curvature.dimension);
    const u = gaussianVector(7, curvature.dimension);
    const v = gaussianVector(8, curvature.dimension);

    const left = dotProduct(u, curvature.hessianTimes(theta, v));
    const right = dotProduct(v, curvature.hessianTimes(theta, u));

    expect(Math.abs(left - right), `uᵀHv = ${left}, vᵀHu = ${right}`).toBeLessThan(1e-12 * Math.abs(left));
  });

  it('standalone function equals the curvature method', () => {
    const problem = noisyProblem(5, 9, 8, 3, 4, 40);
    const activation = getActivation('tanh');
    const theta = gaussianVector(1, 14);
    const v = gaussianVector(2, 14);

    const once = hessianVectorProduct(problem, activation, 2, theta, v, { l2: 0.2 });
    const repeated = createCurvature(problem, activation, 2, { l2: 0.2 }).hessianTimes(theta, v);

    expect(Array.from(once)).toEqual(Array.from(repeated));
  });

  it('recomputes the embeddings when θ is overwritten in place', () => {
    const problem = noisyProblem(15, 9, 8, 3, 4, 40);
    const curvature = createCurvature(problem, getActivation('sigmoid'), 2);
    const theta = gaussianVector(1, 14);
    const v = gaussianVector(2, 14);
    const before = curvature.hessianTimes(theta, v);

    theta.set(gaussianVector(3, 14));
    const after = curvature.hessianTimes(theta, v);
    const fresh = createCurvature(problem, getActivation('sigmoid'), 2).hessianTimes(theta, v);

    expect(relativeError(after, before)).toBeGreaterThan(1e-3);
    expect(Array.from(after)).toEqual(Array.from(fresh));
  });
});

describe('Gauss–Newton product and Jacobian', () => {
  for (const name of activationNames) {
    it(`equals JᵀJv/m + λv with an explicit Jacobian for ${name}`, () => {
      const problem = noisyProblem(41, 7, 6, 3, 4, 30);
      const l2 = 0.05;
      const curvature = createCurvature(problem, getActivation(name), 2, { l2 });
      const theta = gaussianVector(42, curvature.dimension);
      const v = gaussianVector(43, curvature.dimension);
      const J = explicitJacobian(problem, name, 2, theta);
      const m = J.rows;

      const Jv = matrixTimes(J, v);
      const expected = new Float64Array(curvature.dimension);
      for (let s = 0; s < J.columns; s++) {
        let sum = 0;
        for (let t = 0; t < m; t++) sum += (J.data[t * J.columns + s] as number) * (Jv[t] as number);
        expected[s] = sum / m + l2 * (v[s] as number);
      }

      const product = curvature.gaussNewtonTimes(theta, v);
      const standalone = gaussNewtonVectorProduct(problem, getActivation(name), 2, theta, v, { l2 });

      const error = relativeError(product, expected);
      expect(error, `relative error ${error} for ${name}`).toBeLessThan(1e-12);
      expect(Array.from(standalone)).toEqual(Array.from(product));
    });
  }

  it('explicit Jacobian matches differenced predictions', () => {
    const problem = noisyProblem(51, 7, 6, 3, 4, 25);
    const activation = getActivation('sigmoid');
    const theta = gaussianVector(52, 14);
    const J = explicitJacobian(problem, 'sigmoid', 2, theta);
    const h = 1e-6;
    const obs = problem.observations;
    const predict = (x: Float64Array): Float64Array =>
      predictPairs(
        { U: createMatrix(3, 2, x.subarray(0, 6)), V: createMatrix(4, 2, x.subarray(6)), activation },
        problem.X,
        problem.Y,
        obs.rows,
        obs.columns,
      );

    const numeric = createMatrix(J.rows, J.columns);
    for (let s = 0; s < J.columns; s++) {
      const plus = Float64Array.from(theta);
      const minus = Float64Array.from(theta);
      plus[s]! += h;
      minus[s]! -= h;
      const high = predict(plus);
      const low = predict(minus);
      for (let t = 0; t < J.rows; t++) numeric.data[t * J.columns + s] = ((high[t] as number) - (low[t] as number)) / (2 * h);
    }

    const error = frobeniusRelativeError(J, numeric);
    expect(error, `relative error ${error}`).toBeLessThan(1e-8);
  });

  it('jacobianTimes and jacobianTransposeTimes match the explicit Jacobian', () => {
    const problem = noisyProblem(61, 8, 9, 4, 3, 35);
    const curvature = createCurvature(problem, getActivation('tanh'), 2);
    const theta = gaussianVector(62, curvature.dimension);
    const J = explicitJacobian(problem, 'tanh', 2, theta);
    const v = gaussianVector(63, curvature.dimension);
    const w = gaussianVector(64, J.rows);

    const Jv = curvature.jacobianTimes(theta, v);
    const Jtw = curvature.jacobianTransposeTimes(theta, w);
    const expectedJtw = new Float64Array(J.columns);
    for (let s = 0; s < J.columns; s++) {
      for (let t = 0; t < J.rows; t++) expectedJtw[s]! += (J.data[t * J.columns + s] as number) * (w[t] as number);
    }

    expect(relativeError(Jv, matrixTimes(J, v))).toBeLessThan(1e-13);
    expect(relativeError(Jtw, expectedJtw)).toBeLessThan(1e-13);
  });

  it('is positive semi-definite: vᵀGv ≥ λ‖v‖²', () => {
    const problem = noisyProblem(71, 12, 10, 4, 5, 60);
    const l2 = 0.01;
    const curvature = createCurvature(problem, getActivation('relu'), 3, { l2 });
    const theta = gaussianVector(72, curvature.dimension);
    for (let trial = 0; trial < 5; trial++) {
      const v = gaussianVector(80 + trial, curvature.dimension);
      const quadratic = dotProduct(v, curvature.gaussNewtonTimes(theta, v));
      expect(quadratic).toBeGreaterThanOrEqual(l2 * norm(v) ** 2 * (1 - 1e-12));
    }
  });
});

describe('curvature evaluate', () => {
  for (const name of activationNames) {
    it(`matches createObjective for ${name}`, () => {
      const problem = noisyProblem(91, 11, 10, 4, 3, 50);
      const options = { l2: 0.2 };
      const curvature = createCurvature(problem, getActivation(name), 3, options);
      const objective = createObjective(problem, getActivation(name), 3, options);
      const theta = gaussianVector(92, curvature.dimension);
      const gradient = new Float64Array(curvature.dimension);
      const expectedGradient = new Float64Array(curvature.dimension);

      const value = curvature.evaluate(theta, gradient);
      const expected = objective.evaluate(theta, expectedGradient);

      expect(Math.abs(value - expected), `loss ${value} against ${expected}`).toBeLessThan(1e-13 * expected);
      expect(relativeError(gradient, expectedGradient)).toBeLessThan(1e-13);
      expect(curvature.loss(theta)).toBe(value);
    });
  }

  it('rejects a gradient buffer of the wrong length', () => {
    const problem = noisyProblem(1, 5, 5, 2, 2, 10);
    const curvature = createCurvature(problem, getActivation('relu'), 2);
    expect(() => curvature.evaluate(new Float64Array(8), new Float64Array(3))).toThrow(
      'invalid gradient: expected length (d1 + d2)·k = 8, received 3',
    );
  });

  it('rejects an invalid rank', () => {
    const problem = noisyProblem(1, 5, 5, 2, 2, 10);
    expect(() => createCurvature(problem, getActivation('relu'), 0)).toThrow(
      'invalid rank k: expected a positive integer, received 0',
    );
  });
});
