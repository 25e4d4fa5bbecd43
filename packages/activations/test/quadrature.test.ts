import { describe, expect, it } from 'vitest';
import { gaussHermiteRule, gaussLaguerreRule, tridiagonalEigen } from '../src/index.js';

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

describe('tridiagonalEigen', () => {
  it('finds the eigenvalues of the second-difference matrix', () => {
    // diag 2, off-diagonal −1 (n×n) has eigenvalues 2 − 2cos(πi/(n + 1)), i = 1..n.
    const n = 40;
    const { values, firstComponents } = tridiagonalEigen(new Float64Array(n).fill(2), new Float64Array(n - 1).fill(-1));
    const sorted = Array.from(values).sort((a, b) => a - b);
    const expected = Array.from({ length: n }, (_, i) => 2 - 2 * Math.cos((Math.PI * (i + 1)) / (n + 1)));

    const worst = Math.max(...sorted.map((value, i) => Math.abs(value - (expected[i] as number))));
    expect(worst, `largest eigenvalue error ${worst}`).toBeLessThan(1e-13);
    // The first components of an orthonormal eigenbasis have squares summing to 1.
    const total = firstComponents.reduce((sum, c) => sum + c * c, 0);
    expect(Math.abs(total - 1), `Σ first components² = ${total}`).toBeLessThan(1e-13);
  });

  it('handles a 1x1 matrix', () => {
    const { values, firstComponents } = tridiagonalEigen(Float64Array.of(3), new Float64Array(0));

    expect(Array.from(values)).toEqual([3]);
    expect(Array.from(firstComponents)).toEqual([1]);
  });

  it('rejects a mismatched off-diagonal', () => {
    expect(() => tridiagonalEigen(new Float64Array(3), new Float64Array(3))).toThrow(
      'invalid off-diagonal: expected length 2, received 3',
    );
  });
});

describe('gaussHermiteRule', () => {
  it('integrates even powers exactly against N(0, 1)', () => {
    for (const n of [5, 40, 150]) {
      const { nodes, weights } = gaussHermiteRule(n);
      // E[z^(2p)] = (2p − 1)!!, exact while 2p < 2n.
      let doubleFactorial = 1;
      for (let p = 0; 2 * p < Math.min(2 * n, 24); p++) {
        if (p > 0) doubleFactorial *= 2 * p - 1;
        let sum = 0;
        for (let i = 0; i < n; i++) sum += (weights[i] as number) * (nodes[i] as number) ** (2 * p);
        expect(relativeError(sum, doubleFactorial), `n = ${n}, E[z^${2 * p}] = ${sum}, expected ${doubleFactorial}`).toBeLessThan(
          1e-12,
        );
      }
    }
  });

  it('returns symmetric sorted nodes', () => {
    const { nodes, weights } = gaussHermiteRule(7);

    for (let i = 0; i < 7; i++) {
      expect(Math.abs((nodes[i] as number) + (nodes[6 - i] as number)), `node pair ${i}`).toBeLessThan(1e-14);
      expect(Math.abs((weights[i] as number) - (weights[6 - i] as number)), `weight pair ${i}`).toBeLessThan(1e-15);
      if (i > 0) expect(nodes[i] as number).toBeGreaterThan(nodes[i - 1] as number);
    }
  });

  it('rejects a node count of 0', () => {
    expect(() => gaussHermiteRule(0)).toThrow('invalid node count: expected an integer from 1 to 1000, received 0');
  });
});

describe('gaussLaguerreRule', () => {
  it('integrates powers exactly against e^(−u)', () => {
    const n = 100;
    const { nodes, weights } = gaussLaguerreRule(n);
    let factorial = 1;
    for (let p = 0; p <= 12; p++) {
      if (p > 0) factorial *= p;
      let sum = 0;
      for (let i = 0; i < n; i++) sum += (weights[i] as number) * (nodes[i] as number) ** p;
      expect(relativeError(sum, factorial), `∫u^${p}e^(−u) = ${sum}, expected ${factorial}`).toBeLessThan(1e-12);
    }
  });
});
