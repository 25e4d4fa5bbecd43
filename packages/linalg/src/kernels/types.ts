/** The implementation behind the kernels of a workspace. */
export type KernelBackend = 'wasm-simd' | 'typescript';

/**
 * Numeric kernels that work in place on one memory buffer. Every pointer argument is a
 * byte offset into that buffer: float64 arrays start at multiples of 8 and int32 or
 * float32 arrays at multiples of 4. Matrices are row-major.
 *
 * Both backends add up every output element in the same order, so they return
 * bit-identical results.
 */
export interface BufferKernels {
  readonly backend: KernelBackend;
  /**
   * C (n×k) = A (n×d)·B (d×k), C overwritten. Each entry is summed over p = 0, 1, …, d−1
   * in that order, the order of the plain i-p-j loop.
   */
  gemm(a: number, b: number, c: number, n: number, d: number, k: number): void;
  /**
   * C (d×k) += Aᵀ·B for A (n×d) and B (n×k). Each entry adds the rows p = 0, 1, …, n−1
   * in that order, so consecutive calls on consecutive row ranges equal one call.
   */
  gemmTransposeAAdd(a: number, b: number, c: number, n: number, d: number, k: number): void;
  /**
   * One pass over the observations of the rows [rowBegin, rowEnd) of a row-grouped
   * observation list: observation t of row i, rowStart[i] ≤ t < rowStart[i + 1], has
   * column columns[t], value values[t] (float64, or float32 when valueBytes is 4) and
   * multiplicity counts[t] (1 for every observation when counts is 0). For each it forms
   * r = P_i·Q_j − value with `blockedDot` and adds count·r·r to the returned sum. When
   * `withGradient` is true it also adds w·Q_j to G1_i and w·P_i to G2_j, w = count·r/m.
   */
  observationPass(
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
  ): number;
  /** destination[t] += source[t] for t < count, float64. */
  add(destination: number, source: number, count: number): void;
}
