import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  absoluteNormalMoment,
  activationNames,
  gaussianMeanSquare,
  gaussianMoment,
  gaussianMoments,
  getActivation,
  standardNormalMoment,
  type ActivationName,
} from '../src/index.js';

interface FixtureRecord {
  activation: ActivationName;
  sigma: number;
  moments: string[];
  meanSquare: string;
}

// Reference values from scripts/generate-moment-fixture.py (mpmath, 40 digits).
const fixture = JSON.parse(readFileSync(new URL('./fixtures/gaussian-moments.json', import.meta.url), 'utf8')) as {
  records: FixtureRecord[];
};

// Relative error, or absolute error where the reference is (numerically) zero.
function discrepancy(actual: number, expected: number): number {
  return Math.abs(expected) < 1e-30 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
}

// Composite Simpson rule on [−14, 14] with h = 1/(400·max(1, |σ|)): an independent check
// of the quadrature paths. The integrand is smooth, so the error is O(h⁴).
function simpsonMoment(name: ActivationName, j: number, sigma: number): number {
  const phi = getActivation(name);
  const h = 1 / (400 * Math.max(1, Math.abs(sigma)));
  const steps = 2 * Math.ceil(14 / h);
  const width = 28 / steps;
  const density = (z: number) => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
  let sum = 0;
  for (let s = 0; s <= steps; s++) {
    const z = -14 + s * width;
    let weight = s % 2 === 1 ? 4 : 2;
    if (s === 0 || s === steps) weight = 1;
    sum += weight * phi.value(sigma * z) * z ** j * density(z);
  }
  return (sum * width) / 3;
}

describe('gaussianMoment', () => {
  it('matches the 40-digit reference values', () => {
    expect(fixture.records.length).toBeGreaterThan(40);
    for (const record of fixture.records) {
      const moments = gaussianMoments(record.activation, record.sigma, 8);
      record.moments.forEach((text, j) => {
        const expected = Number(text);
        const actual = moments[j] as number;
        expect(
          discrepancy(actual, expected),
          `${record.activation} σ = ${record.sigma} j = ${j}: ${actual} against ${expected}`,
        ).toBeLessThan(1e-12);
      });
    }
  });

  it('agrees with composite Simpson integration', () => {
    const cases: Array<[ActivationName, number, number]> = [
      ['tanh', 3, 2],
      ['tanh', 1, 0.6],
      ['sigmoid', 1, 5],
      ['sigmoid', 3, 1.3],
      ['tanh', 5, 3],
    ];
    for (const [name, j, sigma] of cases) {
      const actual = gaussianMoment(name, j, sigma);
      const expected = simpsonMoment(name, j, sigma);
      expect(discrepancy(actual, expected), `${name} j = ${j} σ = ${sigma}: ${actual} against ${expected}`).toBeLessThan(1e-10);
    }
  });

  it('uses the identity closed form', () => {
    // E[σz·z^j] = σ·E[z^(j+1)]: 0, σ, 0, 3σ, 0.
    expect(Array.from(gaussianMoments('identity', 2.5, 4))).toEqual([0, 2.5, 0, 7.5, 0]);
  });

  it('uses the ReLU closed form', () => {
    const sigma = 1.7;
    const root = Math.sqrt(2 * Math.PI);
    // σ·E[z^(j+1); z > 0]: σ/√(2π), σ/2, 2σ/√(2π), 3σ/2, 8σ/√(2π).
    const expected = [sigma / root, sigma / 2, (2 * sigma) / root, (3 * sigma) / 2, (8 * sigma) / root];
    const actual = gaussianMoments('relu', sigma, 4);
    expected.forEach((value, j) => {
      expect(discrepancy(actual[j] as number, value), `γ_${j} = ${actual[j]}, expected ${value}`).toBeLessThan(1e-15);
    });
  });

  it('gives zero even moments for odd activations', () => {
    for (const name of ['tanh', 'identity'] as const) {
      for (const sigma of [0.3, 1, 4]) {
        const moments = gaussianMoments(name, sigma, 8);
        for (let j = 0; j <= 8; j += 2) expect(moments[j], `${name} σ = ${sigma} j = ${j}`).toBe(0);
      }
    }
  });

  it('gives sigmoid γ_0 = 1/2 for every σ', () => {
    for (const sigma of [0, 0.2, 1, 3, 50, -2]) {
      expect(gaussianMoment('sigmoid', 0, sigma), `σ = ${sigma}`).toBe(0.5);
    }
  });

  it('satisfies γ_j(−σ) = (−1)^j γ_j(σ)', () => {
    for (const name of activationNames) {
      const positive = gaussianMoments(name, 1.3, 6);
      const negative = gaussianMoments(name, -1.3, 6);
      for (let j = 0; j <= 6; j++) {
        const sign = j % 2 === 0 ? 1 : -1;
        expect(negative[j], `${name} j = ${j}`).toBe(sign * (positive[j] as number));
      }
    }
  });

  it('returns φ(0)·E[z^j] at σ = 0', () => {
    expect(Array.from(gaussianMoments('sigmoid', 0, 4))).toEqual([0.5, 0, 0.5, 0, 1.5]);
    expect(Array.from(gaussianMoments('tanh', 0, 4))).toEqual([0, 0, 0, 0, 0]);
  });

  it('accepts an activation object', () => {
    expect(gaussianMoment(getActivation('relu'), 1, 4)).toBe(2);
  });

  it('rejects an order above 8', () => {
    expect(() => gaussianMoment('tanh', 9, 1)).toThrow('invalid order j: expected an integer from 0 to 8, received 9');
  });

  it('rejects a non-finite sigma', () => {
    expect(() => gaussianMoment('tanh', 1, Number.NaN)).toThrow('invalid sigma: expected a finite number, received NaN');
  });

  it('rejects an unknown activation name', () => {
    expect(() => gaussianMoment('softplus' as ActivationName, 1, 1)).toThrow('unknown activation "softplus"');
  });
});

describe('gaussianMeanSquare', () => {
  it('matches the 40-digit reference values', () => {
    for (const record of fixture.records) {
      const expected = Number(record.meanSquare);
      const actual = gaussianMeanSquare(record.activation, record.sigma);
      expect(discrepancy(actual, expected), `${record.activation} σ = ${record.sigma}: ${actual} against ${expected}`).toBeLessThan(
        1e-12,
      );
    }
  });
});

describe('normal moments', () => {
  it('gives E[z^j] and E[|z|^j]', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map(standardNormalMoment)).toEqual([1, 0, 1, 0, 3, 0, 15]);
    const c = Math.sqrt(2 / Math.PI);
    const expected = [1, c, 1, 2 * c, 3, 8 * c, 15];
    expected.forEach((value, j) => {
      expect(discrepancy(absoluteNormalMoment(j), value), `E|z|^${j}`).toBeLessThan(1e-15);
    });
  });
});
