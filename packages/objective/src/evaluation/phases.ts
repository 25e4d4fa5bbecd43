import { getActivation, isActivationName, type Activation } from '@nimc/activations';
import type { BufferKernels, Workspace } from '@nimc/linalg';
import { rowsPerCall, type EvaluationPlan, type Share } from './plan.js';

/** A plan bound to a workspace in one thread, with the views its phases use. */
export interface EvaluationContext {
  readonly plan: EvaluationPlan;
  readonly kernels: BufferKernels;
  readonly activation: Activation;
  readonly theta: Float64Array;
  /** φ′(X·U) after `computeEmbeddings`. */
  readonly D1: Float64Array;
  /** φ′(Y·V) after `computeEmbeddings`. */
  readonly D2: Float64Array;
  readonly P: Float64Array;
  readonly Q: Float64Array;
  readonly G1: Float64Array;
  readonly G2: Float64Array;
  readonly G2Partials: readonly Float64Array[];
  readonly gradientPartials: readonly Float64Array[];
  readonly losses: Float64Array;
}

/** Creates the views of `plan` on `workspace`. */
export function bindEvaluation(plan: EvaluationPlan, workspace: Workspace, activation: Activation): EvaluationContext {
  const { n1, n2, k, d1, d2, offsets } = plan;
  const dimension = (d1 + d2) * k;
  return {
    plan,
    kernels: workspace.kernels,
    activation,
    theta: workspace.float64(offsets.theta, dimension),
    D1: workspace.float64(offsets.D1, n1 * k),
    D2: workspace.float64(offsets.D2, n2 * k),
    P: workspace.float64(offsets.P, n1 * k),
    Q: workspace.float64(offsets.Q, n2 * k),
    G1: workspace.float64(offsets.G1, n1 * k),
    G2: workspace.float64(offsets.G2, n2 * k),
    G2Partials: offsets.G2Partials.map((offset) => workspace.float64(offset, n2 * k)),
    gradientPartials: offsets.gradientPartials.map((offset) => workspace.float64(offset, dimension)),
    losses: workspace.float64(offsets.losses, offsets.gradientPartials.length),
  };
}

// E = φ(Z) and D = φ′(Z) in place of Z, for t in [begin, end). For the activations of
// @nimc/activations, φ′ comes from φ(z) by the formula their `derivative` uses (s(1 − s)
// for the sigmoid, 1 − t² for tanh), which gives the same bits without a second exp.
function activate(activation: Activation, D: Float64Array, E: Float64Array, begin: number, end: number): void {
  const registered = isActivationName(activation.name) && getActivation(activation.name) === activation;
  switch (registered ? activation.name : undefined) {
    case 'relu':
      for (let t = begin; t < end; t++) {
        const z = D[t] as number;
        E[t] = z > 0 ? z : 0;
        D[t] = z > 0 ? 1 : 0;
      }
      break;
    case 'sigmoid':
      for (let t = begin; t < end; t++) {
        const s = activation.value(D[t] as number);
        E[t] = s;
        D[t] = s * (1 - s);
      }
      break;
    case 'tanh':
      for (let t = begin; t < end; t++) {
        const value = Math.tanh(D[t] as number);
        E[t] = value;
        D[t] = 1 - value * value;
      }
      break;
    case 'identity':
      for (let t = begin; t < end; t++) {
        E[t] = D[t] as number;
        D[t] = 1;
      }
      break;
    default:
      for (let t = begin; t < end; t++) {
        const z = D[t] as number;
        E[t] = activation.value(z);
        D[t] = activation.derivative(z);
      }
  }
}

// Z = F·W into D, then E = φ(Z) and D = φ′(Z), for the rows [begin, end) of the features F (n×d).
function embedRows(
  context: EvaluationContext,
  features: number,
  weights: number,
  D: number,
  d: number,
  begin: number,
  end: number,
  derivatives: Float64Array,
  embeddings: Float64Array,
): void {
  const { kernels } = context;
  const k = context.plan.k;
  for (let row = begin; row < end; row += rowsPerCall) {
    const rows = Math.min(rowsPerCall, end - row);
    kernels.gemm(features + row * d * 8, weights, D + row * k * 8, rows, d, k);
  }
  activate(context.activation, derivatives, embeddings, begin * k, end * k);
}

/**
 * Computes P = φ(XU) and D1 = φ′(XU) for the rows `share.rows1`, and Q, D2 for
 * `share.rows2`, at the θ in the workspace.
 */
export function computeEmbeddings(context: EvaluationContext, share: Share): void {
  const { d1, d2, k, offsets } = context.plan;
  const thetaV = offsets.theta + d1 * k * 8;
  embedRows(context, offsets.X, offsets.theta, offsets.D1, d1, share.rows1[0], share.rows1[1], context.D1, context.P);
  embedRows(context, offsets.Y, thetaV, offsets.D2, d2, share.rows2[0], share.rows2[1], context.D2, context.Q);
}

/**
 * Visits the pairs of the rows `share.pairRows` and stores Σ count·r² in losses[index].
 * With the gradient, it also fills G1 on those rows with (R·Q)/m, and the thread's G2
 * accumulator (G2 itself for thread 0) with its part of (Rᵀ·P)/m, zeroing both first.
 */
export function accumulatePairs(context: EvaluationContext, share: Share, index: number, withGradient: boolean): void {
  const { plan, kernels } = context;
  const { k, offsets } = plan;
  const [begin, end] = share.pairRows;
  const G2 = index === 0 ? offsets.G2 : (offsets.G2Partials[index - 1] as number);
  if (withGradient) {
    context.G1.fill(0, begin * k, end * k);
    (index === 0 ? context.G2 : (context.G2Partials[index - 1] as Float64Array)).fill(0);
  }
  let sum = 0;
  const calls = share.calls;
  for (let c = 0; c < calls.length; c += 3) {
    sum += kernels.observationPass(
      calls[c] as number,
      calls[c + 1] as number,
      calls[c + 2] as number,
      offsets.columns,
      offsets.values,
      plan.valueBytes,
      offsets.counts,
      offsets.P,
      offsets.Q,
      offsets.G1,
      G2,
      k,
      plan.m,
      withGradient,
    );
  }
  context.losses[index] = sum;
}

// gradient part = Fᵀ·(G ⊙ D) over the rows [begin, end), added into the d×k block at `out`.
function backProjectRows(
  context: EvaluationContext,
  features: number,
  G: number,
  out: number,
  d: number,
  begin: number,
  end: number,
  derivatives: Float64Array,
  gradients: Float64Array,
): void {
  const { kernels } = context;
  const k = context.plan.k;
  for (let t = begin * k; t < end * k; t++) gradients[t]! *= derivatives[t] as number;
  for (let row = begin; row < end; row += rowsPerCall) {
    const rows = Math.min(rowsPerCall, end - row);
    kernels.gemmTransposeAAdd(features + row * d * 8, G + row * k * 8, out, rows, d, k);
  }
}

/**
 * Writes thread `index`'s part of the data gradient into gradientPartials[index]: it adds
 * the other threads' G2 accumulators into G2 on the rows `share.rows2` (when
 * `reducePartials`), then computes Xᵀ[G1 ⊙ D1] over `share.rows1` and Yᵀ[G2 ⊙ D2] over
 * `share.rows2`, with D1 = φ′(XU) and D2 = φ′(YV).
 */
export function backPropagate(context: EvaluationContext, share: Share, index: number, reducePartials: boolean): void {
  const { plan, kernels } = context;
  const { k, d1, d2, offsets } = plan;
  const [begin2, end2] = share.rows2;
  if (reducePartials) {
    for (const partial of offsets.G2Partials) {
      kernels.add(offsets.G2 + begin2 * k * 8, partial + begin2 * k * 8, (end2 - begin2) * k);
    }
  }
  const out = offsets.gradientPartials[index] as number;
  (context.gradientPartials[index] as Float64Array).fill(0);
  backProjectRows(context, offsets.X, offsets.G1, out, d1, share.rows1[0], share.rows1[1], context.D1, context.G1);
  backProjectRows(context, offsets.Y, offsets.G2, out + d1 * k * 8, d2, begin2, end2, context.D2, context.G2);
}

/** Returns (λ/2)‖θ‖² for the θ in the workspace. */
export function penaltyOf(context: EvaluationContext): number {
  const l2 = context.plan.l2;
  if (l2 === 0) return 0;
  const theta = context.theta;
  let sum = 0;
  for (let t = 0; t < theta.length; t++) sum += (theta[t] as number) * (theta[t] as number);
  return 0.5 * l2 * sum;
}

/** Returns the loss from the threads' sums: (spread + Σ sums)/(2m) + penalty. */
export function gatherLoss(context: EvaluationContext, threads: number): number {
  const { m, spread } = context.plan;
  let sum = spread;
  for (let s = 0; s < threads; s++) sum += context.losses[s] as number;
  return (m === 0 ? 0 : sum / (2 * m)) + penaltyOf(context);
}

/** Writes Σ over threads of the gradient parts, plus λθ, into `gradient`. */
export function gatherGradient(context: EvaluationContext, threads: number, gradient: Float64Array): void {
  const { theta, gradientPartials } = context;
  const l2 = context.plan.l2;
  gradient.set(gradientPartials[0] as Float64Array);
  for (let s = 1; s < threads; s++) {
    const partial = gradientPartials[s] as Float64Array;
    for (let t = 0; t < gradient.length; t++) gradient[t]! += partial[t] as number;
  }
  if (l2 !== 0) {
    for (let t = 0; t < gradient.length; t++) gradient[t]! += l2 * (theta[t] as number);
  }
}
