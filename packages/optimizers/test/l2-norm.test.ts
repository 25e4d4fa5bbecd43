import { describe, expect, it } from 'vitest';
import { l2Norm } from '../src/index.js';

describe('l2Norm', () => {
  it('computes small norms exactly', () => {
    expect(l2Norm(Float64Array.of(3, -4))).toBe(5);
    expect(l2Norm(new Float64Array(0))).toBe(0);
    expect(l2Norm(new Float64Array(4))).toBe(0);
  });

  it('avoids overflow and underflow', () => {
    for (const scale of [1e200, 1e-200]) {
      const norm = l2Norm(Float64Array.of(3 * scale, -4 * scale));
      const relativeError = Math.abs(norm - 5 * scale) / (5 * scale);
      expect(relativeError, `scale ${scale}: norm ${norm}`).toBeLessThanOrEqual(1e-15);
    }
  });

  it('propagates NaN and infinity', () => {
    expect(l2Norm(Float64Array.of(1, Number.NaN))).toBeNaN();
    expect(l2Norm(Float64Array.of(Number.NaN, 1e300))).toBeNaN();
    expect(l2Norm(Float64Array.of(Number.POSITIVE_INFINITY, 1, Number.NEGATIVE_INFINITY))).toBe(Number.POSITIVE_INFINITY);
    expect(l2Norm(Float64Array.of(Number.POSITIVE_INFINITY, Number.NaN))).toBeNaN();
  });
});
