import type { Activation } from '@nimc/activations';
import { checkParameterLength, checkProblem } from './embedding-cache.js';
import { assembleObjective } from './evaluation/assemble.js';
import { createGaussNewtonProduct, reserveGaussNewton, type GaussNewtonOffsets } from './evaluation/gauss-newton.js';
import { accumulatePairs, backPropagate, bindEvaluation, computeEmbeddings } from './evaluation/phases.js';
import { prepareEvaluation, type Share } from './evaluation/plan.js';
import type { NimcProblem } from './model.js';
import type { NimcObjective, ObjectiveOptions } from './objective.js';

/**
 * The training loss of `createObjective` together with its Gauss–Newton matrix
 * JᵀJ/m + λI, where J is the m×(d1 + d2)k Jacobian of the predictions. It has the shape
 * that `gaussNewton` of @nimc/optimizers expects.
 */
export interface GaussNewtonObjective extends NimcObjective {
  /**
   * Computes (JᵀJ/m + λI)·v. The embeddings of the two most recent θ of the products stay
   * cached (compared by content), and a new θ takes them from the last `evaluate` or `loss`
   * when that was at the same θ.
   */
  gaussNewtonTimes(theta: Float64Array, v: Float64Array, out?: Float64Array): Float64Array;
}

/**
 * Creates the loss of `createObjective` and its Gauss–Newton product on one workspace, so
 * that the products of a conjugate-gradient solve at an evaluated θ share its forward
 * pass. `evaluate`, `loss` and `evaluateBatch` return the numbers of `createObjective`.
 *
 * A product runs on the kernels of the loss: X·dU and Y·dV, one tiled pass over the merged
 * pairs (twice the width of the loss's pass, see `createGaussNewtonProduct`), and the back
 * projections by Xᵀ and Yᵀ. The workspace adds, to that of `createObjective`, the
 * embeddings of two points and the buffers of a product: about 9·(n1 + n2)·k float64 values
 * and one float32 per merged pair.
 */
export function createGaussNewtonObjective(
  problem: NimcProblem,
  activation: Activation,
  k: number,
  options: ObjectiveOptions = {},
): GaussNewtonObjective {
  const shape = checkProblem(problem, k, options.l2 ?? 0);
  const { dimension } = shape;

  let reserved: GaussNewtonOffsets | undefined;
  const prepared = prepareEvaluation(problem, activation, k, 1, options, (layout, sizes) => {
    reserved = reserveGaussNewton(layout, sizes, k, dimension);
  });
  if (reserved === undefined) throw new Error('prepareEvaluation did not reserve the Gauss–Newton buffers');
  const context = bindEvaluation(prepared.plan, prepared.workspace, activation);
  const share = prepared.plan.shares[0] as Share;

  // NaN equals no θ, so the product computes the embeddings itself until an evaluation or
  // a product has stored a θ here.
  context.theta.fill(Number.NaN);
  const objective = assembleObjective(problem, activation, prepared, context, 1, (withGradient) => {
    computeEmbeddings(context, share);
    accumulatePairs(context, share, 0, withGradient);
    if (withGradient) backPropagate(context, share, 0, false);
  });
  const product = createGaussNewtonProduct(prepared, context, reserved);

  const gaussNewtonTimes = (theta: Float64Array, v: Float64Array, out?: Float64Array): Float64Array => {
    checkParameterLength('θ', theta, dimension);
    checkParameterLength('v', v, dimension);
    const result = out ?? new Float64Array(dimension);
    if (result.length !== dimension) {
      throw new RangeError(`invalid output: expected length ${dimension}, received ${result.length}`);
    }
    product.times(theta, v, result);
    return result;
  };

  return { ...objective, gaussNewtonTimes };
}
