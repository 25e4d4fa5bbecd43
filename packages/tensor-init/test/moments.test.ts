import { getActivation, hermiteExpectations, type ActivationName } from '@nimc/activations';
import { createMatrix } from '@nimc/linalg';
import { describe, expect, it } from 'vitest';
import { estimateMoment, estimateProjectedMoment, expectedMoment, momentLabel, projectData, type MomentOrder } from '../src/index.js';
import { modelWithNorms, orthonormalBasis, sampleProblem } from './helpers.js';

const orders: MomentOrder[] = [
  { x: 1, y: 0 },
  { x: 0, y: 1 },
  { x: 1, y: 1 },
  { x: 3, y: 0 },
  { x: 2, y: 1 },
  { x: 4, y: 0 },
  { x: 3, y: 1 },
  { x: 0, y: 3 },
  { x: 1, y: 2 },
  { x: 0, y: 4 },
  { x: 1, y: 3 },
];

const variants = [
  { center: false, controlVariates: false },
  { center: false, controlVariates: true },
  { center: true, controlVariates: true },
];

// The moment each activation's tensor initialization relies on for U.
const usedMoment: Record<string, MomentOrder> = { sigmoid: { x: 3, y: 0 }, tanh: { x: 3, y: 1 }, relu: { x: 2, y: 1 } };

describe('estimateMoment', () => {
  it.each(['sigmoid', 'tanh', 'relu'] as ActivationName[])('is unbiased for %s', (name) => {
    // A fixed k = 2 model in d1 = 2 (P a rotation), d2 = 3 (Q a projection), and 80
    // independent data sets drawn from it.
    const truth = modelWithNorms(getActivation(name), 2, 3, [3, 2.5], [2.5, 3], 'moments-truth');
    const P = orthonormalBasis(2, 2, 'P');
    const Q = orthonormalBasis(3, 2, 'Q');
    const seeds = 80;
    const sums = variants.map(() => orders.map((order) => new Float64Array(2 ** (order.x + order.y))));
    const squares = variants.map(() => orders.map((order) => new Float64Array(2 ** (order.x + order.y))));

    for (let seed = 0; seed < seeds; seed++) {
      const problem = sampleProblem(truth, 1000, 1000, 10000, `${name}:${seed}`);
      variants.forEach((variant, v) => {
        const data = projectData(problem, P, Q, variant);
        orders.forEach((order, o) => {
          const estimate = estimateProjectedMoment(data, order, variant);
          estimate.forEach((value, t) => {
            sums[v]![o]![t]! += value;
            squares[v]![o]![t]! += value * value;
          });
        });
      });
    }

    variants.forEach((variant, v) => {
      orders.forEach((order, o) => {
        const expected = expectedMoment(truth, order, P, Q);
        let largestSignal = 0;
        let largestError = 0;
        expected.forEach((value, t) => {
          const mean = (sums[v]![o]![t] as number) / seeds;
          const variance = ((squares[v]![o]![t] as number) / seeds - mean * mean) * (seeds / (seeds - 1));
          const standardError = Math.sqrt(Math.max(variance, 0) / seeds);
          largestSignal = Math.max(largestSignal, Math.abs(value));
          if (variant.controlVariates) largestError = Math.max(largestError, standardError);
          expect(
            Math.abs(mean - value),
            `${name} ${momentLabel(order)} entry ${t} ${JSON.stringify(variant)}: mean ${mean}, expected ${value}, standard error ${standardError}`,
          ).toBeLessThanOrEqual(4.5 * standardError + 1e-12);
        });
        const used = usedMoment[name] as MomentOrder;
        if (order.x === used.x && order.y === used.y) {
          // Power check: with control variates, the test resolves the moment that the
          // initialization uses well enough to catch a coefficient off by 75%.
          expect(largestSignal, `${name} ${momentLabel(order)}: signal ${largestSignal}, standard error ${largestError}`).toBeGreaterThan(
            6 * largestError,
          );
        }
      });
    });
  }, 60_000);

  it('reduces the variance of E[A·He3(x)] with control variates for sigmoid', () => {
    const truth = modelWithNorms(getActivation('sigmoid'), 4, 4, [0.8, 0.7], [1.1, 0.9], 'variance-truth');
    const P = orthonormalBasis(4, 2, 'P');
    const Q = orthonormalBasis(4, 2, 'Q');
    const expected = expectedMoment(truth, { x: 3, y: 0 }, P, Q);
    const squaredError = [0, 0];
    for (let seed = 0; seed < 20; seed++) {
      const problem = sampleProblem(truth, 2000, 2000, 20000, `variance:${seed}`);
      [false, true].forEach((controlVariates, v) => {
        const estimate = estimateMoment(problem, { x: 3, y: 0 }, P, Q, { controlVariates });
        estimate.forEach((value, t) => {
          squaredError[v]! += (value - (expected[t] as number)) ** 2;
        });
      });
    }
    const [plain, adjusted] = squaredError as [number, number];
    expect(adjusted, `squared error ${adjusted} with control variates, ${plain} without`).toBeLessThan(0.7 * plain);
  }, 60_000);

  it('rejects an order with both sides above 1', () => {
    const truth = modelWithNorms(getActivation('relu'), 3, 3, [1], [1], 0);
    const problem = sampleProblem(truth, 10, 10, 20, 0);
    const basis = orthonormalBasis(3, 1, 0);
    expect(() => estimateMoment(problem, { x: 2, y: 2 }, basis, basis)).toThrow('invalid moment order (2, 2)');
  });

  it('rejects a basis of the wrong shape', () => {
    const truth = modelWithNorms(getActivation('relu'), 3, 3, [1], [1], 0);
    const problem = sampleProblem(truth, 10, 10, 20, 0);
    expect(() => estimateMoment(problem, { x: 1, y: 1 }, createMatrix(2, 1), orthonormalBasis(3, 1, 0))).toThrow(
      'invalid basisX: expected a 3x1 matrix, received 2x1',
    );
  });
});

describe('expectedMoment', () => {
  it('gives Σ a_1 a_1·ū v̄ᵀ for E[A·x⊗y] in the identity basis', () => {
    const truth = modelWithNorms(getActivation('tanh'), 2, 2, [0.7, 2], [1.3, 0.4], 'expected');
    const identity = createMatrix(2, 2, Float64Array.of(1, 0, 0, 1));
    const moment = expectedMoment(truth, { x: 1, y: 1 }, identity, identity);

    const manual = new Float64Array(4);
    for (let i = 0; i < 2; i++) {
      const u = [truth.U.data[i] as number, truth.U.data[2 + i] as number];
      const v = [truth.V.data[i] as number, truth.V.data[2 + i] as number];
      const nu = Math.hypot(...u);
      const nv = Math.hypot(...v);
      const c = (hermiteExpectations('tanh', nu, 1)[1] as number) * (hermiteExpectations('tanh', nv, 1)[1] as number);
      for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) manual[a * 2 + b]! += (c * (u[a] as number) * (v[b] as number)) / (nu * nv);
    }
    moment.forEach((value, t) => expect(Math.abs(value - (manual[t] as number)), `entry ${t}`).toBeLessThan(1e-15));
  });
});
