import { generateSynthetic, relativeTestError } from '@nimc/datasets';
import { createRandom } from '@nimc/linalg';
import type { NimcModel } from '@nimc/objective';
import { describe, expect, it } from 'vitest';
import { createTestErrorTracker } from '../src/experiments/test-error-tracker.js';

function pack(model: NimcModel): Float64Array {
  const theta = new Float64Array(model.U.data.length + model.V.data.length);
  theta.set(model.U.data, 0);
  theta.set(model.V.data, model.U.data.length);
  return theta;
}

// U* and V* plus `scale` times Gaussian noise.
function perturb(truth: NimcModel, scale: number, seed: string): NimcModel {
  const random = createRandom(seed);
  const noisy = (values: Float64Array): Float64Array => values.map((value) => value + scale * random.gaussian());
  return {
    U: { ...truth.U, data: noisy(truth.U.data) },
    V: { ...truth.V, data: noisy(truth.V.data) },
    activation: truth.activation,
  };
}

describe('createTestErrorTracker', () => {
  for (const activation of ['sigmoid', 'relu'] as const) {
    it(`matches relativeTestError for ${activation}`, () => {
      const { truth } = generateSynthetic({ activation, d: 5, k: 3, n: 50, m: 100, seed: 3 });
      const tracker = createTestErrorTracker(truth, { nTest: 200, seed: 3 });

      for (const scale of [1, 0.1, 1e-3]) {
        const model = perturb(truth, scale, `noise:${scale}`);
        const expected = relativeTestError(model, truth, { nTest: 200, seed: 3 });
        const actual = tracker(pack(model));
        expect(Math.abs(actual - expected), `scale ${scale}: ${actual} vs ${expected}`).toBeLessThan(1e-6 * expected + 1e-8);
      }
    });
  }

  it('is near zero at the ground truth', () => {
    const { truth } = generateSynthetic({ activation: 'tanh', d: 5, k: 3, n: 50, m: 100, seed: 1 });
    const tracker = createTestErrorTracker(truth, { nTest: 200, seed: 1 });

    expect(tracker(pack(truth))).toBeLessThan(1e-7);
  });
});
