import { createRandom, matrixFromRows } from '@nimc/linalg';
import { describe, expect, it } from 'vitest';
import { perturbedInit, randomInit } from '../src/index.js';

describe('randomInit', () => {
  it('draws the requested shapes with scale 1/√d', () => {
    const { U, V } = randomInit(400, 100, 50, createRandom(1));

    expect([U.rows, U.columns, V.rows, V.columns]).toEqual([400, 50, 100, 50]);
    const varianceU = U.data.reduce((s, x) => s + x * x, 0) / U.data.length;
    const varianceV = V.data.reduce((s, x) => s + x * x, 0) / V.data.length;
    // 20,000 and 5,000 draws: the sample variance is within 5% of 1/d with high probability.
    expect(Math.abs(varianceU * 400 - 1)).toBeLessThan(0.05);
    expect(Math.abs(varianceV * 100 - 1)).toBeLessThan(0.05);
  });

  it('is reproducible from the seed', () => {
    const first = randomInit(3, 4, 2, createRandom('s'));
    const second = randomInit(3, 4, 2, createRandom('s'));

    expect(Array.from(first.U.data)).toEqual(Array.from(second.U.data));
    expect(Array.from(first.V.data)).toEqual(Array.from(second.V.data));
  });

  it('rejects a non-positive rank', () => {
    expect(() => randomInit(3, 3, 0, createRandom(0))).toThrow('invalid k: expected a positive integer, received 0');
  });
});

describe('perturbedInit', () => {
  const truth = { U: matrixFromRows([[1, 2], [3, 4]]), V: matrixFromRows([[5, 6]]) };

  it('returns the truth at alpha 0', () => {
    const start = perturbedInit(truth, 0, createRandom(0));

    expect(Array.from(start.U.data)).toEqual([1, 2, 3, 4]);
    expect(Array.from(start.V.data)).toEqual([5, 6]);
  });

  it('mixes truth and Gaussian noise at alpha 0.25', () => {
    const start = perturbedInit(truth, 0.25, createRandom(3));
    const noise = createRandom(3);

    const expectedU = [1, 2, 3, 4].map((w) => 0.75 * w + 0.25 * noise.gaussian());
    const expectedV = [5, 6].map((w) => 0.75 * w + 0.25 * noise.gaussian());
    expect(Array.from(start.U.data)).toEqual(expectedU);
    expect(Array.from(start.V.data)).toEqual(expectedV);
  });

  it('rejects alpha outside [0, 1]', () => {
    expect(() => perturbedInit(truth, 1.5, createRandom(0))).toThrow('expected a number in [0, 1], received 1.5');
  });
});
