import type { Activation, ActivationName } from './activation.js';
import { gaussianMoments, maxMomentOrder } from './moments.js';

function checkDegree(name: string, j: number): void {
  if (!Number.isInteger(j) || j < 0 || j > maxMomentOrder) {
    throw new RangeError(`invalid ${name}: expected an integer from 0 to ${maxMomentOrder}, received ${j}`);
  }
}

/**
 * Returns the coefficients of the probabilists' Hermite polynomial He_j in the monomial
 * basis: entry i multiplies z^i. He_j(z) = Σ_m (−1)^m j!/(m!·(j − 2m)!·2^m)·z^(j−2m).
 */
export function hermiteMonomialCoefficients(j: number): Float64Array {
  checkDegree('degree j', j);
  const out = new Float64Array(j + 1);
  // Start from z^j and step down by two powers: the ratio of consecutive terms is
  // −(j − 2m)(j − 2m − 1)/(2(m + 1)).
  let coefficient = 1;
  for (let m = 0; 2 * m <= j; m++) {
    out[j - 2 * m] = coefficient;
    coefficient *= -((j - 2 * m) * (j - 2 * m - 1)) / (2 * (m + 1));
  }
  return out;
}

/** Evaluates He_j(z) with the recurrence He_{i+1}(z) = z·He_i(z) − i·He_{i−1}(z). */
export function hermitePolynomial(j: number, z: number): number {
  if (!Number.isInteger(j) || j < 0) {
    throw new RangeError(`invalid degree j: expected a non-negative integer, received ${j}`);
  }
  let previous = 1;
  let current = z;
  if (j === 0) return previous;
  for (let i = 1; i < j; i++) {
    const next = z * current - i * previous;
    previous = current;
    current = next;
  }
  return current;
}

/**
 * Computes E[φ(σz)·He_j(z)] for j = 0..maxDegree, z ~ N(0, 1), by expanding He_j in
 * monomials and combining the Gaussian moments γ_i(σ) of `gaussianMoments`. Entry j equals
 * j!·c_j, where c_j is the j-th Hermite coefficient of φ(σz).
 */
export function hermiteExpectations(
  activation: Activation | ActivationName,
  sigma: number,
  maxDegree = 4,
): Float64Array {
  checkDegree('maxDegree', maxDegree);
  const gamma = gaussianMoments(activation, sigma, maxDegree);
  const out = new Float64Array(maxDegree + 1);
  for (let j = 0; j <= maxDegree; j++) {
    const monomials = hermiteMonomialCoefficients(j);
    let sum = 0;
    for (let i = 0; i <= j; i++) sum += (monomials[i] as number) * (gamma[i] as number);
    out[j] = sum;
  }
  return out;
}

/**
 * Computes the coefficients c_0..c_maxDegree of φ(σz) in the probabilists' Hermite basis,
 * φ(σz) = Σ_j c_j·He_j(z), where c_j = E[φ(σz)·He_j(z)]/j!.
 */
export function hermiteCoefficients(activation: Activation | ActivationName, sigma: number, maxDegree = 4): Float64Array {
  const out = hermiteExpectations(activation, sigma, maxDegree);
  let factorial = 1;
  for (let j = 1; j <= maxDegree; j++) {
    factorial *= j;
    out[j] = (out[j] as number) / factorial;
  }
  return out;
}
