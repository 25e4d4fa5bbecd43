// Sums of squares at or above this value have not lost accuracy to underflow, because each entry
// loses less than 2^-1022 to underflow, which is negligible next to a sum of at least 2^-900.
const SAFE_SUM_OF_SQUARES = 2 ** -900;

/**
 * Computes the Euclidean norm of x. Entries whose squares would overflow or underflow are
 * handled by rescaling, and the result is NaN when any entry is NaN.
 */
export function l2Norm(x: Float64Array): number {
  let sumOfSquares = 0;
  for (let i = 0; i < x.length; i++) {
    const value = x[i] as number;
    sumOfSquares += value * value;
  }
  if (Number.isFinite(sumOfSquares) && sumOfSquares >= SAFE_SUM_OF_SQUARES) {
    return Math.sqrt(sumOfSquares);
  }
  return scaledL2Norm(x);
}

// One-pass scaled sum of squares: the running sum is kept relative to the largest magnitude
// seen so far, so no intermediate value overflows or underflows.
function scaledL2Norm(x: Float64Array): number {
  let scale = 0;
  let scaledSum = 1;
  let hasInfinity = false;
  for (let i = 0; i < x.length; i++) {
    const value = x[i] as number;
    if (Number.isNaN(value)) return Number.NaN;
    if (!Number.isFinite(value)) hasInfinity = true;
    if (value === 0 || hasInfinity) continue;
    const magnitude = Math.abs(value);
    if (scale < magnitude) {
      const ratio = scale / magnitude;
      scaledSum = 1 + scaledSum * ratio * ratio;
      scale = magnitude;
    } else {
      const ratio = magnitude / scale;
      scaledSum += ratio * ratio;
    }
  }
  return hasInfinity ? Number.POSITIVE_INFINITY : scale * Math.sqrt(scaledSum);
}

/** Returns whether every entry of x is finite. */
export function isFiniteVector(x: Float64Array): boolean {
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i] as number)) return false;
  }
  return true;
}

/** Returns whether a loss and every entry of its gradient are finite. */
export function isFiniteEvaluation(loss: number, gradient: Float64Array): boolean {
  return Number.isFinite(loss) && isFiniteVector(gradient);
}
