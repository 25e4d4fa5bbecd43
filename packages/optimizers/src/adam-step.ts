import { readPositiveFinite, readRate } from './options.js';
import type { AdamOptions } from './types.js';

/** Adam hyperparameters after defaults are applied and every value is checked. */
export interface AdamSettings {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** Applies the Adam defaults (α = 1e-3, β1 = 0.9, β2 = 0.999, ε = 1e-8) and checks each value. */
export function resolveAdamSettings(options: AdamOptions): AdamSettings {
  return {
    learningRate: readPositiveFinite('learningRate', options.learningRate, 1e-3),
    beta1: readRate('beta1', options.beta1, 0.9),
    beta2: readRate('beta2', options.beta2, 0.999),
    epsilon: readPositiveFinite('epsilon', options.epsilon, 1e-8),
  };
}

/** Moment estimates of Adam and the powers β1^t, β2^t used for bias correction. */
export class AdamState {
  readonly firstMoment: Float64Array;
  readonly secondMoment: Float64Array;
  beta1Power = 1;
  beta2Power = 1;

  constructor(dimension: number) {
    this.firstMoment = new Float64Array(dimension);
    this.secondMoment = new Float64Array(dimension);
  }
}

/**
 * Performs one Adam step: updates the moments with `gradient`, then writes x − α·m̂/(√v̂ + ε) into `out`, where m̂ = m/(1 − β1^t) and
 * v̂ = v/(1 − β2^t). `out` may be x itself.
 */
export function applyAdamStep(
  settings: AdamSettings,
  state: AdamState,
  x: Float64Array,
  gradient: Float64Array,
  out: Float64Array,
): void {
  const { learningRate, beta1, beta2, epsilon } = settings;
  const m = state.firstMoment;
  const v = state.secondMoment;

  state.beta1Power *= beta1;
  state.beta2Power *= beta2;
  const firstCorrection = 1 - state.beta1Power;
  const secondCorrection = 1 - state.beta2Power;
  const firstWeight = 1 - beta1;
  const secondWeight = 1 - beta2;

  for (let i = 0; i < x.length; i++) {
    const g = gradient[i] as number;
    const mi = beta1 * (m[i] as number) + firstWeight * g;
    const vi = beta2 * (v[i] as number) + secondWeight * g * g;
    m[i] = mi;
    v[i] = vi;

    const mHat = mi / firstCorrection;
    const vHat = vi / secondCorrection;
    out[i] = (x[i] as number) - (learningRate * mHat) / (Math.sqrt(vHat) + epsilon);
  }
}
