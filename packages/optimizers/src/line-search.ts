import type { DifferentiableFunction } from './types.js';

/**
 * Relative change of f below which two loss values are treated as equal up to rounding. Near a
 * minimum with f* ≠ 0, the decrease c1·t·‖g‖² falls below the resolution of f long before ‖g‖ is
 * small, so the Armijo test on function values stops telling good steps from bad ones.
 */
const INDISTINGUISHABLE_CHANGE = 1e-10;

/** Settings of Armijo backtracking. */
export interface BacktrackingSettings {
  c1: number;
  shrink: number;
  maxBacktracks: number;
}

/** Outcome of one backtracking search, written into a reused object. */
export interface LineSearchOutcome {
  /**
   * 'accepted', or why no step was accepted: 'non-finite' when the loss at the smallest step was
   * non-finite, 'failed' when it was finite.
   */
  status: 'accepted' | 'failed' | 'non-finite';
  /** Last step tried, which is the accepted step when status is 'accepted'. */
  step: number;
  /** Loss at the last trial point. */
  loss: number;
  /** Number of evaluations of f made by the search. */
  evaluations: number;
}

/**
 * Searches along −g from x for a step t = step·shrink^j, j = 0, 1, …, maxBacktracks, that
 * satisfies the Armijo condition f(x − t·g) ≤ f(x) − c1·t·‖g‖². The last trial point and its
 * gradient are left in `trial` and `trialGradient`.
 *
 * When |f(x − t·g) − f(x)| ≤ 1e-10·|f(x)|, the two values cannot be compared reliably, and the
 * step is accepted instead when the slope φ'(t) = −gᵀ∇f(x − t·g) of φ(t) = f(x − t·g) satisfies
 * φ'(t) ≤ (1 − 2·c1)·‖g‖². For a quadratic φ this is equivalent to the Armijo condition, and it
 * needs only gradients, which keep their relative accuracy near a minimum.
 */
export function backtrack(
  f: DifferentiableFunction,
  x: Float64Array,
  loss: number,
  gradient: Float64Array,
  step: number,
  settings: BacktrackingSettings,
  trial: Float64Array,
  trialGradient: Float64Array,
  outcome: LineSearchOutcome,
): void {
  const { c1, shrink, maxBacktracks } = settings;
  const d = x.length;
  let gradientNormSquared = 0;
  for (let i = 0; i < d; i++) gradientNormSquared += (gradient[i] as number) ** 2;
  const roundingTolerance = INDISTINGUISHABLE_CHANGE * Math.abs(loss);

  outcome.evaluations = 0;
  for (let backtrack = 0; backtrack <= maxBacktracks; backtrack++) {
    if (backtrack > 0) step *= shrink;
    for (let i = 0; i < d; i++) trial[i] = (x[i] as number) - step * (gradient[i] as number);
    const trialLoss = f(trial, trialGradient);
    outcome.evaluations++;
    outcome.step = step;
    outcome.loss = trialLoss;
    if (!Number.isFinite(trialLoss)) {
      outcome.status = 'non-finite';
      continue;
    }
    outcome.status = 'failed';

    let accepted: boolean;
    if (Math.abs(trialLoss - loss) <= roundingTolerance) {
      let slope = 0;
      for (let i = 0; i < d; i++) slope -= (gradient[i] as number) * (trialGradient[i] as number);
      accepted = slope <= (1 - 2 * c1) * gradientNormSquared;
    } else {
      accepted = trialLoss <= loss - c1 * step * gradientNormSquared;
    }
    if (accepted) {
      outcome.status = 'accepted';
      return;
    }
  }
}
