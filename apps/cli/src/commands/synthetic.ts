import type { IterationInfo } from '@nimc/optimizers';
import { UsageError } from '../errors.js';
import { runSynthetic, type SyntheticOptions, type SyntheticResult, type TargetCost } from '../experiments/synthetic.js';
import { formatJson, formatNumber, formatSeconds, requireFinite } from '../output.js';
import { createProgress } from '../progress.js';
import { formatFields } from '../table.js';

/** Options of `nimc synthetic`, as commander parses them. */
export interface SyntheticCommandOptions extends Pick<
  SyntheticOptions,
  'activation' | 'd' | 'k' | 'n' | 'm' | 'init' | 'alpha' | 'seed' | 'optimizer' | 'maxIterations'
> {
  json: boolean;
  quiet: boolean;
  /** True when --alpha was given on the command line rather than left at its default. */
  alphaGiven?: boolean;
}

const optimizerLabels = {
  gd: 'gradient descent with Armijo line search',
  adam: 'Adam (full batch)',
  'gauss-newton': 'Gauss–Newton (Levenberg–Marquardt, conjugate gradients on Gauss–Newton products)',
} as const;

function checkResult(result: SyntheticResult): void {
  requireFinite('relative test error', result.relativeTestError);
  requireFinite('initial training loss', result.initialLoss);
  requireFinite('final training loss', result.finalLoss);
  requireFinite('relative training error', result.trainingError);
  requireFinite('distance of the start to the ground truth', result.start.distance);
  if (result.timings.secondsToTarget !== null) requireFinite('time to the target test error', result.timings.secondsToTarget);
}

function describeStart(settings: SyntheticOptions): string {
  if (settings.init === 'tensor') return 'tensor initialization (method of moments on the observations)';
  if (settings.init === 'random') return `random: U0, V0 with N(0, 1/d) entries`;
  return `W0 = (1 − α)W* + αW_r with α = ${settings.alpha}`;
}

/**
 * Rejects the combinations of --init with other options that cannot run: --alpha without
 * the perturbed start, and the tensor method for identity, whose moments carry no direction.
 */
export function checkInitOptions(options: { init: SyntheticOptions['init']; activation: string; alphaGiven?: boolean }): void {
  if (options.alphaGiven === true && options.init !== 'perturbed') {
    throw new UsageError(`invalid --alpha: it sets the perturbed start only, but --init is ${options.init}`);
  }
  if (options.init === 'tensor' && options.activation === 'identity') {
    throw new UsageError(
      'invalid --init: tensor initialization needs sigmoid, relu or tanh, because for identity every tensor moment of order 2 or more vanishes, received --activation identity',
    );
  }
}

function formatReport(result: SyntheticResult): string {
  const s = result.settings;
  const optimizer =
    s.optimizer === 'adam' ? `${optimizerLabels.adam}, learning rate ${s.learningRate}` : optimizerLabels[s.optimizer];
  const stopping = `at most ${s.maxIterations} iterations, gradient norm ≤ ${s.gradientTolerance.toExponential()}, training error ≤ ${s.trainingTolerance.toExponential()}`;
  const fields: [string, string][] = [
    ['activation', s.activation],
    ['dimensions', `d1 = d2 = ${s.d}, k = ${s.k}, n1 = n2 = ${s.n}, m = ${s.m}`],
    ['start', `${describeStart(s)}, relative distance ${formatNumber(result.start.distance, 3)} to (U*, V*)`],
    ['seed', String(s.seed)],
    ['optimizer', optimizer],
    ['stopping rule', stopping],
    ['relative test error', `${formatNumber(result.relativeTestError, 3)} (${s.nTest} × ${s.nTest} fresh test pairs)`],
    ['recovered', `${result.success ? 'yes' : 'no'} (threshold ${s.successThreshold.toExponential()})`],
    ['iterations', `${result.iterations} (stop: ${result.stopReason})`],
    ['gradient evaluations', String(result.evaluations)],
    ['Gauss–Newton products', String(result.productEvaluations)],
    [`to test error ≤ ${s.successThreshold.toExponential()}`, formatTargetCost(result.toTarget, result.timings.secondsToTarget)],
    ['training loss', `${formatNumber(result.initialLoss, 3)} at start, ${formatNumber(result.finalLoss, 3)} at end`],
    ['training error', formatNumber(result.trainingError, 3)],
    [
      'wall time',
      `${formatSeconds(result.timings.totalSeconds)} (start ${formatSeconds(result.timings.startSeconds)}, training ${formatSeconds(result.timings.trainingSeconds)})`,
    ],
  ];
  return `${formatFields(fields)}\n`;
}

function formatTargetCost(cost: TargetCost | null, seconds: number | null): string {
  if (cost === null || seconds === null) return 'not reached';
  const spent = `${cost.evaluations} gradient evaluations + ${cost.productEvaluations} products = ${cost.cost}`;
  return `iteration ${cost.iterations}, ${spent}, ${formatSeconds(seconds)}`;
}

function formatProgress(optimizer: string, info: IterationInfo): string {
  const loss = info.loss.toExponential(3);
  const gradientNorm = info.gradientNorm.toExponential(2);
  return `${optimizer}  iteration ${info.iteration}  loss ${loss}  gradient norm ${gradientNorm}`;
}

/** Runs `nimc synthetic` and prints its report, or one JSON object with `--json`. */
export function runSyntheticCommand(options: SyntheticCommandOptions): void {
  if (options.k > options.d) {
    throw new UsageError(`invalid --k: expected at most --d = ${options.d}, received ${options.k}`);
  }
  checkInitOptions(options);
  const progress = createProgress({ quiet: options.quiet });
  if (options.init === 'tensor') progress.update('tensor initialization');
  const result = runSynthetic(
    {
      activation: options.activation,
      d: options.d,
      k: options.k,
      n: options.n,
      m: options.m,
      init: options.init,
      alpha: options.alpha,
      seed: options.seed,
      optimizer: options.optimizer,
      maxIterations: options.maxIterations,
    },
    (info) => progress.update(formatProgress(options.optimizer, info)),
  );
  progress.clear();

  checkResult(result);
  process.stdout.write(options.json ? formatJson(result) : formatReport(result));
}
