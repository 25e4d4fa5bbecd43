import type { ActivationName } from '@nimc/activations';
import { fit, save, type FitProgress, type FitResult, type InitName, type OptimizerName, type RecommenderModel } from '@nimc/core';
import { encodedFeatureNames } from '@nimc/datasets';
import { CommandError } from '../errors.js';
import { formatJson, formatNumber } from '../output.js';
import { createProgress, type Progress } from '../progress.js';
import { formatFields } from '../table.js';
import { checkInputFiles, checkWritable, progressLine, readOptions, type FileLayoutOptions } from './recommender-io.js';

/** Options of `nimc train`, as commander parses them. */
export interface TrainCommandOptions extends FileLayoutOptions {
  ratings: string;
  userFeatures: string;
  itemFeatures: string;
  out: string;
  rank: number;
  activation: ActivationName;
  init: InitName;
  optimizer: OptimizerName;
  learningRate: number;
  maxIterations: number;
  l2: number;
  validation: number;
  patience: number;
  validationInterval: number;
  seed: number;
  standardize: boolean;
  bias: boolean;
  json: boolean;
  quiet: boolean;
}

function reporter(progress: Progress): (event: FitProgress) => void {
  let lastValidation: number | undefined;
  return (event) => {
    if (event.phase === 'reading') {
      progress.update(`reading ${event.file}`);
    } else if (event.phase === 'initializing') {
      progress.update(`initializing: ${event.message}`);
    } else {
      if (event.validationRmse !== undefined) lastValidation = event.validationRmse;
      const validation = lastValidation === undefined ? '' : `  validation RMSE ${formatNumber(lastValidation, 4)}`;
      const loss = Number.isFinite(event.loss) ? event.loss.toExponential(3) : String(event.loss);
      progress.update(progressLine('training', event.iteration, event.maxIterations, `loss ${loss}${validation}`));
    }
  };
}

function describeStop(model: RecommenderModel): string {
  const s = model.summary;
  if (s.divergedAtIteration !== null) {
    return `diverged at iteration ${s.divergedAtIteration}; the model keeps the last finite parameters (iteration ${s.iterations})`;
  }
  if (s.stopReason === 'early-stopping') {
    return `early stopping after iteration ${s.iterations}; restored iteration ${s.bestIteration ?? s.iterations}, the best on the held-out users`;
  }
  const reasons: Record<string, string> = {
    'max-iterations': `reached --max-iterations ${model.settings.maxIterations}`,
    'gradient-tolerance': 'the gradient vanished',
    'relative-tolerance': 'the loss stopped changing',
    'line-search-failed': 'the line search found no decrease',
    callback: 'interrupted',
  };
  return `${reasons[s.stopReason] ?? s.stopReason} after ${s.iterations} iterations`;
}

function formatSummary(result: FitResult, out: string): string {
  const { model } = result;
  const s = model.summary;
  const t = model.settings;
  const rmse = (value: number | null): string => (value === null ? 'n/a' : formatNumber(value, 4));
  const fields: [string, string][] = [
    ['model', `rank ${t.rank}, ${t.activation}, ${t.init} start, ${t.optimizer === 'adam' ? 'Adam' : 'gradient descent'} (learning rate ${t.learningRate}), seed ${t.seed}`],
    ['data', `${s.ratings} ratings of ${s.users} users and ${s.ratedItems} of ${s.items} items${s.mergedRatings > 0 ? ` (${s.mergedRatings} duplicates averaged)` : ''}`],
    ['features', `${model.U.rows} per user, ${model.V.rows} per item${t.standardize ? '' : ' (not standardised)'}${t.bias ? ', bias included' : ', no bias'}`],
    ['users', `${s.fitUsers} fitted, ${s.validationUsers} held out for early stopping`],
    ['stopped', describeStop(model)],
    ['training RMSE', rmse(s.trainingRmse)],
    ['validation RMSE', rmse(s.validationRmse)],
    ['written', out],
  ];
  return `${formatFields(fields)}\n`;
}

function jsonSummary(result: FitResult, out: string): unknown {
  const { model } = result;
  return {
    model: out,
    settings: model.settings,
    summary: model.summary,
    features: { user: encodedFeatureNames(model.userEncoder), item: encodedFeatureNames(model.itemEncoder) },
    unseenItemCategories: result.unseenItemCategories,
  };
}

/** Runs `nimc train`: trains, writes the model file atomically and prints a summary. */
export async function runTrainCommand(options: TrainCommandOptions): Promise<void> {
  await checkInputFiles({ '--ratings': options.ratings, '--user-features': options.userFeatures, '--item-features': options.itemFeatures });
  await checkWritable(options.out, '--out');
  const progress = createProgress({ quiet: options.quiet });
  const result = await fit(
    { ratings: options.ratings, userFeatures: options.userFeatures, itemFeatures: options.itemFeatures },
    {
      ...readOptions(options),
      rank: options.rank,
      activation: options.activation,
      init: options.init,
      optimizer: options.optimizer,
      learningRate: options.learningRate,
      maxIterations: options.maxIterations,
      l2: options.l2,
      validationFraction: options.validation,
      patience: options.patience,
      validationInterval: options.validationInterval,
      seed: options.seed,
      standardize: options.standardize,
      bias: options.bias,
      onProgress: reporter(progress),
    },
  ).finally(() => progress.clear());

  const { summary } = result.model;
  if (result.unseenItemCategories.length > 0) {
    const listed = result.unseenItemCategories.slice(0, 5).map((entry) => `${entry.column}=${JSON.stringify(entry.value)}`);
    progress.note(`${options.itemFeatures}: categories of unrated items only, encoded as all zeros: ${listed.join(', ')}`);
  }
  if (summary.divergedAtIteration !== null) {
    progress.note(`training diverged at iteration ${summary.divergedAtIteration}; try a smaller --learning-rate`);
  }
  if (summary.stopReason === 'gradient-tolerance' && result.model.activation === 'relu') {
    progress.note('the gradient is exactly zero: no ReLU unit is active on any training pair, so the model scores every pair 0; try a smaller --learning-rate');
  }
  try {
    await save(result.model, options.out);
  } catch (error) {
    throw new CommandError(error instanceof Error ? error.message : String(error));
  }
  process.stdout.write(options.json ? formatJson(jsonSummary(result, options.out)) : formatSummary(result, options.out));
}
