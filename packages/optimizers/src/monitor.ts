import type { ResolvedStopping } from './options.js';
import type { IterationInfo, OptimizationResult, StopReason } from './types.js';

/**
 * Keeps the loss and validation histories of a run and applies the stopping rules that every
 * optimizer shares: abort signal, callback, early stopping, gradient and relative tolerance,
 * and the iteration limit.
 */
export class IterationMonitor {
  private readonly history: number[] = [];
  private readonly validationHistory: { iteration: number; loss: number }[] = [];
  private readonly bestParameters: Float64Array | undefined;
  private bestValidationLoss = Number.POSITIVE_INFINITY;
  private bestIteration: number | undefined;
  private validationsWithoutImprovement = 0;

  constructor(
    private readonly stopping: ResolvedStopping,
    dimension: number,
  ) {
    this.bestParameters = stopping.validation === undefined ? undefined : new Float64Array(dimension);
  }

  /**
   * Records the loss at x0 as iteration 0, validates there, and returns a reason to stop before
   * the first iteration, if any. `evaluationIsFinite` states whether the loss and every gradient
   * entry at x0 are finite. When they are not, the run stops with 'diverged' before validating.
   */
  start(
    x: Float64Array,
    loss: number,
    gradientNorm: number,
    evaluationIsFinite: boolean,
  ): StopReason | undefined {
    this.history.push(loss);
    if (!evaluationIsFinite) return 'diverged';
    this.validate(0, x);
    if (this.isAborted()) return 'callback';
    if (this.isEarlyStoppingDue()) return 'early-stopping';
    if (gradientNorm <= this.stopping.gradientTolerance) return 'gradient-tolerance';
    return undefined;
  }

  /** Returns whether the abort signal has fired. */
  isAborted(): boolean {
    return this.stopping.signal?.aborted === true;
  }

  /** Records a completed iteration at parameters x and returns a reason to stop, if any. */
  record(
    iteration: number,
    x: Float64Array,
    loss: number,
    step: number,
    gradientNorm: number,
    evaluations: number,
  ): StopReason | undefined {
    const previousLoss = this.history[this.history.length - 1] as number;
    this.history.push(loss);
    const validationLoss = this.validate(iteration, x);

    const { onIteration, gradientTolerance, relativeTolerance, maxIterations } = this.stopping;
    if (onIteration !== undefined) {
      const info: IterationInfo = { iteration, loss, step, gradientNorm, evaluations };
      if (validationLoss !== undefined) info.validationLoss = validationLoss;
      if (onIteration(info) === false) return 'callback';
    }

    if (this.isEarlyStoppingDue()) return 'early-stopping';
    if (gradientNorm <= gradientTolerance) return 'gradient-tolerance';
    if (relativeTolerance > 0) {
      const scale = Math.max(Math.abs(previousLoss), Number.MIN_VALUE);
      if (Math.abs(previousLoss - loss) <= relativeTolerance * scale) return 'relative-tolerance';
    }
    if (iteration >= maxIterations) return 'max-iterations';
    return undefined;
  }

  /**
   * Builds the result. After early stopping, x and loss are replaced by the parameters and
   * training loss of the best validation, when one improved on +∞.
   */
  finish(
    x: Float64Array,
    loss: number,
    iterations: number,
    evaluations: number,
    stopReason: StopReason,
  ): OptimizationResult {
    const result: OptimizationResult = {
      x,
      loss,
      iterations,
      evaluations,
      stopReason,
      history: this.history,
      validationHistory: this.validationHistory,
    };
    if (stopReason === 'early-stopping' && this.bestIteration !== undefined) {
      result.x = this.bestParameters as Float64Array;
      result.loss = this.history[this.bestIteration] as number;
      result.bestIteration = this.bestIteration;
    }
    return result;
  }

  // Runs the validation function when `iteration` is a multiple of the interval, and keeps a
  // copy of x whenever the validation loss improves on the best by more than minDelta.
  private validate(iteration: number, x: Float64Array): number | undefined {
    const validation = this.stopping.validation;
    if (validation === undefined || iteration % validation.interval !== 0) return undefined;

    const loss = validation.evaluate(x);
    this.validationHistory.push({ iteration, loss });

    if (loss < this.bestValidationLoss - validation.minDelta) {
      this.bestValidationLoss = loss;
      this.bestIteration = iteration;
      (this.bestParameters as Float64Array).set(x);
      this.validationsWithoutImprovement = 0;
    } else {
      this.validationsWithoutImprovement++;
    }
    return loss;
  }

  private isEarlyStoppingDue(): boolean {
    const validation = this.stopping.validation;
    return validation !== undefined && this.validationsWithoutImprovement >= validation.patience;
  }
}
