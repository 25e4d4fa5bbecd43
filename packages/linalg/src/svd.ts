import { createMatrix, type DenseMatrix } from './dense.js';
import { qr, svd } from './decompositions.js';
import { multiply } from './products.js';
import { createRandom } from './random.js';
import { sparseMultiply, sparseTransposeMultiply, type ObservationSet } from './sparse.js';

/** Top right singular vectors and their singular values, largest first. */
export interface TruncatedSvd {
  /** columns×r matrix whose column c is the c-th right singular vector. */
  readonly vectors: DenseMatrix;
  /** The r largest singular values, in decreasing order. */
  readonly values: Float64Array;
}

/** Options of the randomized subspace iteration used for sparse input. */
export interface TruncatedSvdOptions {
  /** Seed of the random starting block. Default 0. */
  seed?: number;
  /** Number of subspace iterations. Default 30. */
  iterations?: number;
  /** Extra columns carried beyond r, which speeds up convergence. Default 10. */
  oversampling?: number;
  /**
   * A rank-one term added to an observation set: the matrix decomposed is then the sparse
   * matrix plus left·rightᵀ (left has n1 entries, right n2). The sum is never formed, so a
   * matrix whose unobserved entries hold a per-column value stays cheap to decompose.
   */
  rankOne?: { left: Float64Array; right: Float64Array };
}

// Adds the product (u·vᵀ)·q to out, where q has v.length rows: out += u ⊗ (vᵀq).
function addRankOneProduct(out: DenseMatrix, u: Float64Array, v: Float64Array, q: DenseMatrix): DenseMatrix {
  const k = q.columns;
  const projection = new Float64Array(k);
  for (let j = 0; j < v.length; j++) {
    const weight = v[j] as number;
    if (weight === 0) continue;
    for (let c = 0; c < k; c++) projection[c]! += weight * (q.data[j * k + c] as number);
  }
  for (let i = 0; i < u.length; i++) {
    const scale = u[i] as number;
    for (let c = 0; c < k; c++) out.data[i * k + c]! += scale * (projection[c] as number);
  }
  return out;
}

function checkRankOne(obs: ObservationSet, rankOne: { left: Float64Array; right: Float64Array }): void {
  if (!(rankOne.left instanceof Float64Array) || !(rankOne.right instanceof Float64Array)) {
    throw new RangeError('invalid rankOne: expected { left, right } with two Float64Arrays');
  }
  if (rankOne.left.length !== obs.n1 || rankOne.right.length !== obs.n2) {
    throw new RangeError(
      `invalid rankOne: expected left of length ${obs.n1} and right of length ${obs.n2}, received ${rankOne.left.length} and ${rankOne.right.length}`,
    );
  }
  for (const [name, vector] of [['left', rankOne.left], ['right', rankOne.right]] as const) {
    const bad = vector.findIndex((value) => !Number.isFinite(value));
    if (bad >= 0) throw new RangeError(`invalid rankOne.${name}[${bad}]: expected a finite number, received ${vector[bad]}`);
  }
}

function leadingColumns(a: DenseMatrix, columns: number): DenseMatrix {
  const out = createMatrix(a.rows, columns);
  for (let i = 0; i < a.rows; i++) {
    out.data.set(a.data.subarray(i * a.columns, i * a.columns + columns), i * columns);
  }
  return out;
}

// Singular vectors are defined up to sign; flip each so that its largest entry in
// absolute value is positive, which makes the output reproducible.
function fixSigns(vectors: DenseMatrix): void {
  const { rows, columns, data } = vectors;
  for (let c = 0; c < columns; c++) {
    let largest = 0;
    for (let i = 0; i < rows; i++) {
      const value = data[i * columns + c] as number;
      if (Math.abs(value) > Math.abs(largest)) largest = value;
    }
    if (largest < 0) {
      for (let i = 0; i < rows; i++) data[i * columns + c] = -(data[i * columns + c] as number);
    }
  }
}

function checkRank(r: number, rows: number, columns: number): void {
  if (!Number.isInteger(r) || r < 1 || r > Math.min(rows, columns)) {
    throw new RangeError(
      `invalid rank ${r}: expected an integer from 1 to ${Math.min(rows, columns)} for a ${rows}x${columns} matrix`,
    );
  }
}

function denseTopRight(a: DenseMatrix, r: number): TruncatedSvd {
  const decomposition = svd(a);
  const vectors = leadingColumns(decomposition.v, r);
  fixSigns(vectors);
  return { vectors, values: decomposition.values.slice(0, r) };
}

function sparseTopRight(obs: ObservationSet, r: number, options: TruncatedSvdOptions): TruncatedSvd {
  const oversampling = options.oversampling ?? 10;
  const iterations = options.iterations ?? 30;
  const width = Math.min(r + oversampling, obs.n2, obs.n1);
  const random = createRandom(options.seed ?? 0);
  let basis = qr(random.gaussianMatrix(obs.n2, width)).q;
  const rankOne = options.rankOne;
  if (rankOne !== undefined) checkRankOne(obs, rankOne);
  const times = (q: DenseMatrix): DenseMatrix => {
    const product = sparseMultiply(obs, obs.values, q);
    return rankOne === undefined ? product : addRankOneProduct(product, rankOne.left, rankOne.right, q);
  };
  const transposeTimes = (p: DenseMatrix): DenseMatrix => {
    const product = sparseTransposeMultiply(obs, obs.values, p);
    return rankOne === undefined ? product : addRankOneProduct(product, rankOne.right, rankOne.left, p);
  };

  // Subspace iteration on AᵀA: each pass multiplies by A, then by Aᵀ, then re-orthonormalizes.
  for (let iteration = 0; iteration < iterations; iteration++) {
    basis = qr(transposeTimes(times(basis))).q;
  }

  // Rayleigh–Ritz step: the SVD of A·Q (n1×width) rotates Q onto the singular vectors.
  const projected = svd(times(basis));
  const rotation = leadingColumns(projected.v, r);
  const vectors = multiply(basis, rotation);
  fixSigns(vectors);
  return { vectors, values: projected.values.slice(0, r) };
}

/**
 * Computes the r largest singular values of a matrix and their right singular vectors.
 * A dense matrix is decomposed exactly by `svd`. An observation set (the sparse matrix
 * with `values` at the observed positions) uses randomized subspace iteration with `qr`
 * and `svd` on the small blocks, so the n1×n2 matrix is never formed.
 * Each vector's largest entry in absolute value is positive.
 */
export function topRightSingularVectors(
  a: DenseMatrix | ObservationSet,
  r: number,
  options: TruncatedSvdOptions = {},
): TruncatedSvd {
  if ('data' in a) {
    if (options.rankOne !== undefined) {
      throw new RangeError('invalid rankOne: it applies to an observation set; add it to a dense matrix before the call');
    }
    checkRank(r, a.rows, a.columns);
    return denseTopRight(a, r);
  }
  checkRank(r, a.n1, a.n2);
  return sparseTopRight(a, r, options);
}
