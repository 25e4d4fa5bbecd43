import {
  CholeskyDecomposition,
  EigenvalueDecomposition,
  LuDecomposition,
  Matrix,
  QrDecomposition,
  SingularValueDecomposition,
} from 'ml-matrix';
import { createMatrix, transpose, type DenseMatrix } from './dense.js';

// Typed wrappers over the ml-matrix decompositions. This file is the only one in the
// package that imports ml-matrix, so a tree-shaking bundler leaves ml-matrix out of a
// program that calls neither these functions nor topRightSingularVectors.

/** Eigenvalues of a symmetric matrix in ascending order, with their unit eigenvectors. */
export interface SymmetricEigen {
  /** The n eigenvalues, ascending. */
  readonly values: Float64Array;
  /** n×n orthogonal matrix whose column j is the eigenvector of `values[j]`, of arbitrary sign. */
  readonly vectors: DenseMatrix;
}

/**
 * Eigenvalues of a general square matrix as real and imaginary parts, with eigenvectors.
 * A complex pair λ ± iμ occupies two consecutive positions j, j + 1 (μ > 0 at j), and
 * columns j and j + 1 of `vectors` hold the real and imaginary parts of the eigenvector
 * of λ + iμ.
 */
export interface GeneralEigen {
  /** Real parts of the n eigenvalues, in the order the QR algorithm deflates them (not sorted). */
  readonly real: Float64Array;
  /** Imaginary parts of the n eigenvalues, zero for a real eigenvalue. */
  readonly imaginary: Float64Array;
  /**
   * n×n matrix of eigenvectors, not normalized. A complex pair takes two columns: the real
   * and the imaginary part of its eigenvector.
   */
  readonly vectors: DenseMatrix;
}

/** Thin singular value decomposition A = U·diag(values)·Vᵀ of an n1×n2 matrix, with p = min(n1, n2). */
export interface Svd {
  /** n1×p matrix with orthonormal columns, the left singular vectors. */
  readonly u: DenseMatrix;
  /** The p singular values, in decreasing order. */
  readonly values: Float64Array;
  /** n2×p matrix with orthonormal columns, the right singular vectors. */
  readonly v: DenseMatrix;
}

/** Thin QR decomposition A = Q·R of an n×p matrix with n ≥ p. */
export interface Qr {
  /** n×p matrix with orthonormal columns. */
  readonly q: DenseMatrix;
  /** p×p upper triangular matrix. */
  readonly r: DenseMatrix;
}

function toMlMatrix(a: DenseMatrix): Matrix {
  const out = new Matrix(a.rows, a.columns);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < a.columns; j++) out.set(i, j, a.data[i * a.columns + j] as number);
  }
  return out;
}

// Copies the first `columns` columns of `a`.
function fromMlMatrix(a: Matrix, columns = a.columns): DenseMatrix {
  const out = createMatrix(a.rows, columns);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < columns; j++) out.data[i * columns + j] = a.get(i, j);
  }
  return out;
}

// Builds an ml-matrix matrix whose upper triangle mirrors the lower triangle of `a`.
function symmetricFromLower(a: DenseMatrix): Matrix {
  const n = a.rows;
  const out = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const value = a.data[i * n + j] as number;
      out.set(i, j, value);
      out.set(j, i, value);
    }
  }
  return out;
}

function checkNonEmpty(name: string, a: DenseMatrix): void {
  if (a.rows === 0 || a.columns === 0) {
    throw new RangeError(`invalid ${name}: expected a non-empty matrix, received ${a.rows}x${a.columns}`);
  }
}

function checkSquare(name: string, a: DenseMatrix): void {
  checkNonEmpty(name, a);
  if (a.rows !== a.columns) {
    throw new RangeError(`invalid ${name}: expected a square matrix, received ${a.rows}x${a.columns}`);
  }
}

// ml-matrix 6.15.1 fails in different ways on a NaN entry: the SVD returns NaN, the
// symmetric eigenvalue routine throws a TypeError and the general one never terminates.
function checkFinite(name: string, a: DenseMatrix): void {
  for (let t = 0; t < a.data.length; t++) {
    const value = a.data[t] as number;
    if (!Number.isFinite(value)) {
      const row = Math.floor(t / a.columns);
      throw new RangeError(
        `invalid ${name}: expected finite entries, received ${value} at (${row}, ${t - row * a.columns})`,
      );
    }
  }
}

/**
 * Computes the eigenvalues and orthonormal eigenvectors of a symmetric matrix by
 * Householder tridiagonalization and the implicit QL algorithm (ml-matrix). Only the lower
 * triangle of `a`, diagonal included, is read.
 */
export function symmetricEigen(a: DenseMatrix): SymmetricEigen {
  checkSquare('matrix', a);
  checkFinite('matrix', a);

  const decomposition = new EigenvalueDecomposition(toMlMatrix(a), { assumeSymmetric: true });
  return {
    values: Float64Array.from(decomposition.realEigenvalues),
    vectors: fromMlMatrix(decomposition.eigenvectorMatrix),
  };
}

/**
 * Computes the eigenvalues and eigenvectors of a general square matrix by reduction to
 * Hessenberg form and the shifted QR algorithm (ml-matrix). A matrix that is exactly
 * symmetric takes the symmetric path instead, which returns ascending values and unit
 * eigenvectors.
 */
export function generalEigen(a: DenseMatrix): GeneralEigen {
  checkSquare('matrix', a);
  checkFinite('matrix', a);

  const decomposition = new EigenvalueDecomposition(toMlMatrix(a));
  return {
    real: Float64Array.from(decomposition.realEigenvalues),
    imaginary: Float64Array.from(decomposition.imaginaryEigenvalues),
    vectors: fromMlMatrix(decomposition.eigenvectorMatrix),
  };
}

/**
 * Computes the thin singular value decomposition of a matrix by Golub–Kahan
 * bidiagonalization (ml-matrix). A wide matrix is decomposed through its transpose.
 * Singular vectors carry the signs the algorithm produces.
 */
export function svd(a: DenseMatrix): Svd {
  checkNonEmpty('matrix', a);
  checkFinite('matrix', a);

  // ml-matrix decomposes an n1×n2 matrix with n1 ≥ n2. The left singular vectors of aᵀ
  // are the right ones of a, and the other way round.
  const wide = a.columns > a.rows;
  const decomposition = new SingularValueDecomposition(toMlMatrix(wide ? transpose(a) : a), { autoTranspose: false });
  const p = Math.min(a.rows, a.columns);
  const left = fromMlMatrix(decomposition.leftSingularVectors, p);
  const right = fromMlMatrix(decomposition.rightSingularVectors, p);
  return {
    u: wide ? right : left,
    values: Float64Array.from(decomposition.diagonal.slice(0, p)),
    v: wide ? left : right,
  };
}

/**
 * Computes the thin QR decomposition of a matrix with at least as many rows as columns by
 * Householder reflections (ml-matrix). The diagonal of R may have either sign, and a
 * rank-deficient matrix gets a zero on it.
 */
export function qr(a: DenseMatrix): Qr {
  checkNonEmpty('matrix', a);
  if (a.rows < a.columns) {
    throw new RangeError(`invalid matrix: expected at least as many rows as columns, received ${a.rows}x${a.columns}`);
  }
  checkFinite('matrix', a);

  const decomposition = new QrDecomposition(toMlMatrix(a));
  return { q: fromMlMatrix(decomposition.orthogonalMatrix), r: fromMlMatrix(decomposition.upperTriangularMatrix) };
}

function singularError(a: DenseMatrix): Error {
  return new Error(`singular matrix: the ${a.rows}x${a.columns} matrix has an exactly zero pivot in its LU decomposition`);
}

// Checks that `data` has rows × columns entries. Callers run it before reading any entry,
// because toMlMatrix reads by (i, j) and a short `data` would otherwise look singular.
function checkDataLength(name: string, a: DenseMatrix): void {
  if (a.data.length !== a.rows * a.columns) {
    throw new RangeError(
      `invalid ${name}: a ${a.rows}x${a.columns} matrix needs ${a.rows * a.columns} values, received ${a.data.length}`,
    );
  }
}

/**
 * Solves A·X = B for a square A by LU decomposition with partial pivoting (ml-matrix). B is
 * a matrix with A.rows rows, or a vector of length A.rows, and X has the same shape.
 * Throws a RangeError for a wrong shape or a NaN or infinite entry in A or B, and an Error
 * when a pivot is exactly zero. A nearly singular A gives large entries instead, which can
 * overflow to ±Infinity without an error.
 */
export function solve(a: DenseMatrix, b: DenseMatrix): DenseMatrix;
export function solve(a: DenseMatrix, b: Float64Array): Float64Array;
export function solve(a: DenseMatrix, b: DenseMatrix | Float64Array): DenseMatrix | Float64Array {
  checkDataLength('matrix', a);
  checkSquare('matrix', a);
  const right = b instanceof Float64Array ? createMatrix(b.length, 1, b) : b;
  if (right.rows !== a.rows) {
    throw new RangeError(`invalid right-hand side: expected ${a.rows} rows, received ${right.rows}`);
  }
  checkDataLength('right-hand side', right);
  checkFinite('matrix', a);
  checkFinite('right-hand side', right);

  const decomposition = new LuDecomposition(toMlMatrix(a));
  if (decomposition.isSingular()) throw singularError(a);
  const solution = fromMlMatrix(decomposition.solve(toMlMatrix(right)));
  return b instanceof Float64Array ? solution.data : solution;
}

/**
 * Computes the inverse of a square matrix by LU decomposition with partial pivoting
 * (ml-matrix), with the same errors as `solve`. Also throws a RangeError when the inverse
 * has an entry that overflows float64, as for [[1e-320]].
 */
export function inverse(a: DenseMatrix): DenseMatrix {
  checkDataLength('matrix', a);
  checkSquare('matrix', a);
  checkFinite('matrix', a);

  const decomposition = new LuDecomposition(toMlMatrix(a));
  if (decomposition.isSingular()) throw singularError(a);
  const result = fromMlMatrix(decomposition.solve(Matrix.eye(a.rows)));

  const t = result.data.findIndex((value) => !Number.isFinite(value));
  if (t >= 0) {
    const row = Math.floor(t / a.rows);
    throw new RangeError(
      `numerically singular matrix: the inverse of the ${a.rows}x${a.columns} matrix has the non-finite entry ` +
        `${result.data[t]} at (${row}, ${t - row * a.rows}). Use a pseudo-inverse from svd or regularize, ` +
        'for example by adding a small multiple of the identity',
    );
  }
  return result;
}

/**
 * Computes the lower triangular Cholesky factor L with A = L·Lᵀ of a symmetric positive
 * definite matrix (ml-matrix), reading only the lower triangle of `a`. Returns null when
 * A is not positive definite (a pivot is zero or negative).
 */
export function cholesky(a: DenseMatrix): DenseMatrix | null {
  checkSquare('matrix', a);
  checkFinite('matrix', a);

  const decomposition = new CholeskyDecomposition(symmetricFromLower(a));
  return decomposition.isPositiveDefinite() ? fromMlMatrix(decomposition.lowerTriangularMatrix) : null;
}

/**
 * Solves A·X = B with A = L·Lᵀ, given the lower triangular factor L from `cholesky`, by
 * forward and back substitution. B is a matrix with L.rows rows, or a vector of length
 * L.rows, and X has the same shape.
 */
export function choleskySolve(lower: DenseMatrix, b: DenseMatrix): DenseMatrix;
export function choleskySolve(lower: DenseMatrix, b: Float64Array): Float64Array;
export function choleskySolve(lower: DenseMatrix, b: DenseMatrix | Float64Array): DenseMatrix | Float64Array {
  checkDataLength('factor', lower);
  checkSquare('factor', lower);
  const n = lower.rows;
  const right = b instanceof Float64Array ? createMatrix(b.length, 1, b) : b;
  if (right.rows !== n) {
    throw new RangeError(`invalid right-hand side: expected ${n} rows, received ${right.rows}`);
  }
  checkDataLength('right-hand side', right);
  const columns = right.columns;
  const l = lower.data;
  const x = Float64Array.from(right.data);

  // Forward substitution L·Y = B.
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const factor = l[i * n + j] as number;
      for (let c = 0; c < columns; c++) x[i * columns + c]! -= factor * (x[j * columns + c] as number);
    }
    const pivot = l[i * n + i] as number;
    for (let c = 0; c < columns; c++) x[i * columns + c]! /= pivot;
  }

  // Back substitution Lᵀ·X = Y.
  for (let i = n - 1; i >= 0; i--) {
    for (let j = i + 1; j < n; j++) {
      const factor = l[j * n + i] as number;
      for (let c = 0; c < columns; c++) x[i * columns + c]! -= factor * (x[j * columns + c] as number);
    }
    const pivot = l[i * n + i] as number;
    for (let c = 0; c < columns; c++) x[i * columns + c]! /= pivot;
  }
  return b instanceof Float64Array ? x : createMatrix(n, columns, x);
}
