import { getActivation, type Activation } from '@nimc/activations';
import { afterAll, describe, expect, it } from 'vitest';
import { createObjective, type NimcObjective } from '../src/index.js';
import type * as ParallelModule from '../src/parallel/index.js';
import { randomProblem, randomTheta, relativeError } from './plain-objective.js';

// Worker threads run the built worker script, so these tests load the built entry point,
// which the package's test script builds first. The types come from the source.
const parallel = (await import(new URL('../dist/parallel.js', import.meta.url).href)) as typeof ParallelModule;

function evaluateWith(objective: NimcObjective, theta: Float64Array) {
  const gradient = new Float64Array(objective.dimension);
  const loss = objective.evaluate(theta, gradient);
  return { loss, gradient };
}

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

describe('createParallelObjective', () => {
  const problems = [
    { label: 'Gaussian features', problem: randomProblem(51, { n1: 300, n2: 200, d1: 6, d2: 5, m: 5000 }) },
    { label: 'merged one-hot features', problem: randomProblem(52, { n1: 300, n2: 200, d1: 8, d2: 6, m: 5000, categories: 5 }) },
  ];

  for (const { label, problem } of problems) {
    for (const threads of [2, 3]) {
      for (const backend of ['wasm-simd', 'typescript'] as const) {
        it(`matches one thread with ${threads} threads, ${backend}, ${label}`, async () => {
          const activation = getActivation('sigmoid');
          const single = createObjective(problem, activation, 4, { l2: 0.01, backend });
          const multi = await parallel.createParallelObjective(problem, activation, 4, { l2: 0.01, backend, threads });
          closers.push(multi.close);
          const theta = randomTheta(53, single.dimension);

          const expected = evaluateWith(single, theta);
          const actual = evaluateWith(multi, theta);
          const again = evaluateWith(multi, theta);

          expect(multi.threads).toBe(threads);
          expect(multi.backend).toBe(backend);
          // Only the order of the per-thread sums differs from one thread.
          const lossError = Math.abs(actual.loss - expected.loss) / expected.loss;
          expect(lossError, `loss ${actual.loss} against ${expected.loss}`).toBeLessThan(1e-13);
          expect(relativeError(actual.gradient, expected.gradient), 'gradient').toBeLessThan(1e-13);
          expect(multi.loss(theta), 'loss() against evaluate()').toBe(actual.loss);
          expect(again.loss, 'repeated evaluation').toBe(actual.loss);
          expect(Array.from(again.gradient), 'repeated gradient').toEqual(Array.from(actual.gradient));
        });
      }
    }
  }

  it('runs mini-batches like the single-threaded objective', async () => {
    const problem = randomProblem(61, { n1: 80, n2: 60, d1: 4, d2: 4, m: 900 });
    const activation = getActivation('relu');
    const single = createObjective(problem, activation, 3);
    const multi = await parallel.createParallelObjective(problem, activation, 3, { threads: 2 });
    closers.push(multi.close);
    const theta = randomTheta(62, single.dimension);
    const batch = Int32Array.from([5, 17, 3, 899, 0]);
    const expected = new Float64Array(single.dimension);
    const actual = new Float64Array(single.dimension);

    const expectedLoss = single.evaluateBatch(theta, batch, expected);
    const actualLoss = multi.evaluateBatch(theta, batch, actual);

    expect(actualLoss).toBe(expectedLoss);
    expect(Array.from(actual)).toEqual(Array.from(expected));
  });

  it('shares one pool between objectives and leaves it open on close', async () => {
    const pool = await parallel.createWorkerPool({ threads: 2 });
    closers.push(pool.close);
    const activation = getActivation('tanh');
    const first = randomProblem(71, { n1: 50, n2: 40, d1: 3, d2: 3, m: 600 });
    const second = randomProblem(72, { n1: 70, n2: 30, d1: 4, d2: 2, m: 800 });
    const a = await parallel.createParallelObjective(first, activation, 2, { pool });
    const b = await parallel.createParallelObjective(second, activation, 2, { pool });
    const thetaA = randomTheta(73, a.dimension);
    const thetaB = randomTheta(74, b.dimension);

    const lossA = evaluateWith(a, thetaA).loss;
    const lossB = evaluateWith(b, thetaB).loss;
    await a.close();
    const lossBAfter = evaluateWith(b, thetaB).loss;

    expect(pool.threads).toBe(2);
    expect(Math.abs(lossA - createObjective(first, activation, 2).loss(thetaA)) / lossA).toBeLessThan(1e-13);
    expect(lossBAfter).toBe(lossB);
    expect(() => a.loss(thetaA)).toThrow('objective closed');
    await b.close();
  });

  it('rejects an activation the workers cannot look up', async () => {
    const problem = randomProblem(81, { n1: 10, n2: 10, d1: 2, d2: 2, m: 40 });
    const custom: Activation = { ...getActivation('relu'), name: 'softplus' as never };

    await expect(parallel.createParallelObjective(problem, custom, 2, { threads: 2 })).rejects.toThrow(
      'invalid activation "softplus": worker threads need one of the activations of @nimc/activations',
    );
  });

  it('runs on the calling thread alone with one thread', async () => {
    const problem = randomProblem(91, { n1: 20, n2: 20, d1: 3, d2: 3, m: 200 });
    const activation = getActivation('relu');
    const objective = await parallel.createParallelObjective(problem, activation, 2, { threads: 1 });
    const theta = randomTheta(92, objective.dimension);

    const actual = evaluateWith(objective, theta);
    const expected = evaluateWith(createObjective(problem, activation, 2), theta);
    await objective.close();

    expect(objective.threads).toBe(1);
    expect(actual.loss).toBe(expected.loss);
    expect(Array.from(actual.gradient)).toEqual(Array.from(expected.gradient));
  });

  it('rejects an invalid thread count', async () => {
    await expect(parallel.createWorkerPool({ threads: 0 })).rejects.toThrow('invalid threads: expected a positive integer, received 0');
  });
});
