import { activationNames } from '@nimc/activations';
import { Command, Option } from 'commander';
import type { EvaluateCommandOptions } from '../commands/evaluate.js';
import type { PredictCommandOptions } from '../commands/predict.js';
import type { RecommendCommandOptions } from '../commands/recommend.js';
import type { TrainCommandOptions } from '../commands/train.js';
import { activation, maxArrayLength, nonNegativeInteger, nonNegativeNumber, oneOf, positiveInteger } from '../options.js';
import { delimiter, finiteNumber, fraction, idSelection, nameList, positiveNumber } from '../recommender-options.js';

// This module loads no library code, because the command modules are imported only when a command runs.

// Training defaults, kept equal to @nimc/core's `trainingDefaults` (a test checks this)
// without loading @nimc/core for every command line.
const defaults = {
  rank: 50,
  activation: 'relu',
  init: 'random',
  optimizer: 'adam',
  learningRate: 0.01,
  maxIterations: 2000,
  l2: 0,
  validation: 0.1,
  patience: 10,
  validationInterval: 10,
  seed: 0,
} as const;

function quietOption(): Option {
  return new Option('--quiet', 'print no progress line and no notes on stderr (errors are still printed)').default(false);
}

function jsonOption(): Option {
  return new Option('--json', 'print the result as one JSON object on stdout and nothing else there').default(false);
}

// Options that describe the layout of the rating, pair and feature files.
function addFileLayoutOptions(command: Command, withRatings: boolean): Command {
  command
    .addOption(new Option('--delimiter <char>', 'field delimiter of every input file: comma, tab, semicolon or one character (default: from each extension, .csv comma, .tsv and .tab tab)').argParser(delimiter('--delimiter')))
    .addOption(new Option('--user-column <name>', 'column of the user ids in rating and pair files').default('user'))
    .addOption(new Option('--item-column <name>', 'column of the item ids in rating and pair files').default('item'));
  if (withRatings) {
    command
      .addOption(new Option('--rating-column <name>', 'column of the ratings').default('rating'))
      .addOption(new Option('--duplicates <policy>', 'two ratings of one (user, item) pair: error (reject the file) or mean (average them)').default('error').argParser(oneOf('--duplicates', ['error', 'mean'] as const)));
  }
  return command
    .addOption(new Option('--user-id-column <name>', 'id column of the user feature file (default: "id" in training, the model\'s column afterwards)'))
    .addOption(new Option('--item-id-column <name>', 'id column of the item feature file (default: "id" in training, the model\'s column afterwards)'))
    .addOption(new Option('--ignore-columns <names>', 'comma-separated columns of the feature files that are not features').argParser(nameList('--ignore-columns')));
}

function modelOptions(command: Command): Command {
  return command
    .addOption(new Option('--model <file>', 'model file written by nimc train').makeOptionMandatory())
    .addOption(new Option('--user-features <file>', 'user feature file (CSV or TSV with a header and an id column), with the columns the model was trained with').makeOptionMandatory())
    .addOption(new Option('--item-features <file>', 'item feature file, with the columns the model was trained with').makeOptionMandatory());
}

/** `nimc train`: fit a model on ratings and feature files and write it to a model file. */
export function trainCommand(): Command {
  const d = defaults;
  const command = new Command('train')
    .description(
      'Train a recommender on your ratings and user and item features. Numeric feature columns are standardised and ' +
        'text columns one-hot encoded, with statistics from the training rows only, plus a constant bias feature. A ' +
        'fraction of the users is held out: training stops when their RMSE stops improving and keeps the best iteration.',
    )
    .addOption(new Option('--ratings <file>', 'ratings file: CSV or TSV with a header (columns user, item, rating by default)').makeOptionMandatory())
    .addOption(new Option('--user-features <file>', 'user feature file: CSV or TSV with a header, an id column and feature columns').makeOptionMandatory())
    .addOption(new Option('--item-features <file>', 'item feature file: every row is an item of the catalogue').makeOptionMandatory())
    .addOption(new Option('--out <file>', 'model file to write (JSON); written only when training succeeds').makeOptionMandatory())
    .addOption(new Option('--rank <count>', 'rank k of the model').default(d.rank).argParser(positiveInteger('--rank', maxArrayLength)))
    .addOption(new Option('--activation <name>', `activation φ: ${activationNames.join(', ')}`).default(d.activation).argParser(activation('--activation')))
    .addOption(new Option('--init <method>', 'starting point: random (N(0, 1/d) entries) or tensor (method of moments, needs rank ≤ both feature counts)').default(d.init).argParser(oneOf('--init', ['random', 'tensor'] as const)))
    .addOption(new Option('--optimizer <name>', 'adam (full batch) or gd (gradient descent with Armijo line search)').default(d.optimizer).argParser(oneOf('--optimizer', ['adam', 'gd'] as const)))
    .addOption(new Option('--learning-rate <rate>', "Adam's step size, or the first step gradient descent tries").default(d.learningRate).argParser(positiveNumber('--learning-rate')))
    .addOption(new Option('--max-iterations <count>', 'maximum number of optimizer iterations').default(d.maxIterations).argParser(positiveInteger('--max-iterations')))
    .addOption(new Option('--l2 <weight>', 'weight λ of the penalty (λ/2)(‖U‖² + ‖V‖²)').default(d.l2).argParser(nonNegativeNumber('--l2')))
    .addOption(new Option('--validation <fraction>', 'fraction of the users held out for early stopping, in [0, 1); 0 turns early stopping off').default(d.validation).argParser(fraction('--validation')))
    .addOption(new Option('--patience <count>', 'validations without improvement before training stops').default(d.patience).argParser(positiveInteger('--patience')))
    .addOption(new Option('--validation-interval <count>', 'iterations between two validations').default(d.validationInterval).argParser(positiveInteger('--validation-interval')))
    .addOption(new Option('--seed <integer>', 'seed of the held-out users and the starting point').default(d.seed).argParser(nonNegativeInteger('--seed')))
    .addOption(new Option('--categorical <names>', 'comma-separated feature columns to one-hot encode even when their values are numbers, such as codes').argParser(nameList('--categorical')))
    .addOption(new Option('--no-standardize', 'use numeric feature values as they are, without centring and scaling'))
    .addOption(new Option('--no-bias', 'leave out the constant bias feature'));
  addFileLayoutOptions(command, true).addOption(jsonOption()).addOption(quietOption());
  return command.action(async (options: TrainCommandOptions) => {
    const { runTrainCommand } = await import('../commands/train.js');
    await runTrainCommand(options);
  });
}

/** `nimc predict`: score listed (user, item) pairs. */
export function predictCommand(): Command {
  const command = modelOptions(
    new Command('predict').description('Score the (user, item) pairs of a file with a trained model and write CSV user,item,score.'),
  )
    .addOption(new Option('--pairs <file>', 'file of pairs to score: CSV or TSV with a header and user and item columns').makeOptionMandatory())
    .addOption(new Option('--out <file>', 'CSV file to write (default: stdout); written only when every pair is scored'));
  addFileLayoutOptions(command, false).addOption(quietOption());
  return command.action(async (options: PredictCommandOptions) => {
    const { runPredictCommand } = await import('../commands/predict.js');
    await runPredictCommand(options);
  });
}

/** `nimc recommend`: top-k items per user. */
export function recommendCommand(): Command {
  const command = modelOptions(
    new Command('recommend').description(
      'Rank every item of the item feature file for each user and write the best ones as CSV user,rank,item,score. ' +
        'Users are scored in blocks against all items, so memory stays bounded for large files.',
    ),
  )
    .addOption(new Option('--users <ids>', 'comma-separated user ids, or all for every row of the user feature file').default('all').argParser(idSelection('--users')))
    .addOption(new Option('--top <count>', 'items per user; a value above the number of items is an error').default(10).argParser(positiveInteger('--top')))
    .addOption(new Option('--exclude-rated <file>', 'file of (user, item) pairs to leave out, such as the training ratings'))
    .addOption(new Option('--out <file>', 'CSV file to write (default: stdout); written only when every list is complete'));
  addFileLayoutOptions(command, false).addOption(quietOption());
  return command.action(async (options: RecommendCommandOptions) => {
    const { runRecommendCommand } = await import('../commands/recommend.js');
    await runRecommendCommand(options);
  });
}

/** `nimc evaluate`: accuracy and ranking metrics on test ratings. */
export function evaluateCommand(): Command {
  const command = modelOptions(
    new Command('evaluate').description(
      'Score test ratings: RMSE and MAE of the predicted ratings; precision, recall and NDCG at k of each test ' +
        "user's top-k list over all items, where an item is relevant when its test rating is at least the threshold; " +
        'and catalogue coverage (share of items in some top-k list).',
    ),
  )
    .addOption(new Option('--ratings <file>', 'test ratings file, laid out like the training ratings').makeOptionMandatory())
    .addOption(new Option('--k <count>', 'length of the ranked lists').default(10).argParser(positiveInteger('--k')))
    .addOption(new Option('--threshold <rating>', 'a test rating of at least this value makes an item relevant').default(4).argParser(finiteNumber('--threshold')))
    .addOption(new Option('--group-by <column>', 'column of the user feature file: report the metrics per value as well'))
    .addOption(new Option('--exclude-rated <file>', 'pairs to leave out of the ranked lists, such as the training ratings'));
  addFileLayoutOptions(command, true).addOption(jsonOption()).addOption(quietOption());
  return command.action(async (options: EvaluateCommandOptions) => {
    const { runEvaluateCommand } = await import('../commands/evaluate.js');
    await runEvaluateCommand(options);
  });
}
