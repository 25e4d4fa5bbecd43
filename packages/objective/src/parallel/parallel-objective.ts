import type { Activation } from '@nimc/activations';
import { assembleObjective } from '../evaluation/assemble.js';
import { bindEvaluation } from '../evaluation/phases.js';
import { controlWords, messageBytes, prepareEvaluation, type EvaluationOptions } from '../evaluation/plan.js';
import type { NimcProblem } from '../model.js';
import type { NimcObjective } from '../objective.js';
import { abortEvaluation, EvaluationAborted, evaluationFailed, readMessage } from './barrier.js';
import { createWorkerPool, PoolWorkers, type WorkerPool } from './pool.js';
import { runShare } from './run-share.js';

/** Options of `createParallelObjective`. */
export interface ParallelObjectiveOptions extends EvaluationOptions {
  /**
   * Threads per evaluation, the calling thread included, for a pool that the objective
   * starts and closes itself. Default: the number of CPUs. Ignored when `pool` is given.
   */
  threads?: number;
  /** A pool from `createWorkerPool` to run on; `close()` then leaves it open. */
  pool?: WorkerPool;
}

/** A `NimcObjective` whose evaluations run on several threads. */
export interface ParallelObjective extends NimcObjective {
  /** Threads per evaluation. */
  readonly threads: number;
  /** Detaches the objective from its pool, and closes the pool when the objective started it. */
  close(): Promise<void>;
}

/**
 * Creates the training loss of `createObjective`, evaluated by the calling thread and the
 * workers of a pool over shared memory. Each thread computes the embeddings of a block of
 * rows of X and of Y and back-projects those rows. It also visits the pairs of a block of
 * row tiles, balanced by pair count, and adds its part of Rᵀ·P into its own buffer. The
 * parts are added up in thread order, so the value and gradient equal the one-thread ones
 * up to the reassociation of these sums.
 *
 * `evaluate` and `loss` stay synchronous: the calling thread blocks in `Atomics.wait`
 * until the workers finish, which Node.js allows on its main thread. `evaluateBatch` runs
 * on the calling thread alone. The activation must be one of `@nimc/activations`, because
 * the workers look it up by name. Node.js only.
 */
export async function createParallelObjective(
  problem: NimcProblem,
  activation: Activation,
  k: number,
  options: ParallelObjectiveOptions = {},
): Promise<ParallelObjective> {
  if (options.pool !== undefined && !(options.pool instanceof PoolWorkers)) {
    throw new TypeError('invalid pool: expected a pool returned by createWorkerPool');
  }
  const ownsPool = options.pool === undefined;
  const pool = (options.pool ?? (await createWorkerPool({ threads: options.threads }))) as PoolWorkers;
  try {
    return await attachObjective(problem, activation, k, options, pool, ownsPool);
  } catch (error) {
    if (ownsPool) await pool.close();
    throw error;
  }
}

async function attachObjective(
  problem: NimcProblem,
  activation: Activation,
  k: number,
  options: ParallelObjectiveOptions,
  pool: PoolWorkers,
  ownsPool: boolean,
): Promise<ParallelObjective> {
  const threads = pool.threads;
  const prepared = prepareEvaluation(problem, activation, k, threads, options);
  const { plan, workspace } = prepared;
  if (threads > 1 && plan.activation === undefined) {
    throw new RangeError(`invalid activation "${activation.name}": worker threads need one of the activations of @nimc/activations`);
  }
  const context = bindEvaluation(plan, workspace, activation);
  const control = workspace.int32(plan.offsets.control, controlWords);
  const message = new Uint8Array(workspace.buffer, plan.offsets.message, messageBytes);
  const memory = workspace.memory ?? (workspace.buffer as SharedArrayBuffer);
  const id = await pool.attach(plan, memory);
  let failure: Error | undefined;

  const runPasses = (withGradient: boolean): void => {
    if (failure !== undefined) throw failure;
    pool.run(id, withGradient);
    try {
      runShare(context, control, 0, withGradient);
    } catch (error) {
      // Workers waiting at a barrier must be woken, or they would wait forever.
      if (!(error instanceof EvaluationAborted)) abortEvaluation(control);
      // A failed evaluation leaves the barrier mid-way, so the objective cannot run again.
      failure =
        error instanceof EvaluationAborted && evaluationFailed(control)
          ? new Error(`parallel evaluation failed in ${readMessage(message)}`)
          : new Error(`parallel evaluation failed: ${error instanceof Error ? error.message : String(error)}`);
      throw failure;
    }
  };

  const objective = assembleObjective(problem, activation, prepared, context, threads, runPasses);
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    failure ??= new Error('objective closed');
    pool.detach(id);
    if (ownsPool) await pool.close();
  };
  return { ...objective, threads, close };
}
