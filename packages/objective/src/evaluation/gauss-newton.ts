import type { WorkspaceLayout } from '@nimc/linalg';
import { computeEmbeddings, type EvaluationContext } from './phases.js';
import { rowsPerCall, type PreparedEvaluation, type ReservedSizes, type Share } from './plan.js';

/** Byte offsets of one cached point θ of the Gauss–Newton product. */
interface PointOffsets {
  readonly theta: number;
  /** φ′(XU), n1×k. */
  readonly D1: number;
  /** φ′(YV), n2×k. */
  readonly D2: number;
  /** n1×2k. Row i is [dP_i, P_i], and every product rewrites its dP_i half. */
  readonly stacked1: number;
  /** n2×2k. Row j is [Q_j, dQ_j], and every product rewrites its dQ_j half. */
  readonly stacked2: number;
}

/** Byte offsets of the buffers of the Gauss–Newton product, reserved after the plan's. */
export interface GaussNewtonOffsets {
  /** The two most recently used points. */
  readonly points: readonly [PointOffsets, PointOffsets];
  /** Accumulators of the observation pass, n1×2k and n2×2k. */
  readonly sums1: number;
  readonly sums2: number;
  /** X·dU and Y·dV, later the inputs of the back projection (n1×k and n2×k). */
  readonly work1: number;
  readonly work2: number;
  readonly direction: number;
  readonly product: number;
  /** One float32 zero per merged pair, the observed values of the pass. */
  readonly zeros: number;
}

/** Reserves the buffers of `createGaussNewtonProduct` in `layout`. */
export function reserveGaussNewton(layout: WorkspaceLayout, sizes: ReservedSizes, k: number, dimension: number): GaussNewtonOffsets {
  const { n1, n2, pairs } = sizes;
  const point = (): PointOffsets => ({
    theta: layout.float64(dimension),
    D1: layout.float64(n1 * k),
    D2: layout.float64(n2 * k),
    stacked1: layout.float64(n1 * 2 * k),
    stacked2: layout.float64(n2 * 2 * k),
  });
  return {
    points: [point(), point()],
    sums1: layout.float64(n1 * 2 * k),
    sums2: layout.float64(n2 * 2 * k),
    work1: layout.float64(n1 * k),
    work2: layout.float64(n2 * k),
    direction: layout.float64(dimension),
    product: layout.float64(dimension),
    zeros: layout.words(pairs),
  };
}

interface CachedPoint {
  readonly offsets: PointOffsets;
  readonly theta: Float64Array;
  readonly D1: Float64Array;
  readonly D2: Float64Array;
  readonly stacked1: Float64Array;
  readonly stacked2: Float64Array;
}

function sameVector(a: Float64Array, b: Float64Array): boolean {
  for (let t = 0; t < a.length; t++) {
    if (a[t] !== b[t]) return false;
  }
  return true;
}

// The elementwise steps are small functions of their own. Measured with Node 20, V8
// optimized them after two or three products, but the same loops inside the product
// function ran unoptimized for about ten products.

// Writes `source` (n×k) into columns [first, first + k) of `stacked` (n×2k).
function copyIntoColumns(stacked: Float64Array, first: number, source: Float64Array, n: number, k: number): void {
  const width = 2 * k;
  let from = 0;
  let target = first;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) stacked[target + c] = source[from + c] as number;
    from += k;
    target += width;
  }
}

// Writes a ⊙ b (n×k) into columns [first, first + k) of `stacked` (n×2k).
function multiplyIntoColumns(stacked: Float64Array, first: number, a: Float64Array, b: Float64Array, n: number, k: number): void {
  const width = 2 * k;
  let source = 0;
  let target = first;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) stacked[target + c] = (a[source + c] as number) * (b[source + c] as number);
    source += k;
    target += width;
  }
}

// Writes columns [first, first + k) of `stacked` (n×2k) times `scale` (n×k) into `out` (n×k).
function multiplyColumns(out: Float64Array, stacked: Float64Array, first: number, scale: Float64Array, n: number, k: number): void {
  const width = 2 * k;
  let source = first;
  let target = 0;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) out[target + c] = (stacked[source + c] as number) * (scale[target + c] as number);
    source += width;
    target += k;
  }
}

/**
 * The Gauss–Newton product (JᵀJ/m + λI)·v on the workspace of an evaluation, computed by
 * the evaluation's kernels: a dense product for X·dU and Y·dV, one tiled observation pass,
 * and a dense product for each back projection.
 *
 * The pass reuses the loss kernel on stacked rows. With row i of the left factor
 * [dP_i, P_i], row j of the right factor [Q_j, dQ_j] and observed values 0, the kernel's
 * residual of pair (i, j) is dP_i·Q_j + P_i·dQ_j = (J·v)_t. Its accumulators then hold
 * Σ_j w·[Q_j, dQ_j] in row i and Σ_i w·[dP_i, P_i] in row j, with w = count·(J·v)_t/m,
 * and the halves Σ_j w·Q_j and Σ_i w·P_i are the ones Jᵀ needs. The unused halves double
 * the pass's arithmetic, but the pass is still the tiled SIMD kernel of the loss.
 *
 * The embeddings P, Q and the derivatives φ′ of the two most recent θ stay in the
 * workspace, keyed by the content of θ, so the products of one solve share one forward
 * pass. A new θ takes them from the evaluation buffers when these contain its embeddings.
 */
export interface GaussNewtonProduct {
  /** Writes (JᵀJ/m + λI)·v into `out`. The lengths are not checked. */
  times(theta: Float64Array, v: Float64Array, out: Float64Array): void;
}

/**
 * Creates the Gauss–Newton product on the workspace of `prepared`, whose layout includes
 * `offsets`. `context` is the evaluation bound to that workspace. When a θ equals the θ
 * buffer of `context`, the product takes P, Q, D1 and D2 from there. So the caller fills
 * that buffer with NaN before the first evaluation, and follows every later write of θ
 * there by `computeEmbeddings`.
 */
export function createGaussNewtonProduct(
  prepared: PreparedEvaluation,
  context: EvaluationContext,
  offsets: GaussNewtonOffsets,
): GaussNewtonProduct {
  const { plan, workspace } = prepared;
  const { kernels } = workspace;
  const { d1, d2, k, n1, n2, m, l2 } = plan;
  const sizeU = d1 * k;
  const dimension = (d1 + d2) * k;
  const width = 2 * k;
  const share = plan.shares[0] as Share;
  const wholeShare: Share = { rows1: [0, n1], rows2: [0, n2], pairRows: [0, n1], calls: [] };

  const points: CachedPoint[] = offsets.points.map((point) => ({
    offsets: point,
    theta: workspace.float64(point.theta, dimension).fill(Number.NaN),
    D1: workspace.float64(point.D1, n1 * k),
    D2: workspace.float64(point.D2, n2 * k),
    stacked1: workspace.float64(point.stacked1, n1 * width),
    stacked2: workspace.float64(point.stacked2, n2 * width),
  }));
  const sums1 = workspace.float64(offsets.sums1, n1 * width);
  const sums2 = workspace.float64(offsets.sums2, n2 * width);
  const work1 = workspace.float64(offsets.work1, n1 * k);
  const work2 = workspace.float64(offsets.work2, n2 * k);
  const direction = workspace.float64(offsets.direction, dimension);
  const product = workspace.float64(offsets.product, dimension);

  // Fills `point` for θ from the evaluation buffers, after computing the embeddings there
  // unless they already belong to θ.
  const fill = (point: CachedPoint, theta: Float64Array): void => {
    if (!sameVector(context.theta, theta)) {
      context.theta.set(theta);
      computeEmbeddings(context, wholeShare);
    }
    point.theta.set(theta);
    point.D1.set(context.D1);
    point.D2.set(context.D2);
    copyIntoColumns(point.stacked1, k, context.P, n1, k);
    copyIntoColumns(point.stacked2, 0, context.Q, n2, k);
  };

  // Returns the cached point of θ, filling the least recently used one on a miss, and
  // moves it to the front.
  const pointAt = (theta: Float64Array): CachedPoint => {
    const [first, second] = points as [CachedPoint, CachedPoint];
    if (sameVector(first.theta, theta)) return first;
    if (!sameVector(second.theta, theta)) fill(second, theta);
    points[0] = second;
    points[1] = first;
    return second;
  };

  // out (n×k) = F·W for the features F (n×d) at byte offset `features`.
  const multiplyRows = (features: number, weights: number, out: number, n: number, d: number): void => {
    for (let row = 0; row < n; row += rowsPerCall) {
      const rows = Math.min(rowsPerCall, n - row);
      kernels.gemm(features + row * d * 8, weights, out + row * k * 8, rows, d, k);
    }
  };

  // out (d×k) += Fᵀ·G for the features F (n×d) and G (n×k).
  const projectRows = (features: number, G: number, out: number, n: number, d: number): void => {
    for (let row = 0; row < n; row += rowsPerCall) {
      const rows = Math.min(rowsPerCall, n - row);
      kernels.gemmTransposeAAdd(features + row * d * 8, G + row * k * 8, out, rows, d, k);
    }
  };

  const times = (theta: Float64Array, v: Float64Array, out: Float64Array): void => {
    const point = pointAt(theta);
    const { D1, D2, stacked1, stacked2 } = point;

    // dP = φ′(XU) ⊙ X·dU into the left half of the rows of stacked1, dQ = φ′(YV) ⊙ Y·dV
    // into the right half of the rows of stacked2.
    direction.set(v);
    multiplyRows(plan.offsets.X, offsets.direction, offsets.work1, n1, d1);
    multiplyRows(plan.offsets.Y, offsets.direction + sizeU * 8, offsets.work2, n2, d2);
    multiplyIntoColumns(stacked1, 0, D1, work1, n1, k);
    multiplyIntoColumns(stacked2, k, D2, work2, n2, k);

    sums1.fill(0);
    sums2.fill(0);
    const calls = share.calls;
    for (let c = 0; c < calls.length; c += 3) {
      kernels.observationPass(
        calls[c] as number,
        calls[c + 1] as number,
        calls[c + 2] as number,
        plan.offsets.columns,
        offsets.zeros,
        4,
        plan.offsets.counts,
        point.offsets.stacked1,
        point.offsets.stacked2,
        offsets.sums1,
        offsets.sums2,
        width,
        m,
        true,
      );
    }

    // Jᵀ: (W·Q) ⊙ φ′(XU) and (Wᵀ·P) ⊙ φ′(YV), projected back by Xᵀ and Yᵀ.
    multiplyColumns(work1, sums1, 0, D1, n1, k);
    multiplyColumns(work2, sums2, k, D2, n2, k);
    product.fill(0);
    projectRows(plan.offsets.X, offsets.work1, offsets.product, n1, d1);
    projectRows(plan.offsets.Y, offsets.work2, offsets.product + sizeU * 8, n2, d2);

    out.set(product);
    if (l2 !== 0) {
      for (let t = 0; t < dimension; t++) out[t]! += l2 * (v[t] as number);
    }
  };

  return { times };
}
