import { createMatrix, type DenseMatrix } from '@nimc/linalg';

/**
 * A dense n1×n2×n3 tensor stored row-major: entry (a, b, c) is `data[(a·n2 + b)·n3 + c]`.
 */
export interface Tensor3 {
  readonly dims: readonly [number, number, number];
  readonly data: Float64Array;
}

/** Creates an n1×n2×n3 tensor, zero-filled or wrapping `data` without a copy. */
export function createTensor3(n1: number, n2: number, n3: number, data?: Float64Array): Tensor3 {
  for (const [name, value] of [
    ['n1', n1],
    ['n2', n2],
    ['n3', n3],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`invalid tensor dimension ${name}: expected a positive integer, received ${value}`);
    }
  }
  const size = n1 * n2 * n3;
  if (data !== undefined && data.length !== size) {
    throw new RangeError(`invalid tensor data: a ${n1}x${n2}x${n3} tensor needs ${size} values, received ${data.length}`);
  }
  return { dims: [n1, n2, n3], data: data ?? new Float64Array(size) };
}

/**
 * Builds the CP tensor Σ_i w_i·a_i⊗b_i⊗c_i from the columns of A (n1×r), B (n2×r) and
 * C (n3×r), with all weights 1 when `weights` is omitted.
 */
export function cpTensor(A: DenseMatrix, B: DenseMatrix, C: DenseMatrix, weights?: Float64Array): Tensor3 {
  const r = A.columns;
  if (B.columns !== r || C.columns !== r || (weights !== undefined && weights.length !== r)) {
    throw new RangeError(
      `invalid CP factors: A, B, C have ${A.columns}, ${B.columns}, ${C.columns} columns and ${weights?.length ?? r} weights; all must be equal`,
    );
  }
  const n1 = A.rows;
  const n2 = B.rows;
  const n3 = C.rows;
  const out = createTensor3(n1, n2, n3);
  const ab = new Float64Array(r);
  for (let a = 0; a < n1; a++) {
    for (let b = 0; b < n2; b++) {
      for (let i = 0; i < r; i++) {
        ab[i] = (weights === undefined ? 1 : (weights[i] as number)) * (A.data[a * r + i] as number) * (B.data[b * r + i] as number);
      }
      const offset = (a * n2 + b) * n3;
      for (let c = 0; c < n3; c++) {
        let sum = 0;
        for (let i = 0; i < r; i++) sum += (ab[i] as number) * (C.data[c * r + i] as number);
        out.data[offset + c] = sum;
      }
    }
  }
  return out;
}

/** Returns the n1×n2 matrix T(·, ·, g) = Σ_c T[·, ·, c]·g[c]. */
export function contractThirdMode(tensor: Tensor3, g: Float64Array): DenseMatrix {
  const [n1, n2, n3] = tensor.dims;
  if (g.length !== n3) {
    throw new RangeError(`invalid contraction vector: expected length ${n3}, received ${g.length}`);
  }
  const out = createMatrix(n1, n2);
  for (let ab = 0; ab < n1 * n2; ab++) {
    let sum = 0;
    const offset = ab * n3;
    for (let c = 0; c < n3; c++) sum += (tensor.data[offset + c] as number) * (g[c] as number);
    out.data[ab] = sum;
  }
  return out;
}

/**
 * Returns the mode-`mode` unfolding of the tensor: the matrix whose row x lists every entry
 * with index x in that mode. Columns run over the two other indices in their order, the
 * later one fastest.
 */
export function unfold(tensor: Tensor3, mode: 0 | 1 | 2): DenseMatrix {
  const [n1, n2, n3] = tensor.dims;
  const sizes = [n1, n2, n3];
  const rows = sizes[mode] as number;
  const out = createMatrix(rows, (n1 * n2 * n3) / rows);
  let t = 0;
  for (let a = 0; a < n1; a++) {
    for (let b = 0; b < n2; b++) {
      for (let c = 0; c < n3; c++) {
        const value = tensor.data[t++] as number;
        if (mode === 0) out.data[a * n2 * n3 + b * n3 + c] = value;
        else if (mode === 1) out.data[b * n1 * n3 + a * n3 + c] = value;
        else out.data[c * n1 * n2 + a * n2 + b] = value;
      }
    }
  }
  return out;
}
