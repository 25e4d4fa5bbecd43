// Int32 words of an evaluation's control area (see `controlWords` in the plan).
const generationWord = 0;
const arrivedWord = 1;
const failedWord = 2;

/** Thrown in every thread of an evaluation when one of them failed. */
export class EvaluationAborted extends Error {
  constructor() {
    super('evaluation aborted: another thread of the objective failed');
    this.name = 'EvaluationAborted';
  }
}

/**
 * Waits until all `parties` threads have arrived, then lets them all go on. The last thread
 * to arrive starts a new generation and wakes the others. Throws `EvaluationAborted` when a
 * thread has called `abortEvaluation`.
 */
export function arriveAndWait(control: Int32Array, parties: number): void {
  const generation = Atomics.load(control, generationWord);
  if (Atomics.add(control, arrivedWord, 1) === parties - 1) {
    Atomics.store(control, arrivedWord, 0);
    Atomics.add(control, generationWord, 1);
    Atomics.notify(control, generationWord);
  } else {
    while (Atomics.load(control, generationWord) === generation) {
      Atomics.wait(control, generationWord, generation);
    }
  }
  if (Atomics.load(control, failedWord) !== 0) throw new EvaluationAborted();
}

/** Marks the evaluation as failed and wakes every waiting thread. */
export function abortEvaluation(control: Int32Array): void {
  Atomics.store(control, failedWord, 1);
  Atomics.add(control, generationWord, 1);
  Atomics.notify(control, generationWord);
}

/** Returns true when a thread has aborted the evaluation. */
export function evaluationFailed(control: Int32Array): boolean {
  return Atomics.load(control, failedWord) !== 0;
}

/** Writes `message` as UTF-8 into `area`, cut to its length, with the byte count first. */
export function writeMessage(area: Uint8Array, message: string): void {
  const bytes = new TextEncoder().encode(message).subarray(0, area.length - 4);
  new DataView(area.buffer, area.byteOffset, 4).setUint32(0, bytes.length, true);
  area.set(bytes, 4);
}

/** Reads a message written by `writeMessage`. */
export function readMessage(area: Uint8Array): string {
  const length = new DataView(area.buffer, area.byteOffset, 4).getUint32(0, true);
  // TextDecoder rejects views of a SharedArrayBuffer, so the bytes are copied first.
  return new TextDecoder().decode(area.slice(4, 4 + length));
}
