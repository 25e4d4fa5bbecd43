import type { Activation } from '@nimc/activations';
import type { DenseMatrix } from '@nimc/linalg';
import { checkParameterLength, checkProblem } from './embedding-cache.js';
import { checkEvaluationOptions } from './evaluation/plan.js';
import { createGaussNewtonObjective, type GaussNewtonObjective } from './gauss-newton-objective.js';
import type { NimcProblem } from './model.js';
import type { ObjectiveOptions } from './objective.js';
import { createObservationProducts, type ObservationProducts } from './observation-products.js';

/**
 * First- and second-order information of the NIMC loss
 * f(θ) = 1/(2m) Σ_t r_t² + (λ/2)‖θ‖², with r_t = φ(Uᵀx_i)ᵀφ(Vᵀy_j) − A_ij and
 * θ = [vec(U); vec(V)] (row-major, U d1×k first). J is the m×(d1 + d2)k Jacobian of the
 * predictions, so ∇f = Jᵀr/m + λθ and the Gauss–Newton matrix is JᵀJ/m + λI.
 *
 * `evaluate`, `loss` and `gaussNewtonTimes` are those of `createGaussNewtonObjective`
 * with the same options: they run on the merged pairs with the tiled kernels of
 * `createObjective` and return its numbers. The first call of one of these three methods
 * creates that objective, which merges and sorts the pairs and allocates its workspace.
 * To keep that work out of a timed region, call `createGaussNewtonObjective` directly.
 *
 * `jacobianTimes`, `jacobianTransposeTimes`, `hessianTimes` and `hessian` visit the
 * original observations in their input order with plain TypeScript loops, on a cache of
 * their own for the two most recent θ, allocated at the first call. They read the float64
 * observed values under either `valueType`.
 *
 * The methods are not reentrant: they share work buffers.
 */
export interface Curvature {
  readonly d1: number;
  readonly d2: number;
  readonly k: number;
  /** Length of θ: (d1 + d2)·k. */
  readonly dimension: number;
  /** Number of observations m. */
  readonly size: number;
  readonly activation: Activation;
  /** Weight λ of the penalty. */
  readonly l2: number;
  /** Writes ∇f(θ) into `gradient` and returns f(θ). */
  evaluate(theta: Float64Array, gradient: Float64Array): number;
  /** Returns f(θ). */
  loss(theta: Float64Array): number;
  /** Computes J·v (length m), the change of every prediction along v. */
  jacobianTimes(theta: Float64Array, v: Float64Array, out?: Float64Array): Float64Array;
  /** Computes Jᵀ·w (length (d1 + d2)·k) for w of length m. */
  jacobianTransposeTimes(theta: Float64Array, w: Float64Array, out?: Float64Array): Float64Array;
  /** Computes (JᵀJ/m + λI)·v, the Gauss–Newton matrix times v. */
  gaussNewtonTimes(theta: Float64Array, v: Float64Array, out?: Float64Array): Float64Array;
  /** Computes ∇²f(θ)·v exactly. */
  hessianTimes(theta: Float64Array, v: Float64Array, out?: Float64Array): Float64Array;
  /** Returns the dense symmetric (d1 + d2)k × (d1 + d2)k Hessian ∇²f(θ). */
  hessian(theta: Float64Array): DenseMatrix;
}

/**
 * Creates the curvature operators of the loss of `problem` for a rank-k model with
 * activation φ and the options of `createObjective` (the same loss).
 *
 * The Hessian-vector product differentiates ∇f along v = [dU; dV]. With dZ1 = X·dU,
 * dZ2 = Y·dV, dP = φ′(XU) ⊙ dZ1, dQ = φ′(YV) ⊙ dZ2 and w = J·v/m:
 *
 *   H_U v = Xᵀ[ (W·Q + R·dQ/m) ⊙ φ′(XU) + (R·Q/m) ⊙ φ″(XU) ⊙ dZ1 ] + λ·dU
 *   H_V v = Yᵀ[ (Wᵀ·P + Rᵀ·dP/m) ⊙ φ′(YV) + (Rᵀ·P/m) ⊙ φ″(YV) ⊙ dZ2 ] + λ·dV
 *
 * where R and W are the sparse n1×n2 matrices holding r_t and w_t at the observed
 * positions. Dropping every term that contains R gives the Gauss–Newton product.
 */
export function createCurvature(
  problem: NimcProblem,
  activation: Activation,
  k: number,
  options: ObjectiveOptions = {},
): Curvature {
  const l2 = options.l2 ?? 0;
  const shape = checkProblem(problem, k, l2);
  checkEvaluationOptions(options);
  const { m, dimension } = shape;

  // Each group of methods allocates its buffers at its first call, so that a caller of
  // only one group does not pay for the other.
  let kernelObjective: GaussNewtonObjective | undefined;
  const kernels = (): GaussNewtonObjective => {
    kernelObjective ??= createGaussNewtonObjective(problem, activation, k, options);
    return kernelObjective;
  };
  let observationProducts: ObservationProducts | undefined;
  const products = (): ObservationProducts => {
    observationProducts ??= createObservationProducts(problem, activation, shape, l2);
    return observationProducts;
  };

  const outputFor = (name: string, out: Float64Array | undefined, length: number): Float64Array => {
    if (out === undefined) return new Float64Array(length);
    if (out.length !== length) {
      throw new RangeError(`invalid ${name}: expected length ${length}, received ${out.length}`);
    }
    return out;
  };

  const jacobianTimes = (theta: Float64Array, v: Float64Array, out?: Float64Array): Float64Array => {
    checkParameterLength('θ', theta, dimension);
    checkParameterLength('v', v, dimension);
    const result = outputFor('output', out, m);
    products().jacobianTimes(theta, v, result);
    return result;
  };

  const jacobianTransposeTimes = (theta: Float64Array, w: Float64Array, out?: Float64Array): Float64Array => {
    checkParameterLength('θ', theta, dimension);
    if (w.length !== m) {
      throw new RangeError(`invalid w: expected one value per observation (${m}), received ${w.length}`);
    }
    const result = outputFor('output', out, dimension);
    products().jacobianTransposeTimes(theta, w, result);
    return result;
  };

  const hessianTimes = (theta: Float64Array, v: Float64Array, out?: Float64Array): Float64Array => {
    checkParameterLength('θ', theta, dimension);
    checkParameterLength('v', v, dimension);
    const result = outputFor('output', out, dimension);
    products().hessianTimes(theta, v, result);
    return result;
  };

  const hessian = (theta: Float64Array): DenseMatrix => {
    checkParameterLength('θ', theta, dimension);
    return products().hessian(theta);
  };

  return {
    d1: shape.d1,
    d2: shape.d2,
    k,
    dimension,
    size: m,
    activation,
    l2,
    evaluate: (theta, gradient) => kernels().evaluate(theta, gradient),
    loss: (theta) => kernels().loss(theta),
    jacobianTimes,
    jacobianTransposeTimes,
    gaussNewtonTimes: (theta, v, out) => kernels().gaussNewtonTimes(theta, v, out),
    hessianTimes,
    hessian,
  };
}

/** Computes ∇²f(θ)·v once. Use `createCurvature` for repeated products. */
export function hessianVectorProduct(
  problem: NimcProblem,
  activation: Activation,
  k: number,
  theta: Float64Array,
  v: Float64Array,
  options: ObjectiveOptions = {},
): Float64Array {
  return createCurvature(problem, activation, k, options).hessianTimes(theta, v);
}

/** Computes (JᵀJ/m + λI)·v once. Use `createCurvature` for repeated products. */
export function gaussNewtonVectorProduct(
  problem: NimcProblem,
  activation: Activation,
  k: number,
  theta: Float64Array,
  v: Float64Array,
  options: ObjectiveOptions = {},
): Float64Array {
  return createCurvature(problem, activation, k, options).gaussNewtonTimes(theta, v);
}
