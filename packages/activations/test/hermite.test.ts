import { describe, expect, it } from 'vitest';
import {
  gaussHermiteRule,
  gaussianMeanSquare,
  getActivation,
  hermiteCoefficients,
  hermiteExpectations,
  hermiteMonomialCoefficients,
  hermitePolynomial,
  type ActivationName,
} from '../src/index.js';

function discrepancy(actual: number, expected: number): number {
  return Math.abs(expected) < 1e-300 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
}

describe('hermiteMonomialCoefficients', () => {
  it('expands He_0 to He_4', () => {
    expect(Array.from(hermiteMonomialCoefficients(0))).toEqual([1]);
    expect(Array.from(hermiteMonomialCoefficients(1))).toEqual([0, 1]);
    expect(Array.from(hermiteMonomialCoefficients(2))).toEqual([-1, 0, 1]);
    expect(Array.from(hermiteMonomialCoefficients(3))).toEqual([0, -3, 0, 1]);
    expect(Array.from(hermiteMonomialCoefficients(4))).toEqual([3, 0, -6, 0, 1]);
  });

  it('agrees with the three-term recurrence', () => {
    for (let j = 0; j <= 8; j++) {
      const monomials = hermiteMonomialCoefficients(j);
      for (const z of [-2.5, -0.3, 0.7, 3]) {
        const expanded = monomials.reduce((sum, c, i) => sum + c * z ** i, 0);
        const recurred = hermitePolynomial(j, z);
        expect(Math.abs(expanded - recurred), `He_${j}(${z}): ${expanded} against ${recurred}`).toBeLessThan(
          1e-12 * Math.max(1, Math.abs(recurred)),
        );
      }
    }
  });
});

describe('hermiteCoefficients', () => {
  it('gives σ·He_1 for the identity', () => {
    expect(Array.from(hermiteCoefficients('identity', 1.5))).toEqual([0, 1.5, 0, 0, 0]);
  });

  it('gives the ReLU coefficients with no third component', () => {
    const sigma = 2;
    const root = Math.sqrt(2 * Math.PI);
    // c_0 = σ/√(2π), c_1 = σ/2, c_2 = σ/(2√(2π)), c_3 = 0, c_4 = −σ/(24√(2π)).
    const expected = [sigma / root, sigma / 2, sigma / (2 * root), 0, -sigma / (24 * root)];
    const actual = hermiteCoefficients('relu', sigma);
    expected.forEach((value, j) => {
      expect(discrepancy(actual[j] as number, value), `c_${j} = ${actual[j]}, expected ${value}`).toBeLessThan(1e-14);
    });
  });

  it('gives zero even coefficients for tanh and zero c_0 only for tanh', () => {
    const tanh = hermiteCoefficients('tanh', 1.2, 6);
    for (let j = 0; j <= 6; j += 2) expect(tanh[j], `tanh c_${j}`).toBe(0);
    const sigmoid = hermiteCoefficients('sigmoid', 1.2, 6);
    expect(sigmoid[0]).toBe(0.5);
    for (let j = 2; j <= 6; j += 2) expect(sigmoid[j], `sigmoid c_${j}`).toBe(0);
  });

  it('matches direct quadrature of φ(σz)·He_j(z)', () => {
    // For |σ| ≤ 0.5 Gauss–Hermite with 200 nodes converges for tanh and sigmoid alike.
    const { nodes, weights } = gaussHermiteRule(200);
    for (const name of ['tanh', 'sigmoid'] as ActivationName[]) {
      const phi = getActivation(name);
      const sigma = 0.5;
      const actual = hermiteExpectations(name, sigma, 6);
      for (let j = 0; j <= 6; j++) {
        let expected = 0;
        for (let i = 0; i < nodes.length; i++) {
          const z = nodes[i] as number;
          expected += (weights[i] as number) * phi.value(sigma * z) * hermitePolynomial(j, z);
        }
        const error = Math.abs((actual[j] as number) - expected);
        expect(error, `${name} j = ${j}: ${actual[j]} against ${expected}`).toBeLessThan(1e-13);
      }
    }
  });

  it('satisfies Bessel’s inequality Σ j!·c_j² ≤ E[φ(σz)²]', () => {
    for (const name of ['tanh', 'sigmoid', 'relu'] as ActivationName[]) {
      for (const sigma of [0.5, 2, 8]) {
        const c = hermiteCoefficients(name, sigma, 8);
        let energy = 0;
        let factorial = 1;
        for (let j = 0; j <= 8; j++) {
          if (j > 0) factorial *= j;
          energy += factorial * (c[j] as number) ** 2;
        }
        const total = gaussianMeanSquare(name, sigma);
        expect(energy, `${name} σ = ${sigma}: ${energy} against E[φ²] = ${total}`).toBeLessThanOrEqual(total * (1 + 1e-12));
        // Degrees 0..8 capture most of the energy; tanh(8z) is close to sign(z), whose
        // Hermite series converges slowly, and keeps about 89% of it.
        expect(energy / total, `${name} σ = ${sigma}`).toBeGreaterThan(0.85);
      }
    }
  });

  it('rejects a negative maxDegree', () => {
    expect(() => hermiteCoefficients('tanh', 1, -1)).toThrow('invalid maxDegree: expected an integer from 0 to 8, received -1');
  });
});
