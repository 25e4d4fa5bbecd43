import { getActivation, type Activation } from '@nimc/activations';
import { createRandom, topRightSingularVectors, transpose, type DenseMatrix } from '@nimc/linalg';
import type { NimcModel } from '@nimc/objective';
import { describe, expect, it } from 'vitest';
import { generateSynthetic, relativeTestError, sampleFeatures } from '../src/index.js';
import { relativeError } from './movielens-path.js';

// Computes φ(Uᵀx)ᵀφ(Vᵀy) directly from the rows x of X and y of Y.
function score(model: NimcModel, X: DenseMatrix, i: number, Y: DenseMatrix, j: number): number {
  const { U, V, activation } = model;
  const k = U.columns;
  let sum = 0;
  for (let c = 0; c < k; c++) {
    let zu = 0;
    for (let p = 0; p < U.rows; p++) zu += (X.data[i * X.columns + p] as number) * (U.data[p * k + c] as number);
    let zv = 0;
    for (let p = 0; p < V.rows; p++) zv += (Y.data[j * Y.columns + p] as number) * (V.data[p * k + c] as number);
    sum += activation.value(zu) * activation.value(zv);
  }
  return sum;
}

function smallestSingularValue(a: DenseMatrix): number {
  const k = Math.min(a.rows, a.columns);
  return topRightSingularVectors(a, k).values[k - 1] as number;
}

function scaled(a: DenseMatrix, factor: number): DenseMatrix {
  return { rows: a.rows, columns: a.columns, data: a.data.map((value) => value * factor) };
}

describe('generateSynthetic', () => {
  const options = { activation: 'sigmoid', d1: 8, d2: 6, k: 3, n1: 40, n2: 30, m: 500, seed: 11 };

  it('returns the requested shapes', () => {
    const { problem, truth } = generateSynthetic(options);
    expect([truth.U.rows, truth.U.columns]).toEqual([8, 3]);
    expect([truth.V.rows, truth.V.columns]).toEqual([6, 3]);
    expect([problem.X.rows, problem.X.columns]).toEqual([40, 8]);
    expect([problem.Y.rows, problem.Y.columns]).toEqual([30, 6]);
    expect(problem.observations.n1).toBe(40);
    expect(problem.observations.n2).toBe(30);
    expect(problem.observations.values.length).toBe(500);
    expect(truth.activation.name).toBe('sigmoid');
  });

  it('scales the ground truth to σk = 1', () => {
    const { truth } = generateSynthetic(options);
    for (const [name, weights] of [
      ['U*', truth.U],
      ['V*', truth.V],
    ] as const) {
      // The transpose goes through the wide-matrix path of the SVD.
      const sigmaK = smallestSingularValue(transpose(weights));
      expect(Math.abs(sigmaK - 1), `σk(${name}) = ${sigmaK}`).toBeLessThan(1e-10);
    }
  });

  it('observes exact model scores', () => {
    for (const name of ['sigmoid', 'tanh', 'relu', 'identity']) {
      const { problem, truth } = generateSynthetic({ ...options, activation: name });
      const { rows, columns, values } = problem.observations;
      for (let t = 0; t < values.length; t++) {
        const expected = score(truth, problem.X, rows[t] as number, problem.Y, columns[t] as number);
        const actual = values[t] as number;
        expect(Math.abs(actual - expected), `${name} pair ${t}: ${actual} against ${expected}`).toBeLessThanOrEqual(
          1e-12 * Math.max(1, Math.abs(expected)),
        );
      }
    }
  });

  it('draws pairs inside n1×n2 and covers both ranges', () => {
    const { problem } = generateSynthetic({ ...options, m: 5000 });
    const { rows, columns } = problem.observations;
    expect(Math.min(...rows)).toBe(0);
    expect(Math.max(...rows)).toBe(39);
    expect(Math.min(...columns)).toBe(0);
    expect(Math.max(...columns)).toBe(29);
  });

  it('draws U*, V*, X and Y in that order from one stream', () => {
    const { problem, truth } = generateSynthetic(options);
    const random = createRandom(11);
    const rawU = random.gaussianMatrix(8, 3);
    const rawV = random.gaussianMatrix(6, 3);
    const X = random.gaussianMatrix(40, 8);
    const Y = random.gaussianMatrix(30, 6);
    expect(problem.X.data).toEqual(X.data);
    expect(problem.Y.data).toEqual(Y.data);
    const scaleU = 1 / smallestSingularValue(rawU);
    const scaleV = 1 / smallestSingularValue(rawV);
    for (let t = 0; t < rawU.data.length; t++) {
      const error = relativeError(truth.U.data[t] as number, (rawU.data[t] as number) * scaleU);
      expect(error, `U* entry ${t}`).toBeLessThan(1e-12);
    }
    for (let t = 0; t < rawV.data.length; t++) {
      const error = relativeError(truth.V.data[t] as number, (rawV.data[t] as number) * scaleV);
      expect(error, `V* entry ${t}`).toBeLessThan(1e-12);
    }
  });

  it('repeats bit for bit with the same seed', () => {
    const first = generateSynthetic(options);
    const second = generateSynthetic(options);
    expect(second.truth.U.data).toEqual(first.truth.U.data);
    expect(second.truth.V.data).toEqual(first.truth.V.data);
    expect(second.problem.X.data).toEqual(first.problem.X.data);
    expect(second.problem.Y.data).toEqual(first.problem.Y.data);
    expect(second.problem.observations.rows).toEqual(first.problem.observations.rows);
    expect(second.problem.observations.columns).toEqual(first.problem.observations.columns);
    expect(second.problem.observations.values).toEqual(first.problem.observations.values);
  });

  it('changes with the seed', () => {
    const first = generateSynthetic(options);
    const second = generateSynthetic({ ...options, seed: 12 });
    expect(second.truth.U.data).not.toEqual(first.truth.U.data);
    expect(second.problem.observations.rows).not.toEqual(first.problem.observations.rows);
  });

  it('accepts the d and n shorthands', () => {
    const { problem, truth } = generateSynthetic({ activation: 'relu', d: 5, k: 2, n: 12, m: 20 });
    expect([truth.U.rows, truth.V.rows]).toEqual([5, 5]);
    expect([problem.X.rows, problem.Y.rows]).toEqual([12, 12]);
  });

  it('accepts an Activation object', () => {
    const tanh: Activation = getActivation('tanh');
    expect(generateSynthetic({ ...options, activation: tanh }).truth.activation).toBe(tanh);
  });

  it('adds noise with the requested standard deviation', () => {
    const clean = generateSynthetic({ ...options, m: 20_000 });
    const noisy = generateSynthetic({ ...options, m: 20_000, noise: 0.1 });
    expect(noisy.problem.observations.rows).toEqual(clean.problem.observations.rows);
    let sum = 0;
    const values = noisy.problem.observations.values;
    for (let t = 0; t < values.length; t++) {
      const gap = (values[t] as number) - (clean.problem.observations.values[t] as number);
      sum += gap * gap;
    }
    const deviation = Math.sqrt(sum / values.length);
    expect(relativeError(deviation, 0.1), `noise standard deviation ${deviation}`).toBeLessThan(0.03);
  });

  it('rejects invalid sizes', () => {
    expect(() => generateSynthetic({ ...options, k: 7 })).toThrow('invalid k: expected at most min(d1, d2) = 6, received 7');
    expect(() => generateSynthetic({ ...options, n1: 2.5 })).toThrow('invalid n1: expected a positive integer, received 2.5');
    expect(() => generateSynthetic({ ...options, m: 0 })).toThrow('invalid m: expected a positive integer, received 0');
    expect(() => generateSynthetic({ ...options, d: 8 })).toThrow('invalid d2: d = 8 sets d1 = d2 = 8, but d2 = 6');
    expect(() => generateSynthetic({ activation: 'relu', d1: 4, k: 2, n: 5, m: 5 })).toThrow('missing d2: give d2 or d');
    expect(() => generateSynthetic({ ...options, noise: -1 })).toThrow('invalid noise');
    expect(() => generateSynthetic({ ...options, activation: 'softplus' })).toThrow('unknown activation "softplus"');
  });
});

describe('sampleFeatures', () => {
  it('draws standard Gaussian entries', () => {
    const X = sampleFeatures(200, 50, createRandom(4));
    expect([X.rows, X.columns]).toEqual([200, 50]);
    let sum = 0;
    let squares = 0;
    for (const value of X.data) {
      sum += value;
      squares += value * value;
    }
    const mean = sum / X.data.length;
    const variance = squares / X.data.length - mean * mean;
    expect(Math.abs(mean), `mean ${mean}`).toBeLessThan(0.05);
    expect(Math.abs(variance - 1), `variance ${variance}`).toBeLessThan(0.05);
  });

  it('rejects a non-positive size', () => {
    expect(() => sampleFeatures(0, 3, createRandom(1))).toThrow('invalid n: expected a positive integer, received 0');
  });
});

describe('relativeTestError', () => {
  const { truth } = generateSynthetic({ activation: 'tanh', d1: 7, d2: 5, k: 3, n: 10, m: 10, seed: 2 });

  it('is zero for the ground truth', () => {
    expect(relativeTestError(truth, truth, { seed: 9 })).toBe(0);
  });

  it('matches a direct computation', () => {
    const model: NimcModel = { ...truth, U: scaled(truth.U, 1.1) };
    const nTest = 70;
    const random = createRandom('test-features:4');
    const Xt = random.gaussianMatrix(nTest, 7);
    const Yt = random.gaussianMatrix(nTest, 5);
    let difference = 0;
    let reference = 0;
    for (let i = 0; i < nTest; i++) {
      for (let j = 0; j < nTest; j++) {
        const expected = score(truth, Xt, i, Yt, j);
        difference += (score(model, Xt, i, Yt, j) - expected) ** 2;
        reference += expected ** 2;
      }
    }
    const direct = Math.sqrt(difference / reference);
    const actual = relativeTestError(model, truth, { nTest, seed: 4 });
    expect(direct).toBeGreaterThan(0.01);
    expect(relativeError(actual, direct), `relativeTestError ${actual}, direct ${direct}`).toBeLessThan(1e-12);
  });

  it('rejects a model of other dimensions', () => {
    const model: NimcModel = { ...truth, U: { rows: 6, columns: 3, data: new Float64Array(18) } };
    expect(() => relativeTestError(model, truth)).toThrow('but the ground truth has d1 = 7 and d2 = 5');
  });
});
