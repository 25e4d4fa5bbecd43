// Compares two gradients stored as raw little-endian float64 files.
import { readFileSync } from 'node:fs';

function readFloat64(path) {
  const bytes = readFileSync(path);
  return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
}

/**
 * Returns ‖a − b‖∞/‖b‖∞ and the largest |a_t − b_t|/|b_t| over entries with |b_t| above
 * 1e-3·‖b‖∞, for the gradients in the files `first` (a) and `second` (b).
 */
export function compareGradientFiles(first, second) {
  const a = readFloat64(first);
  const b = readFloat64(second);
  if (a.length !== b.length) {
    throw new RangeError(`gradient lengths differ: ${first} has ${a.length} values, ${second} has ${b.length}`);
  }
  let scale = 0;
  for (const value of b) scale = Math.max(scale, Math.abs(value));
  let largest = 0;
  let entrywise = 0;
  for (let t = 0; t < a.length; t++) {
    const difference = Math.abs(a[t] - b[t]);
    largest = Math.max(largest, difference);
    if (Math.abs(b[t]) > 1e-3 * scale) entrywise = Math.max(entrywise, difference / Math.abs(b[t]));
  }
  return { normwise: scale === 0 ? largest : largest / scale, entrywise };
}
