/** A Gauss quadrature rule: ∫ f dμ ≈ Σ_i weights[i]·f(nodes[i]), nodes in increasing order. */
export interface QuadratureRule {
  readonly nodes: Float64Array;
  readonly weights: Float64Array;
}

// Sweeps of the implicit QL iteration allowed per eigenvalue before giving up.
const maxSweeps = 60;

/**
 * Computes the eigenvalues of the symmetric tridiagonal matrix with the given diagonal
 * (length n) and off-diagonal (length n − 1), and the first component of each unit
 * eigenvector. Uses the implicit QL iteration with a Wilkinson shift and accumulates only
 * the first row of the eigenvector matrix, so the cost is O(n²). The eigenvalues are not
 * sorted.
 */
export function tridiagonalEigen(
  diagonal: Float64Array,
  offDiagonal: Float64Array,
): { values: Float64Array; firstComponents: Float64Array } {
  const n = diagonal.length;
  if (offDiagonal.length !== Math.max(n - 1, 0)) {
    throw new RangeError(`invalid off-diagonal: expected length ${Math.max(n - 1, 0)}, received ${offDiagonal.length}`);
  }
  const d = Float64Array.from(diagonal);
  // e[i] couples rows i and i + 1; e[n − 1] stays 0 and ends every search for a split.
  const e = new Float64Array(n);
  e.set(offDiagonal);
  const first = new Float64Array(n);
  if (n > 0) first[0] = 1;

  for (let l = 0; l < n; l++) {
    for (let sweep = 0; ; sweep++) {
      // The block l..m is unreduced: e[m] is negligible against its neighbours on the diagonal.
      let m = l;
      while (m < n - 1) {
        const scale = Math.abs(d[m] as number) + Math.abs(d[m + 1] as number);
        if (Math.abs(e[m] as number) <= Number.EPSILON * scale) break;
        m++;
      }
      if (m === l) break;
      if (sweep === maxSweeps) {
        throw new Error(`tridiagonal eigensolver failed: eigenvalue ${l} did not converge in ${maxSweeps} sweeps`);
      }

      // Shift: the eigenvalue of the leading 2×2 block closer to d[l].
      const half = ((d[l + 1] as number) - (d[l] as number)) / (2 * (e[l] as number));
      const radius = Math.hypot(half, 1);
      let g = (d[m] as number) - (d[l] as number) + (e[l] as number) / (half + (half >= 0 ? radius : -radius));

      // Chase the bulge from the bottom of the block to its top with Givens rotations.
      let sine = 1;
      let cosine = 1;
      let shiftDone = 0;
      let split = false;
      for (let i = m - 1; i >= l; i--) {
        const f = sine * (e[i] as number);
        const b = cosine * (e[i] as number);
        const r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          // The rotation underflowed: the matrix splits at i + 1, so restart on the smaller block.
          d[i + 1] = (d[i + 1] as number) - shiftDone;
          e[m] = 0;
          split = true;
          break;
        }
        sine = f / r;
        cosine = g / r;
        const lower = (d[i + 1] as number) - shiftDone;
        const t = ((d[i] as number) - lower) * sine + 2 * cosine * b;
        shiftDone = sine * t;
        d[i + 1] = lower + shiftDone;
        g = cosine * t - b;

        const right = first[i + 1] as number;
        first[i + 1] = sine * (first[i] as number) + cosine * right;
        first[i] = cosine * (first[i] as number) - sine * right;
      }
      if (split) continue;
      d[l] = (d[l] as number) - shiftDone;
      e[l] = g;
      e[m] = 0;
    }
  }
  return { values: d, firstComponents: first };
}

/**
 * Builds the n-point Gauss rule of a measure from its Jacobi matrix (Golub–Welsch): the
 * nodes are the eigenvalues, and each weight is `totalMass` times the squared first
 * component of the unit eigenvector.
 * @param diagonal recurrence coefficients a_0..a_{n−1}
 * @param offDiagonal recurrence coefficients √b_1..√b_{n−1}
 * @param totalMass ∫ dμ
 */
export function gaussRuleFromJacobi(diagonal: Float64Array, offDiagonal: Float64Array, totalMass: number): QuadratureRule {
  const { values, firstComponents } = tridiagonalEigen(diagonal, offDiagonal);
  const order = Array.from(values.keys()).sort((a, b) => (values[a] as number) - (values[b] as number));
  const nodes = new Float64Array(order.length);
  const weights = new Float64Array(order.length);
  order.forEach((index, position) => {
    const component = firstComponents[index] as number;
    nodes[position] = values[index] as number;
    weights[position] = totalMass * component * component;
  });
  return { nodes, weights };
}

function checkNodeCount(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > 1000) {
    throw new RangeError(`invalid node count: expected an integer from 1 to 1000, received ${n}`);
  }
}

const hermiteRules = new Map<number, QuadratureRule>();
const laguerreRules = new Map<number, QuadratureRule>();

/**
 * Returns the n-point Gauss–Hermite rule for the standard normal distribution:
 * E[f(z)] ≈ Σ_i w_i f(x_i) with z ~ N(0, 1), exact for polynomials of degree < 2n.
 * The Jacobi matrix of the probabilists' Hermite polynomials has zero diagonal and
 * off-diagonal √1, …, √(n−1). Rules are cached.
 */
export function gaussHermiteRule(n: number): QuadratureRule {
  checkNodeCount(n);
  let rule = hermiteRules.get(n);
  if (rule === undefined) {
    const offDiagonal = Float64Array.from({ length: n - 1 }, (_, i) => Math.sqrt(i + 1));
    rule = gaussRuleFromJacobi(new Float64Array(n), offDiagonal, 1);
    hermiteRules.set(n, rule);
  }
  return rule;
}

/**
 * Returns the n-point Gauss–Laguerre rule for ∫_0^∞ f(u) e^(−u) du, exact for polynomials of
 * degree < 2n. The Jacobi matrix has diagonal 1, 3, …, 2n−1 and off-diagonal 1, …, n−1.
 * Rules are cached.
 */
export function gaussLaguerreRule(n: number): QuadratureRule {
  checkNodeCount(n);
  let rule = laguerreRules.get(n);
  if (rule === undefined) {
    const diagonal = Float64Array.from({ length: n }, (_, i) => 2 * i + 1);
    const offDiagonal = Float64Array.from({ length: n - 1 }, (_, i) => i + 1);
    rule = gaussRuleFromJacobi(diagonal, offDiagonal, 1);
    laguerreRules.set(n, rule);
  }
  return rule;
}
