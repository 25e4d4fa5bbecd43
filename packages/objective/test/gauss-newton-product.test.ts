import { activationNames, getActivation } from '@nimc/activations';
import { createMatrix, createRandom, type DenseMatrix } from '@nimc/linalg';
import { describe, expect, it } from 'vitest';
import {
  createCurvature,
  createGaussNewtonObjective,
  createObjective,
  type Curvature,
  type NimcProblem,
} from '../src/index.js';
import { gaussianVector, relativeError, randomObservations } from './synthetic.js';

// Features whose n rows repeat `distinct` rows, so that merging shrinks both the rows and
// (with m pairs drawn with replacement from a small grid) the pairs.
function repeatedRows(random: ReturnType<typeof createRandom>, n: number, distinct: number, d: number): DenseMatrix {
  const base = random.gaussianMatrix(distinct, d);
  const out = createMatrix(n, d);
  for (let i = 0; i < n; i++) {
    const source = random.integer(distinct);
    out.data.set(base.data.subarray(source * d, (source + 1) * d), i * d);
  }
  return out;
}

function mergeableProblem(seed: number): NimcProblem {
  const random = createRandom(seed);
  const n1 = 30;
  const n2 = 25;
  const m = 200;
  const X = repeatedRows(random, n1, 6, 4);
  const Y = repeatedRows(random, n2, 5, 3);
  return { X, Y, observations: randomObservations(random, n1, n2, m) };
}

// Jᵀ(J·v)/m + λv from the observation-order products, which loop over the observations one
// by one and never merge them.
function referenceProduct(curvature: Curvature, theta: Float64Array, v: Float64Array): Float64Array {
  const predictionChange = curvature.jacobianTimes(theta, v);
  for (let t = 0; t < predictionChange.length; t++) predictionChange[t]! /= curvature.size;
  const out = curvature.jacobianTransposeTimes(theta, predictionChange);
  for (let t = 0; t < out.length; t++) out[t]! += curvature.l2 * (v[t] as number);
  return out;
}

function freshProduct(problem: NimcProblem, theta: Float64Array, v: Float64Array): Float64Array {
  return createCurvature(problem, getActivation('sigmoid'), 2, { l2: 0.05 }).gaussNewtonTimes(theta, v);
}

describe('gaussNewtonTimes on the evaluation kernels', () => {
  for (const name of activationNames) {
    for (const mergeIdenticalRows of [true, false]) {
      it(`equals Jᵀ(J·v)/m + λv for ${name}, merging ${mergeIdenticalRows}`, () => {
        const problem = mergeableProblem(3);
        const curvature = createCurvature(problem, getActivation(name), 2, { l2: 0.05, mergeIdenticalRows });
        const theta = gaussianVector(4, curvature.dimension);

        for (let trial = 0; trial < 3; trial++) {
          const v = gaussianVector(10 + trial, curvature.dimension);
          const product = curvature.gaussNewtonTimes(theta, v);
          const expected = referenceProduct(curvature, theta, v);
          const error = relativeError(product, expected);
          expect(error, `relative error ${error} for direction ${trial}`).toBeLessThan(1e-12);
        }
      });
    }
  }

  it('gives the same bits on both backends', () => {
    const problem = mergeableProblem(5);
    const theta = gaussianVector(6, 14);
    const v = gaussianVector(7, 14);
    const wasm = createCurvature(problem, getActivation('tanh'), 2, { backend: 'wasm-simd', l2: 0.1 });
    const typescript = createCurvature(problem, getActivation('tanh'), 2, { backend: 'typescript', l2: 0.1 });

    const fast = wasm.gaussNewtonTimes(theta, v);
    const fallback = typescript.gaussNewtonTimes(theta, v);

    expect(Array.from(fast)).toEqual(Array.from(fallback));
  });

  it('ignores the storage of the observed values', () => {
    const problem = mergeableProblem(8);
    const theta = gaussianVector(9, 14);
    const v = gaussianVector(10, 14);
    const options = { mergeIdenticalRows: false };
    const float64 = createCurvature(problem, getActivation('sigmoid'), 2, { ...options, valueType: 'float64' });
    const float32 = createCurvature(problem, getActivation('sigmoid'), 2, { ...options, valueType: 'float32' });

    expect(Array.from(float32.gaussNewtonTimes(theta, v))).toEqual(Array.from(float64.gaussNewtonTimes(theta, v)));
  });

  it('writes into the output buffer it is given', () => {
    const problem = mergeableProblem(11);
    const curvature = createCurvature(problem, getActivation('sigmoid'), 2, { l2: 0.05 });
    const theta = gaussianVector(12, 14);
    const v = gaussianVector(13, 14);
    const out = new Float64Array(14).fill(Number.NaN);

    const returned = curvature.gaussNewtonTimes(theta, v, out);

    expect(returned).toBe(out);
    expect(Array.from(out)).toEqual(Array.from(freshProduct(problem, theta, v)));
  });

  it('rejects buffers of the wrong length', () => {
    const curvature = createCurvature(mergeableProblem(1), getActivation('relu'), 2);
    const theta = new Float64Array(14);
    expect(() => curvature.gaussNewtonTimes(theta, new Float64Array(13))).toThrow(
      'invalid v: expected length (d1 + d2)·k = 14, received 13',
    );
    expect(() => curvature.gaussNewtonTimes(new Float64Array(15), new Float64Array(14))).toThrow(
      'invalid θ: expected length (d1 + d2)·k = 14, received 15',
    );
    expect(() => curvature.gaussNewtonTimes(theta, new Float64Array(14), new Float64Array(2))).toThrow(
      'invalid output: expected length 14, received 2',
    );
  });

  it('rejects an unknown value type when created', () => {
    const problem = mergeableProblem(1);
    const options = { valueType: 'float16' as 'float32' };
    expect(() => createCurvature(problem, getActivation('relu'), 2, options)).toThrow(
      `invalid valueType "float16": expected 'float64' or 'float32'`,
    );
  });
});

// The two ways to the kernel product: the curvature operators, which create it at their
// first call, and the objective itself.
const factories = {
  createCurvature: (problem: NimcProblem) => createCurvature(problem, getActivation('sigmoid'), 2, { l2: 0.05 }),
  createGaussNewtonObjective: (problem: NimcProblem) => createGaussNewtonObjective(problem, getActivation('sigmoid'), 2, { l2: 0.05 }),
};

for (const [factoryName, create] of Object.entries(factories)) {
  describe(`gaussNewtonTimes cache of ${factoryName}`, () => {
    const problem = mergeableProblem(21);
    const dimension = 14;
    const v = gaussianVector(22, dimension);

    it('recomputes the embeddings when θ is overwritten in place', () => {
      const operators = create(problem);
      const theta = gaussianVector(23, dimension);
      const before = operators.gaussNewtonTimes(theta, v);

      theta.set(gaussianVector(24, dimension));
      const after = operators.gaussNewtonTimes(theta, v);

      expect(relativeError(after, before), 'change of the product').toBeGreaterThan(1e-3);
      expect(Array.from(after)).toEqual(Array.from(freshProduct(problem, theta, v)));
    });

    it('does not reuse an evaluation at a θ overwritten since', () => {
      const operators = create(problem);
      const theta = gaussianVector(25, dimension);
      operators.evaluate(theta, new Float64Array(dimension));

      theta.set(gaussianVector(26, dimension));
      const product = operators.gaussNewtonTimes(theta, v);

      expect(Array.from(product)).toEqual(Array.from(freshProduct(problem, theta, v)));
    });

    it('reuses the embeddings of an evaluation at the same θ', () => {
      const operators = create(problem);
      const theta = gaussianVector(27, dimension);
      operators.evaluate(theta, new Float64Array(dimension));

      const product = operators.gaussNewtonTimes(Float64Array.from(theta), v);

      expect(Array.from(product)).toEqual(Array.from(freshProduct(problem, theta, v)));
    });

    it('does not reuse a loss at another θ', () => {
      const operators = create(problem);
      const theta = gaussianVector(28, dimension);
      operators.loss(gaussianVector(29, dimension));

      const product = operators.gaussNewtonTimes(theta, v);

      expect(Array.from(product)).toEqual(Array.from(freshProduct(problem, theta, v)));
    });

    it('returns to a cached θ after an evaluation elsewhere', () => {
      const operators = create(problem);
      const current = gaussianVector(30, dimension);
      const trial = gaussianVector(31, dimension);
      const first = operators.gaussNewtonTimes(current, v);

      operators.evaluate(trial, new Float64Array(dimension));
      const again = operators.gaussNewtonTimes(current, v);
      const atTrial = operators.gaussNewtonTimes(trial, v);

      expect(Array.from(again)).toEqual(Array.from(first));
      expect(Array.from(atTrial)).toEqual(Array.from(freshProduct(problem, trial, v)));
    });

    it('keeps every product exact while three points take turns', () => {
      const operators = create(problem);
      const points = [gaussianVector(32, dimension), gaussianVector(33, dimension), gaussianVector(34, dimension)];
      const expected = points.map((theta) => freshProduct(problem, theta, v));

      for (const index of [0, 1, 2, 0, 2, 1, 1, 0]) {
        const product = operators.gaussNewtonTimes(points[index] as Float64Array, v);
        expect(Array.from(product), `product at point ${index}`).toEqual(Array.from(expected[index] as Float64Array));
      }
    });
  });
}

describe('createGaussNewtonObjective', () => {
  it('evaluates the loss of createObjective bit for bit', () => {
    const problem = mergeableProblem(41);
    const options = { l2: 0.1 };
    const gaussNewton = createGaussNewtonObjective(problem, getActivation('tanh'), 2, options);
    const objective = createObjective(problem, getActivation('tanh'), 2, options);
    const theta = gaussianVector(42, 14);
    const gradient = new Float64Array(14);
    const expectedGradient = new Float64Array(14);
    const batch = Int32Array.of(3, 7, 7, 150);
    const batchGradient = new Float64Array(14);
    const expectedBatchGradient = new Float64Array(14);

    const value = gaussNewton.evaluate(theta, gradient);
    const expected = objective.evaluate(theta, expectedGradient);
    const batchValue = gaussNewton.evaluateBatch(theta, batch, batchGradient);
    const expectedBatch = objective.evaluateBatch(theta, batch, expectedBatchGradient);

    expect(value).toBe(expected);
    expect(Array.from(gradient)).toEqual(Array.from(expectedGradient));
    expect(gaussNewton.loss(theta)).toBe(objective.loss(theta));
    expect(batchValue).toBe(expectedBatch);
    expect(Array.from(batchGradient)).toEqual(Array.from(expectedBatchGradient));
  });

  it('matches the product of createCurvature', () => {
    const problem = mergeableProblem(43);
    const objective = createGaussNewtonObjective(problem, getActivation('sigmoid'), 2, { l2: 0.05 });
    const theta = gaussianVector(44, 14);
    const v = gaussianVector(45, 14);

    expect(Array.from(objective.gaussNewtonTimes(theta, v))).toEqual(Array.from(freshProduct(problem, theta, v)));
  });

  it('packs and unpacks like createObjective', () => {
    const problem = mergeableProblem(46);
    const objective = createGaussNewtonObjective(problem, getActivation('relu'), 2);
    const theta = gaussianVector(47, 14);

    const model = objective.unpack(theta);

    expect(objective.dimension).toBe(14);
    expect(objective.size).toBe(200);
    expect(Array.from(objective.pack(model.U, model.V))).toEqual(Array.from(theta));
  });

  it('rejects an invalid rank', () => {
    expect(() => createGaussNewtonObjective(mergeableProblem(1), getActivation('relu'), 0)).toThrow(
      'invalid rank k: expected a positive integer, received 0',
    );
  });
});
