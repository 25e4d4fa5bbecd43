import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { WasmMemory } from '@nimc/linalg';
import type { EvaluationPlan } from '../evaluation/plan.js';
import type { WorkerReply, WorkerRequest } from './messages.js';

/**
 * Worker threads that evaluate objectives together with the calling thread. A pool is
 * created once and reused by every objective given it. Its workers stay idle between
 * evaluations and keep the process alive only while an objective attaches to them.
 */
export interface WorkerPool {
  /** Threads per evaluation: the calling thread and `threads − 1` workers. */
  readonly threads: number;
  /** Terminates the workers. Objectives using the pool stop working. */
  close(): Promise<void>;
}

/** Options of `createWorkerPool`. */
export interface WorkerPoolOptions {
  /** Threads per evaluation, the calling thread included. Default: the number of CPUs. */
  threads?: number;
}

interface PendingAttach {
  remaining: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

const workerUrl = new URL('./parallel-worker.js', import.meta.url);

/** The pool behind `WorkerPool`, with the operations the parallel objective needs. */
export class PoolWorkers implements WorkerPool {
  readonly threads: number;
  readonly #workers: Worker[];
  readonly #pending = new Map<number, PendingAttach>();
  #failure: Error | undefined;
  #nextId = 1;

  constructor(workers: Worker[]) {
    this.#workers = workers;
    this.threads = workers.length + 1;
    for (const worker of workers) {
      worker.on('message', (reply: WorkerReply) => this.#receive(reply));
      worker.on('error', (error) => this.#fail(new Error(`worker thread failed: ${error.message}`)));
      worker.on('exit', (code) => this.#fail(new Error(`worker thread exited with code ${code}`)));
    }
  }

  /** Throws when a worker has failed or the pool is closed. */
  checkUsable(): void {
    if (this.#failure !== undefined) throw this.#failure;
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }

  #receive(reply: WorkerReply): void {
    if (reply.type === 'ready') return;
    const pending = this.#pending.get(reply.id);
    if (pending === undefined) return;
    if (reply.type === 'failed') {
      this.#pending.delete(reply.id);
      pending.reject(new Error(`worker thread could not attach to the objective: ${reply.message}`));
      return;
    }
    pending.remaining--;
    if (pending.remaining === 0) {
      this.#pending.delete(reply.id);
      pending.resolve();
    }
  }

  #post(worker: Worker, request: WorkerRequest): void {
    worker.postMessage(request);
  }

  /** Sends the plan and memory of an objective to every worker; resolves with its id. */
  async attach(plan: EvaluationPlan, memory: WasmMemory | SharedArrayBuffer): Promise<number> {
    this.checkUsable();
    const id = this.#nextId++;
    if (this.#workers.length === 0) return id;
    const attached = new Promise<void>((resolve, reject) => {
      this.#pending.set(id, { remaining: this.#workers.length, resolve, reject });
    });
    // Idle workers are unreferenced. While the replies are awaited they keep the process
    // alive, because otherwise a top-level await on this promise could end the process.
    for (const worker of this.#workers) {
      worker.ref();
      this.#post(worker, { type: 'attach', id, plan, memory });
    }
    try {
      await attached;
    } finally {
      for (const worker of this.#workers) worker.unref();
    }
    return id;
  }

  /** Tells workers 1, 2, … to run their share of an evaluation of objective `id`. */
  run(id: number, withGradient: boolean): void {
    this.checkUsable();
    this.#workers.forEach((worker, w) => this.#post(worker, { type: 'run', id, index: w + 1, withGradient }));
  }

  detach(id: number): void {
    if (this.#failure !== undefined) return;
    for (const worker of this.#workers) this.#post(worker, { type: 'detach', id });
  }

  // A property, so that `pool.close` works as a detached callback.
  readonly close = async (): Promise<void> => {
    this.#failure ??= new Error('worker pool closed');
    await Promise.all(this.#workers.map((worker) => worker.terminate()));
  };
}

function defaultThreads(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

async function startWorker(): Promise<Worker> {
  const worker = new Worker(workerUrl);
  await new Promise<void>((resolve, reject) => {
    const onMessage = (reply: WorkerReply): void => {
      if (reply.type !== 'ready') return;
      worker.off('error', onError);
      worker.off('message', onMessage);
      resolve();
    };
    const onError = (error: Error): void => {
      worker.off('message', onMessage);
      reject(new Error(`worker thread failed to start: ${error.message}`));
    };
    worker.on('message', onMessage);
    worker.once('error', onError);
  });
  worker.unref();
  return worker;
}

/** Starts a pool of `threads − 1` worker threads (none for one thread). */
export async function createWorkerPool(options: WorkerPoolOptions = {}): Promise<WorkerPool> {
  const threads = options.threads ?? defaultThreads();
  if (!Number.isInteger(threads) || threads < 1) {
    throw new RangeError(`invalid threads: expected a positive integer, received ${threads}`);
  }
  const workers = await Promise.all(Array.from({ length: threads - 1 }, () => startWorker()));
  return new PoolWorkers(workers);
}
