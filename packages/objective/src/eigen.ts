import {
  createMatrix,
  createRandom,
  identityMatrix,
  multiply,
  multiplyTransposeA,
  symmetricEigen,
  type DenseMatrix,
} from '@nimc/linalg';
import type { Curvature } from './hessian-vector.js';

/** A symmetric linear map on R^dimension, given by its product and, optionally, its matrix. */
export interface SymmetricOperator {
  readonly dimension: number;
  /** Writes A·v into `out`. */
  times(v: Float64Array, out: Float64Array): void;
  /** Returns A as a dense matrix. Without it the dense method builds A from `dimension` products. */
  matrix?(): DenseMatrix;
}

/** Options of `extremeEigenvalues` and `operatorExtremeEigenvalues`. */
export interface EigenOptions {
  /**
   * 'dense' decomposes the full matrix with `symmetricEigen` of @nimc/linalg, 'lanczos'
   * runs Lanczos with full reorthogonalization on the products, and 'auto' (default) picks
   * 'dense' when the dimension is at most `denseLimit`.
   */
  method?: 'auto' | 'dense' | 'lanczos';
  /** Largest dimension for which 'auto' picks the dense method. Default 400. */
  denseLimit?: number;
  /**
   * Lanczos stops when both extreme Ritz pairs have residual ‖A·y − θ·y‖ ≤ tolerance·‖A‖,
   * with ‖A‖ estimated by the largest Ritz value in absolute value. Default 1e-10.
   */
  tolerance?: number;
  /** Maximum number of Lanczos steps. Default min(dimension − removed directions, 300). */
  maxIterations?: number;
  /** Seed of the Lanczos starting vector. Default 0. */
  seed?: number;
  /**
   * Directions to remove. The eigenvalues returned are then those of BᵀAB, where the
   * columns of B are an orthonormal basis of the orthogonal complement of their span.
   */
  excludedDirections?: readonly Float64Array[];
}

/** The smallest and largest eigenvalues of a symmetric operator with their eigenvectors. */
export interface ExtremeEigenpairs {
  readonly min: number;
  readonly max: number;
  /** Unit eigenvector (in the original coordinates) of `min`. */
  readonly minVector: Float64Array;
  /** Unit eigenvector (in the original coordinates) of `max`. */
  readonly maxVector: Float64Array;
  /** ‖P·A·y − min·y‖ for y = minVector, where P projects onto the complement of the excluded directions. */
  readonly minResidual: number;
  /** ‖P·A·y − max·y‖ for y = maxVector. */
  readonly maxResidual: number;
  readonly method: 'dense' | 'lanczos';
  /** True for the dense method, and for Lanczos when the tolerance was met or the Krylov space became invariant. */
  readonly converged: boolean;
  /** Lanczos steps taken (0 for the dense method). */
  readonly iterations: number;
  /** Number of products A·v computed. */
  readonly products: number;
  /** Dimension of the space the eigenvalues live on: dimension minus the rank of the excluded directions. */
  readonly subspaceDimension: number;
}

function dotProduct(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let t = 0; t < a.length; t++) sum += (a[t] as number) * (b[t] as number);
  return sum;
}

function norm(a: Float64Array): number {
  return Math.sqrt(dotProduct(a, a));
}

// Subtracts from v its components along the orthonormal vectors in `basis`.
function projectOut(v: Float64Array, basis: readonly Float64Array[]): void {
  for (const b of basis) {
    const coefficient = dotProduct(v, b);
    for (let t = 0; t < v.length; t++) v[t]! -= coefficient * (b[t] as number);
  }
}

/**
 * Orthonormalizes `directions` by Gram–Schmidt with a second pass, dropping each one whose
 * remainder is below 1e-10 of its own norm (it lies in the span of the previous ones).
 */
function orthonormalBasis(directions: readonly Float64Array[], dimension: number): Float64Array[] {
  const basis: Float64Array[] = [];
  for (const [index, direction] of directions.entries()) {
    if (direction.length !== dimension) {
      throw new RangeError(
        `invalid excluded direction ${index}: expected length ${dimension}, received ${direction.length}`,
      );
    }
    const size = norm(direction);
    if (size === 0) continue;
    const v = Float64Array.from(direction);
    projectOut(v, basis);
    projectOut(v, basis);
    const remainder = norm(v);
    if (remainder <= 1e-10 * size) continue;
    for (let t = 0; t < dimension; t++) v[t]! /= remainder;
    basis.push(v);
  }
  return basis;
}

function columnOf(a: DenseMatrix, j: number) {
  return Float64Array.from({ length: a.rows }, (_, i) => a.data[i * a.columns + j] as number);
}

function operatorMatrix(operator: SymmetricOperator): { matrix: DenseMatrix; products: number } {
  if (operator.matrix !== undefined) return { matrix: operator.matrix(), products: 0 };
  const n = operator.dimension;
  const matrix = createMatrix(n, n);
  const unit = new Float64Array(n);
  const column = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    unit[j] = 1;
    operator.times(unit, column);
    unit[j] = 0;
    for (let i = 0; i < n; i++) matrix.data[i * n + j] = column[i] as number;
  }
  return { matrix, products: n };
}

// Orthonormal basis of the orthogonal complement of span(excluded), as the columns of an
// n×(n − s) matrix: the eigenvectors of I − S·Sᵀ with eigenvalue 1.
function complementBasis(excluded: readonly Float64Array[], n: number): DenseMatrix {
  const projector = identityMatrix(n);
  for (const s of excluded) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) projector.data[i * n + j]! -= (s[i] as number) * (s[j] as number);
    }
  }
  const { values, vectors } = symmetricEigen(projector);
  const kept: number[] = [];
  for (let j = 0; j < n; j++) {
    if ((values[j] as number) > 0.5) kept.push(j);
  }
  const basis = createMatrix(n, kept.length);
  for (let i = 0; i < n; i++) {
    kept.forEach((source, target) => {
      basis.data[i * kept.length + target] = vectors.data[i * n + source] as number;
    });
  }
  return basis;
}

function residualNorm(operator: SymmetricOperator, excluded: readonly Float64Array[], vector: Float64Array, value: number): number {
  const image = new Float64Array(vector.length);
  operator.times(vector, image);
  projectOut(image, excluded);
  for (let t = 0; t < image.length; t++) image[t]! -= value * (vector[t] as number);
  return norm(image);
}

function denseExtremes(operator: SymmetricOperator, excluded: readonly Float64Array[]): ExtremeEigenpairs {
  const n = operator.dimension;
  const built = operatorMatrix(operator);
  let matrix = built.matrix;
  let basis: DenseMatrix | undefined;
  if (excluded.length > 0) {
    basis = complementBasis(excluded, n);
    matrix = multiply(multiplyTransposeA(basis, matrix), basis);
  }

  // symmetricEigen returns the eigenvalues in ascending order.
  const size = matrix.rows;
  const { values, vectors } = symmetricEigen(matrix);
  const low = 0;
  const high = size - 1;

  const lift = (column: number): Float64Array => {
    const z = columnOf(vectors, column);
    const out = basis === undefined ? z : multiply(basis, createMatrix(size, 1, z)).data;
    const length = norm(out);
    for (let t = 0; t < n; t++) out[t]! /= length;
    return out;
  };
  const minVector = lift(low);
  const maxVector = lift(high);
  const min = values[low] as number;
  const max = values[high] as number;

  return {
    min,
    max,
    minVector,
    maxVector,
    minResidual: residualNorm(operator, excluded, minVector, min),
    maxResidual: residualNorm(operator, excluded, maxVector, max),
    method: 'dense',
    converged: true,
    iterations: 0,
    products: built.products + 2,
    subspaceDimension: size,
  };
}

function lanczosExtremes(
  operator: SymmetricOperator,
  excluded: readonly Float64Array[],
  options: EigenOptions,
): ExtremeEigenpairs {
  const n = operator.dimension;
  const subspaceDimension = n - excluded.length;
  const tolerance = options.tolerance ?? 1e-10;
  const maxIterations = Math.min(options.maxIterations ?? Math.min(subspaceDimension, 300), subspaceDimension);
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new RangeError(`invalid maxIterations: expected a positive integer, received ${options.maxIterations}`);
  }
  if (!(tolerance > 0)) {
    throw new RangeError(`invalid tolerance: expected a positive number, received ${tolerance}`);
  }

  // Starting vector: Gaussian, with the excluded directions removed.
  const random = createRandom(options.seed ?? 0);
  const start = new Float64Array(n);
  for (let t = 0; t < n; t++) start[t] = random.gaussian();
  projectOut(start, excluded);
  const startNorm = norm(start);
  for (let t = 0; t < n; t++) start[t]! /= startNorm;

  const lanczosVectors: Float64Array[] = [start];
  const alphas: number[] = [];
  const betas: number[] = [];
  let products = 0;
  let converged = false;
  let ritz = { low: 0, high: 0, lowVector: new Float64Array(1), highVector: new Float64Array(1) };
  let nextCheck = Math.min(10, maxIterations);

  // Eigen-decomposition of the j×j tridiagonal T. Returns the extreme Ritz values, their
  // coefficient vectors and the residual estimates β_j·|s_last|.
  const solveTridiagonal = (size: number, lastBeta: number) => {
    const T = createMatrix(size, size);
    for (let i = 0; i < size; i++) {
      T.data[i * size + i] = alphas[i] as number;
      if (i + 1 < size) {
        T.data[i * size + i + 1] = betas[i] as number;
        T.data[(i + 1) * size + i] = betas[i] as number;
      }
    }
    // symmetricEigen returns the eigenvalues in ascending order.
    const { values, vectors } = symmetricEigen(T);
    const low = 0;
    const high = size - 1;
    const scale = Math.max(Math.abs(values[low] as number), Math.abs(values[high] as number));
    return {
      low: values[low] as number,
      high: values[high] as number,
      lowVector: columnOf(vectors, low),
      highVector: columnOf(vectors, high),
      lowEstimate: Math.abs(lastBeta * (vectors.data[(size - 1) * size + low] as number)),
      highEstimate: Math.abs(lastBeta * (vectors.data[(size - 1) * size + high] as number)),
      scale,
    };
  };

  const w = new Float64Array(n);
  let steps = 0;
  for (let j = 0; j < maxIterations; j++) {
    const q = lanczosVectors[j] as Float64Array;
    operator.times(q, w);
    products++;
    projectOut(w, excluded);
    const alpha = dotProduct(q, w);
    alphas.push(alpha);

    // Full reorthogonalization, applied twice, against the Lanczos vectors and the excluded directions.
    projectOut(w, lanczosVectors);
    projectOut(w, lanczosVectors);
    projectOut(w, excluded);
    const beta = norm(w);
    steps = j + 1;

    const invariant = beta <= 1e-14 * Math.max(Math.abs(alpha), ...betas.map(Math.abs), Number.MIN_VALUE);
    if (steps >= nextCheck || invariant || steps === maxIterations) {
      const solution = solveTridiagonal(steps, beta);
      ritz = solution;
      const bound = tolerance * solution.scale;
      if (invariant || (solution.lowEstimate <= bound && solution.highEstimate <= bound)) {
        converged = true;
        break;
      }
      nextCheck = Math.min(maxIterations, Math.max(steps + 5, Math.ceil(1.25 * steps)));
    }
    if (steps === maxIterations) break;

    betas.push(beta);
    const next = new Float64Array(n);
    for (let t = 0; t < n; t++) next[t] = (w[t] as number) / beta;
    lanczosVectors.push(next);
  }

  // Ritz vectors y = Σ_i s_i q_i, normalized.
  const ritzVector = (coefficients: Float64Array): Float64Array => {
    const y = new Float64Array(n);
    for (let i = 0; i < coefficients.length; i++) {
      const q = lanczosVectors[i] as Float64Array;
      const s = coefficients[i] as number;
      for (let t = 0; t < n; t++) y[t]! += s * (q[t] as number);
    }
    const length = norm(y);
    for (let t = 0; t < n; t++) y[t]! /= length;
    return y;
  };
  const minVector = ritzVector(ritz.lowVector);
  const maxVector = ritzVector(ritz.highVector);

  return {
    min: ritz.low,
    max: ritz.high,
    minVector,
    maxVector,
    minResidual: residualNorm(operator, excluded, minVector, ritz.low),
    maxResidual: residualNorm(operator, excluded, maxVector, ritz.high),
    method: 'lanczos',
    converged,
    iterations: steps,
    products: products + 2,
    subspaceDimension,
  };
}

/**
 * Computes the smallest and largest eigenvalues of a symmetric operator, restricted to
 * the orthogonal complement of `options.excludedDirections` when given, with unit
 * eigenvectors and their residual norms ‖P·A·y − λ·y‖ (computed with two extra products).
 */
export function operatorExtremeEigenvalues(operator: SymmetricOperator, options: EigenOptions = {}): ExtremeEigenpairs {
  const n = operator.dimension;
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`invalid operator dimension: expected a positive integer, received ${n}`);
  }
  const method = options.method ?? 'auto';
  if (method !== 'auto' && method !== 'dense' && method !== 'lanczos') {
    throw new RangeError(`invalid method: expected 'auto', 'dense' or 'lanczos', received ${String(method)}`);
  }
  const denseLimit = options.denseLimit ?? 400;
  const excluded = orthonormalBasis(options.excludedDirections ?? [], n);
  if (excluded.length >= n) {
    throw new RangeError(`invalid excluded directions: they span all ${n} dimensions, so no subspace is left`);
  }
  const dense = method === 'dense' || (method === 'auto' && n <= denseLimit);
  return dense ? denseExtremes(operator, excluded) : lanczosExtremes(operator, excluded, options);
}

/**
 * Computes the smallest and largest eigenvalues of the Hessian ∇²f(θ) of `curvature`'s
 * loss. The dense method uses the exact Hessian matrix. Lanczos uses only Hessian-vector
 * products, so it suits large (d1 + d2)·k.
 */
export function extremeEigenvalues(curvature: Curvature, theta: Float64Array, options: EigenOptions = {}): ExtremeEigenpairs {
  const operator: SymmetricOperator = {
    dimension: curvature.dimension,
    times: (v, out) => {
      curvature.hessianTimes(theta, v, out);
    },
    matrix: () => curvature.hessian(theta),
  };
  return operatorExtremeEigenvalues(operator, options);
}
