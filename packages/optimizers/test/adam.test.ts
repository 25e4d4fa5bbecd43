import { describe, expect, it } from 'vitest';
import { adam, type IterationInfo } from '../src/index.js';
import { createQuadratic, expectBitIdentical, expectVectorClose, gradientNormAt } from './helpers.js';

// f(x) = ½‖x‖², so ∇f(x) = x.
const halfSquaredNorm = createQuadratic(
  [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
  [0, 0, 0],
).f;

const quadratic3 = createQuadratic(
  [
    [4, 1, 0],
    [1, 3, 1],
    [0, 1, 2],
  ],
  [1, -1, 2],
);

describe('adam', () => {
  it('takes a hand-derived first step', () => {
    const x0 = Float64Array.of(1, -2, 0.5);
    const learningRate = 0.1;
    const epsilon = 1e-8;

    const result = adam(halfSquaredNorm, x0, { learningRate, maxIterations: 1 });

    // t = 1 with m₀ = v₀ = 0 and g = ∇f(x₀) = x₀.
    // m₁ = (1 − β1)·g and v₁ = (1 − β2)·g², so m̂ = m₁/(1 − β1) = g and v̂ = v₁/(1 − β2) = g².
    // Both divisions are exact here because every |gᵢ| is a power of two.
    // x₁ = x₀ − α·m̂/(√v̂ + ε) = x₀ − α·g/(|g| + ε), which is x₀ − α·sign(g) up to the ε term:
    // [1 − 0.1/(1 + 1e-8), −2 + 0.2/(2 + 1e-8), 0.5 − 0.05/(0.5 + 1e-8)] ≈ [0.9, −1.9, 0.4].
    const expected = x0.map((g) => g - (learningRate * g) / (Math.abs(g) + epsilon));
    expectBitIdentical(result.x, expected);
    expect(result.history).toEqual([2.625, halfSquaredNorm(expected, new Float64Array(3))]);
    expect(result.evaluations).toBe(2);
  });

  it('reduces to sign descent when both decay rates are 0', () => {
    const steps: number[] = [];
    const result = adam(halfSquaredNorm, Float64Array.of(4, -8, 16), {
      learningRate: 1,
      beta1: 0,
      beta2: 0,
      epsilon: 2 ** -30,
      maxIterations: 3,
      onIteration: (info) => {
        steps.push(info.step);
      },
    });

    // With β1 = β2 = 0, m̂ = g and v̂ = g² at every step, so each coordinate moves by
    // α·|g|/(|g| + ε) ≈ 1 toward 0. Three steps take [4, −8, 16] to about [1, −5, 13].
    expectVectorClose(result.x, Float64Array.of(1, -5, 13), 1e-8);
    expect(steps).toEqual([1, 1, 1]);
  });

  it('converges on a 3-D quadratic', () => {
    const result = adam(quadratic3.f, new Float64Array(3), {
      learningRate: 0.05,
      gradientTolerance: 1e-8,
      maxIterations: 10_000,
    });

    const norm = gradientNormAt(quadratic3.f, result.x);
    expect(result.stopReason, `after ${result.iterations} iterations`).toBe('gradient-tolerance');
    expect(norm, `‖∇f‖ = ${norm}`).toBeLessThanOrEqual(1e-8);
    // ‖x − x*‖ ≤ ‖∇f‖/λmin with λmin > 1, and ‖x*‖ = √6.
    expectVectorClose(result.x, quadratic3.minimizer, 1e-8);
  });

  it('reports the learning rate as the step', () => {
    const infos: IterationInfo[] = [];
    const result = adam(quadratic3.f, new Float64Array(3), {
      learningRate: 0.02,
      maxIterations: 5,
      onIteration: (info) => {
        infos.push(info);
      },
    });

    expect(infos.map((info) => info.step)).toEqual([0.02, 0.02, 0.02, 0.02, 0.02]);
    expect(infos.map((info) => info.evaluations)).toEqual([2, 3, 4, 5, 6]);
    expect(infos.map((info) => info.loss)).toEqual(result.history.slice(1));
  });

  it('leaves x0 unchanged and repeats bit for bit', () => {
    const x0 = Float64Array.of(0.5, -0.25, 3);

    const first = adam(quadratic3.f, x0, { learningRate: 0.05, maxIterations: 300 });
    const second = adam(quadratic3.f, x0, { learningRate: 0.05, maxIterations: 300 });

    expect(Array.from(x0)).toEqual([0.5, -0.25, 3]);
    expectBitIdentical(second.x, first.x);
    expect(second.history).toEqual(first.history);
  });
});
