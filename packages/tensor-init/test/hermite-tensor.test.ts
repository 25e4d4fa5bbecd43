import { hermitePolynomial } from '@nimc/activations';
import { createRandom } from '@nimc/linalg';
import { describe, expect, it } from 'vitest';
import { weightedHermiteSum } from '../src/index.js';

// Contracts a row-major k^p (×width) tensor with w in each of its p leading modes.
function contractAll(tensor: Float64Array, w: Float64Array, p: number, width: number): Float64Array {
  let current = tensor;
  const k = w.length;
  for (let step = 0; step < p; step++) {
    const rest = current.length / k;
    const next = new Float64Array(rest);
    for (let i = 0; i < k; i++) for (let t = 0; t < rest; t++) next[t]! += (w[i] as number) * (current[i * rest + t] as number);
    current = next;
  }
  expect(current.length).toBe(width);
  return current;
}

describe('weightedHermiteSum', () => {
  const k = 3;
  const n = 25;
  const random = createRandom(12);
  const features = random.gaussianMatrix(n, k);
  const scalarWeights = Float64Array.from({ length: n }, () => random.gaussian());
  const vectorWeights = random.gaussianMatrix(n, 2);

  it('satisfies He_p(x)(w, …, w) = He_p(wᵀx) for unit w', () => {
    for (let p = 0; p <= 4; p++) {
      const scalarSum = weightedHermiteSum(features, scalarWeights, p);
      const vectorSum = weightedHermiteSum(features, vectorWeights, p);
      for (let trial = 0; trial < 4; trial++) {
        const w = Float64Array.from({ length: k }, () => random.gaussian());
        const norm = Math.hypot(...w);
        for (let i = 0; i < k; i++) w[i] = (w[i] as number) / norm;

        const expected = [0, 0, 0];
        for (let row = 0; row < n; row++) {
          let projection = 0;
          for (let i = 0; i < k; i++) projection += (w[i] as number) * (features.data[row * k + i] as number);
          const value = hermitePolynomial(p, projection);
          expected[0]! += (scalarWeights[row] as number) * value;
          expected[1]! += (vectorWeights.data[row * 2] as number) * value;
          expected[2]! += (vectorWeights.data[row * 2 + 1] as number) * value;
        }
        const scalar = contractAll(scalarSum, w, p, 1);
        const vector = contractAll(vectorSum, w, p, 2);
        const scale = Math.max(1, ...expected.map(Math.abs));
        expect(Math.abs((scalar[0] as number) - (expected[0] as number)) / scale, `p = ${p} scalar`).toBeLessThan(1e-12);
        expect(Math.abs((vector[0] as number) - (expected[1] as number)) / scale, `p = ${p} vector 0`).toBeLessThan(1e-12);
        expect(Math.abs((vector[1] as number) - (expected[2] as number)) / scale, `p = ${p} vector 1`).toBeLessThan(1e-12);
      }
    }
  });

  it('returns a tensor symmetric in its Hermite indices', () => {
    const sum = weightedHermiteSum(features, scalarWeights, 3);
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < k; b++) {
        for (let c = 0; c < k; c++) {
          const value = sum[(a * k + b) * k + c] as number;
          expect(sum[(b * k + a) * k + c], `(${a}, ${b}, ${c})`).toBe(value);
          expect(sum[(c * k + b) * k + a], `(${a}, ${b}, ${c})`).toBe(value);
        }
      }
    }
  });

  it('gives x⊗x − I for one row of weight 1', () => {
    const one = weightedHermiteSum({ rows: 1, columns: 2, data: Float64Array.of(2, -1) }, Float64Array.of(1), 2);
    expect(Array.from(one)).toEqual([3, -2, -2, 0]);
  });

  it('rejects order 5', () => {
    expect(() => weightedHermiteSum(features, scalarWeights, 5)).toThrow(
      'invalid Hermite order: expected an integer from 0 to 4, received 5',
    );
  });
});
