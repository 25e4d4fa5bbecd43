import { createMatrix, createRandom, type DenseMatrix } from '@nimc/linalg';
import { describe, expect, it } from 'vitest';
import { contractThirdMode, cpTensor, createTensor3, decomposeTensor, unfold, type CpDecomposition } from '../src/index.js';

function unitColumns(a: DenseMatrix): DenseMatrix {
  const out = createMatrix(a.rows, a.columns, Float64Array.from(a.data));
  for (let i = 0; i < a.columns; i++) {
    let norm = 0;
    for (let row = 0; row < a.rows; row++) norm += (a.data[row * a.columns + i] as number) ** 2;
    for (let row = 0; row < a.rows; row++) out.data[row * a.columns + i] = (a.data[row * a.columns + i] as number) / Math.sqrt(norm);
  }
  return out;
}

// Largest distance between a true unit column and its best-matching recovered column (up to sign).
function worstColumnError(truth: DenseMatrix, recovered: DenseMatrix): number {
  const t = unitColumns(truth);
  let worst = 0;
  for (let i = 0; i < t.columns; i++) {
    let best = Infinity;
    for (let j = 0; j < recovered.columns; j++) {
      let plus = 0;
      let minus = 0;
      for (let row = 0; row < t.rows; row++) {
        const a = t.data[row * t.columns + i] as number;
        const b = recovered.data[row * recovered.columns + j] as number;
        plus += (a - b) ** 2;
        minus += (a + b) ** 2;
      }
      best = Math.min(best, Math.sqrt(plus), Math.sqrt(minus));
    }
    worst = Math.max(worst, best);
  }
  return worst;
}

// A well-conditioned but clearly non-orthogonal k×k factor: identity plus Gaussian noise of size 0.4.
function skewedFactor(k: number, seed: number): DenseMatrix {
  const random = createRandom(seed);
  const out = createMatrix(k, k);
  for (let row = 0; row < k; row++) for (let i = 0; i < k; i++) out.data[row * k + i] = (row === i ? 1 : 0) + 0.4 * random.gaussian();
  return out;
}

function largestCosine(a: DenseMatrix): number {
  const u = unitColumns(a);
  let largest = 0;
  for (let i = 0; i < u.columns; i++) {
    for (let j = i + 1; j < u.columns; j++) {
      let dot = 0;
      for (let row = 0; row < u.rows; row++) dot += (u.data[row * u.columns + i] as number) * (u.data[row * u.columns + j] as number);
      largest = Math.max(largest, Math.abs(dot));
    }
  }
  return largest;
}

describe('decomposeTensor', () => {
  it('recovers a planted symmetric-mode tensor exactly', () => {
    const k = 6;
    const A = skewedFactor(k, 1);
    const C = createRandom(2).gaussianMatrix(k, k);
    const weights = Float64Array.from({ length: k }, (_, i) => (i % 2 === 0 ? 1 : -1) * (0.5 + i));
    const tensor = cpTensor(A, A, C, weights);

    const cp: CpDecomposition = decomposeTensor(tensor, k, { symmetricModes: true, seed: 5 });

    expect(largestCosine(A), 'the factor is far from orthogonal').toBeGreaterThan(0.3);
    expect(cp.residual, `residual ${cp.residual}`).toBeLessThan(1e-10);
    expect(worstColumnError(A, cp.A), 'A').toBeLessThan(1e-8);
    expect(worstColumnError(A, cp.B), 'B').toBeLessThan(1e-8);
    expect(worstColumnError(C, cp.C), 'C').toBeLessThan(1e-8);
  });

  it('recovers a planted tensor with distinct factors and a k²-long third mode', () => {
    const k = 4;
    const A = skewedFactor(k, 3);
    const B = skewedFactor(k, 4);
    const C = createRandom(5).gaussianMatrix(k * k, k);
    const tensor = cpTensor(A, B, C);

    const cp = decomposeTensor(tensor, k, { seed: 1 });

    expect(cp.residual, `residual ${cp.residual}`).toBeLessThan(1e-10);
    expect(worstColumnError(A, cp.A), 'A').toBeLessThan(1e-8);
    expect(worstColumnError(B, cp.B), 'B').toBeLessThan(1e-8);
    expect(worstColumnError(C, cp.C), 'C').toBeLessThan(1e-8);
    // The weights reproduce the tensor: Σ λ_i a_i⊗b_i⊗c_i.
    const rebuilt = cpTensor(cp.A, cp.B, cp.C, cp.weights);
    const gap = rebuilt.data.reduce((s, x, t) => Math.max(s, Math.abs(x - (tensor.data[t] as number))), 0);
    expect(gap).toBeLessThan(1e-9);
  });

  it('degrades gracefully under noise', () => {
    const k = 5;
    const A = skewedFactor(k, 7);
    const C = createRandom(8).gaussianMatrix(k, k);
    const tensor = cpTensor(A, A, C);
    const random = createRandom(9);
    const scale = 1e-3 * Math.sqrt(tensor.data.reduce((s, x) => s + x * x, 0) / tensor.data.length);
    const noisy = createTensor3(k, k, k, tensor.data.map((x) => x + scale * random.gaussian()));

    const cp = decomposeTensor(noisy, k, { symmetricModes: true });

    expect(cp.residual, `residual ${cp.residual}`).toBeLessThan(3e-3);
    expect(cp.residual).toBeLessThanOrEqual(cp.initialResidual);
    expect(worstColumnError(A, cp.A), 'A').toBeLessThan(0.02);
  });

  it('is reproducible from the seed', () => {
    const k = 3;
    const tensor = cpTensor(skewedFactor(k, 1), skewedFactor(k, 2), createRandom(3).gaussianMatrix(k, k));
    const first = decomposeTensor(tensor, k, { seed: 'a' });
    const second = decomposeTensor(tensor, k, { seed: 'a' });

    expect(Array.from(first.A.data)).toEqual(Array.from(second.A.data));
  });

  it('rejects a rank that differs from the first two modes', () => {
    expect(() => decomposeTensor(createTensor3(3, 3, 2, Float64Array.from({ length: 18 }, () => 1)), 2)).toThrow(
      "invalid rank 2: Jennrich's algorithm needs the first two modes to have size rank, received a 3x3x2 tensor",
    );
  });

  it('rejects a zero tensor', () => {
    expect(() => decomposeTensor(createTensor3(2, 2, 2), 2)).toThrow('invalid tensor: its Frobenius norm is 0');
  });
});

describe('tensor helpers', () => {
  it('contracts and unfolds consistently', () => {
    const random = createRandom(4);
    const tensor = createTensor3(2, 3, 4, Float64Array.from({ length: 24 }, () => random.gaussian()));
    const g = Float64Array.of(1, -2, 0.5, 3);
    const contracted = contractThirdMode(tensor, g);
    const third = unfold(tensor, 2);

    for (let a = 0; a < 2; a++) {
      for (let b = 0; b < 3; b++) {
        let expected = 0;
        for (let c = 0; c < 4; c++) expected += (third.data[c * 6 + a * 3 + b] as number) * (g[c] as number);
        expect(Math.abs((contracted.data[a * 3 + b] as number) - expected)).toBeLessThan(1e-14);
      }
    }
    const first = unfold(tensor, 0);
    expect(first.data[1 * 12 + 2 * 4 + 3]).toBe(tensor.data[(1 * 3 + 2) * 4 + 3]);
    const second = unfold(tensor, 1);
    expect(second.data[2 * 8 + 1 * 4 + 3]).toBe(tensor.data[(1 * 3 + 2) * 4 + 3]);
  });
});
