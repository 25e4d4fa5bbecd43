import type { DenseMatrix } from '@nimc/linalg';

// The Hermite tensor of order p of a vector x ∈ R^k sums one term per partial matching of
// the p index positions. The term is Π_pairs δ(i_a, i_b) times the product of x over the
// unmatched positions, with sign (−1)^(number of pairs):
//   He_1 = x, He_2 = x⊗x − I, He_3 = x⊗x⊗x − (x⊗I + two permutations),
//   He_4 = x^⊗4 − (x⊗x⊗I + five permutations) + (I⊗I + two permutations).
// For x ~ N(0, I_k), E[g(uᵀx)·He_p(x)] = E[g(z)·He_p(z)]·u^⊗p for every unit vector u.
// Σ_rows w·He_p(x) therefore needs only the weighted raw sums Σ_rows w·x^⊗j for
// j = p, p − 2, p − 4, which are symmetric and are stored for sorted index tuples only.

/** Largest order of Hermite tensor supported. */
export const maxTensorOrder = 4;

interface TupleLevel {
  /** Number of sorted tuples i1 ≤ … ≤ ij. */
  count: number;
  /** parent[t]: index of the tuple without its last entry at level j − 1. */
  parent: Int32Array;
  /** last[t]: last entry of tuple t. */
  last: Int32Array;
  /** id[base-k code of a sorted tuple] = its index t; −1 for unsorted codes. */
  id: Int32Array;
}

function buildLevels(k: number, order: number): TupleLevel[] {
  const levels: TupleLevel[] = [
    { count: 1, parent: new Int32Array(1), last: new Int32Array(1), id: Int32Array.of(0) },
  ];
  // Each level j lists tuples as (parent tuple at level j − 1, last entry ≥ its last entry).
  let lastEntries = [0];
  let codes = [0];
  for (let j = 1; j <= order; j++) {
    const parent: number[] = [];
    const last: number[] = [];
    const nextLast: number[] = [];
    const nextCodes: number[] = [];
    const id = new Int32Array(k ** j).fill(-1);
    for (let t = 0; t < lastEntries.length; t++) {
      const start = j === 1 ? 0 : (lastEntries[t] as number);
      for (let i = start; i < k; i++) {
        const code = (codes[t] as number) * k + i;
        id[code] = parent.length;
        parent.push(t);
        last.push(i);
        nextLast.push(i);
        nextCodes.push(code);
      }
    }
    levels.push({ count: parent.length, parent: Int32Array.from(parent), last: Int32Array.from(last), id });
    lastEntries = nextLast;
    codes = nextCodes;
  }
  return levels;
}

interface Matching {
  pairs: Array<[number, number]>;
  unmatched: number[];
}

// All partial matchings of the positions 0..p−1.
function matchings(p: number): Matching[] {
  const out: Matching[] = [];
  const visit = (remaining: number[], pairs: Array<[number, number]>, unmatched: number[]): void => {
    if (remaining.length === 0) {
      out.push({ pairs: [...pairs], unmatched: [...unmatched] });
      return;
    }
    const [head, ...rest] = remaining as [number, ...number[]];
    visit(rest, pairs, [...unmatched, head]);
    rest.forEach((partner, index) => {
      const others = rest.filter((_, position) => position !== index);
      visit(others, [...pairs, [head, partner]], unmatched);
    });
  };
  visit(
    Array.from({ length: p }, (_, i) => i),
    [],
    [],
  );
  return out;
}

/**
 * Computes Σ_rows He_p(f_row) ⊗ w_row, where f_row is row `row` of `features` (n×k).
 * With `weights` a Float64Array of length n, w_row is the scalar weights[row] and the output
 * has length k^p. With an n×K matrix, w_row is its row `row` and the output has length
 * k^p·K, the weight index last. The output is row-major over the indices (i1, …, ip[, o]).
 * Cost: O(n·C(k + p − 1, p)·K + k^p·K·(number of matchings)).
 */
export function weightedHermiteSum(features: DenseMatrix, weights: Float64Array | DenseMatrix, p: number): Float64Array {
  const n = features.rows;
  const k = features.columns;
  if (!Number.isInteger(p) || p < 0 || p > maxTensorOrder) {
    throw new RangeError(`invalid Hermite order: expected an integer from 0 to ${maxTensorOrder}, received ${p}`);
  }
  const vectorWeights = !(weights instanceof Float64Array);
  const width = vectorWeights ? weights.columns : 1;
  const weightRows = vectorWeights ? weights.rows : weights.length;
  if (weightRows !== n) {
    throw new RangeError(`invalid weights: expected ${n} rows to match the features, received ${weightRows}`);
  }
  const weightData = vectorWeights ? weights.data : weights;

  const levels = buildLevels(k, p);
  const needed = [p, p - 2, p - 4].filter((j) => j >= 0);
  const raw = levels.map((level, j) => (needed.includes(j) ? new Float64Array(level.count * width) : new Float64Array(0)));
  const monomials = levels.map((level) => new Float64Array(level.count));
  (monomials[0] as Float64Array)[0] = 1;

  // Weighted raw sums over the sorted tuples.
  for (let row = 0; row < n; row++) {
    const x = features.data.subarray(row * k, (row + 1) * k);
    for (let j = 1; j <= p; j++) {
      const level = levels[j] as TupleLevel;
      const previous = monomials[j - 1] as Float64Array;
      const current = monomials[j] as Float64Array;
      for (let t = 0; t < level.count; t++) {
        current[t] = (previous[level.parent[t] as number] as number) * (x[level.last[t] as number] as number);
      }
    }
    const w = weightData.subarray(row * width, (row + 1) * width);
    for (const j of needed) {
      const sums = raw[j] as Float64Array;
      const current = monomials[j] as Float64Array;
      for (let t = 0; t < current.length; t++) {
        const value = current[t] as number;
        for (let o = 0; o < width; o++) sums[t * width + o]! += value * (w[o] as number);
      }
    }
  }

  // Expand: every full index tuple sums the raw sums over the matchings its indices allow.
  const out = new Float64Array(k ** p * width);
  const terms = matchings(p);
  const index = new Int32Array(p);
  const rest: number[] = [];
  for (let code = 0; code < k ** p; code++) {
    let remainder = code;
    for (let position = p - 1; position >= 0; position--) {
      index[position] = remainder % k;
      remainder = Math.floor(remainder / k);
    }
    for (const { pairs, unmatched } of terms) {
      if (!pairs.every(([a, b]) => index[a] === index[b])) continue;
      rest.length = 0;
      for (const position of unmatched) rest.push(index[position] as number);
      rest.sort((a, b) => a - b);
      let restCode = 0;
      for (const value of rest) restCode = restCode * k + value;
      const level = rest.length;
      const t = (levels[level] as TupleLevel).id[restCode] as number;
      const sign = pairs.length % 2 === 0 ? 1 : -1;
      const sums = raw[level] as Float64Array;
      for (let o = 0; o < width; o++) out[code * width + o]! += sign * (sums[t * width + o] as number);
    }
  }
  return out;
}
