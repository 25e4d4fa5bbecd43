import { describe, expect, it } from 'vitest';
import { activationNames, getActivation, isActivationName, sigmoid } from '../src/index.js';

// Points away from ReLU's kink at 0, where its derivatives are one-sided.
const points = [-3.7, -1.2, -0.4, 0.3, 0.9, 2.5, 6.1];

function centralDifference(f: (z: number) => number, z: number, h: number): number {
  return (f(z + h) - f(z - h)) / (2 * h);
}

describe('activations', () => {
  for (const name of activationNames) {
    const activation = getActivation(name);

    it(`${name} derivative matches central differences`, () => {
      for (const z of points) {
        const numeric = centralDifference(activation.value, z, 1e-6);
        const exact = activation.derivative(z);
        expect(Math.abs(exact - numeric), `${name}'(${z}): exact ${exact}, numeric ${numeric}`).toBeLessThan(1e-8);
      }
    });

    it(`${name} second derivative matches central differences`, () => {
      for (const z of points) {
        const numeric = centralDifference(activation.derivative, z, 1e-5);
        const exact = activation.secondDerivative(z);
        expect(Math.abs(exact - numeric), `${name}''(${z}): exact ${exact}, numeric ${numeric}`).toBeLessThan(1e-8);
      }
    });
  }

  it('sigmoid stays finite and exact for |z| > 700', () => {
    // The textbook 1/(1 + e^(−z)) evaluates e^800 = Infinity at z = −800. The stable
    // form never exponentiates a positive number and returns the limits 0 and 1.
    for (const z of [-1e6, -800, -710, 710, 800, 1e6]) {
      const value = sigmoid.value(z);
      expect(Number.isFinite(value), `σ(${z}) = ${value}`).toBe(true);
      expect(Number.isFinite(sigmoid.derivative(z))).toBe(true);
      expect(Number.isFinite(sigmoid.secondDerivative(z))).toBe(true);
    }
    expect(sigmoid.value(-800)).toBe(0);
    expect(sigmoid.value(800)).toBe(1);
    // σ(−745) ≈ e^(−745) ≈ 4.9e-324 is the smallest positive double: still resolved.
    expect(sigmoid.value(-745)).toBeGreaterThan(0);
  });

  it('sigmoid matches 1/(1 + e^(−z)) in the normal range', () => {
    for (const z of [-30, -2, 0, 0.5, 3, 30]) {
      const expected = 1 / (1 + Math.exp(-z));
      expect(Math.abs(sigmoid.value(z) - expected)).toBeLessThanOrEqual(2 * Number.EPSILON * expected);
    }
  });

  it('relu and identity take their textbook values', () => {
    const relu = getActivation('relu');
    const identity = getActivation('identity');

    expect([relu.value(-2), relu.value(0), relu.value(3)]).toEqual([0, 0, 3]);
    expect([relu.derivative(-2), relu.derivative(3)]).toEqual([0, 1]);
    expect([identity.value(-2), identity.derivative(5), identity.secondDerivative(5)]).toEqual([-2, 1, 0]);
  });

  it('rejects an unknown name and lists the valid ones', () => {
    expect(() => getActivation('softplus')).toThrow(
      'unknown activation "softplus": expected one of sigmoid, tanh, relu, identity',
    );
    expect(isActivationName('tanh')).toBe(true);
    expect(isActivationName('Tanh')).toBe(false);
  });
});
