import { describe, expect, it } from 'vitest';
import { minibatchAdam, type StochasticFunction } from '../src/index.js';
import { createLeastSquares, expectBitIdentical, expectVectorClose } from './helpers.js';

const minimizer = [1, -2, 0.5, 3, -1];

// Wraps f so that every batch it receives is recorded as a copy, together with its buffer.
function recordBatches(f: StochasticFunction): {
  f: StochasticFunction;
  batches: number[][];
  buffers: ArrayBufferLike[];
} {
  const batches: number[][] = [];
  const buffers: ArrayBufferLike[] = [];
  const recorded: StochasticFunction = {
    size: f.size,
    evaluateBatch: (x, batch, gradient) => {
      batches.push(Array.from(batch));
      buffers.push(batch.buffer);
      return f.evaluateBatch(x, batch, gradient);
    },
  };
  return { f: recorded, batches, buffers };
}

describe('minibatchAdam', () => {
  it('converges on a least-squares sum with a full loss', () => {
    const problem = createLeastSquares(1000, minimizer, true);

    const result = minibatchAdam(problem.f, new Float64Array(5), {
      learningRate: 0.01,
      batchSize: 32,
      maxIterations: 50,
    });

    expect(result.stopReason).toBe('max-iterations');
    expect(result.iterations).toBe(50);
    expect(result.history).toHaveLength(51);
    expectVectorClose(result.x, problem.minimizer, 1e-6);
    // 1 evaluation at x0, then per epoch ⌈1000/32⌉ = 32 batches and 1 full loss.
    expect(result.evaluations).toBe(1 + 50 * 33);
  });

  it('converges on a least-squares sum with batch losses only', () => {
    const problem = createLeastSquares(1000, minimizer, false);

    const result = minibatchAdam(problem.f, new Float64Array(5), {
      learningRate: 0.01,
      batchSize: 32,
      maxIterations: 50,
    });

    expectVectorClose(result.x, problem.minimizer, 1e-6);
    expect(result.evaluations).toBe(1 + 50 * 32);
    const initial = result.history[0] as number;
    const final = result.loss;
    expect(final, `loss ${final} is not below 1e-10 of the initial ${initial}`).toBeLessThan(1e-10 * initial);
  });

  it('visits every term once per epoch', () => {
    const n = 103;
    const batchSize = 10;
    const recorder = recordBatches(createLeastSquares(n, minimizer, false).f);

    minibatchAdam(recorder.f, new Float64Array(5), { batchSize, maxIterations: 2, seed: 3 });

    // Call 0 is the loss at x0 over all terms, then each epoch makes ⌈103/10⌉ = 11 calls.
    const identity = Array.from({ length: n }, (_, t) => t);
    expect(recorder.batches).toHaveLength(1 + 2 * 11);
    expect(recorder.batches[0]).toEqual(identity);
    for (const epoch of [0, 1]) {
      const epochBatches = recorder.batches.slice(1 + epoch * 11, 1 + (epoch + 1) * 11);
      expect(epochBatches.map((batch) => batch.length)).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 3]);
      const visited = epochBatches.flat().sort((a, b) => a - b);
      expect(visited, `epoch ${epoch + 1}`).toEqual(identity);
    }
    const firstEpochOrder = recorder.batches.slice(1, 12).flat();
    const secondEpochOrder = recorder.batches.slice(12, 23).flat();
    expect(firstEpochOrder).not.toEqual(identity);
    expect(secondEpochOrder).not.toEqual(firstEpochOrder);
  });

  it('passes views of one index buffer', () => {
    const recorder = recordBatches(createLeastSquares(50, minimizer, false).f);

    minibatchAdam(recorder.f, new Float64Array(5), { batchSize: 8, maxIterations: 3 });

    const first = recorder.buffers[0];
    expect(recorder.buffers.every((buffer) => buffer === first)).toBe(true);
  });

  it('uses one batch when batchSize exceeds the size', () => {
    const recorder = recordBatches(createLeastSquares(20, minimizer, false).f);

    const result = minibatchAdam(recorder.f, new Float64Array(5), { batchSize: 256, maxIterations: 2 });

    expect(recorder.batches.map((batch) => batch.length)).toEqual([20, 20, 20]);
    expect(result.evaluations).toBe(3);
  });

  it('repeats bit for bit with the same seed', () => {
    const problem = createLeastSquares(200, minimizer, false);
    const x0 = Float64Array.of(0.1, 0.2, 0.3, 0.4, 0.5);
    const options = { learningRate: 0.01, batchSize: 16, maxIterations: 5, seed: 42 };

    const first = minibatchAdam(problem.f, x0, options);
    const second = minibatchAdam(problem.f, x0, options);
    const otherSeed = minibatchAdam(problem.f, x0, { ...options, seed: 43 });

    expect(Array.from(x0)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    expectBitIdentical(second.x, first.x);
    expect(second.history).toEqual(first.history);
    expect(Array.from(otherSeed.x)).not.toEqual(Array.from(first.x));
  });

  it('records epoch losses as the mean of the batch losses', () => {
    const problem = createLeastSquares(40, minimizer, false);
    const weightedLosses: number[] = [];
    const f: StochasticFunction = {
      size: 40,
      evaluateBatch: (x, batch, gradient) => {
        const loss = problem.f.evaluateBatch(x, batch, gradient);
        weightedLosses.push(batch.length * loss);
        return loss;
      },
    };

    const result = minibatchAdam(f, new Float64Array(5), { batchSize: 16, maxIterations: 1 });

    // Batches of 16, 16 and 8 terms follow the loss at x0; the epoch loss is their term-weighted mean.
    const [, first, second, third] = weightedLosses as [number, number, number, number];
    expect(result.history[1]).toBe((0 + first + second + third) / 40);
  });
});
