import { createMatrix, type DenseMatrix, type Random } from '@nimc/linalg';

/** A starting point (U0, V0) for training, with U0 d1×k and V0 d2×k. */
export interface InitialFactors {
  readonly U: DenseMatrix;
  readonly V: DenseMatrix;
}

/** Options of `randomInit`. */
export interface RandomInitOptions {
  /** Standard deviation of the entries. Default 1/√d for each side (d1 for U, d2 for V). */
  scale?: number;
}

function checkSize(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`invalid ${name}: expected a positive integer, received ${value}`);
  }
}

function gaussianFactor(random: Random, rows: number, columns: number, scale: number): DenseMatrix {
  const out = createMatrix(rows, columns);
  for (let t = 0; t < out.data.length; t++) out.data[t] = scale * random.gaussian();
  return out;
}

/**
 * Draws U0 and V0 with independent N(0, scale²) entries, U0 first, from `random`.
 * The default scale 1/√d keeps each pre-activation uᵀx of standardised features near
 * unit variance.
 */
export function randomInit(
  d1: number,
  d2: number,
  k: number,
  random: Random,
  options: RandomInitOptions = {},
): InitialFactors {
  checkSize('d1', d1);
  checkSize('d2', d2);
  checkSize('k', k);
  const scale = options.scale;
  if (scale !== undefined && !(scale > 0 && Number.isFinite(scale))) {
    throw new RangeError(`invalid scale: expected a finite positive number, received ${scale}`);
  }
  return {
    U: gaussianFactor(random, d1, k, scale ?? 1 / Math.sqrt(d1)),
    V: gaussianFactor(random, d2, k, scale ?? 1 / Math.sqrt(d2)),
  };
}

/**
 * Returns W0 = (1 − α)·W* + α·W_r for W = U and W = V, where W_r has independent standard
 * normal entries drawn from `random` (U's first). α = 0 is the ground truth and α = 1 a
 * pure random start.
 */
export function perturbedInit(truth: InitialFactors, alpha: number, random: Random): InitialFactors {
  if (!(alpha >= 0 && alpha <= 1)) {
    throw new RangeError(`invalid alpha: expected a number in [0, 1], received ${alpha}`);
  }
  const mix = (w: DenseMatrix): DenseMatrix => {
    const out = createMatrix(w.rows, w.columns);
    for (let t = 0; t < out.data.length; t++) {
      out.data[t] = (1 - alpha) * (w.data[t] as number) + alpha * random.gaussian();
    }
    return out;
  };
  const U = mix(truth.U);
  const V = mix(truth.V);
  return { U, V };
}
