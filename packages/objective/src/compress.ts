import { selectRows, type DenseMatrix, type ObservationSet } from '@nimc/linalg';

/** Identical rows of a feature matrix, merged. */
export interface MergedRows {
  /** The distinct rows, in order of first appearance. */
  readonly features: DenseMatrix;
  /** `groupOf[i]` is the distinct row that row i of the input equals. */
  readonly groupOf: Int32Array;
}

/** Observations of a problem whose identical feature rows and repeated pairs are merged. */
export interface CompressedObservations {
  readonly X: MergedRows;
  readonly Y: MergedRows;
  /** Row (into X.features) of each merged pair. */
  readonly rows: Int32Array;
  /** Row (into Y.features) of each merged pair. */
  readonly columns: Int32Array;
  /** Number of original observations merged into each pair; undefined when every count is 1. */
  readonly counts: Float64Array | undefined;
  /** Mean observed value of each pair. */
  readonly means: Float64Array;
  /**
   * Σ over pairs of Σ(a²) − (Σa)²/count: the part of the squared error that no model can
   * remove, because it is the spread of the values inside each pair.
   */
  readonly spread: number;
}

// A 32-bit hash of the row's values in which −0 equals 0 and every NaN equals every other,
// matching `sameRow`.
function hashRow(data: Float64Array, offset: number, length: number, scratch: Float64Array, words: Uint32Array): number {
  let hash = 0x811c9dc5;
  for (let c = 0; c < length; c++) {
    const value = data[offset + c] as number;
    let canonical = value;
    if (value === 0) canonical = 0;
    else if (value !== value) canonical = Number.NaN;
    scratch[0] = canonical;
    hash = Math.imul(hash ^ (words[0] as number), 0x01000193);
    hash = Math.imul(hash ^ (words[1] as number), 0x01000193);
  }
  return hash;
}

function sameRow(data: Float64Array, first: number, second: number, length: number): boolean {
  for (let c = 0; c < length; c++) {
    const a = data[first + c] as number;
    const b = data[second + c] as number;
    if (a !== b && !(a !== a && b !== b)) return false;
  }
  return true;
}

/**
 * Merges identical rows of `features`. Rows compare equal when every value is equal, with
 * −0 equal to 0 and NaN equal to NaN. When no row repeats, `features` of the result is the
 * input matrix itself, not a copy.
 */
export function mergeIdenticalRows(features: DenseMatrix): MergedRows {
  const { rows, columns, data } = features;
  const groupOf = new Int32Array(rows);
  const scratch = new Float64Array(1);
  const words = new Uint32Array(scratch.buffer);

  // Rows are bucketed by hash. `firstOfHash` maps a hash to its first group, and
  // `nextOfGroup` chains the other groups whose rows share that hash.
  const firstOfHash = new Map<number, number>();
  const nextOfGroup: number[] = [];
  const representatives: number[] = [];
  for (let i = 0; i < rows; i++) {
    const hash = hashRow(data, i * columns, columns, scratch, words);
    let group = firstOfHash.get(hash) ?? -1;
    let previous = -1;
    while (group !== -1 && !sameRow(data, (representatives[group] as number) * columns, i * columns, columns)) {
      previous = group;
      group = nextOfGroup[group] as number;
    }
    if (group === -1) {
      group = representatives.length;
      representatives.push(i);
      nextOfGroup.push(-1);
      if (previous === -1) firstOfHash.set(hash, group);
      else nextOfGroup[previous] = group;
    }
    groupOf[i] = group;
  }
  if (representatives.length === rows) return { features, groupOf };
  return { features: selectRows(features, representatives), groupOf };
}

/**
 * Returns the observations as they are, in the form of `compressObservations`, without
 * merging any row or pair.
 */
export function uncompressedObservations(X: DenseMatrix, Y: DenseMatrix, observations: ObservationSet): CompressedObservations {
  const identity = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);
  return {
    X: { features: X, groupOf: identity(X.rows) },
    Y: { features: Y, groupOf: identity(Y.rows) },
    rows: observations.rows,
    columns: observations.columns,
    counts: undefined,
    means: observations.values,
    spread: 0,
  };
}

/**
 * Merges users with identical features, items with identical features, and the
 * observations that then fall on the same pair. The squared error of any model over the
 * original observations equals Σ counts·(prediction − mean)² + spread. Training on the
 * merged pairs therefore gives the same loss and gradient, at a fraction of the cost when many users
 * share categorical features.
 */
export function compressObservations(X: DenseMatrix, Y: DenseMatrix, observations: ObservationSet): CompressedObservations {
  const mergedX = mergeIdenticalRows(X);
  const mergedY = mergeIdenticalRows(Y);
  const n2 = mergedY.features.rows;
  const m = observations.values.length;

  // Without merged rows, repeated pairs are rare (only from sampling with replacement),
  // so the observations are kept one by one, without a copy, and no hash map of m keys is
  // built.
  if (mergedX.features.rows === X.rows && n2 === Y.rows) {
    return {
      X: mergedX,
      Y: mergedY,
      rows: observations.rows,
      columns: observations.columns,
      counts: undefined,
      means: observations.values,
      spread: 0,
    };
  }

  const pairOf = new Map<number, number>();
  const rows: number[] = [];
  const columns: number[] = [];
  const sums: number[] = [];
  const squares: number[] = [];
  const counts: number[] = [];
  for (let t = 0; t < m; t++) {
    const g = mergedX.groupOf[observations.rows[t] as number] as number;
    const h = mergedY.groupOf[observations.columns[t] as number] as number;
    const value = observations.values[t] as number;
    const key = g * n2 + h;
    let pair = pairOf.get(key);
    if (pair === undefined) {
      pair = rows.length;
      pairOf.set(key, pair);
      rows.push(g);
      columns.push(h);
      sums.push(0);
      squares.push(0);
      counts.push(0);
    }
    sums[pair]! += value;
    squares[pair]! += value * value;
    counts[pair]! += 1;
  }

  const means = new Float64Array(rows.length);
  let spread = 0;
  for (let s = 0; s < rows.length; s++) {
    const count = counts[s] as number;
    const sum = sums[s] as number;
    means[s] = sum / count;
    spread += Math.max(0, (squares[s] as number) - (sum * sum) / count);
  }
  return {
    X: mergedX,
    Y: mergedY,
    rows: Int32Array.from(rows),
    columns: Int32Array.from(columns),
    counts: Float64Array.from(counts),
    means,
    spread,
  };
}
