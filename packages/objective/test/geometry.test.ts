import { getActivation } from '@nimc/activations';
import { createRandom } from '@nimc/linalg';
import { describe, expect, it } from 'vitest';
import {
  constrainedExtremeEigenvalues,
  createCurvature,
  extremeEigenvalues,
  linearSymmetryDirections,
  scalingSymmetryDirections,
  type Curvature,
} from '../src/index.js';
import { norm, plantedProblem } from './synthetic.js';

// Returns ‖H·w‖ / (‖H‖₂·‖w‖), with ‖H‖₂ the largest eigenvalue in absolute value.
function nullSpaceRatio(curvature: Curvature, theta: Float64Array, w: Float64Array, spectralNorm: number): number {
  return norm(curvature.hessianTimes(theta, w)) / (spectralNorm * norm(w));
}

function spectralNorm(curvature: Curvature, theta: Float64Array): number {
  const { min, max } = extremeEigenvalues(curvature, theta);
  return Math.max(Math.abs(min), Math.abs(max));
}

function combine(directions: Float64Array[], seed: number): Float64Array {
  const random = createRandom(seed);
  const out = new Float64Array((directions[0] as Float64Array).length);
  for (const direction of directions) {
    const weight = random.gaussian();
    for (let t = 0; t < out.length; t++) out[t]! += weight * (direction[t] as number);
  }
  return out;
}

describe('Hessian null space at the ground truth', () => {
  it('contains (U·E, −V·Eᵀ) for the identity activation', () => {
    const planted = plantedProblem(1, getActivation('identity'), 6, 3, 200, 2000);
    const curvature = createCurvature(planted.problem, getActivation('identity'), 3);
    const scale = spectralNorm(curvature, planted.theta);
    const directions = linearSymmetryDirections(curvature, planted.theta);

    for (const [index, w] of [...directions, combine(directions, 5)].entries()) {
      const ratio = nullSpaceRatio(curvature, planted.theta, w, scale);
      expect(ratio, `direction ${index}: ‖Hw‖/(‖H‖‖w‖) = ${ratio}`).toBeLessThanOrEqual(1e-8);
    }
  });

  it('contains (U·diag(e), −V·diag(e)) for ReLU', () => {
    const planted = plantedProblem(2, getActivation('relu'), 6, 3, 200, 2000);
    const curvature = createCurvature(planted.problem, getActivation('relu'), 3);
    const scale = spectralNorm(curvature, planted.theta);
    const directions = scalingSymmetryDirections(curvature, planted.theta);

    for (const [index, w] of [...directions, combine(directions, 6)].entries()) {
      const ratio = nullSpaceRatio(curvature, planted.theta, w, scale);
      expect(ratio, `direction ${index}: ‖Hw‖/(‖H‖‖w‖) = ${ratio}`).toBeLessThanOrEqual(1e-8);
    }
  });

  it('excludes the scaling directions for sigmoid', () => {
    const planted = plantedProblem(3, getActivation('sigmoid'), 6, 3, 200, 2000);
    const curvature = createCurvature(planted.problem, getActivation('sigmoid'), 3);
    const scale = spectralNorm(curvature, planted.theta);
    const w = combine(scalingSymmetryDirections(curvature, planted.theta), 7);

    const ratio = nullSpaceRatio(curvature, planted.theta, w, scale);
    expect(ratio, `‖Hw‖/(‖H‖‖w‖) = ${ratio}`).toBeGreaterThan(1e-3);
  });

  it('excludes the general linear directions for ReLU', () => {
    const planted = plantedProblem(4, getActivation('relu'), 6, 3, 200, 2000);
    const curvature = createCurvature(planted.problem, getActivation('relu'), 3);
    const scale = spectralNorm(curvature, planted.theta);
    // E_01: an off-diagonal generator, which ReLU does not leave invariant.
    const w = linearSymmetryDirections(curvature, planted.theta)[1] as Float64Array;

    const ratio = nullSpaceRatio(curvature, planted.theta, w, scale);
    expect(ratio, `‖Hw‖/(‖H‖‖w‖) = ${ratio}`).toBeGreaterThan(1e-3);
  });
});

// Figure 1(a) of Zhong et al. (NeurIPS 2019): d = 10, k = 5, n = 1000, Gaussian features,
// U* and V* Gaussian divided by their k-th singular value.
describe('Hessian spectrum at the ground truth, d=10, k=5, n=1000', () => {
  const d = 10;
  const k = 5;
  const n = 1000;

  for (const name of ['sigmoid', 'tanh']) {
    it(`is positive definite for ${name}, with λ_min growing in m`, () => {
      const minima: number[] = [];
      for (const m of [300, 1000, 10000]) {
        const planted = plantedProblem(10, getActivation(name), d, k, n, m);
        const curvature = createCurvature(planted.problem, getActivation(name), k);
        const spectrum = extremeEigenvalues(curvature, planted.theta);
        expect(spectrum.minResidual).toBeLessThanOrEqual(1e-12 * spectrum.max);
        minima.push(spectrum.min);
      }

      expect(minima[0], `λ_min for m = 300, 1000, 10000: ${minima}`).toBeGreaterThan(0);
      expect(minima[1], `λ_min for m = 300, 1000, 10000: ${minima}`).toBeGreaterThan(minima[0] as number);
      expect(minima[2], `λ_min for m = 300, 1000, 10000: ${minima}`).toBeGreaterThan(minima[1] as number);
    });
  }

  for (const name of ['identity', 'relu']) {
    it(`is singular for ${name} at m=10000`, () => {
      const planted = plantedProblem(11, getActivation(name), d, k, n, 10000);
      const curvature = createCurvature(planted.problem, getActivation(name), k);

      const { min, max } = extremeEigenvalues(curvature, planted.theta);

      expect(max).toBeGreaterThan(0);
      expect(Math.abs(min), `λ_min = ${min}, λ_max = ${max}`).toBeLessThanOrEqual(1e-10 * max);
    });
  }

  it('is positive definite for ReLU off the scaling directions at m=10000', () => {
    const planted = plantedProblem(11, getActivation('relu'), d, k, n, 10000);
    const curvature = createCurvature(planted.problem, getActivation('relu'), k);

    const scaling = constrainedExtremeEigenvalues(curvature, planted.theta);
    const tangent = constrainedExtremeEigenvalues(curvature, planted.theta, { subspace: 'unit-norm' });

    expect(scaling.subspaceDimension).toBe(2 * d * k - k);
    expect(scaling.min, `λ_min = ${scaling.min}, λ_max = ${scaling.max}`).toBeGreaterThan(1e-3 * scaling.max);
    expect(tangent.min, `λ_min = ${tangent.min}, λ_max = ${tangent.max}`).toBeGreaterThan(1e-3 * tangent.max);
  });

  it('stays singular for the identity off the scaling directions', () => {
    const planted = plantedProblem(12, getActivation('identity'), 6, 3, 300, 3000);
    const curvature = createCurvature(planted.problem, getActivation('identity'), 3);

    const { min, max } = constrainedExtremeEigenvalues(curvature, planted.theta);

    expect(Math.abs(min), `λ_min = ${min}, λ_max = ${max}`).toBeLessThanOrEqual(1e-10 * max);
  });
});
