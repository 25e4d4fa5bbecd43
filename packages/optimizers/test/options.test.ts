import { describe, expect, it } from 'vitest';
import { adam, gradientDescent, minibatchAdam, type StochasticFunction } from '../src/index.js';
import { createQuadratic } from './helpers.js';

const f = createQuadratic([[2]], [1]).f;
const stochastic: StochasticFunction = { size: 4, evaluateBatch: (x, _batch, gradient) => f(x, gradient) };
const x0 = Float64Array.of(0);

// Each row: the call, and the text the error message must contain.
const invalidCalls: [string, () => unknown, string][] = [
  ['maxIterations 0', () => gradientDescent(f, x0, { maxIterations: 0 }), 'invalid maxIterations: expected a positive integer, received 0'],
  ['maxIterations 2.5', () => adam(f, x0, { maxIterations: 2.5 }), 'invalid maxIterations: expected a positive integer, received 2.5'],
  ['gradientTolerance −1', () => adam(f, x0, { gradientTolerance: -1 }), 'invalid gradientTolerance: expected a finite number ≥ 0, received -1'],
  ['relativeTolerance NaN', () => gradientDescent(f, x0, { relativeTolerance: Number.NaN }), 'invalid relativeTolerance: expected a finite number ≥ 0, received NaN'],
  ['initialStep 0', () => gradientDescent(f, x0, { initialStep: 0 }), 'invalid initialStep: expected a finite positive number, received 0'],
  ['initialStep ∞', () => gradientDescent(f, x0, { initialStep: Number.POSITIVE_INFINITY }), 'invalid initialStep: expected a finite positive number, received Infinity'],
  ['c1 1', () => gradientDescent(f, x0, { c1: 1 }), 'invalid c1: expected a number in (0, 1), received 1'],
  ['shrink 0', () => gradientDescent(f, x0, { shrink: 0 }), 'invalid shrink: expected a number in (0, 1), received 0'],
  ['grow 0.5', () => gradientDescent(f, x0, { grow: 0.5 }), 'invalid grow: expected a finite number ≥ 1, received 0.5'],
  ['maxBacktracks −3', () => gradientDescent(f, x0, { maxBacktracks: -3 }), 'invalid maxBacktracks: expected a positive integer, received -3'],
  ['learningRate −0.1', () => adam(f, x0, { learningRate: -0.1 }), 'invalid learningRate: expected a finite positive number, received -0.1'],
  ['beta1 1', () => adam(f, x0, { beta1: 1 }), 'invalid beta1: expected a number in [0, 1), received 1'],
  ['beta2 −0.5', () => minibatchAdam(stochastic, x0, { beta2: -0.5 }), 'invalid beta2: expected a number in [0, 1), received -0.5'],
  ['epsilon 0', () => adam(f, x0, { epsilon: 0 }), 'invalid epsilon: expected a finite positive number, received 0'],
  ['batchSize 0', () => minibatchAdam(stochastic, x0, { batchSize: 0 }), 'invalid batchSize: expected a positive integer, received 0'],
  ['seed NaN', () => minibatchAdam(stochastic, x0, { seed: Number.NaN }), 'invalid seed: expected a finite number or a string, received NaN'],
  ['validation.patience 0', () => adam(f, x0, { validation: { evaluate: () => 0, patience: 0 } }), 'invalid validation.patience: expected a positive integer, received 0'],
  ['validation.interval 1.5', () => adam(f, x0, { validation: { evaluate: () => 0, patience: 1, interval: 1.5 } }), 'invalid validation.interval: expected a positive integer, received 1.5'],
  ['validation.minDelta −1', () => adam(f, x0, { validation: { evaluate: () => 0, patience: 1, minDelta: -1 } }), 'invalid validation.minDelta: expected a finite number ≥ 0, received -1'],
  ['f.size 0', () => minibatchAdam({ ...stochastic, size: 0 }, x0), 'invalid f.size: expected a positive integer, received 0'],
  ['x0 with NaN', () => adam(f, Float64Array.of(1, Number.NaN), {}), 'invalid x0: expected finite entries, received NaN at index 1'],
];

// Calls that break the types on purpose, as JavaScript callers can.
const wrongTypes: [string, () => unknown, string][] = [
  ['learningRate "0.1"', () => adam(f, x0, { learningRate: '0.1' as unknown as number }), 'invalid learningRate: expected a finite positive number, received "0.1"'],
  ['x0 array', () => gradientDescent(f, [1] as unknown as Float64Array), 'invalid x0: expected a Float64Array, received an array of length 1'],
  ['f missing', () => adam(undefined as unknown as typeof f, x0), 'invalid f: expected a function, received undefined'],
  ['onIteration 1', () => adam(f, x0, { onIteration: 1 as unknown as () => void }), 'invalid onIteration: expected a function, received 1'],
  ['validation.evaluate missing', () => adam(f, x0, { validation: { patience: 1 } as never }), 'invalid validation.evaluate: expected a function, received undefined'],
  ['validation.patience missing', () => adam(f, x0, { validation: { evaluate: () => 0 } as never }), 'invalid validation.patience: expected a positive integer, received undefined'],
  ['f.evaluateBatch missing', () => minibatchAdam({ size: 3 } as never, x0), 'invalid f.evaluateBatch: expected a function, received undefined'],
  ['options null', () => adam(f, x0, null as never), 'invalid options: expected an object or undefined, received null'],
];

describe('option validation', () => {
  it.each(invalidCalls)('rejects %s with a RangeError', (_label, call, message) => {
    expect(call).toThrow(RangeError);
    expect(call).toThrow(message);
  });

  it.each(wrongTypes)('rejects %s with a TypeError', (_label, call, message) => {
    expect(call).toThrow(TypeError);
    expect(call).toThrow(message);
  });

  it('accepts boundary values', () => {
    expect(() => adam(f, x0, { beta1: 0, beta2: 0, maxIterations: 1 })).not.toThrow();
    expect(() => gradientDescent(f, x0, { grow: 1, gradientTolerance: 0, maxIterations: 1 })).not.toThrow();
    expect(() => minibatchAdam(stochastic, x0, { seed: 'abc', batchSize: 1, maxIterations: 1 })).not.toThrow();
  });
});
