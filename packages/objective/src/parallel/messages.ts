import type { WasmMemory } from '@nimc/linalg';
import type { EvaluationPlan } from '../evaluation/plan.js';

/** Messages from the main thread to a worker. */
export type WorkerRequest =
  | { type: 'attach'; id: number; plan: EvaluationPlan; memory: WasmMemory | SharedArrayBuffer }
  | { type: 'run'; id: number; index: number; withGradient: boolean }
  | { type: 'detach'; id: number };

/** Messages from a worker to the main thread. */
export type WorkerReply =
  | { type: 'ready' }
  | { type: 'attached'; id: number }
  | { type: 'failed'; id: number; message: string };
