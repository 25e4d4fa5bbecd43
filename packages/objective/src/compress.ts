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
  /** Number of original observations merged into each pair. */
  readonly counts: Float64Array;
  /** Mean observed value of each pair. */
  readonly means: Float64Array;
  /**
   * Σ over pairs of Σ(a²) − (Σa)²/count: the part of the squared error that no model can
   * remove, because it is the spread of the values inside each pair.
   */
  readonly spread: number;
}

/** Merges identical rows of `features`; rows compare equal when every value is identical. */
export function mergeIdenticalRows(features: DenseMatrix): MergedRows {
  const groupOf = new Int32Array(features.rows);
  const firstRow = new Map<string, number>();
  const representatives: number[] = [];
  for (let i = 0; i < features.rows; i++) {
    const key = features.data.subarray(i * features.columns, (i + 1) * features.columns).join(',');
    let group = firstRow.get(key);
    if (group === undefined) {
      group = representatives.length;
      firstRow.set(key, group);
      representatives.push(i);
    }
    groupOf[i] = group;
  }
  return { features: selectRows(features, representatives), groupOf };
}

/**
 * Merges users with identical features, items with identical features, and the
 * observations that then fall on the same pair. The squared error of any model over the
 * original observations equals Σ counts·(prediction − mean)² + spread, so training on the
 * merged pairs gives the same loss and gradient at a fraction of the cost when many users
 * share categorical features.
 */
export function compressObservations(X: DenseMatrix, Y: DenseMatrix, observations: ObservationSet): CompressedObservations {
  const mergedX = mergeIdenticalRows(X);
  const mergedY = mergeIdenticalRows(Y);
  const n2 = mergedY.features.rows;
  const m = observations.values.length;

  // Without merged rows, repeated pairs are rare (only from sampling with replacement),
  // so the observations are kept one by one and no hash map of m keys is built.
  if (mergedX.features.rows === X.rows && n2 === Y.rows) {
    return {
      X: mergedX,
      Y: mergedY,
      rows: observations.rows,
      columns: observations.columns,
      counts: new Float64Array(m).fill(1),
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
