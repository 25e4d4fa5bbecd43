import type { Activation, ActivationName } from './activation.js';
import { gaussHermiteRule, gaussLaguerreRule } from './quadrature.js';
import { getActivation } from './registry.js';

/** Largest order j accepted by `gaussianMoment` and `gaussianMoments`. */
export const maxMomentOrder = 8;

// tanh(σz) is analytic in the strip |Im z| < π/(2σ). Gauss–Hermite with 150 nodes reaches
// double precision while σ ≤ 0.75; for larger σ the strip is too narrow and the moment is
// computed from the exponentially decaying remainder tanh(σz) − sign(z) with Gauss–Laguerre.
const hermiteNodes = 150;
const laguerreNodes = 100;
const hermiteLimit = 0.75;

const inverseSqrtTwoPi = 1 / Math.sqrt(2 * Math.PI);

function checkOrder(j: number): void {
  if (!Number.isInteger(j) || j < 0 || j > maxMomentOrder) {
    throw new RangeError(`invalid order j: expected an integer from 0 to ${maxMomentOrder}, received ${j}`);
  }
}

function checkSigma(sigma: number): void {
  if (!Number.isFinite(sigma)) {
    throw new RangeError(`invalid sigma: expected a finite number, received ${sigma}`);
  }
}

function resolveActivation(activation: Activation | ActivationName): Activation {
  return typeof activation === 'string' ? getActivation(activation) : activation;
}

/** Returns E[z^j] for z ~ N(0, 1): 0 for odd j and (j − 1)!! for even j. */
export function standardNormalMoment(j: number): number {
  if (!Number.isInteger(j) || j < 0) {
    throw new RangeError(`invalid order j: expected a non-negative integer, received ${j}`);
  }
  if (j % 2 === 1) return 0;
  let product = 1;
  for (let factor = j - 1; factor > 1; factor -= 2) product *= factor;
  return product;
}

/** Returns E[|z|^j] for z ~ N(0, 1): (j − 1)!! for even j and √(2/π)·2^((j−1)/2)·((j−1)/2)! for odd j. */
export function absoluteNormalMoment(j: number): number {
  if (!Number.isInteger(j) || j < 0) {
    throw new RangeError(`invalid order j: expected a non-negative integer, received ${j}`);
  }
  if (j % 2 === 0) return standardNormalMoment(j);
  let product = Math.sqrt(2 / Math.PI);
  for (let factor = 1; factor <= (j - 1) / 2; factor++) product *= 2 * factor;
  return product;
}

// γ_j(σ) = E[tanh(σz)·z^j] for j = 0..maxOrder and σ > 0. Even orders vanish by symmetry.
function tanhMoments(sigma: number, maxOrder: number): Float64Array {
  const out = new Float64Array(maxOrder + 1);
  if (sigma <= hermiteLimit) {
    const { nodes, weights } = gaussHermiteRule(hermiteNodes);
    for (let i = 0; i < nodes.length; i++) {
      const z = nodes[i] as number;
      const term = (weights[i] as number) * Math.tanh(sigma * z);
      let power = z;
      for (let j = 1; j <= maxOrder; j += 2) {
        out[j]! += term * power;
        power *= z * z;
      }
    }
    return out;
  }

  // For odd j, γ_j = E[|z|^j] − 4∫_0^∞ z^j ϕ(z)/(1 + e^(2σz)) dz, because tanh(t) = 1 − 2/(1 + e^(2t))
  // for t > 0. With u = 2σz the integral is (2σ)^−(j+1) ∫_0^∞ e^(−u)·u^j ϕ(u/2σ)/(1 + e^(−u)) du.
  const { nodes, weights } = gaussLaguerreRule(laguerreNodes);
  const remainder = new Float64Array(maxOrder + 1);
  for (let i = 0; i < nodes.length; i++) {
    const u = nodes[i] as number;
    const scaled = u / (2 * sigma);
    const term = ((weights[i] as number) * inverseSqrtTwoPi * Math.exp(-0.5 * scaled * scaled)) / (1 + Math.exp(-u));
    let power = u;
    for (let j = 1; j <= maxOrder; j += 2) {
      remainder[j]! += term * power;
      power *= u * u;
    }
  }
  for (let j = 1; j <= maxOrder; j += 2) {
    out[j] = absoluteNormalMoment(j) - 4 * (remainder[j] as number) * Math.pow(2 * sigma, -(j + 1));
  }
  return out;
}

// The moments for σ ≥ 0; `gaussianMoments` maps negative σ through γ_j(−σ) = (−1)^j γ_j(σ).
function nonNegativeMoments(activation: Activation, sigma: number, maxOrder: number): Float64Array {
  const out = new Float64Array(maxOrder + 1);
  switch (activation.name) {
    case 'identity':
      // E[σz·z^j] = σ·E[z^(j+1)].
      for (let j = 0; j <= maxOrder; j++) out[j] = sigma * standardNormalMoment(j + 1);
      return out;
    case 'relu':
      // E[max(σz, 0)·z^j] = σ·E[z^(j+1); z > 0] = σ·E[|z|^(j+1)]/2.
      for (let j = 0; j <= maxOrder; j++) out[j] = 0.5 * sigma * absoluteNormalMoment(j + 1);
      return out;
    case 'tanh':
      return sigma === 0 ? out : tanhMoments(sigma, maxOrder);
    case 'sigmoid': {
      // sigmoid(t) = 1/2 + tanh(t/2)/2.
      const odd = sigma === 0 ? out : tanhMoments(sigma / 2, maxOrder);
      for (let j = 0; j <= maxOrder; j++) out[j] = 0.5 * standardNormalMoment(j) + 0.5 * (odd[j] as number);
      return out;
    }
    default:
      throw new RangeError(`unsupported activation "${String(activation.name)}": no Gaussian moments are known for it`);
  }
}

/**
 * Computes γ_j(σ) = E[φ(σz)·z^j], z ~ N(0, 1), for j = 0..maxOrder. Identity and ReLU use
 * closed forms. tanh uses Gauss–Hermite quadrature for |σ| ≤ 0.75 and Gauss–Laguerre
 * quadrature of tanh(σz) − sign(z) above, and sigmoid reduces to tanh at σ/2. On the
 * tested grid (σ from 0.05 to 40, j ≤ 8) both agree with 40-digit mpmath values to a
 * relative error below 1e-14.
 */
export function gaussianMoments(activation: Activation | ActivationName, sigma: number, maxOrder = 4): Float64Array {
  checkOrder(maxOrder);
  checkSigma(sigma);
  const resolved = resolveActivation(activation);
  const out = nonNegativeMoments(resolved, Math.abs(sigma), maxOrder);
  if (sigma < 0) {
    for (let j = 1; j <= maxOrder; j += 2) out[j] = -(out[j] as number);
  }
  return out;
}

/** Computes γ_j(σ) = E[φ(σz)·z^j] for z ~ N(0, 1); see `gaussianMoments` for the methods. */
export function gaussianMoment(activation: Activation | ActivationName, j: number, sigma: number): number {
  checkOrder(j);
  return gaussianMoments(activation, sigma, j)[j] as number;
}

/**
 * Computes E[φ(σz)²] for z ~ N(0, 1). For tanh, tanh² = 1 − tanh′ and Stein's identity
 * E[z·tanh(σz)] = σ·E[tanh′(σz)] give E[tanh²(σz)] = 1 − γ_1(σ)/σ. Below |σ| = 0.75 that
 * difference cancels, so Gauss–Hermite quadrature of tanh² is used instead. Sigmoid
 * reduces to tanh through sigmoid(t) = 1/2 + tanh(t/2)/2.
 */
export function gaussianMeanSquare(activation: Activation | ActivationName, sigma: number): number {
  checkSigma(sigma);
  const resolved = resolveActivation(activation);
  const scale = Math.abs(sigma);
  switch (resolved.name) {
    case 'identity':
      return scale * scale;
    case 'relu':
      return 0.5 * scale * scale;
    case 'tanh':
      return tanhMeanSquare(scale);
    case 'sigmoid':
      // E[(1 + tanh)²]/4 = (1 + 2·E[tanh] + E[tanh²])/4 with E[tanh(σz/2)] = 0.
      return 0.25 * (1 + tanhMeanSquare(scale / 2));
    default:
      throw new RangeError(`unsupported activation "${String(resolved.name)}": no Gaussian moments are known for it`);
  }
}

function tanhMeanSquare(sigma: number): number {
  if (sigma === 0) return 0;
  if (sigma > hermiteLimit) return 1 - (tanhMoments(sigma, 1)[1] as number) / sigma;
  const { nodes, weights } = gaussHermiteRule(hermiteNodes);
  let sum = 0;
  for (let i = 0; i < nodes.length; i++) {
    const value = Math.tanh(sigma * (nodes[i] as number));
    sum += (weights[i] as number) * value * value;
  }
  return sum;
}
