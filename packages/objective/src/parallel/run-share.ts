import { accumulatePairs, backPropagate, computeEmbeddings, type EvaluationContext } from '../evaluation/phases.js';
import type { Share } from '../evaluation/plan.js';
import { arriveAndWait } from './barrier.js';

/**
 * Runs thread `index`'s part of one evaluation: embeddings, then the observation pass,
 * then (with the gradient) the back-projection, with a barrier after each phase, because
 * each phase reads what the others wrote in the one before.
 */
export function runShare(context: EvaluationContext, control: Int32Array, index: number, withGradient: boolean): void {
  const parties = context.plan.shares.length;
  const share = context.plan.shares[index] as Share;
  computeEmbeddings(context, share);
  arriveAndWait(control, parties);
  accumulatePairs(context, share, index, withGradient);
  arriveAndWait(control, parties);
  if (withGradient) {
    backPropagate(context, share, index, true);
    arriveAndWait(control, parties);
  }
}
