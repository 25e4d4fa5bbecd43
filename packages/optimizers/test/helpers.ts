import { expect } from 'vitest';
import { createRandom } from '@nimc/linalg';
import type { DifferentiableFunction, StochasticFunction } from '../src/index.js';

/** A quadratic ½xᵀAx − bᵀx with symmetric positive definite A, built so that its minimizer is known. */
export interface Quadratic {
  f: DifferentiableFunction;
  minimizer: Float64Array;
}

/** Builds ½xᵀAx − bᵀx with b = A·minimizer, for a symmetric positive definite A given by rows. */
export function createQuadratic(rows: number[][], minimizer: number[]): Quadratic {
  const d = minimizer.length;
  const a = Float64Array.from(rows.flat());
  const b = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) b[i]! += (a[i * d + j] as number) * (minimizer[j] as number);
  }
  const f: DifferentiableFunction = (x, gradient) => {
    let value = 0;
    for (let i = 0; i < d; i++) {
      let ax = 0;
      for (let j = 0; j < d; j++) ax += (a[i * d + j] as number) * (x[j] as number);
      gradient[i] = ax - (b[i] as number);
      value += (x[i] as number) * (0.5 * ax - (b[i] as number));
    }
    return value;
  };
  return { f, minimizer: Float64Array.from(minimizer) };
}

/** Builds a 2-D quadratic with eigenvalues 1000 and 1 along axes rotated by 30°, minimized at (1, −2). */
export function createIllConditionedQuadratic(): Quadratic {
  const angle = Math.PI / 6;
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const large = 1000;
  const small = 1;
  const rows = [
    [large * c * c + small * s * s, (large - small) * c * s],
    [(large - small) * c * s, large * s * s + small * c * c],
  ];
  return createQuadratic(rows, [1, -2]);
}

/** Rosenbrock's function (1 − x)² + 100(y − x²)², minimized at (1, 1). */
export const rosenbrock: DifferentiableFunction = (x, gradient) => {
  const u = x[0] as number;
  const v = x[1] as number;
  const residual = v - u * u;
  gradient[0] = -2 * (1 - u) - 400 * u * residual;
  gradient[1] = 200 * residual;
  return (1 - u) ** 2 + 100 * residual * residual;
};

/**
 * Builds a least-squares sum over m terms ½(aₜᵀx − yₜ)² with yₜ = aₜᵀ·minimizer + noise·zₜ. The rows aₜ
 * and the zₜ are standard normal draws with seed 7. With noise 0, every term is zero at the
 * minimizer.
 */
export function createLeastSquares(
  m: number,
  minimizer: number[],
  withFullLoss: boolean,
  noise = 0,
): {
  f: StochasticFunction;
  minimizer: Float64Array;
} {
  const d = minimizer.length;
  const random = createRandom(7);
  const rows = random.gaussianMatrix(m, d).data;
  const targets = new Float64Array(m);
  for (let t = 0; t < m; t++) {
    for (let j = 0; j < d; j++) targets[t]! += (rows[t * d + j] as number) * (minimizer[j] as number);
    targets[t]! += noise * random.gaussian();
  }

  const evaluateBatch = (x: Float64Array, batch: Int32Array, gradient: Float64Array): number => {
    gradient.fill(0);
    let sum = 0;
    for (let s = 0; s < batch.length; s++) {
      const t = batch[s] as number;
      let residual = -(targets[t] as number);
      for (let j = 0; j < d; j++) residual += (rows[t * d + j] as number) * (x[j] as number);
      sum += 0.5 * residual * residual;
      for (let j = 0; j < d; j++) gradient[j]! += residual * (rows[t * d + j] as number);
    }
    for (let j = 0; j < d; j++) gradient[j]! /= batch.length;
    return sum / batch.length;
  };
  const all = new Int32Array(m);
  for (let t = 0; t < m; t++) all[t] = t;
  const f: StochasticFunction = withFullLoss
    ? { size: m, evaluateBatch, evaluate: (x, gradient) => evaluateBatch(x, all, gradient) }
    : { size: m, evaluateBatch };
  return { f, minimizer: Float64Array.from(minimizer) };
}

/** Returns ‖a − b‖₂ / ‖b‖₂. */
export function relativeDistance(a: Float64Array, b: Float64Array): number {
  let difference = 0;
  let reference = 0;
  for (let i = 0; i < b.length; i++) {
    difference += ((a[i] as number) - (b[i] as number)) ** 2;
    reference += (b[i] as number) ** 2;
  }
  return Math.sqrt(difference / reference);
}

/** Asserts ‖actual − expected‖ ≤ tolerance·‖expected‖ and prints both vectors on failure. */
export function expectVectorClose(actual: Float64Array, expected: Float64Array, tolerance: number): void {
  const distance = relativeDistance(actual, expected);
  expect(
    distance,
    `relative distance ${distance} > ${tolerance}: actual [${Array.from(actual)}], expected [${Array.from(expected)}]`,
  ).toBeLessThanOrEqual(tolerance);
}

/** Asserts that two arrays have the same length and bit-identical entries. */
export function expectBitIdentical(actual: Float64Array, expected: Float64Array): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Object.is(actual[i], expected[i]), `entry ${i}: ${actual[i]} differs from ${expected[i]}`).toBe(true);
  }
}

/** Returns ‖∇f(x)‖₂. */
export function gradientNormAt(f: DifferentiableFunction, x: Float64Array): number {
  const gradient = new Float64Array(x.length);
  f(x, gradient);
  return Math.hypot(...gradient);
}

/**
 * Wraps f so that every evaluation after the first `finiteCount` returns NaN as the loss and
 * leaves the gradient as f wrote it.
 */
export function failAfter(f: DifferentiableFunction, finiteCount: number): DifferentiableFunction {
  let calls = 0;
  return (x, gradient) => {
    const loss = f(x, gradient);
    calls++;
    return calls > finiteCount ? Number.NaN : loss;
  };
}
