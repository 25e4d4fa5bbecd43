import { createMatrix, multiplyTransposeB, type DenseMatrix } from '@nimc/linalg';
import { embed, type NimcModel } from '@nimc/objective';
import { TopK } from './top-k.js';

/** Items to leave out per user row, in compressed-row form: row r's items are items[start[r]..start[r+1]). */
export interface ExcludedItems {
  readonly start: Int32Array;
  readonly items: Int32Array;
}

/** The top lists of consecutive user rows. */
export interface TopKBlock {
  /** First user row of the block. */
  readonly first: number;
  /** Number of user rows in the block. */
  readonly rows: number;
  /** Row r's list is items[r·top, r·top + lengths[r]), best first. */
  readonly items: Int32Array;
  readonly scores: Float64Array;
  readonly lengths: Int32Array;
}

/** Options of `topKBlocks`. */
export interface TopKOptions {
  excluded?: ExcludedItems;
  /** User rows per block. Default: as many as keep one block of scores within 16 MiB. */
  blockRows?: number;
  /** Builds the error for a non-finite score of (user row, item). */
  nonFinite: (row: number, item: number, score: number) => Error;
}

/** Bytes of scores one block may hold by default. */
const blockBytes = 16 * 1024 * 1024;

/** Returns the default number of user rows per block for a catalogue of n2 items. */
export function defaultBlockRows(n2: number): number {
  return Math.max(1, Math.min(4096, Math.floor(blockBytes / 8 / Math.max(1, n2))));
}

/**
 * Scores every user row of X (n1×d1) against every item embedding in Q = φ(YV) (n2×k) and
 * yields each block's top-`top` items per user. Only one block of scores (rows × n2) exists
 * at a time, so memory stays bounded whatever n1 is. Excluded items are skipped, so a user
 * may get fewer than `top` items.
 */
export function* topKBlocks(model: NimcModel, X: DenseMatrix, Q: DenseMatrix, top: number, options: TopKOptions): Generator<TopKBlock> {
  const n1 = X.rows;
  const d1 = X.columns;
  const n2 = Q.rows;
  const blockRows = options.blockRows ?? defaultBlockRows(n2);
  if (!Number.isSafeInteger(blockRows) || blockRows < 1) {
    throw new RangeError(`invalid blockRows: expected a positive integer, received ${blockRows}`);
  }
  const heap = new TopK(top);
  const scoreBuffer = new Float64Array(Math.min(blockRows, Math.max(n1, 1)) * n2);
  // stamp[j] === r + 1 marks item j as excluded for the row r being ranked.
  const stamp = new Int32Array(n2);
  const excluded = options.excluded;

  for (let first = 0; first < n1; first += blockRows) {
    const rows = Math.min(blockRows, n1 - first);
    const block = createMatrix(rows, d1, X.data.subarray(first * d1, (first + rows) * d1));
    const P = embed(block, model.U, model.activation);
    const S = multiplyTransposeB(P, Q, createMatrix(rows, n2, scoreBuffer.subarray(0, rows * n2)));

    const items = new Int32Array(rows * top);
    const scores = new Float64Array(rows * top);
    const lengths = new Int32Array(rows);
    for (let r = 0; r < rows; r++) {
      const row = first + r;
      if (excluded !== undefined) {
        for (let s = excluded.start[row] as number; s < (excluded.start[row + 1] as number); s++) stamp[excluded.items[s] as number] = row + 1;
      }
      const offset = r * n2;
      for (let j = 0; j < n2; j++) {
        const score = S.data[offset + j] as number;
        if (!Number.isFinite(score)) throw options.nonFinite(row, j, score);
        if (stamp[j] === row + 1 || score < heap.threshold) continue;
        heap.offer(j, score);
      }
      lengths[r] = heap.drain(items, scores, r * top);
    }
    yield { first, rows, items, scores, lengths };
  }
}

/**
 * Builds the excluded items of each user row from (row, item) pairs; rows or items of −1
 * (ids the feature files lack) are dropped.
 */
export function buildExcludedItems(n1: number, rows: Int32Array, items: Int32Array): ExcludedItems {
  const start = new Int32Array(n1 + 1);
  for (let t = 0; t < rows.length; t++) {
    if ((rows[t] as number) >= 0 && (items[t] as number) >= 0) start[(rows[t] as number) + 1]! += 1;
  }
  for (let r = 0; r < n1; r++) start[r + 1]! += start[r] as number;
  const out = new Int32Array(start[n1] as number);
  const cursor = start.slice(0, n1);
  for (let t = 0; t < rows.length; t++) {
    const row = rows[t] as number;
    if (row >= 0 && (items[t] as number) >= 0) out[cursor[row]!++] = items[t] as number;
  }
  return { start, items: out };
}
