import { describe, expect, it } from 'vitest';
import {
  adam,
  gradientDescent,
  minibatchAdam,
  type IterationInfo,
  type OptimizationResult,
  type StochasticFunction,
  type StoppingOptions,
} from '../src/index.js';
import { createLeastSquares, createQuadratic, expectBitIdentical, failAfter, relativeDistance } from './helpers.js';

const quadratic = createQuadratic(
  [
    [4, 1, 0],
    [1, 3, 1],
    [0, 1, 2],
  ],
  [1, -1, 2],
);
const quadraticStart = Float64Array.of(3, 3, -3);
const leastSquares = createLeastSquares(500, [1, -2, 0.5], true);
const noisyLeastSquares = createLeastSquares(500, [1, -2, 0.5], true, 0.1);
const leastSquaresStart = new Float64Array(3);

interface Runner {
  name: string;
  x0: Float64Array;
  run: (options: StoppingOptions) => OptimizationResult;
  /** Same optimizer on a problem whose loss settles at a nonzero value. */
  runToPlateau: (options: StoppingOptions) => OptimizationResult;
}

const runners: Runner[] = [
  {
    name: 'gradientDescent',
    x0: quadraticStart,
    run: (options) => gradientDescent(quadratic.f, quadraticStart, options),
    runToPlateau: (options) => gradientDescent(quadratic.f, quadraticStart, options),
  },
  {
    name: 'adam',
    x0: quadraticStart,
    run: (options) => adam(quadratic.f, quadraticStart, { learningRate: 0.05, ...options }),
    runToPlateau: (options) => adam(quadratic.f, quadraticStart, { learningRate: 0.05, ...options }),
  },
  {
    name: 'minibatchAdam',
    x0: leastSquaresStart,
    run: (options) =>
      minibatchAdam(leastSquares.f, leastSquaresStart, { learningRate: 0.01, batchSize: 32, ...options }),
    runToPlateau: (options) =>
      minibatchAdam(noisyLeastSquares.f, leastSquaresStart, { learningRate: 0.01, batchSize: 32, ...options }),
  },
];

describe.each(runners)('stopping rules of $name', ({ x0, run, runToPlateau }) => {
  it('stops at maxIterations', () => {
    const result = run({ maxIterations: 3 });

    expect(result.stopReason).toBe('max-iterations');
    expect(result.iterations).toBe(3);
    expect(result.history).toHaveLength(4);
    expect(result.loss).toBe(result.history[3]);
  });

  it('stops at the gradient tolerance', () => {
    const norms: number[] = [];
    const result = run({
      gradientTolerance: 1e-3,
      maxIterations: 100_000,
      onIteration: (info) => {
        norms.push(info.gradientNorm);
      },
    });

    expect(result.stopReason).toBe('gradient-tolerance');
    expect(norms).toHaveLength(result.iterations);
    const last = norms.at(-1) as number;
    expect(last, `final gradient norm ${last}`).toBeLessThanOrEqual(1e-3);
    for (const [index, norm] of norms.slice(0, -1).entries()) {
      expect(norm, `gradient norm at iteration ${index + 1}`).toBeGreaterThan(1e-3);
    }
  });

  it('stops at the relative tolerance', () => {
    const tolerance = 1e-4;
    const result = runToPlateau({ relativeTolerance: tolerance, maxIterations: 100_000 });

    expect(result.stopReason).toBe('relative-tolerance');
    const history = result.history;
    const change = (i: number): number =>
      Math.abs((history[i - 1] as number) - (history[i] as number)) / Math.abs(history[i - 1] as number);
    const n = history.length - 1;
    expect(change(n), `relative change ${change(n)} at iteration ${n}`).toBeLessThanOrEqual(tolerance);
    for (let i = 1; i < n; i++) {
      expect(change(i), `relative change at iteration ${i}`).toBeGreaterThan(tolerance);
    }
  });

  it('passes iteration, loss and step to onIteration', () => {
    const infos: IterationInfo[] = [];
    const result = run({
      maxIterations: 4,
      onIteration: (info) => {
        infos.push(info);
      },
    });

    expect(infos.map((info) => info.iteration)).toEqual([1, 2, 3, 4]);
    expect(infos.map((info) => info.loss)).toEqual(result.history.slice(1));
    for (const info of infos) {
      expect(info.step, `step at iteration ${info.iteration}`).toBeGreaterThan(0);
      expect(info.evaluations, `evaluations at iteration ${info.iteration}`).toBeGreaterThan(info.iteration);
      expect('validationLoss' in info).toBe(false);
    }
    expect(infos.at(-1)?.evaluations).toBe(result.evaluations);
  });

  it('stops when onIteration returns false', () => {
    const result = run({ maxIterations: 100, onIteration: (info) => info.iteration < 2 });

    expect(result.stopReason).toBe('callback');
    expect(result.iterations).toBe(2);
    expect(result.history).toHaveLength(3);
  });

  it('stops at the next iteration after an abort', () => {
    const controller = new AbortController();
    const result = run({
      maxIterations: 100,
      signal: controller.signal,
      onIteration: (info) => {
        if (info.iteration === 3) controller.abort();
      },
    });

    expect(result.stopReason).toBe('callback');
    expect(result.iterations).toBe(3);
  });

  it('does not iterate with an aborted signal', () => {
    const result = run({ signal: AbortSignal.abort() });

    expect(result.stopReason).toBe('callback');
    expect(result.iterations).toBe(0);
    expectBitIdentical(result.x, x0);
    expect(result.x).not.toBe(x0);
  });

  it('restores the parameters of the best validation', () => {
    const reference = run({ maxIterations: 5 });
    const validationLoss = (x: Float64Array): number => relativeDistance(x, reference.x);

    const result = run({ maxIterations: 100, validation: { evaluate: validationLoss, patience: 3 } });

    // The validation loss is 0 exactly at iteration 5 and positive elsewhere, so iterations 6,
    // 7 and 8 bring no improvement and exhaust the patience.
    expect(result.stopReason).toBe('early-stopping');
    expect(result.bestIteration).toBe(5);
    expect(result.iterations).toBe(8);
    expectBitIdentical(result.x, reference.x);
    expect(result.loss).toBe(reference.loss);
    expect(result.loss).toBe(result.history[5]);
    expect(result.validationHistory.map((entry) => entry.iteration)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(result.validationHistory[5]?.loss).toBe(0);
  });

  it('leaves x0 unchanged', () => {
    const copy = Float64Array.from(x0);

    run({ maxIterations: 5 });

    expectBitIdentical(x0, copy);
  });
});

describe('validation options', () => {
  it('validates every interval iterations', () => {
    const infos: IterationInfo[] = [];
    const result = gradientDescent(quadratic.f, quadraticStart, {
      maxIterations: 7,
      validation: { evaluate: () => 1, patience: 100, interval: 3 },
      onIteration: (info) => {
        infos.push(info);
      },
    });

    expect(result.validationHistory.map((entry) => entry.iteration)).toEqual([0, 3, 6]);
    expect(infos.filter((info) => info.validationLoss !== undefined).map((info) => info.iteration)).toEqual([3, 6]);
    expect(result.stopReason).toBe('max-iterations');
    expect(result.bestIteration).toBeUndefined();
  });

  it('ignores improvements up to minDelta', () => {
    // Each validation improves on the previous one by 0.01, which minDelta 0.05 does not count.
    let calls = 0;
    const result = adam(quadratic.f, quadraticStart, {
      maxIterations: 100,
      validation: { evaluate: () => 1 - 0.01 * calls++, patience: 4, minDelta: 0.05 },
    });

    expect(result.stopReason).toBe('early-stopping');
    expect(result.iterations).toBe(4);
    expect(result.bestIteration).toBe(0);
    expectBitIdentical(result.x, quadraticStart);
    expect(result.loss).toBe(result.history[0]);
  });

  it('can stop early at iteration 0', () => {
    const result = gradientDescent(quadratic.f, quadraticStart, {
      validation: { evaluate: () => Number.NaN, patience: 1 },
    });

    // A NaN validation loss never improves, so no parameters are restored.
    expect(result.stopReason).toBe('early-stopping');
    expect(result.iterations).toBe(0);
    expect(result.bestIteration).toBeUndefined();
  });
});

describe('line search failure', () => {
  it('returns x unchanged when no step decreases f', () => {
    // The gradient has the wrong sign, so every step along −g increases f.
    const wrongGradient = (x: Float64Array, gradient: Float64Array): number => {
      gradient[0] = -2 * (x[0] as number);
      return (x[0] as number) ** 2;
    };

    const result = gradientDescent(wrongGradient, Float64Array.of(1), { maxBacktracks: 5 });

    expect(result.stopReason).toBe('line-search-failed');
    expect(Array.from(result.x)).toEqual([1]);
    expect(result.iterations).toBe(0);
    expect(result.evaluations).toBe(1 + 6);
  });
});

describe('divergence', () => {
  it('returns the last finite point of gradientDescent', () => {
    const result = gradientDescent(failAfter(quadratic.f, 12), quadraticStart);

    const reference = gradientDescent(quadratic.f, quadraticStart, { maxIterations: result.iterations });
    expect(result.stopReason).toBe('diverged');
    expect(result.iterations).toBeGreaterThan(0);
    expectBitIdentical(result.x, reference.x);
    expect(result.loss).toBe(reference.loss);
    expect(result.history).toEqual(reference.history);
  });

  it('returns the last finite point of adam', () => {
    const result = adam(failAfter(quadratic.f, 10), quadraticStart, { learningRate: 0.05 });

    // Evaluation 1 is at x0 and evaluation k + 1 at iterate k, so iterate 9 is the last finite one.
    const reference = adam(quadratic.f, quadraticStart, { learningRate: 0.05, maxIterations: 9 });
    expect(result.stopReason).toBe('diverged');
    expect(result.iterations).toBe(9);
    expectBitIdentical(result.x, reference.x);
    expect(result.loss).toBe(reference.loss);
  });

  it('stops adam when the loss overflows', () => {
    const quartic = (x: Float64Array, gradient: Float64Array): number => {
      const value = x[0] as number;
      gradient[0] = 4 * value ** 3;
      return value ** 4;
    };

    const result = adam(quartic, Float64Array.of(1), { learningRate: 1e100 });

    // The first step moves x to about −1e100, where x⁴ overflows to +∞.
    expect(result.stopReason).toBe('diverged');
    expect(Array.from(result.x)).toEqual([1]);
    expect(result.loss).toBe(1);
    expect(result.iterations).toBe(0);
  });

  it('stops when the gradient is NaN and the loss finite', () => {
    let calls = 0;
    const nanGradient = (x: Float64Array, gradient: Float64Array): number => {
      const loss = quadratic.f(x, gradient);
      if (++calls > 3) gradient[1] = Number.NaN;
      return loss;
    };

    const result = adam(nanGradient, quadraticStart, { learningRate: 0.05 });

    expect(result.stopReason).toBe('diverged');
    expect(result.iterations).toBe(2);
    expect(result.x.every(Number.isFinite)).toBe(true);
  });

  it('returns the last completed epoch of minibatchAdam', () => {
    // 500 terms in batches of 32 give 16 batches and 1 full loss per epoch, after 1 call at x0.
    let calls = 0;
    const failing: StochasticFunction = {
      size: leastSquares.f.size,
      evaluateBatch: (x, batch, gradient) => {
        const loss = leastSquares.f.evaluateBatch(x, batch, gradient);
        return ++calls > 40 ? Number.NaN : loss;
      },
    };
    const options = { learningRate: 0.01, batchSize: 32, maxIterations: 10 };

    const result = minibatchAdam(failing, leastSquaresStart, options);

    // Call 1 is at x0 and calls 2–17 and 18–33 are epochs 1 and 2, so call 41 fails in epoch 3.
    const fullLossFree: StochasticFunction = { size: leastSquares.f.size, evaluateBatch: leastSquares.f.evaluateBatch };
    const reference = minibatchAdam(fullLossFree, leastSquaresStart, { ...options, maxIterations: 2 });
    expect(result.stopReason).toBe('diverged');
    expect(result.iterations).toBe(2);
    expectBitIdentical(result.x, reference.x);
    expect(result.loss).toBe(reference.loss);
  });

  it('reports a non-finite loss at x0', () => {
    for (const optimize of [gradientDescent, adam]) {
      const result = optimize(() => Number.POSITIVE_INFINITY, Float64Array.of(1, 2));

      expect(result.stopReason).toBe('diverged');
      expect(result.iterations).toBe(0);
      expect(Array.from(result.x)).toEqual([1, 2]);
      expect(result.history).toEqual([Number.POSITIVE_INFINITY]);
    }
  });
});
