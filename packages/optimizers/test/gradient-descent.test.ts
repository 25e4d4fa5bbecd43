import { describe, expect, it } from 'vitest';
import { gradientDescent, type IterationInfo } from '../src/index.js';
import {
  createIllConditionedQuadratic,
  createQuadratic,
  expectBitIdentical,
  expectVectorClose,
  gradientNormAt,
  rosenbrock,
} from './helpers.js';

// f(x) = x², written as ½·2·x², so ∇f(x) = 2x and the minimizer is 0.
const square = createQuadratic([[2]], [0]).f;

describe('gradientDescent', () => {
  it('rejects one step and accepts the halved step', () => {
    const steps: number[] = [];
    const result = gradientDescent(square, Float64Array.of(1), {
      initialStep: 0.75,
      c1: 0.5,
      maxIterations: 1,
      onIteration: (info) => {
        steps.push(info.step);
      },
    });

    // x = 1, f = 1, g = 2, so ‖g‖² = 4 and the Armijo bound is 1 − 0.5·t·4 = 1 − 2t.
    // t = 0.75: x − t·g = −0.5 and f = 0.25 > 1 − 1.5 = −0.5, so the step is rejected.
    // t = 0.375: x − t·g = 0.25 and f = 0.0625 ≤ 1 − 0.75 = 0.25, so the step is accepted.
    expect(Array.from(result.x)).toEqual([0.25]);
    expect(result.loss).toBe(0.0625);
    expect(steps).toEqual([0.375]);
    expect(result.evaluations).toBe(3);
    expect(result.history).toEqual([1, 0.0625]);
    expect(result.stopReason).toBe('max-iterations');
  });

  it('accepts the first step under the default c1', () => {
    const result = gradientDescent(square, Float64Array.of(1), { initialStep: 0.75, maxIterations: 1 });

    // The bound is 1 − 1e-4·0.75·4 = 0.9997, and f(−0.5) = 0.25 is below it.
    expect(Array.from(result.x)).toEqual([-0.5]);
    expect(result.evaluations).toBe(2);
  });

  it('starts each search from the grown step', () => {
    const steps: number[] = [];
    const result = gradientDescent(square, Float64Array.of(1), {
      initialStep: 0.75,
      c1: 0.5,
      maxIterations: 2,
      onIteration: (info) => {
        steps.push(info.step);
      },
    });

    // Iteration 2 starts from 2·0.375 = 0.75 at x = 0.25 (g = 0.5, ‖g‖² = 0.25, f = 0.0625).
    // t = 0.75: x − t·g = −0.125 and f = 0.015625 > 0.0625 − 0.5·0.75·0.25 = −0.03125: rejected.
    // t = 0.375: x − t·g = 0.0625 and f = 0.00390625 ≤ 0.0625 − 0.5·0.375·0.25 = 0.015625: accepted.
    expect(steps).toEqual([0.375, 0.375]);
    expect(Array.from(result.x)).toEqual([0.0625]);
    expect(result.evaluations).toBe(5);
  });

  it('backtracks out of a region where f is NaN', () => {
    const guarded = (x: Float64Array, gradient: Float64Array): number =>
      (x[0] as number) < -0.5 ? Number.NaN : square(x, gradient);

    const result = gradientDescent(guarded, Float64Array.of(1), { maxIterations: 1 });

    // t = 1 gives x = −1, where f is NaN, so the step halves to 0.5 and reaches x = 0.
    expect(result.stopReason).toBe('gradient-tolerance');
    expect(Array.from(result.x)).toEqual([0]);
    expect(result.evaluations).toBe(3);
  });

  it('reaches a small gradient when f* is large', () => {
    // Adding 1e8 leaves the minimizer unchanged but makes the decrease c1·t·‖g‖² invisible in f
    // once ‖g‖ is below about 1e-2, so only the slope test can accept steps there.
    const { f, minimizer } = createQuadratic(
      [
        [4, 1, 0],
        [1, 3, 1],
        [0, 1, 2],
      ],
      [1, -1, 2],
    );
    const shifted = (x: Float64Array, gradient: Float64Array): number => f(x, gradient) + 1e8;

    const result = gradientDescent(shifted, new Float64Array(3), { gradientTolerance: 1e-9 });

    const norm = gradientNormAt(shifted, result.x);
    expect(result.stopReason, `after ${result.iterations} iterations`).toBe('gradient-tolerance');
    expect(norm, `‖∇f‖ = ${norm}`).toBeLessThanOrEqual(1e-9);
    expectVectorClose(result.x, minimizer, 1e-9);
  });

  it('converges on a 3-D quadratic', () => {
    const { f, minimizer } = createQuadratic(
      [
        [4, 1, 0],
        [1, 3, 1],
        [0, 1, 2],
      ],
      [1, -1, 2],
    );

    const result = gradientDescent(f, new Float64Array(3), { gradientTolerance: 1e-10 });

    expect(result.stopReason).toBe('gradient-tolerance');
    expectVectorClose(result.x, minimizer, 1e-9);
  });

  it('reaches ‖∇f‖ ≤ 1e-8 on an ill-conditioned quadratic', () => {
    const { f, minimizer } = createIllConditionedQuadratic();

    const result = gradientDescent(f, Float64Array.of(-3, 4), {
      gradientTolerance: 1e-8,
      maxIterations: 100_000,
    });

    const norm = gradientNormAt(f, result.x);
    expect(result.stopReason, `after ${result.iterations} iterations`).toBe('gradient-tolerance');
    expect(norm, `‖∇f‖ = ${norm} at [${Array.from(result.x)}]`).toBeLessThanOrEqual(1e-8);
    // ‖x − x*‖ ≤ ‖∇f‖/λmin = 1e-8 with λmin = 1, and ‖x*‖ = √5.
    expectVectorClose(result.x, minimizer, 1e-8);
  });

  it('reaches ‖∇f‖ ≤ 1e-8 on Rosenbrock from (−1.2, 1)', () => {
    const result = gradientDescent(rosenbrock, Float64Array.of(-1.2, 1), {
      gradientTolerance: 1e-8,
      maxIterations: 200_000,
    });

    const norm = gradientNormAt(rosenbrock, result.x);
    expect(result.stopReason, `after ${result.iterations} iterations`).toBe('gradient-tolerance');
    expect(norm, `‖∇f‖ = ${norm} at [${Array.from(result.x)}]`).toBeLessThanOrEqual(1e-8);
    expectVectorClose(result.x, Float64Array.of(1, 1), 1e-6);
  });

  it('reports loss, history and evaluations consistently', () => {
    const infos: IterationInfo[] = [];
    const result = gradientDescent(rosenbrock, Float64Array.of(-1.2, 1), {
      maxIterations: 20,
      onIteration: (info) => {
        infos.push(info);
      },
    });

    expect(result.history).toHaveLength(21);
    expect(result.history[0]).toBeCloseTo(24.2, 12);
    expect(result.loss).toBe(result.history[20]);
    expect(infos.map((info) => info.iteration)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    for (const info of infos) {
      expect(info.loss).toBe(result.history[info.iteration]);
      expect(info.loss, `iteration ${info.iteration}`).toBeLessThan(result.history[info.iteration - 1] as number);
    }
    expect(infos.at(-1)?.evaluations).toBe(result.evaluations);
  });

  it('leaves x0 unchanged and repeats bit for bit', () => {
    const x0 = Float64Array.of(-1.2, 1);

    const first = gradientDescent(rosenbrock, x0, { maxIterations: 500 });
    const second = gradientDescent(rosenbrock, x0, { maxIterations: 500 });

    expect(Array.from(x0)).toEqual([-1.2, 1]);
    expect(first.x).not.toBe(x0);
    expectBitIdentical(second.x, first.x);
    expect(second.history).toEqual(first.history);
    expect(second.evaluations).toBe(first.evaluations);
  });
});
