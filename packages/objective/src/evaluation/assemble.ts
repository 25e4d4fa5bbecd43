import type { Activation } from '@nimc/activations';
import { blockedDot, createMatrix, type DenseMatrix } from '@nimc/linalg';
import type { NimcModel, NimcProblem } from '../model.js';
import type { NimcObjective } from '../objective.js';
import {
  backPropagate,
  computeEmbeddings,
  gatherGradient,
  gatherLoss,
  penaltyOf,
  type EvaluationContext,
} from './phases.js';
import type { PreparedEvaluation, Share } from './plan.js';

function checkLength(name: string, array: Float64Array, expected: number): void {
  if (array.length !== expected) {
    throw new RangeError(`invalid ${name}: expected length (d1 + d2)·k = ${expected}, received ${array.length}`);
  }
}

/**
 * Builds the `NimcObjective` methods around `runPasses`, which fills the threads' loss sums
 * and, with the gradient, their gradient parts, for the θ stored in the workspace.
 * Mini-batches run on the calling thread and read the original observations in place.
 */
export function assembleObjective(
  problem: NimcProblem,
  activation: Activation,
  prepared: PreparedEvaluation,
  context: EvaluationContext,
  threads: number,
  runPasses: (withGradient: boolean) => void,
): NimcObjective {
  const { plan, merged, workspace } = prepared;
  const { observations } = problem;
  const { d1, d2, k, m } = plan;
  const sizeU = d1 * k;
  const dimension = (d1 + d2) * k;
  const { P, Q, G1, G2 } = context;
  const wholeShare: Share = { rows1: [0, plan.n1], rows2: [0, plan.n2], pairRows: [0, plan.n1], calls: [] };

  const unpack = (theta: Float64Array): NimcModel => {
    checkLength('θ', theta, dimension);
    return {
      U: createMatrix(d1, k, theta.subarray(0, sizeU)),
      V: createMatrix(d2, k, theta.subarray(sizeU)),
      activation,
    };
  };

  const store = (theta: Float64Array): void => {
    checkLength('θ', theta, dimension);
    context.theta.set(theta);
  };

  // One pass over the original observations listed in `batch`. Returns half their mean
  // squared residual, with G1 and G2 holding R·Q and Rᵀ·P over the batch, divided by the
  // batch size.
  const accumulateBatch = (batch: Int32Array): number => {
    G1.fill(0);
    G2.fill(0);
    const count = batch.length;
    let sum = 0;
    for (let s = 0; s < count; s++) {
      const t = batch[s] as number;
      if (!(t >= 0 && t < m)) {
        throw new RangeError(`invalid batch entry ${s}: observation ${t} does not exist among ${m}`);
      }
      const rowP = (merged.X.groupOf[observations.rows[t] as number] as number) * k;
      const rowQ = (merged.Y.groupOf[observations.columns[t] as number] as number) * k;
      const residual = blockedDot(P, rowP, Q, rowQ, k) - (observations.values[t] as number);
      sum += residual * residual;
      const weight = residual / count;
      for (let c = 0; c < k; c++) {
        G1[rowP + c]! += weight * (Q[rowQ + c] as number);
        G2[rowQ + c]! += weight * (P[rowP + c] as number);
      }
    }
    return count === 0 ? 0 : sum / (2 * count);
  };

  const evaluate = (theta: Float64Array, gradient: Float64Array): number => {
    checkLength('gradient', gradient, dimension);
    store(theta);
    runPasses(true);
    gatherGradient(context, threads, gradient);
    return gatherLoss(context, threads);
  };

  const loss = (theta: Float64Array): number => {
    store(theta);
    runPasses(false);
    return gatherLoss(context, threads);
  };

  const evaluateBatch = (theta: Float64Array, batch: Int32Array, gradient: Float64Array): number => {
    checkLength('gradient', gradient, dimension);
    store(theta);
    computeEmbeddings(context, wholeShare);
    const value = accumulateBatch(batch);
    backPropagate(context, wholeShare, 0, false);
    gatherGradient(context, 1, gradient);
    return value + penaltyOf(context);
  };

  const pack = (U: DenseMatrix, V: DenseMatrix): Float64Array => {
    if (U.rows !== d1 || U.columns !== k || V.rows !== d2 || V.columns !== k) {
      throw new RangeError(
        `invalid parameters: expected U ${d1}x${k} and V ${d2}x${k}, received U ${U.rows}x${U.columns} and V ${V.rows}x${V.columns}`,
      );
    }
    const theta = new Float64Array(dimension);
    theta.set(U.data, 0);
    theta.set(V.data, sizeU);
    return theta;
  };

  return {
    d1,
    d2,
    k,
    dimension,
    size: m,
    activation,
    backend: workspace.kernels.backend,
    evaluate,
    loss,
    evaluateBatch,
    pack,
    unpack,
  };
}
