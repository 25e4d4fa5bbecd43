// Web Worker that trains NIMC on a synthetic problem with the same packages the CLI uses, and
// streams the training loss and the relative test error back to the page.
import { generateSynthetic, relativeTestError } from '@nimc/datasets';
import { createRandom } from '@nimc/linalg';
import { createObjective } from '@nimc/objective';
import { adam, gradientDescent, type AdamOptions, type OptimizationResult } from '@nimc/optimizers';
import { perturbedInit } from '@nimc/tensor-init';
import type { ProgressPoint, StartMessage, TrainingSettings, WorkerMessage } from './messages';

// Progress is sent at most this often, so a fast run does not flood the page with messages.
const progressIntervalMs = 50;

const scope = self as unknown as {
  postMessage(message: WorkerMessage): void;
  onmessage: ((event: MessageEvent<StartMessage>) => void) | null;
};

function train(settings: TrainingSettings): void {
  const started = performance.now();
  const { problem, truth } = generateSynthetic({
    activation: settings.activation,
    d: settings.d,
    k: settings.k,
    n: settings.n,
    m: settings.m,
    seed: settings.seed,
  });
  const objective = createObjective(problem, truth.activation, settings.k);
  const start = perturbedInit(truth, settings.alpha, createRandom(`${settings.seed}:init`));
  const x0 = objective.pack(start.U, start.V);
  const testError = (theta: Float64Array): number =>
    relativeTestError(objective.unpack(theta), truth, { nTest: settings.nTest, seed: settings.seed });

  scope.postMessage({
    type: 'started',
    initialLoss: objective.loss(x0),
    initialTestError: testError(x0),
    parameters: objective.dimension,
    setupSeconds: (performance.now() - started) / 1000,
  });

  let pending: ProgressPoint[] = [];
  let gradientNorm = Number.NaN;
  let lastPost = performance.now();
  const flush = (): void => {
    if (pending.length === 0) return;
    scope.postMessage({ type: 'progress', points: pending, gradientNorm });
    pending = [];
    lastPost = performance.now();
  };

  // The optimizers' validation hook is the public way to see the iterate during a run, so it
  // measures the test error. Its patience is never exhausted, so it never stops the run early
  // and never replaces the final parameters.
  const options: AdamOptions = {
    maxIterations: settings.maxIterations,
    gradientTolerance: 1e-12,
    validation: { evaluate: testError, patience: Number.MAX_SAFE_INTEGER, interval: settings.testInterval },
    onIteration: (info) => {
      const point: ProgressPoint = { iteration: info.iteration, loss: info.loss };
      if (info.validationLoss !== undefined) point.testError = info.validationLoss;
      pending.push(point);
      gradientNorm = info.gradientNorm;
      if (performance.now() - lastPost >= progressIntervalMs) flush();
    },
  };
  const trainingStarted = performance.now();
  const result: OptimizationResult =
    settings.optimizer === 'adam'
      ? adam(objective.evaluate, x0, { ...options, learningRate: settings.learningRate })
      : gradientDescent(objective.evaluate, x0, options);
  flush();

  scope.postMessage({
    type: 'done',
    stopReason: result.stopReason,
    iterations: result.iterations,
    finalLoss: result.loss,
    testError: testError(result.x),
    seconds: (performance.now() - trainingStarted) / 1000,
  });
}

scope.onmessage = (event) => {
  try {
    train(event.data.settings);
  } catch (error) {
    scope.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
};
