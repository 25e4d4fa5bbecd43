import { blockedDot } from './dot.js';
import type { BufferKernels } from './types.js';

/**
 * Creates the plain TypeScript kernels on `buffer`. They give the same numbers as the
 * WebAssembly kernels and run wherever WebAssembly SIMD is missing.
 */
export function createTypeScriptKernels(buffer: ArrayBufferLike): BufferKernels {
  const f64 = new Float64Array(buffer);
  const f32 = new Float32Array(buffer);
  const i32 = new Int32Array(buffer);

  const gemm = (a: number, b: number, c: number, n: number, d: number, k: number): void => {
    const A = a / 8;
    const B = b / 8;
    const C = c / 8;
    f64.fill(0, C, C + n * k);
    for (let i = 0; i < n; i++) {
      const rowA = A + i * d;
      const rowC = C + i * k;
      for (let p = 0; p < d; p++) {
        const aip = f64[rowA + p] as number;
        const rowB = B + p * k;
        for (let j = 0; j < k; j++) f64[rowC + j]! += aip * (f64[rowB + j] as number);
      }
    }
  };

  const gemmTransposeAAdd = (a: number, b: number, c: number, n: number, d: number, k: number): void => {
    const A = a / 8;
    const B = b / 8;
    const C = c / 8;
    for (let p = 0; p < n; p++) {
      const rowA = A + p * d;
      const rowB = B + p * k;
      for (let i = 0; i < d; i++) {
        const api = f64[rowA + i] as number;
        const rowC = C + i * k;
        for (let j = 0; j < k; j++) f64[rowC + j]! += api * (f64[rowB + j] as number);
      }
    }
  };

  const observationPass = (
    rowStart: number,
    rowBegin: number,
    rowEnd: number,
    columns: number,
    values: number,
    valueBytes: 4 | 8,
    counts: number,
    P: number,
    Q: number,
    G1: number,
    G2: number,
    k: number,
    m: number,
    withGradient: boolean,
  ): number => {
    const starts = rowStart / 4;
    const cols = columns / 4;
    const vals = values / valueBytes;
    const valueView = valueBytes === 4 ? f32 : f64;
    const cnt = counts / 8;
    const p0 = P / 8;
    const q0 = Q / 8;
    const g10 = G1 / 8;
    const g20 = G2 / 8;
    let sum = 0;
    for (let i = rowBegin; i < rowEnd; i++) {
      const rowP = p0 + i * k;
      const rowG1 = g10 + i * k;
      const end = i32[starts + i + 1] as number;
      for (let t = i32[starts + i] as number; t < end; t++) {
        const column = i32[cols + t] as number;
        const rowQ = q0 + column * k;
        const count = counts === 0 ? 1 : (f64[cnt + t] as number);
        const residual = blockedDot(f64, rowP, f64, rowQ, k) - (valueView[vals + t] as number);
        sum += count * residual * residual;
        if (!withGradient) continue;
        const weight = (count * residual) / m;
        const rowG2 = g20 + column * k;
        for (let c = 0; c < k; c++) {
          f64[rowG1 + c]! += weight * (f64[rowQ + c] as number);
          f64[rowG2 + c]! += weight * (f64[rowP + c] as number);
        }
      }
    }
    return sum;
  };

  const add = (destination: number, source: number, count: number): void => {
    const D = destination / 8;
    const S = source / 8;
    for (let t = 0; t < count; t++) f64[D + t]! += f64[S + t] as number;
  };

  return { backend: 'typescript', gemm, gemmTransposeAAdd, observationPass, add };
}
