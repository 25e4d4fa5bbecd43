import type { Activation } from '@nimc/activations';
import type { DenseMatrix, KernelBackend } from '@nimc/linalg';
import { assembleObjective } from './evaluation/assemble.js';
import { accumulatePairs, backPropagate, bindEvaluation, computeEmbeddings } from './evaluation/phases.js';
import { prepareEvaluation, type EvaluationOptions, type Share } from './evaluation/plan.js';
import type { NimcModel, NimcProblem } from './model.js';

/** Options of the training loss. */
export type ObjectiveOptions = EvaluationOptions;

/**
 * The loss f(U, V) = 1/(2m) Σ_{(i,j)∈Ω} (φ(Uᵀx_i)ᵀφ(Vᵀy_j) − A_ij)² + (λ/2)(‖U‖² + ‖V‖²)
 * as a function of the flat parameter vector θ = [vec(U); vec(V)], with U and V row-major.
 */
export interface NimcObjective {
  readonly d1: number;
  readonly d2: number;
  readonly k: number;
  /** Length of θ: (d1 + d2)·k. */
  readonly dimension: number;
  /** Number of observations m. */
  readonly size: number;
  readonly activation: Activation;
  /** The kernels that evaluate the loss. */
  readonly backend: KernelBackend;
  /** Writes ∇f(θ) into `gradient` and returns f(θ). */
  evaluate(theta: Float64Array, gradient: Float64Array): number;
  /** Returns f(θ) without the gradient. */
  loss(theta: Float64Array): number;
  /**
   * Writes the gradient of the mean loss over the observations listed in `batch` into
   * `gradient` and returns that loss (penalty included).
   */
  evaluateBatch(theta: Float64Array, batch: Int32Array, gradient: Float64Array): number;
  /** Packs U and V into a new θ. */
  pack(U: DenseMatrix, V: DenseMatrix): Float64Array;
  /** Returns the model whose U and V are views into θ (no copy). */
  unpack(theta: Float64Array): NimcModel;
}

/**
 * Creates the training loss of `problem` for a rank-k model with the given activation.
 *
 * Users with identical features share one embedding, and so do items, so the loss is
 * evaluated on the distinct feature rows and the merged pairs (see `compressObservations`).
 * Every evaluation costs O((n1·d1 + n2·d2)·k + m·k), with n1, n2 and m counted after
 * merging: the embeddings are computed once, then one pass over the pairs, grouped by row,
 * forms the residuals and both sparse products R·Q and Rᵀ·P.
 *
 * The dense products and the pass run in WebAssembly SIMD kernels where the runtime has
 * them (`options.backend`), on buffers allocated once here, so an evaluation allocates
 * nothing in proportion to the problem. `createParallelObjective` in
 * `@nimc/objective/parallel` splits the same work over worker threads.
 */
export function createObjective(
  problem: NimcProblem,
  activation: Activation,
  k: number,
  options: ObjectiveOptions = {},
): NimcObjective {
  const prepared = prepareEvaluation(problem, activation, k, 1, options);
  const context = bindEvaluation(prepared.plan, prepared.workspace, activation);
  const share = prepared.plan.shares[0] as Share;
  return assembleObjective(problem, activation, prepared, context, 1, (withGradient) => {
    computeEmbeddings(context, share);
    accumulatePairs(context, share, 0, withGradient);
    if (withGradient) backPropagate(context, share, 0, false);
  });
}
