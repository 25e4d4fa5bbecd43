import { createRandom } from '@nimc/linalg';
import { describe, expect, it } from 'vitest';
import { residualizeWeights } from '../src/index.js';

describe('residualizeWeights', () => {
  const random = createRandom(21);
  const n = 400;
  const k = 3;
  const features = random.gaussianMatrix(n, k);
  const counts = Float64Array.from({ length: n }, () => 1 + random.integer(4));
  const quadratic = (x: Float64Array): number => 0.7 - 1.5 * (x[0] as number) + 2 * (x[1] as number) * (x[2] as number) + (x[2] as number) ** 2;

  it('removes a quadratic exactly', () => {
    const weights = Float64Array.from({ length: n }, (_, i) => (counts[i] as number) * quadratic(features.data.subarray(i * k, i * k + k)));

    const residual = residualizeWeights(features, counts, weights, 2) as Float64Array;

    const worst = residual.reduce((s, x) => Math.max(s, Math.abs(x)), 0);
    expect(worst, `largest residual ${worst}`).toBeLessThan(1e-8);
  });

  it('leaves a cubic component nearly intact when removing degree 2', () => {
    // He_3(x_0) is orthogonal to every quadratic under N(0, I), so a fit on 2000 other rows
    // removes only a small sample-noise part of it.
    const large = 4000;
    const x = random.gaussianMatrix(large, k);
    const ones = new Float64Array(large).fill(1);
    const cubic = Float64Array.from({ length: large }, (_, i) => (x.data[i * k] as number) ** 3 - 3 * (x.data[i * k] as number));

    const residual = residualizeWeights(x, ones, cubic, 2) as Float64Array;

    let error = 0;
    let size = 0;
    for (let i = 0; i < large; i++) {
      error += ((residual[i] as number) - (cubic[i] as number)) ** 2;
      size += (cubic[i] as number) ** 2;
    }
    const share = Math.sqrt(error / size);
    expect(share, `removed share ${share}`).toBeLessThan(0.2);
    expect(share).toBeGreaterThan(0);
  });

  it('handles vector weights column by column and skips rows without observations', () => {
    const sparseCounts = Float64Array.from(counts, (c, i) => (i % 5 === 0 ? 0 : c));
    const weights = { rows: n, columns: 2, data: new Float64Array(2 * n) };
    for (let i = 0; i < n; i++) {
      const x = features.data.subarray(i * k, i * k + k);
      weights.data[2 * i] = (sparseCounts[i] as number) * (1 + (x[1] as number));
      weights.data[2 * i + 1] = (sparseCounts[i] as number) * 3 + (i % 5 === 0 ? 0 : 0.01 * random.gaussian());
    }

    const residual = residualizeWeights(features, sparseCounts, weights, 1);

    expect('data' in residual).toBe(true);
    const data = (residual as { data: Float64Array }).data;
    for (let i = 0; i < n; i++) {
      expect(Math.abs(data[2 * i] as number), `row ${i} column 0`).toBeLessThan(1e-8);
      expect(Math.abs(data[2 * i + 1] as number), `row ${i} column 1`).toBeLessThan(0.1);
    }
    expect(data[0]).toBe(0);
  });

  it('rejects degree 3', () => {
    expect(() => residualizeWeights(features, counts, new Float64Array(n), 3)).toThrow('invalid degree: expected 0, 1 or 2, received 3');
  });
});
