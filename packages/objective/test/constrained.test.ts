import { getActivation } from '@nimc/activations';
import { createMatrix } from '@nimc/linalg';
import { describe, expect, it } from 'vitest';
import {
  createNormalizedObjective,
  createObjective,
  linearSymmetryDirections,
  predictObserved,
  predictPairs,
  scalingSymmetryDirections,
  unitNormConstraintNormals,
  type NimcProblem,
} from '../src/index.js';
import { gaussianVector, noisyProblem, relativeError } from './synthetic.js';

const d1 = 4;
const d2 = 3;
const k = 2;
const sizeU = d1 * k;

function centralDifferences(f: (x: Float64Array) => number, x: Float64Array, h: number): Float64Array {
  const out = new Float64Array(x.length);
  const probe = Float64Array.from(x);
  for (let t = 0; t < x.length; t++) {
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

function predictionsOf(problem: NimcProblem, theta: Float64Array, name: string): Float64Array {
  const model = {
    U: createMatrix(d1, k, theta.subarray(0, sizeU)),
    V: createMatrix(d2, k, theta.subarray(sizeU)),
    activation: getActivation(name),
  };
  return predictObserved(model, problem);
}

describe('symmetry directions', () => {
  it('places u_c and −v_c in column c for the scaling directions', () => {
    const theta = Float64Array.from({ length: (d1 + d2) * k }, (_, t) => t + 1);

    const [first] = scalingSymmetryDirections({ d1, d2, k }, theta);

    // Column 0 of U contains θ[0], θ[2], θ[4], θ[6], and column 0 of V contains θ[8], θ[10], θ[12].
    expect(Array.from(first as Float64Array)).toEqual([1, 0, 3, 0, 5, 0, 7, 0, -9, 0, -11, 0, -13, 0]);
  });

  it('places u_a in column b and −v_b in column a for E_ab', () => {
    const theta = Float64Array.from({ length: (d1 + d2) * k }, (_, t) => t + 1);

    // a = 0, b = 1 is the second direction.
    const direction = linearSymmetryDirections({ d1, d2, k }, theta)[1] as Float64Array;

    // U column 1 gets u_0 = (1, 3, 5, 7), and V column 0 gets −v_1 = −(10, 12, 14).
    expect(Array.from(direction)).toEqual([0, 1, 0, 3, 0, 5, 0, 7, -10, 0, -12, 0, -14, 0]);
  });

  it('places v_c in column c of V for the unit-norm normals', () => {
    const theta = Float64Array.from({ length: (d1 + d2) * k }, (_, t) => t + 1);

    const normals = unitNormConstraintNormals({ d1, d2, k }, theta);

    expect(Array.from(normals[1] as Float64Array)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 12, 0, 14]);
  });

  it('leaves ReLU predictions unchanged along (U·D, V·D⁻¹)', () => {
    const problem = noisyProblem(3, 9, 8, d1, d2, 30);
    const theta = gaussianVector(4, (d1 + d2) * k);
    const scaled = Float64Array.from(theta);
    const scales = [2.5, 0.3];
    for (let c = 0; c < k; c++) {
      for (let a = 0; a < d1; a++) scaled[a * k + c]! *= scales[c] as number;
      for (let b = 0; b < d2; b++) scaled[sizeU + b * k + c]! /= scales[c] as number;
    }

    const error = relativeError(predictionsOf(problem, scaled, 'relu'), predictionsOf(problem, theta, 'relu'));
    expect(error).toBeLessThan(1e-14);
  });
});

describe('normalized objective', () => {
  for (const l2 of [0, 0.2]) {
    it(`gradient matches central differences, l2=${l2}`, () => {
      const problem = noisyProblem(5, 12, 10, d1, d2, 60);
      const objective = createNormalizedObjective(problem, getActivation('sigmoid'), k, { l2 });
      const theta = gaussianVector(6, objective.dimension);
      const gradient = new Float64Array(objective.dimension);

      objective.evaluate(theta, gradient);
      const numeric = centralDifferences((x) => objective.loss(x), theta, 1e-6);

      const error = relativeError(gradient, numeric);
      expect(error, `relative error ${error}`).toBeLessThan(1e-7);
    });
  }

  it('gradient is orthogonal to each column of W', () => {
    const problem = noisyProblem(7, 12, 10, d1, d2, 60);
    const objective = createNormalizedObjective(problem, getActivation('relu'), k);
    const theta = gaussianVector(8, objective.dimension);
    const gradient = new Float64Array(objective.dimension);

    objective.evaluate(theta, gradient);

    for (let c = 0; c < k; c++) {
      let inner = 0;
      let gradientSquared = 0;
      for (let b = 0; b < d2; b++) {
        inner += (gradient[sizeU + b * k + c] as number) * (theta[sizeU + b * k + c] as number);
        gradientSquared += (gradient[sizeU + b * k + c] as number) ** 2;
      }
      expect(Math.abs(inner), `column ${c}: ⟨∇_w g, w⟩ = ${inner}`).toBeLessThanOrEqual(1e-14 * Math.sqrt(gradientSquared));
    }
  });

  it('Gauss–Newton product equals J_gᵀJ_g·v/m + λ·[dU; 0] with a differenced Jacobian', () => {
    const problem = noisyProblem(9, 10, 9, d1, d2, 40);
    const l2 = 0.1;
    const objective = createNormalizedObjective(problem, getActivation('tanh'), k, { l2 });
    const theta = gaussianVector(10, objective.dimension);
    const v = gaussianVector(11, objective.dimension);
    const m = problem.observations.values.length;
    const h = 1e-6;

    // Column s of J_g is the central difference of the predictions of V(W) along e_s.
    const columns: Float64Array[] = [];
    for (let s = 0; s < objective.dimension; s++) {
      const plus = Float64Array.from(theta);
      const minus = Float64Array.from(theta);
      plus[s]! += h;
      minus[s]! -= h;
      const high = predictionsOf(problem, objective.toFactors(plus), 'tanh');
      const low = predictionsOf(problem, objective.toFactors(minus), 'tanh');
      columns.push(high.map((value, t) => (value - (low[t] as number)) / (2 * h)));
    }
    const Jv = new Float64Array(m);
    for (let s = 0; s < objective.dimension; s++) {
      for (let t = 0; t < m; t++) Jv[t]! += ((columns[s] as Float64Array)[t] as number) * (v[s] as number);
    }
    const expected = new Float64Array(objective.dimension);
    for (let s = 0; s < objective.dimension; s++) {
      let sum = 0;
      for (let t = 0; t < m; t++) sum += ((columns[s] as Float64Array)[t] as number) * (Jv[t] as number);
      expected[s] = sum / m + (s < sizeU ? l2 * (v[s] as number) : 0);
    }

    const product = objective.gaussNewtonTimes(theta, v);

    const error = relativeError(product, expected);
    expect(error, `relative error ${error}`).toBeLessThan(1e-7);
  });

  it('fromFactors keeps the ReLU model and gives V unit columns', () => {
    const problem = noisyProblem(12, 11, 10, d1, d2, 50);
    const objective = createNormalizedObjective(problem, getActivation('relu'), k);
    const plain = createObjective(problem, getActivation('relu'), k);
    const theta = gaussianVector(13, objective.dimension);

    const normalized = objective.fromFactors(theta);
    const factors = objective.toFactors(normalized);
    const model = objective.toModel(normalized);

    expect(relativeError(predictionsOf(problem, factors, 'relu'), predictionsOf(problem, theta, 'relu'))).toBeLessThan(1e-14);
    for (let c = 0; c < k; c++) {
      let sum = 0;
      for (let b = 0; b < d2; b++) sum += (model.V.data[b * k + c] as number) ** 2;
      expect(Math.abs(Math.sqrt(sum) - 1), `‖v_${c}‖ = ${Math.sqrt(sum)}`).toBeLessThan(1e-15);
    }
    const loss = objective.loss(normalized);
    const expected = plain.loss(theta);
    expect(Math.abs(loss - expected), `loss ${loss} against ${expected}`).toBeLessThan(1e-13 * expected);
    const pairs = predictPairs(model, problem.X, problem.Y, problem.observations.rows, problem.observations.columns);
    expect(relativeError(pairs, predictionsOf(problem, theta, 'relu'))).toBeLessThan(1e-14);
  });

  it('rejects a zero column of W', () => {
    const problem = noisyProblem(14, 6, 6, d1, d2, 20);
    const objective = createNormalizedObjective(problem, getActivation('relu'), k);
    const theta = gaussianVector(15, objective.dimension);
    for (let b = 0; b < d2; b++) theta[sizeU + b * k + 1] = 0;

    expect(() => objective.loss(theta)).toThrow("invalid θ': column 1 of W has norm 0, but every column needs a finite non-zero norm");
  });
});
