import { createMatrix, solve, type DenseMatrix } from '@nimc/linalg';

// Number of monomials of degree ≤ `degree` in k variables, for degree ≤ 2.
function featureCount(k: number, degree: number): number {
  return 1 + (degree >= 1 ? k : 0) + (degree >= 2 ? (k * (k + 1)) / 2 : 0);
}

function fillFeatures(x: Float64Array, degree: number, out: Float64Array): void {
  const k = x.length;
  out[0] = 1;
  let f = 1;
  if (degree >= 1) for (let a = 0; a < k; a++) out[f++] = x[a] as number;
  if (degree >= 2) {
    for (let a = 0; a < k; a++) for (let b = a; b < k; b++) out[f++] = (x[a] as number) * (x[b] as number);
  }
}

/**
 * Removes from per-row weights the part explained by a polynomial of degree ≤ `degree`
 * (at most 2) in the row's features, with cross-fitting, and returns the residual weights.
 *
 * Row i has counts[i] observations and weights w_i (a scalar or a row of an n×K matrix), a
 * sum over those observations. A weighted least-squares fit of w_i/counts[i] on the
 * monomials of x_i, computed on the rows of the other parity only, gives f̂, and the result
 * is w_i − counts[i]·f̂(x_i). The fit f̂ does not depend on x_i, and E[p(x)·He_j(x)] = 0 for
 * every polynomial p of degree < j, so the moment Σ_i w_i·He_j(x_i) keeps its expectation
 * exactly for j > degree. The noise that the low-order part of w leaks into that moment,
 * through the sample fluctuations of He_j, is removed.
 */
export function residualizeWeights(
  features: DenseMatrix,
  counts: Float64Array,
  weights: Float64Array | DenseMatrix,
  degree: number,
): Float64Array | DenseMatrix {
  if (!Number.isInteger(degree) || degree < 0 || degree > 2) {
    throw new RangeError(`invalid degree: expected 0, 1 or 2, received ${degree}`);
  }
  const n = features.rows;
  const k = features.columns;
  const scalar = weights instanceof Float64Array;
  const width = scalar ? 1 : weights.columns;
  const source = scalar ? weights : weights.data;
  if (source.length !== n * width || counts.length !== n) {
    throw new RangeError(`invalid weights: expected ${n} rows and ${n} counts, received ${source.length / width} and ${counts.length}`);
  }
  const size = featureCount(k, degree);
  const result = Float64Array.from(source);
  const row = new Float64Array(size);

  for (const fold of [0, 1]) {
    // Normal equations (Σ c_i f_i f_iᵀ)·β = Σ f_i w_iᵀ over the rows of the other fold.
    const gram = new Float64Array(size * size);
    const rhs = new Float64Array(size * width);
    for (let i = 1 - fold; i < n; i += 2) {
      const count = counts[i] as number;
      if (count === 0) continue;
      fillFeatures(features.data.subarray(i * k, (i + 1) * k), degree, row);
      for (let a = 0; a < size; a++) {
        const fa = row[a] as number;
        const weighted = count * fa;
        for (let b = a; b < size; b++) gram[a * size + b]! += weighted * (row[b] as number);
        for (let o = 0; o < width; o++) rhs[a * width + o]! += fa * (source[i * width + o] as number);
      }
    }
    let trace = 0;
    for (let a = 0; a < size; a++) trace += gram[a * size + a] as number;
    if (trace === 0) continue;
    // A small ridge keeps the solve defined when a fold has fewer rows than features.
    const system = createMatrix(size, size);
    for (let a = 0; a < size; a++) {
      for (let b = a; b < size; b++) {
        const value = (gram[a * size + b] as number) + (a === b ? 1e-10 * (trace / size) : 0);
        system.data[a * size + b] = value;
        system.data[b * size + a] = value;
      }
    }
    const coefficients = solve(system, createMatrix(size, width, rhs)).data;

    for (let i = fold; i < n; i += 2) {
      const count = counts[i] as number;
      if (count === 0) continue;
      fillFeatures(features.data.subarray(i * k, (i + 1) * k), degree, row);
      for (let o = 0; o < width; o++) {
        let fitted = 0;
        for (let a = 0; a < size; a++) fitted += (row[a] as number) * (coefficients[a * width + o] as number);
        result[i * width + o] = (result[i * width + o] as number) - count * fitted;
      }
    }
  }
  return scalar ? result : createMatrix(n, width, result);
}
