import { createMatrix, type DenseMatrix } from './dense.js';
import { wasmKernelsAvailable } from './kernels/wasm.js';
import { createWorkspace, WorkspaceLayout, type Workspace } from './kernels/workspace.js';

// Every entry of A·B and Aᵀ·B is added up over the shared dimension p = 0, 1, … in that
// order, whether the TypeScript loops or the WebAssembly kernels compute it, so both give
// the same numbers. The TypeScript loops block p and the output columns, so that the rows
// of B they reuse stay in cache, and walk contiguous memory in the innermost loop.
// NOTE: the TypeScript loops skip zero entries of A and the kernels do not, so the two
// differ where B contains an infinity or NaN facing a zero of A.

const blockP = 128;
const blockColumns = 512;

// Above this many multiply-adds, copying the operands into WebAssembly memory and running
// the SIMD kernel costs less than the TypeScript loop.
const kernelThreshold = 1 << 16;
// The scratch memory is kept between calls up to this size. Larger products get their own.
const maxKeptScratchBytes = 1 << 27;
let scratch: Workspace | undefined;

function scratchWorkspace(byteLength: number): Workspace {
  if (scratch !== undefined && scratch.byteLength >= byteLength) return scratch;
  const workspace = createWorkspace(byteLength, { backend: 'wasm-simd' });
  if (byteLength <= maxKeptScratchBytes) scratch = workspace;
  return workspace;
}

// Runs C = A·B (transposeA false) or C = Aᵀ·B (true) in the WebAssembly kernels on copies
// of the operands. Returns false, computing nothing, when the kernels are unavailable or
// the product is too small to pay for the copies.
function kernelProduct(a: DenseMatrix, b: DenseMatrix, result: DenseMatrix, transposeA: boolean): boolean {
  const shared = transposeA ? a.rows : a.columns;
  if (result.rows * result.columns * shared < kernelThreshold || !wasmKernelsAvailable()) return false;
  const layout = new WorkspaceLayout();
  const offsetA = layout.float64(a.data.length);
  const offsetB = layout.float64(b.data.length);
  const offsetC = layout.float64(result.data.length);
  const workspace = scratchWorkspace(layout.byteLength);
  workspace.float64(offsetA, a.data.length).set(a.data);
  workspace.float64(offsetB, b.data.length).set(b.data);
  const c = workspace.float64(offsetC, result.data.length);
  if (transposeA) {
    c.fill(0);
    workspace.kernels.gemmTransposeAAdd(offsetA, offsetB, offsetC, a.rows, a.columns, b.columns);
  } else {
    workspace.kernels.gemm(offsetA, offsetB, offsetC, a.rows, a.columns, b.columns);
  }
  result.data.set(c);
  return true;
}

function outputFor(rows: number, columns: number, out: DenseMatrix | undefined): DenseMatrix {
  if (out === undefined) return createMatrix(rows, columns);
  if (out.rows !== rows || out.columns !== columns) {
    throw new RangeError(
      `invalid output: expected a ${rows}x${columns} matrix, received ${out.rows}x${out.columns}`,
    );
  }
  out.data.fill(0);
  return out;
}

/** Computes A·B. `out`, when given, is overwritten and returned. */
export function multiply(a: DenseMatrix, b: DenseMatrix, out?: DenseMatrix): DenseMatrix {
  if (a.columns !== b.rows) {
    throw new RangeError(`cannot multiply ${a.rows}x${a.columns} by ${b.rows}x${b.columns}`);
  }
  const n = a.rows;
  const shared = a.columns;
  const m = b.columns;
  const result = outputFor(n, m, out);
  if (kernelProduct(a, b, result, false)) return result;
  const A = a.data;
  const B = b.data;
  const C = result.data;
  for (let p0 = 0; p0 < shared; p0 += blockP) {
    const p1 = Math.min(p0 + blockP, shared);
    for (let j0 = 0; j0 < m; j0 += blockColumns) {
      const j1 = Math.min(j0 + blockColumns, m);
      for (let i = 0; i < n; i++) {
        const rowC = i * m;
        for (let p = p0; p < p1; p++) {
          const aip = A[i * shared + p] as number;
          if (aip === 0) continue;
          const rowB = p * m;
          for (let j = j0; j < j1; j++) C[rowC + j]! += aip * (B[rowB + j] as number);
        }
      }
    }
  }
  return result;
}

/** Computes Aᵀ·B. `out`, when given, is overwritten and returned. */
export function multiplyTransposeA(a: DenseMatrix, b: DenseMatrix, out?: DenseMatrix): DenseMatrix {
  if (a.rows !== b.rows) {
    throw new RangeError(`cannot multiply the transpose of ${a.rows}x${a.columns} by ${b.rows}x${b.columns}`);
  }
  const shared = a.rows;
  const n = a.columns;
  const m = b.columns;
  const result = outputFor(n, m, out);
  if (kernelProduct(a, b, result, true)) return result;
  const A = a.data;
  const B = b.data;
  const C = result.data;
  for (let p = 0; p < shared; p++) {
    const rowA = p * n;
    const rowB = p * m;
    for (let i = 0; i < n; i++) {
      const api = A[rowA + i] as number;
      if (api === 0) continue;
      const rowC = i * m;
      for (let j = 0; j < m; j++) C[rowC + j]! += api * (B[rowB + j] as number);
    }
  }
  return result;
}

/** Computes A·Bᵀ. `out`, when given, is overwritten and returned. */
export function multiplyTransposeB(a: DenseMatrix, b: DenseMatrix, out?: DenseMatrix): DenseMatrix {
  if (a.columns !== b.columns) {
    throw new RangeError(`cannot multiply ${a.rows}x${a.columns} by the transpose of ${b.rows}x${b.columns}`);
  }
  const n = a.rows;
  const shared = a.columns;
  const m = b.rows;
  const result = outputFor(n, m, out);
  const A = a.data;
  const B = b.data;
  const C = result.data;
  // Rows of B in blocks that fit the cache, reused by every row of A.
  const blockRows = Math.max(1, Math.floor(16384 / Math.max(shared, 1)));
  for (let j0 = 0; j0 < m; j0 += blockRows) {
    const j1 = Math.min(j0 + blockRows, m);
    for (let i = 0; i < n; i++) {
      const rowA = i * shared;
      for (let j = j0; j < j1; j++) {
        const rowB = j * shared;
        let sum = 0;
        for (let p = 0; p < shared; p++) sum += (A[rowA + p] as number) * (B[rowB + p] as number);
        C[i * m + j] = sum;
      }
    }
  }
  return result;
}
