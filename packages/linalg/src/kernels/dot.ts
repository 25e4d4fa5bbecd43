/**
 * Returns Σ_c a[offsetA + c]·b[offsetB + c] for c < length, added up in the order of the
 * SIMD kernels: four partial sums s0..s3 over c ≡ 0, 1, 2, 3 (mod 4), then one pair
 * (c, c + 1) into s0 and s1 when two entries remain, then (s0 + s2) + (s1 + s3), plus the
 * last entry when `length` is odd.
 */
export function blockedDot(a: Float64Array, offsetA: number, b: Float64Array, offsetB: number, length: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let c = 0;
  for (; c + 4 <= length; c += 4) {
    s0 += (a[offsetA + c] as number) * (b[offsetB + c] as number);
    s1 += (a[offsetA + c + 1] as number) * (b[offsetB + c + 1] as number);
    s2 += (a[offsetA + c + 2] as number) * (b[offsetB + c + 2] as number);
    s3 += (a[offsetA + c + 3] as number) * (b[offsetB + c + 3] as number);
  }
  if (c + 2 <= length) {
    s0 += (a[offsetA + c] as number) * (b[offsetB + c] as number);
    s1 += (a[offsetA + c + 1] as number) * (b[offsetB + c + 1] as number);
    c += 2;
  }
  let sum = s0 + s2 + (s1 + s3);
  if (c < length) sum += (a[offsetA + c] as number) * (b[offsetB + c] as number);
  return sum;
}
