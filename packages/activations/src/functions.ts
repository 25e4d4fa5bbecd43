import type { Activation } from './activation.js';

// Both branches evaluate exp of a non-positive number, so neither overflows for any
// finite z; 1/(1 + e^(−z)) would overflow for z < −709.
function logistic(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** The logistic sigmoid 1/(1 + e^(−z)). */
export const sigmoid: Activation = {
  name: 'sigmoid',
  value: logistic,
  derivative(z) {
    const s = logistic(z);
    return s * (1 - s);
  },
  secondDerivative(z) {
    const s = logistic(z);
    return s * (1 - s) * (1 - 2 * s);
  },
};

/** The hyperbolic tangent. */
export const tanh: Activation = {
  name: 'tanh',
  value: Math.tanh,
  derivative(z) {
    const t = Math.tanh(z);
    return 1 - t * t;
  },
  secondDerivative(z) {
    const t = Math.tanh(z);
    return -2 * t * (1 - t * t);
  },
};

/** The rectified linear unit max(z, 0). */
export const relu: Activation = {
  name: 'relu',
  value: (z) => (z > 0 ? z : 0),
  derivative: (z) => (z > 0 ? 1 : 0),
  secondDerivative: () => 0,
};

/** The identity φ(z) = z, which turns NIMC into linear inductive matrix completion. */
export const identity: Activation = {
  name: 'identity',
  value: (z) => z,
  derivative: () => 1,
  secondDerivative: () => 0,
};
