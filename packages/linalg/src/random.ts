import seedrandom from 'seedrandom';
import { createMatrix, type DenseMatrix } from './dense.js';

/**
 * A seeded source of random numbers. Two sources created with the same seed produce the
 * same sequence on every platform.
 */
export interface Random {
  /** The seed the source was created with. */
  readonly seed: number | string;
  /** Draws from the uniform distribution on [0, 1). */
  uniform(): number;
  /** Draws from the standard normal distribution. */
  gaussian(): number;
  /** Draws an integer uniformly from 0, 1, …, n−1. */
  integer(n: number): number;
  /** Returns a uniformly random permutation of 0, 1, …, n−1. */
  permutation(n: number): Int32Array;
  /** Returns a rows×columns matrix of independent standard normal entries. */
  gaussianMatrix(rows: number, columns: number): DenseMatrix;
}

/** Creates a random source from a seed, using the Alea generator of seedrandom. */
export function createRandom(seed: number | string): Random {
  if (typeof seed === 'number' && !Number.isFinite(seed)) {
    throw new RangeError(`invalid seed: expected a finite number or a string, received ${seed}`);
  }
  const next = seedrandom.alea(String(seed));
  let spare: number | undefined;

  const uniform = (): number => next();

  // Box–Muller transform; the second value of each pair is kept for the next call.
  const gaussian = (): number => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    let u = next();
    while (u === 0) u = next();
    const v = next();
    const radius = Math.sqrt(-2 * Math.log(u));
    spare = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  };

  const integer = (n: number): number => {
    if (!Number.isInteger(n) || n <= 0) {
      throw new RangeError(`invalid bound: expected a positive integer, received ${n}`);
    }
    return Math.floor(next() * n);
  };

  // Fisher–Yates shuffle of the identity permutation.
  const permutation = (n: number): Int32Array => {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      const swap = out[i] as number;
      out[i] = out[j] as number;
      out[j] = swap;
    }
    return out;
  };

  const gaussianMatrix = (rows: number, columns: number): DenseMatrix => {
    const out = createMatrix(rows, columns);
    for (let i = 0; i < out.data.length; i++) out.data[i] = gaussian();
    return out;
  };

  return { seed, uniform, gaussian, integer, permutation, gaussianMatrix };
}
