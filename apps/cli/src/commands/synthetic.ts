import type { IterationInfo } from '@nimc/optimizers';
import { UsageError } from '../errors.js';
import { runSynthetic, type SyntheticOptions, type SyntheticResult, type TargetCost } from '../experiments/synthetic.js';
import { formatJson, formatNumber, formatSeconds, requireFinite } from '../output.js';
import { createProgress } from '../progress.js';
import { formatFields } from '../table.js';

/** Options of `nimc synthetic`, as commander parses them. */
export interface SyntheticCommandOptions extends Pick<
  SyntheticOptions,
  'activation' | 'd' | 'k' | 'n' | 'm' | 'alpha' | 'seed' | 'optimizer' | 'maxIterations'
> {
  json: boolean;
  quiet: boolean;
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
  if (result.timings.secondsToTarget !== null) requireFinite('time to the target test error', result.timings.secondsToTarget);
}

function formatReport(result: SyntheticResult): string {
  const s = result.settings;
  const optimizer =
    s.optimizer === 'adam' ? `${optimizerLabels.adam}, learning rate ${s.learningRate}` : optimizerLabels[s.optimizer];
  const stopping = `at most ${s.maxIterations} iterations, gradient norm ≤ ${s.gradientTolerance.toExponential()}, training error ≤ ${s.trainingTolerance.toExponential()}`;
  const fields: [string, string][] = [
    ['activation', s.activation],
    ['dimensions', `d1 = d2 = ${s.d}, k = ${s.k}, n1 = n2 = ${s.n}, m = ${s.m}`],
    ['start', `W0 = (1 − α)W* + αW_r with α = ${s.alpha}`],
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
    ['wall time', `${formatSeconds(result.timings.totalSeconds)} (training ${formatSeconds(result.timings.trainingSeconds)})`],
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
  const progress = createProgress({ quiet: options.quiet });
  const result = runSynthetic(
    {
      activation: options.activation,
      d: options.d,
      k: options.k,
      n: options.n,
      m: options.m,
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
