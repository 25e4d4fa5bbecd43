/** Outcome of one truncated conjugate-gradient solve, written into a reused object. */
export interface ConjugateGradientOutcome {
  /** Products with the matrix computed by the solve. */
  iterations: number;
  /** ‖b − A·x‖₂ at return. */
  residualNorm: number;
  /** xᵀ(b − A·x), needed to evaluate a quadratic model without an extra product. */
  solutionDotResidual: number;
}

/** Work buffers of `conjugateGradient`, each of the system's dimension. */
export interface ConjugateGradientBuffers {
  residual: Float64Array;
  direction: Float64Array;
  image: Float64Array;
}

/** Allocates the work buffers of `conjugateGradient` for dimension d. */
export function createConjugateGradientBuffers(d: number): ConjugateGradientBuffers {
  return { residual: new Float64Array(d), direction: new Float64Array(d), image: new Float64Array(d) };
}

/**
 * Solves A·x = b approximately for a symmetric positive definite A given by `times`
 * (out ← A·v), starting from x = 0. Stops when ‖b − A·x‖ ≤ tolerance·‖b‖, after
 * `maxIterations` products, or when a search direction has zᵀAz ≤ 0 (A is not positive
 * definite along it), in which case x is the last iterate.
 */
export function conjugateGradient(
  times: (v: Float64Array, out: Float64Array) => void,
  b: Float64Array,
  tolerance: number,
  maxIterations: number,
  x: Float64Array,
  buffers: ConjugateGradientBuffers,
  outcome: ConjugateGradientOutcome,
): void {
  const d = b.length;
  const { residual, direction, image } = buffers;
  x.fill(0);
  residual.set(b);
  direction.set(b);
  let residualSquared = 0;
  for (let i = 0; i < d; i++) residualSquared += (b[i] as number) ** 2;
  const target = tolerance * Math.sqrt(residualSquared);

  let iterations = 0;
  while (iterations < maxIterations && Math.sqrt(residualSquared) > target) {
    times(direction, image);
    iterations++;
    let curvature = 0;
    for (let i = 0; i < d; i++) curvature += (direction[i] as number) * (image[i] as number);
    if (!(curvature > 0)) break;

    const alpha = residualSquared / curvature;
    let nextSquared = 0;
    for (let i = 0; i < d; i++) {
      x[i]! += alpha * (direction[i] as number);
      const r = (residual[i] as number) - alpha * (image[i] as number);
      residual[i] = r;
      nextSquared += r * r;
    }

    const beta = nextSquared / residualSquared;
    residualSquared = nextSquared;
    for (let i = 0; i < d; i++) direction[i] = (residual[i] as number) + beta * (direction[i] as number);
  }

  let solutionDotResidual = 0;
  for (let i = 0; i < d; i++) solutionDotResidual += (x[i] as number) * (residual[i] as number);
  outcome.iterations = iterations;
  outcome.residualNorm = Math.sqrt(residualSquared);
  outcome.solutionDotResidual = solutionDotResidual;
}
