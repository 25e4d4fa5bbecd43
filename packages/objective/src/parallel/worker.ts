// Entry point of a worker thread of `createWorkerPool`. It attaches to the shared memory of
// each objective it is given and runs its share of every evaluation it is sent.
import { parentPort } from 'node:worker_threads';
import { getActivation } from '@nimc/activations';
import { attachWorkspace } from '@nimc/linalg';
import { bindEvaluation, type EvaluationContext } from '../evaluation/phases.js';
import { controlWords, messageBytes } from '../evaluation/plan.js';
import { abortEvaluation, EvaluationAborted, writeMessage } from './barrier.js';
import type { WorkerReply, WorkerRequest } from './messages.js';
import { runShare } from './run-share.js';

interface Attached {
  readonly context: EvaluationContext;
  readonly control: Int32Array;
  readonly message: Uint8Array;
}

const port = parentPort;
if (port === null) throw new Error('the parallel objective worker must run in a worker thread');
const attached = new Map<number, Attached>();
const reply = (message: WorkerReply): void => port.postMessage(message);

function attach(request: Extract<WorkerRequest, { type: 'attach' }>): void {
  const { plan, memory, id } = request;
  if (plan.activation === undefined) throw new Error('the objective has no registered activation');
  const workspace = attachWorkspace(memory, plan.byteLength);
  const context = bindEvaluation(plan, workspace, getActivation(plan.activation));
  attached.set(id, {
    context,
    control: workspace.int32(plan.offsets.control, controlWords),
    message: new Uint8Array(workspace.buffer, plan.offsets.message, messageBytes),
  });
}

function run(request: Extract<WorkerRequest, { type: 'run' }>): void {
  const target = attached.get(request.id);
  if (target === undefined) return;
  try {
    runShare(target.context, target.control, request.index, request.withGradient);
  } catch (error) {
    if (error instanceof EvaluationAborted) return;
    writeMessage(target.message, `worker ${request.index}: ${error instanceof Error ? error.message : String(error)}`);
    abortEvaluation(target.control);
  }
}

port.on('message', (request: WorkerRequest) => {
  switch (request.type) {
    case 'attach':
      try {
        attach(request);
        reply({ type: 'attached', id: request.id });
      } catch (error) {
        reply({ type: 'failed', id: request.id, message: error instanceof Error ? error.message : String(error) });
      }
      break;
    case 'run':
      run(request);
      break;
    case 'detach':
      attached.delete(request.id);
      break;
  }
});
reply({ type: 'ready' });
