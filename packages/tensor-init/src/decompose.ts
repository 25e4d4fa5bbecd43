import {
  createMatrix,
  createRandom,
  generalEigen,
  multiply,
  multiplyTransposeA,
  qr,
  solve,
  svd,
  transpose,
  type DenseMatrix,
  type Random,
} from '@nimc/linalg';
import { contractThirdMode, cpTensor, createTensor3, unfold, type Tensor3 } from './tensor.js';

/** Options of `decomposeTensor`. */
export interface DecomposeOptions {
  /** Seed of the random contraction vectors. Default 0. */
  seed?: number | string;
  /** Number of random contraction pairs tried by Jennrich's algorithm; the best start wins. Default 10. */
  trials?: number;
  /** Maximum number of alternating least-squares sweeps after Jennrich's algorithm. Default 100. */
  alsIterations?: number;
  /** ALS stops when the relative residual improves by less than this fraction. Default 1e-10. */
  tolerance?: number;
  /**
   * Whether modes 1 and 2 share their factor (T = Σ_i λ_i·a_i⊗a_i⊗c_i). Jennrich's step then
   * sets B = A; ALS still updates both, so noise can separate them slightly. Default false.
   */
  symmetricModes?: boolean;
}

/**
 * A rank-r CP decomposition T ≈ Σ_i λ_i·a_i⊗b_i⊗c_i with unit columns a_i, b_i, c_i, λ_i ≥ 0,
 * sorted by decreasing λ_i. Each a_i and b_i has its largest entry in absolute value
 * positive; c_i carries the sign.
 */
export interface CpDecomposition {
  readonly A: DenseMatrix;
  readonly B: DenseMatrix;
  readonly C: DenseMatrix;
  readonly weights: Float64Array;
  /** ‖T − Σ_i λ_i·a_i⊗b_i⊗c_i‖_F / ‖T‖_F. */
  readonly residual: number;
  /** Relative residual of the best Jennrich start, before ALS. */
  readonly initialResidual: number;
  /** ALS sweeps performed. */
  readonly iterations: number;
}

// Scales every column to unit length and returns the former lengths.
function normalizeColumns(a: DenseMatrix): Float64Array {
  const { rows, columns, data } = a;
  const norms = new Float64Array(columns);
  for (let t = 0; t < data.length; t++) norms[t % columns]! += (data[t] as number) ** 2;
  for (let i = 0; i < columns; i++) norms[i] = Math.sqrt(norms[i] as number);
  for (let row = 0; row < rows; row++) {
    for (let i = 0; i < columns; i++) {
      const norm = norms[i] as number;
      if (norm > 0) data[row * columns + i] = (data[row * columns + i] as number) / norm;
    }
  }
  return norms;
}

// (FᵀF) ∘ (GᵀG): the Gram matrix of the Khatri–Rao product of F and G.
function hadamardGram(f: DenseMatrix, g: DenseMatrix): DenseMatrix {
  const r = f.columns;
  const out = createMatrix(r, r, new Float64Array(r * r).fill(1));
  for (const factor of [f, g]) {
    for (let i = 0; i < r; i++) {
      for (let j = i; j < r; j++) {
        let sum = 0;
        for (let row = 0; row < factor.rows; row++) {
          sum += (factor.data[row * r + i] as number) * (factor.data[row * r + j] as number);
        }
        out.data[i * r + j] = (out.data[i * r + j] as number) * sum;
        if (j !== i) out.data[j * r + i] = out.data[i * r + j] as number;
      }
    }
  }
  return out;
}

// Matricized tensor times Khatri–Rao product for `mode`: row x, column i contains
// Σ T[…]·F[y, i]·G[z, i] over the two other indices y < z in mode order.
function mttkrp(tensor: Tensor3, mode: 0 | 1 | 2, f: DenseMatrix, g: DenseMatrix): DenseMatrix {
  const [n1, n2, n3] = tensor.dims;
  const r = f.columns;
  const out = createMatrix(tensor.dims[mode], r);
  let t = 0;
  for (let a = 0; a < n1; a++) {
    for (let b = 0; b < n2; b++) {
      for (let c = 0; c < n3; c++) {
        const value = tensor.data[t++] as number;
        if (value === 0) continue;
        const [x, y, z] = mode === 0 ? [a, b, c] : mode === 1 ? [b, a, c] : [c, a, b];
        for (let i = 0; i < r; i++) {
          out.data[x * r + i]! += value * (f.data[y * r + i] as number) * (g.data[z * r + i] as number);
        }
      }
    }
  }
  return out;
}

// Least-squares update of one factor with the two others fixed.
function solveFactor(tensor: Tensor3, mode: 0 | 1 | 2, f: DenseMatrix, g: DenseMatrix): DenseMatrix {
  const rhs = mttkrp(tensor, mode, f, g);
  const gram = hadamardGram(f, g);
  // A tiny ridge keeps the solve defined when two components nearly coincide.
  const r = gram.rows;
  let trace = 0;
  for (let i = 0; i < r; i++) trace += gram.data[i * r + i] as number;
  const ridge = 1e-14 * trace;
  for (let i = 0; i < r; i++) gram.data[i * r + i]! += ridge;
  return transpose(solve(gram, transpose(rhs)));
}

function residualOf(tensor: Tensor3, A: DenseMatrix, B: DenseMatrix, C: DenseMatrix, norm: number): number {
  const model = cpTensor(A, B, C);
  let sum = 0;
  for (let t = 0; t < model.data.length; t++) sum += ((tensor.data[t] as number) - (model.data[t] as number)) ** 2;
  return Math.sqrt(sum) / norm;
}

function gaussianVector(random: Random, length: number): Float64Array {
  return Float64Array.from({ length }, () => random.gaussian());
}

// One Jennrich start: with M_g = T(·,·,g) = A·diag(Cᵀg)·Bᵀ, the eigenvectors of M_g·M_h⁻¹
// are the columns of A, and the rows of A⁻¹·M_g are the columns of B up to scale.
function jennrichStart(tensor: Tensor3, rank: number, random: Random, symmetric: boolean): [DenseMatrix, DenseMatrix] {
  const n3 = tensor.dims[2];
  const mg = contractThirdMode(tensor, gaussianVector(random, n3));
  const mh = contractThirdMode(tensor, gaussianVector(random, n3));
  const ratio = transpose(solve(transpose(mh), transpose(mg)));
  // Complex eigenvalue pairs appear only under noise; their real parts still make a start
  // that ALS can repair, and the residual ranks the starts.
  const A = generalEigen(ratio).vectors;
  normalizeColumns(A);
  if (symmetric) return [A, createMatrix(rank, rank, Float64Array.from(A.data))];
  const B = transpose(solve(A, mg));
  normalizeColumns(B);
  return [A, B];
}

// Flips signs so that each a_i and b_i has a positive largest entry, then moves every
// scale into the weights and sorts components by decreasing weight.
function canonicalize(A: DenseMatrix, B: DenseMatrix, C: DenseMatrix): Omit<CpDecomposition, 'residual' | 'initialResidual' | 'iterations'> {
  const r = A.columns;
  const weights = normalizeColumns(A);
  const normsB = normalizeColumns(B);
  const normsC = normalizeColumns(C);
  for (let i = 0; i < r; i++) weights[i] = (weights[i] as number) * (normsB[i] as number) * (normsC[i] as number);
  const flip = (factor: DenseMatrix, i: number): void => {
    for (let row = 0; row < factor.rows; row++) factor.data[row * r + i] = -(factor.data[row * r + i] as number);
  };
  const largestSign = (factor: DenseMatrix, i: number): number => {
    let largest = 0;
    for (let row = 0; row < factor.rows; row++) {
      const value = factor.data[row * r + i] as number;
      if (Math.abs(value) > Math.abs(largest)) largest = value;
    }
    return largest < 0 ? -1 : 1;
  };
  for (let i = 0; i < r; i++) {
    if (largestSign(A, i) < 0) {
      flip(A, i);
      flip(C, i);
    }
    if (largestSign(B, i) < 0) {
      flip(B, i);
      flip(C, i);
    }
  }

  const order = Array.from({ length: r }, (_, i) => i).sort((i, j) => (weights[j] as number) - (weights[i] as number));
  const permute = (factor: DenseMatrix): DenseMatrix => {
    const out = createMatrix(factor.rows, r);
    for (let row = 0; row < factor.rows; row++) {
      order.forEach((source, target) => {
        out.data[row * r + target] = factor.data[row * r + source] as number;
      });
    }
    return out;
  };
  return { A: permute(A), B: permute(B), C: permute(C), weights: Float64Array.from(order, (i) => weights[i] as number) };
}

function orthonormalColumns(a: DenseMatrix): DenseMatrix {
  return qr(a).q;
}

// Returns an n3×rank orthonormal basis S of the span of the mode-3 fibres and the compressed
// tensor T ×₃ Sᵀ (n1×n2×rank). S comes from a randomized range finder on the mode-3
// unfolding (10 extra columns, two power iterations) and the SVD of the projected block.
// When T has CP rank `rank`, every c_i lies in span(S), so the compressed tensor keeps the
// same A and B and has third factor Sᵀ·C.
function compressThirdMode(
  tensor: Tensor3,
  rank: number,
  random: Random,
): { basis: DenseMatrix; compressed: Tensor3; outsideSquared: number } {
  const [n1, n2, n3] = tensor.dims;
  const unfolding = unfold(tensor, 2);
  const width = Math.min(rank + 10, n3, n1 * n2);
  const probe = createMatrix(n1 * n2, width, Float64Array.from({ length: n1 * n2 * width }, () => random.gaussian()));
  let range = orthonormalColumns(multiply(unfolding, probe));
  for (let iteration = 0; iteration < 2; iteration++) {
    const back = orthonormalColumns(multiplyTransposeA(unfolding, range));
    range = orthonormalColumns(multiply(unfolding, back));
  }
  const projected = multiplyTransposeA(range, unfolding);
  const rightVectors = svd(transpose(projected)).v;
  const leading = createMatrix(width, rank);
  for (let row = 0; row < width; row++) {
    leading.data.set(rightVectors.data.subarray(row * width, row * width + rank), row * rank);
  }
  const basis = multiply(range, leading);

  const reduced = multiplyTransposeA(basis, unfolding);
  const compressed = createTensor3(n1, n2, rank);
  for (let j = 0; j < rank; j++) {
    for (let ab = 0; ab < n1 * n2; ab++) compressed.data[ab * rank + j] = reduced.data[j * n1 * n2 + ab] as number;
  }
  // ‖T − T ×₃ S·Sᵀ‖², computed from the difference rather than as ‖T‖² − ‖T ×₃ Sᵀ‖², which
  // would lose half the digits to cancellation.
  const fitted = multiply(basis, reduced);
  let outsideSquared = 0;
  for (let t = 0; t < unfolding.data.length; t++) {
    outsideSquared += ((unfolding.data[t] as number) - (fitted.data[t] as number)) ** 2;
  }
  return { basis, compressed, outsideSquared };
}

function readCount(name: string, value: number | undefined, fallback: number, minimum: number): number {
  const resolved = value ?? fallback;
  if (!Number.isInteger(resolved) || resolved < minimum) {
    throw new RangeError(`invalid ${name}: expected an integer ≥ ${minimum}, received ${resolved}`);
  }
  return resolved;
}

/**
 * Decomposes an r×r×n3 tensor into r rank-one terms whose factors need not be orthogonal.
 * Jennrich's algorithm (Harshman 1970; Leurgans, Ross and Abel 1993) contracts the third
 * mode with two random vectors g, h and reads A off the eigenvectors of M_g·M_h⁻¹. It is
 * exact for a noiseless tensor whose A and B are invertible and whose columns of C are
 * pairwise independent. Several random pairs are tried, and the start with the smallest
 * residual is refined by alternating least squares (ALS). A third mode longer than r is
 * first compressed onto the r-dimensional span of its fibres (randomized SVD), which keeps
 * the cost of ALS at O(r⁴) per sweep.
 * @param tensor r×r×n3 tensor; the first two modes must have size `rank`
 * @param rank number of components r
 */
export function decomposeTensor(tensor: Tensor3, rank: number, options: DecomposeOptions = {}): CpDecomposition {
  const [n1, n2, n3] = tensor.dims;
  if (!Number.isInteger(rank) || rank < 1 || n1 !== rank || n2 !== rank) {
    throw new RangeError(
      `invalid rank ${rank}: Jennrich's algorithm needs the first two modes to have size rank, received a ${n1}x${n2}x${n3} tensor`,
    );
  }
  const trials = readCount('trials', options.trials, 10, 1);
  const maxIterations = readCount('alsIterations', options.alsIterations, 100, 0);
  const tolerance = options.tolerance ?? 1e-10;
  if (!(tolerance >= 0)) throw new RangeError(`invalid tolerance: expected a number ≥ 0, received ${tolerance}`);
  let norm = 0;
  for (let t = 0; t < tensor.data.length; t++) norm += (tensor.data[t] as number) ** 2;
  norm = Math.sqrt(norm);
  if (!(norm > 0) || !Number.isFinite(norm)) {
    throw new RangeError(`invalid tensor: its Frobenius norm is ${norm}; it must be finite and positive`);
  }
  const random = createRandom(options.seed ?? 0);

  // A third mode longer than the rank is compressed onto the span of its fibres first, so
  // Jennrich's step and ALS work on an r×r×r tensor.
  const compression = n3 > rank ? compressThirdMode(tensor, rank, random) : undefined;
  const work = compression?.compressed ?? tensor;
  let workNorm = 0;
  for (let t = 0; t < work.data.length; t++) workNorm += (work.data[t] as number) ** 2;
  workNorm = Math.sqrt(workNorm);
  // The part of T outside span(S) is orthogonal to every model, so it adds to each residual.
  const outside = compression?.outsideSquared ?? 0;
  const fullResidual = (compressedResidual: number): number =>
    Math.sqrt(outside + (compressedResidual * workNorm) ** 2) / norm;

  // Jennrich starts, each completed by the least-squares C, ranked by residual.
  let best: { A: DenseMatrix; B: DenseMatrix; C: DenseMatrix; residual: number } | undefined;
  for (let trial = 0; trial < trials; trial++) {
    const [A, B] = jennrichStart(work, rank, random, options.symmetricModes ?? false);
    const C = solveFactor(work, 2, A, B);
    const residual = residualOf(work, A, B, C, workNorm);
    if (Number.isFinite(residual) && (best === undefined || residual < best.residual)) best = { A, B, C, residual };
  }
  if (best === undefined) {
    throw new Error('tensor decomposition failed: every Jennrich start produced a non-finite residual');
  }
  const initialResidual = fullResidual(best.residual);

  // ALS: update each factor in turn by least squares; the residual never increases.
  let { A, B, C, residual } = best;
  let iterations = 0;
  while (iterations < maxIterations && residual > 1e-15) {
    A = solveFactor(work, 0, B, C);
    normalizeColumns(A);
    B = solveFactor(work, 1, A, C);
    normalizeColumns(B);
    C = solveFactor(work, 2, A, B);
    iterations++;
    const next = residualOf(work, A, B, C, workNorm);
    const improvement = residual - next;
    residual = next;
    if (improvement <= tolerance * residual) break;
  }
  if (compression !== undefined) C = multiply(compression.basis, C);
  return { ...canonicalize(A, B, C), residual: fullResidual(residual), initialResidual, iterations };
}
