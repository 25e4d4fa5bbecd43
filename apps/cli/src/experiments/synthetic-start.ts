import type { Activation } from '@nimc/activations';
import { createRandom } from '@nimc/linalg';
import type { NimcModel, NimcProblem } from '@nimc/objective';
import { matchColumns, perturbedInit, randomInit, tensorInit, type InitialFactors } from '@nimc/tensor-init';
import { CommandError } from '../errors.js';
import type { SyntheticOptions } from './synthetic-defaults.js';

/** A starting point could not be computed, such as a tensor initialization on too few observations. */
export class InitializationError extends CommandError {}

/** The starting point of a synthetic trial and how far it lies from the ground truth. */
export interface SyntheticStart extends InitialFactors {
  /**
   * √(‖U0 − U*‖²_F + ‖V0 − V*‖²_F) / √(‖U*‖²_F + ‖V*‖²_F) after the column permutation (and,
   * for odd φ, the signs and, for ReLU, the positive scales) that brings the start closest to
   * the ground truth (`matchColumns`).
   */
  distance: number;
  /** Wall-clock time of the initializer in seconds. */
  seconds: number;
}

function tensorStart(problem: NimcProblem, activation: Activation, options: SyntheticOptions): InitialFactors {
  try {
    return tensorInit(problem, activation, options.k, { seed: `${options.seed}:tensor` });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const text = message.startsWith('tensor initialization') ? message : `tensor initialization failed: ${message}`;
    throw new InitializationError(text, { cause: error });
  }
}

/**
 * Computes the starting point of `options.init`. `perturbed` and `random` draw from the
 * stream "<seed>:init", and `tensor` seeds `tensorInit` with "<seed>:tensor". Throws an
 * InitializationError when the tensor method fails on the problem.
 */
export function createSyntheticStart(problem: NimcProblem, truth: NimcModel, options: SyntheticOptions): SyntheticStart {
  const started = performance.now();
  let start: InitialFactors;
  if (options.init === 'tensor') {
    start = tensorStart(problem, truth.activation, options);
  } else if (options.init === 'random') {
    start = randomInit(truth.U.rows, truth.V.rows, options.k, createRandom(`${options.seed}:init`));
  } else {
    start = perturbedInit(truth, options.alpha, createRandom(`${options.seed}:init`));
  }
  const seconds = (performance.now() - started) / 1000;

  const { distance } = matchColumns(start.U, start.V, truth.U, truth.V, { activation: truth.activation });
  return { U: start.U, V: start.V, distance, seconds };
}
