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

  // Subspace iteration on AᵀA: each pass multiplies by A, then by Aᵀ, then re-orthonormalizes.
  for (let iteration = 0; iteration < iterations; iteration++) {
    const image = sparseMultiply(obs, obs.values, basis);
    basis = qr(sparseTransposeMultiply(obs, obs.values, image)).q;
  }

  // Rayleigh–Ritz step: the SVD of A·Q (n1×width) rotates Q onto the singular vectors.
  const projected = svd(sparseMultiply(obs, obs.values, basis));
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
    checkRank(r, a.rows, a.columns);
    return denseTopRight(a, r);
  }
  checkRank(r, a.n1, a.n2);
  return sparseTopRight(a, r, options);
}
