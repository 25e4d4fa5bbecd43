import { isActivationName, type Activation, type ActivationName } from '@nimc/activations';
import { createWorkspace, WorkspaceLayout, type KernelBackend, type Workspace } from '@nimc/linalg';
import { compressObservations, uncompressedObservations, type CompressedObservations } from '../compress.js';
import type { NimcProblem } from '../model.js';

/** Options of the evaluation kernels, shared by `createObjective` and `createParallelObjective`. */
export interface EvaluationOptions {
  /** Weight λ of the penalty (λ/2)(‖U‖²_F + ‖V‖²_F). Default 0. */
  l2?: number;
  /**
   * Kernels: 'auto' (default) runs the WebAssembly SIMD kernels where the runtime supports
   * them and the TypeScript kernels otherwise; both give bit-identical results.
   */
  backend?: 'auto' | KernelBackend;
  /**
   * Storage of the observed values inside the objective: 'float64' (default), or
   * 'float32', which halves their memory and rounds each value to float32 (exact for
   * ratings such as 1 to 5). Merged pairs store the mean of their values, which is rarely
   * exact in float32, so they keep float64 under either setting.
   */
  valueType?: 'float64' | 'float32';
  /**
   * Merges identical feature rows and the pairs that then coincide (see
   * `compressObservations`). Default true; false evaluates every observation as given.
   */
  mergeIdenticalRows?: boolean;
}

/** The rows one thread works on in each phase, as [begin, end) pairs. */
export interface Share {
  /** Rows of X (after merging) whose embeddings and gradient part the thread computes. */
  readonly rows1: readonly [number, number];
  /** Rows of Y (after merging) whose embeddings and gradient part the thread computes. */
  readonly rows2: readonly [number, number];
  /** Rows of X whose observations the thread visits; their union covers every pair. */
  readonly pairRows: readonly [number, number];
  /**
   * The thread's observation-pass calls as triples (rowStart byte offset, first row, end
   * row), tile by tile in the order of the pairs in memory.
   */
  readonly calls: readonly number[];
}

/**
 * Everything about an evaluation that another thread needs to attach to its memory: sizes,
 * byte offsets and the work split. It is plain data, so it can be posted to a worker.
 */
export interface EvaluationPlan {
  readonly activation: ActivationName | undefined;
  readonly d1: number;
  readonly d2: number;
  readonly k: number;
  /** Distinct rows of X and Y. */
  readonly n1: number;
  readonly n2: number;
  /** Original observation count m, which divides the loss. */
  readonly m: number;
  /** Merged pairs visited by the observation pass. */
  readonly pairs: number;
  readonly l2: number;
  /** Squared error that no model can remove (see `compressObservations`). */
  readonly spread: number;
  readonly valueBytes: 4 | 8;
  readonly byteLength: number;
  readonly offsets: {
    readonly X: number;
    readonly Y: number;
    readonly theta: number;
    /** X·U (n1×k), overwritten with φ′(X·U) once P is computed. */
    readonly D1: number;
    /** Y·V (n2×k), overwritten with φ′(Y·V) once Q is computed. */
    readonly D2: number;
    readonly P: number;
    readonly Q: number;
    readonly G1: number;
    readonly G2: number;
    /** G2 accumulators of threads 1, 2, …; thread 0 accumulates into G2 itself. */
    readonly G2Partials: readonly number[];
    /** One gradient of length (d1 + d2)·k per thread. */
    readonly gradientPartials: readonly number[];
    /** One float64 loss sum per thread. */
    readonly losses: number;
    /** Int32 start of each (tile, row) bucket of pairs; see `prepareEvaluation`. */
    readonly tileStart: number;
    readonly columns: number;
    readonly values: number;
    /** 0 when every pair has count 1. */
    readonly counts: number;
    /** Int32 words for the thread barrier. */
    readonly control: number;
    /** Bytes for an error message from a worker. */
    readonly message: number;
  };
  readonly shares: readonly Share[];
}

/** Length of the error message area of a plan, in bytes. */
export const messageBytes = 1024;
/** Int32 words of the control area: barrier generation, arrivals, error flag. */
export const controlWords = 4;

// Work per kernel call. Cutting long passes into calls of this size also lets the runtime
// switch a kernel to optimized code after its first calls, which it can only do between calls.
const pairsPerCall = 1 << 15;
// Bytes of Q and G2 rows per column block of a tile, so that the block's rows of both stay
// in the L2 cache while the pass visits the tile. Measured on an Intel Xeon with 2 MiB of
// L2 per core: 512 KiB beat 1 to 4 MiB by 35% on the ml-1m training set (k = 50).
const columnTileBytes = 1 << 19;
// Bytes of P and G1 rows per row block. The pass walks them in order, and a row block is
// revisited once per column block, so it only needs to stay in the L3 cache.
const rowTileBytes = 1 << 22;
// Each (row, column block) costs a visit of its own, so column blocks are capped at
// pairs/(pairsPerVisit·n1). On n1 = n2 = 100,000, m = 10^7, k = 50 (same machine), 20
// column blocks beat 98 blocks by 35% and one block by 2.5×.
const pairsPerVisit = 5;
/** Rows per dense kernel call. */
export const rowsPerCall = 1024;

function checkShape(problem: NimcProblem, k: number, l2: number): void {
  const { X, Y, observations } = problem;
  if (!Number.isInteger(k) || k < 1) {
    throw new RangeError(`invalid rank k: expected a positive integer, received ${k}`);
  }
  if (!(l2 >= 0 && Number.isFinite(l2))) {
    throw new RangeError(`invalid l2: expected a finite number ≥ 0, received ${l2}`);
  }
  if (observations.n1 !== X.rows || observations.n2 !== Y.rows) {
    throw new RangeError(
      `invalid problem: observations index a ${observations.n1}x${observations.n2} matrix but X has ${X.rows} rows and Y has ${Y.rows}`,
    );
  }
}

/** Throws a RangeError for an unknown `valueType` or `backend`. */
export function checkEvaluationOptions(options: EvaluationOptions): void {
  const valueType = options.valueType ?? 'float64';
  if (valueType !== 'float64' && valueType !== 'float32') {
    throw new RangeError(`invalid valueType "${String(valueType)}": expected 'float64' or 'float32'`);
  }
  const backend = options.backend ?? 'auto';
  if (backend !== 'auto' && backend !== 'wasm-simd' && backend !== 'typescript') {
    throw new RangeError(`invalid backend "${String(backend)}": expected 'auto', 'wasm-simd' or 'typescript'`);
  }
}

function equalSplit(n: number, parts: number, part: number): [number, number] {
  return [Math.floor((n * part) / parts), Math.floor((n * (part + 1)) / parts)];
}

/**
 * Tiles of the observation pass: rows in blocks of `rowBlock`, columns in `columnBlocks`
 * blocks of `columnBlock`. Pairs are stored tile by tile (row blocks outer, column blocks
 * inner) and by row inside a tile. Bucket (a·columnBlocks + b)·rowBlock + (i − a·rowBlock)
 * holds the pairs of row i in column block b, where a is i's row block.
 */
interface Tiling {
  readonly rowBlock: number;
  readonly rowBlocks: number;
  readonly columnBlock: number;
  readonly columnBlocks: number;
  readonly buckets: number;
}

function chooseTiling(n1: number, n2: number, k: number, pairs: number, threads: number): Tiling {
  const block = Math.max(1, Math.floor(columnTileBytes / (16 * k)));
  const columnBlocks = Math.max(1, Math.min(Math.ceil(n2 / block), Math.floor(pairs / (pairsPerVisit * Math.max(n1, 1)))));
  const columnBlock = Math.max(1, Math.ceil(n2 / columnBlocks));
  // At least four row blocks per thread, so that the threads' shares can be balanced.
  const rowBlock = Math.max(1, Math.min(Math.floor(rowTileBytes / (16 * k)), Math.ceil(n1 / (4 * threads))));
  const rowBlocks = Math.max(1, Math.ceil(n1 / rowBlock));
  return { rowBlock, rowBlocks, columnBlock, columnBlocks, buckets: rowBlocks * columnBlocks * rowBlock };
}

function bucketOf(tiling: Tiling, row: number, column: number): number {
  const a = Math.floor(row / tiling.rowBlock);
  const b = Math.floor(column / tiling.columnBlock);
  return (a * tiling.columnBlocks + b) * tiling.rowBlock + (row - a * tiling.rowBlock);
}

// Splits the row blocks so that each part has about pairs/parts observations.
function splitRowBlocks(tileStart: Int32Array, tiling: Tiling, parts: number): number[] {
  const pairs = tileStart[tiling.buckets] as number;
  const pairsBefore = (a: number): number => tileStart[a * tiling.columnBlocks * tiling.rowBlock] as number;
  const bounds = [0];
  let a = 0;
  for (let part = 1; part < parts; part++) {
    const target = (pairs * part) / parts;
    while (a < tiling.rowBlocks && pairsBefore(a) < target) a++;
    bounds.push(a);
  }
  bounds.push(tiling.rowBlocks);
  return bounds;
}

// The kernel calls for row blocks [blockBegin, blockEnd): each tile's rows, cut where a
// call would pass `pairsPerCall` pairs.
function scheduleCalls(tileStart: Int32Array, tiling: Tiling, n1: number, blockBegin: number, blockEnd: number, base: number): number[] {
  const { rowBlock, columnBlocks } = tiling;
  const calls: number[] = [];
  for (let a = blockBegin; a < blockEnd; a++) {
    const first = a * rowBlock;
    const last = Math.min(n1, first + rowBlock);
    for (let b = 0; b < columnBlocks; b++) {
      const bucket0 = (a * columnBlocks + b) * rowBlock;
      // Byte offset such that rowStart[i] for a global row i reads bucket bucket0 + i − first.
      const rowStart = base + (bucket0 - first) * 4;
      let begin = first;
      for (let i = first + 1; i <= last; i++) {
        const pairsSoFar = (tileStart[bucket0 + i - first] as number) - (tileStart[bucket0 + begin - first] as number);
        if (i === last || pairsSoFar >= pairsPerCall) {
          if (pairsSoFar > 0) calls.push(rowStart, begin, i);
          begin = i;
        }
      }
    }
  }
  return calls;
}

/** The merged observations, the plan and the workspace of one objective. */
export interface PreparedEvaluation {
  readonly plan: EvaluationPlan;
  readonly workspace: Workspace;
  readonly merged: CompressedObservations;
}

/** Sizes after merging, passed to the `reserveExtra` callback of `prepareEvaluation`. */
export interface ReservedSizes {
  /** Distinct rows of X and Y. */
  readonly n1: number;
  readonly n2: number;
  /** Merged pairs. */
  readonly pairs: number;
}

/**
 * Merges the problem's repeated rows and pairs, lays out every buffer of an evaluation in
 * one workspace (shared when `threads` > 1), copies X and Y into it, and stores the pairs
 * once, sorted by tile and by row inside a tile (a stable counting sort). A tile covers a
 * block of rows and a block of columns whose rows of P, G1, Q and G2 fit in the cache
 * together. Inside a tile, the pass keeps P_i and G1_i in L1 while it walks the pairs of
 * row i. `reserveExtra` may reserve more buffers in the same workspace after those of the
 * plan, so that other kernels can work on them together with the pairs.
 */
export function prepareEvaluation(
  problem: NimcProblem,
  activation: Activation,
  k: number,
  threads: number,
  options: EvaluationOptions,
  reserveExtra?: (layout: WorkspaceLayout, sizes: ReservedSizes) => void,
): PreparedEvaluation {
  const l2 = options.l2 ?? 0;
  const valueType = options.valueType ?? 'float64';
  checkShape(problem, k, l2);
  checkEvaluationOptions(options);
  const merged =
    options.mergeIdenticalRows === false
      ? uncompressedObservations(problem.X, problem.Y, problem.observations)
      : compressObservations(problem.X, problem.Y, problem.observations);
  const X = merged.X.features;
  const Y = merged.Y.features;
  const d1 = X.columns;
  const d2 = Y.columns;
  const n1 = X.rows;
  const n2 = Y.rows;
  const pairs = merged.rows.length;
  const dimension = (d1 + d2) * k;
  const valueBytes = valueType === 'float32' && merged.counts === undefined ? 4 : 8;

  const tiling = chooseTiling(n1, n2, k, pairs, threads);
  const tileStart = new Int32Array(tiling.buckets + 1);
  for (let s = 0; s < pairs; s++) tileStart[bucketOf(tiling, merged.rows[s] as number, merged.columns[s] as number) + 1]! += 1;
  for (let q = 0; q < tiling.buckets; q++) tileStart[q + 1]! += tileStart[q] as number;

  const layout = new WorkspaceLayout();
  const offsets = {
    X: layout.float64(n1 * d1),
    Y: layout.float64(n2 * d2),
    theta: layout.float64(dimension),
    D1: layout.float64(n1 * k),
    D2: layout.float64(n2 * k),
    P: layout.float64(n1 * k),
    Q: layout.float64(n2 * k),
    G1: layout.float64(n1 * k),
    G2: layout.float64(n2 * k),
    G2Partials: Array.from({ length: threads - 1 }, () => layout.float64(n2 * k)),
    gradientPartials: Array.from({ length: threads }, () => layout.float64(dimension)),
    losses: layout.float64(threads),
    tileStart: layout.words(tiling.buckets + 1),
    columns: layout.words(pairs),
    values: layout.reserve(pairs * valueBytes),
    counts: merged.counts === undefined ? 0 : layout.float64(pairs),
    control: layout.words(controlWords),
    message: layout.reserve(messageBytes),
  };
  reserveExtra?.(layout, { n1, n2, pairs });
  // Offset 0 means "no counts", so the counts never start at 0 (X comes first).
  const workspace = createWorkspace(layout.byteLength, { backend: options.backend ?? 'auto', shared: threads > 1 });

  workspace.float64(offsets.X, n1 * d1).set(X.data);
  workspace.float64(offsets.Y, n2 * d2).set(Y.data);
  workspace.int32(offsets.tileStart, tiling.buckets + 1).set(tileStart);
  const columns = workspace.int32(offsets.columns, pairs);
  const values = valueBytes === 4 ? workspace.float32(offsets.values, pairs) : workspace.float64(offsets.values, pairs);
  const counts = merged.counts === undefined ? undefined : workspace.float64(offsets.counts, pairs);
  const cursor = tileStart.subarray(0, tiling.buckets);
  for (let s = 0; s < pairs; s++) {
    const position = cursor[bucketOf(tiling, merged.rows[s] as number, merged.columns[s] as number)]!++;
    columns[position] = merged.columns[s] as number;
    values[position] = merged.means[s] as number;
    if (counts !== undefined) counts[position] = (merged.counts as Float64Array)[s] as number;
  }
  // The cursor advanced every bucket start to the next one's, so shifting back restores them.
  tileStart.copyWithin(1, 0, tiling.buckets);
  tileStart[0] = 0;

  const bounds = splitRowBlocks(tileStart, tiling, threads);
  const shares: Share[] = [];
  for (let part = 0; part < threads; part++) {
    const blockBegin = bounds[part] as number;
    const blockEnd = bounds[part + 1] as number;
    shares.push({
      rows1: equalSplit(n1, threads, part),
      rows2: equalSplit(n2, threads, part),
      pairRows: [Math.min(n1, blockBegin * tiling.rowBlock), Math.min(n1, blockEnd * tiling.rowBlock)],
      calls: scheduleCalls(tileStart, tiling, n1, blockBegin, blockEnd, offsets.tileStart),
    });
  }

  const plan: EvaluationPlan = {
    activation: isActivationName(activation.name) ? activation.name : undefined,
    d1,
    d2,
    k,
    n1,
    n2,
    m: problem.observations.values.length,
    pairs,
    l2,
    spread: merged.spread,
    valueBytes,
    byteLength: layout.byteLength,
    offsets,
    shares,
  };
  return { plan, workspace, merged };
}
