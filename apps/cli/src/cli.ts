import { activationNames } from '@nimc/activations';
import { Command, CommanderError, Option } from 'commander';
import packageJson from '../package.json' with { type: 'json' };
import type { DownloadMovieLensCommandOptions } from './commands/download-movielens.js';
import type { MovieLensAblationCommandOptions } from './commands/movielens-ablation.js';
import type { MovieLensCommandOptions } from './commands/movielens.js';
import type { SyntheticCommandOptions } from './commands/synthetic.js';
import { hessianCommand } from './definitions/hessian.js';
import { recoveryCommand } from './definitions/recovery.js';
import { evaluateCommand, predictCommand, recommendCommand, trainCommand } from './definitions/recommender.js';
import { describeError, usageExitCode } from './errors.js';
import { syntheticDefaults, syntheticInitNames } from './experiments/synthetic-defaults.js';
import {
  activation,
  configNames,
  datasetNames,
  maxArrayLength,
  nonNegativeInteger,
  oneOf,
  optimizerNames,
  positiveInteger,
  unitInterval,
} from './options.js';

const exitStatusHelp = `
Exit status: 0 on success, 1 when the data or the computation fails, 2 for an invalid
command line, 130 or 143 when stopped by SIGINT or SIGTERM (an unfinished output file is
not written). Errors go to stderr as "nimc: error: <message>". Set NIMC_DEBUG=1 to print
the stack trace of an internal error.`;

function addOutputOptions(command: Command): Command {
  return command
    .addOption(new Option('--json', 'print the result as one JSON object on stdout and nothing else there').default(false))
    .addOption(new Option('--quiet', 'print no progress line and no notes on stderr (errors are still printed)').default(false));
}

const dataDirHelp =
  'folder that contains the ml-100k or ml-1m folder of the GroupLens download; without it the dataset is read from ' +
  'the cache and downloaded there on first use (see "nimc download-movielens --help")';

const cacheHelp = `
Cache folder: $NIMC_CACHE_DIR/movielens when NIMC_CACHE_DIR is set, else
$XDG_CACHE_HOME/nimc/movielens, else ~/.cache/nimc/movielens. The archive comes from
$NIMC_MOVIELENS_URL/<dataset>.zip when NIMC_MOVIELENS_URL is set (a mirror), else from
https://files.grouplens.org/datasets/movielens/<dataset>.zip. The MovieLens files are
for research use under the GroupLens licence, which forbids redistribution.`;

function downloadMovieLensCommand(): Command {
  const command = new Command('download-movielens')
    .description(
      'Download a MovieLens release from GroupLens into the cache, unless the cache already has it, and print the ' +
        'dataset folder. "nimc movielens" and "nimc movielens-ablation" read this folder when --data-dir is not given.',
    )
    .addOption(new Option('--dataset <name>', `MovieLens release: ${datasetNames.join(' or ')}`).makeOptionMandatory().argParser(oneOf('--dataset', datasetNames)))
    .addHelpText('after', cacheHelp);
  return addOutputOptions(command).action(async (options: DownloadMovieLensCommandOptions) => {
    const { runDownloadMovieLensCommand } = await import('./commands/download-movielens.js');
    await runDownloadMovieLensCommand(options);
  });
}

function syntheticCommand(): Command {
  const d = syntheticDefaults;
  const command = new Command('synthetic')
    .description(
      'Generate a synthetic NIMC problem with Gaussian features and a Gaussian ground truth (U*, V*), train from ' +
        'W0 = (1 − α)W* + αW_r, and report the relative test error on fresh features. A trial recovers the ground ' +
        'truth when that error is at most 1e-3.',
    )
    .addOption(new Option('--activation <name>', `activation φ: ${activationNames.join(', ')}`).default(d.activation).argParser(activation('--activation')))
    .addOption(new Option('--d <count>', 'feature dimension of queries and of items (d1 = d2)').default(d.d).argParser(positiveInteger('--d', maxArrayLength)))
    .addOption(new Option('--k <count>', 'rank k of the ground truth and the model, at most d').default(d.k).argParser(positiveInteger('--k', maxArrayLength)))
    .addOption(new Option('--n <count>', 'number of queries and of items (n1 = n2)').default(d.n).argParser(positiveInteger('--n', maxArrayLength)))
    .addOption(new Option('--m <count>', 'number of observed (query, item) pairs, drawn with replacement').default(d.m).argParser(positiveInteger('--m', maxArrayLength)))
    .addOption(
      new Option('--init <name>', 'starting point: perturbed (W0 = (1 − α)W* + αW_r), random (N(0, 1/d) entries) or tensor (method of moments on the observations)')
        .default(d.init)
        .argParser(oneOf('--init', syntheticInitNames)),
    )
    .addOption(new Option('--alpha <weight>', 'weight α in [0, 1] of the random matrix in the perturbed start; 1 is a pure random start').default(d.alpha).argParser(unitInterval('--alpha')))
    .addOption(new Option('--seed <integer>', 'seed of the problem, the random start and the test features').default(d.seed).argParser(nonNegativeInteger('--seed')))
    .addOption(
      new Option('--optimizer <name>', `optimizer: gd (gradient descent with Armijo line search), adam (full-batch Adam, learning rate ${d.learningRate}) or gauss-newton (Levenberg–Marquardt with conjugate gradients)`)
        .default(d.optimizer)
        .argParser(oneOf('--optimizer', optimizerNames)),
    )
    .addOption(
      new Option(
        '--max-iterations <count>',
        `maximum number of optimizer iterations; training also stops at gradient norm ≤ ${d.gradientTolerance.toExponential()} or relative training error ≤ ${d.trainingTolerance.toExponential()}`,
      )
        .default(d.maxIterations)
        .argParser(positiveInteger('--max-iterations')),
    );
  return addOutputOptions(command).action(async (options: SyntheticCommandOptions, self: Command) => {
    const { runSyntheticCommand } = await import('./commands/synthetic.js');
    runSyntheticCommand({ ...options, alphaGiven: self.getOptionValueSource('alpha') === 'cli' });
  });
}

function movieLensCommand(): Command {
  const command = new Command('movielens')
    .description(
      'Run the MovieLens cold-start experiment: split the users at random 4:1, train on the first part, and report ' +
        'the test RMSE on the new users of NIMC, IMC, the item-mean and the global-mean predictions, split by split.',
    )
    .addOption(new Option('--dataset <name>', `MovieLens release: ${datasetNames.join(' or ')}`).makeOptionMandatory().argParser(oneOf('--dataset', datasetNames)))
    .addOption(new Option('--data-dir <path>', dataDirHelp))
    .addOption(new Option('--splits <count>', 'number of random user splits; the splits use seeds S, S + 1, …, where S is --seed').default(5).argParser(positiveInteger('--splits')))
    .addOption(new Option('--seed <integer>', 'seed of the first user split').default(0).argParser(nonNegativeInteger('--seed')))
    .addOption(new Option('--rank <count>', 'rank k of the NIMC and IMC models').default(50).argParser(positiveInteger('--rank')))
    .addOption(new Option('--activation <name>', `activation φ of NIMC: ${activationNames.join(', ')}`).default('relu').argParser(activation('--activation')))
    .addOption(new Option('--config <name>', 'training configuration: paper (the paper\'s features and model, with the unstated details chosen on held-out training users), zeros (the same with zeros instead of movie means at the unrated positions of the rating matrix before its SVD, and L2 1e-3) or best (paper plus nimc-best, a linear IMC on per-demographic-group movie mean ratings fitted on training users only, and its ablation)').default('paper').argParser(oneOf('--config', configNames)))
    .addHelpText('after', cacheHelp);
  return addOutputOptions(command).action(async (options: MovieLensCommandOptions) => {
    const { runMovieLensCommand } = await import('./commands/movielens.js');
    await runMovieLensCommand(options);
  });
}

function movieLensAblationCommand(): Command {
  const command = new Command('movielens-ablation')
    .description(
      'Compare the MovieLens settings on held-out training users only: for each variant of the paper and rating-feature ' +
        'configurations, print the validation RMSE minus the item-mean RMSE on the same users, split by split. ' +
        'Test users are never read.',
    )
    .addOption(new Option('--dataset <name>', `MovieLens release: ${datasetNames.join(' or ')}`).makeOptionMandatory().argParser(oneOf('--dataset', datasetNames)))
    .addOption(new Option('--data-dir <path>', dataDirHelp))
    .addOption(new Option('--splits <count>', 'number of random user splits; the splits use seeds S, S + 1, …, where S is --seed').default(5).argParser(positiveInteger('--splits')))
    .addOption(new Option('--seed <integer>', 'seed of the first user split').default(0).argParser(nonNegativeInteger('--seed')))
    .addOption(new Option('--rank <count>', 'rank k of the NIMC models').default(50).argParser(positiveInteger('--rank')))
    .addOption(new Option('--activation <name>', `activation φ: ${activationNames.join(', ')}`).default('relu').argParser(activation('--activation')))
    .addOption(new Option('--match <text>', 'run only the variants whose name contains this text, such as "movie means"'))
    .addHelpText('after', cacheHelp);
  return addOutputOptions(command).action(async (options: MovieLensAblationCommandOptions) => {
    const { runMovieLensAblationCommand } = await import('./commands/movielens-ablation.js');
    await runMovieLensAblationCommand(options);
  });
}

/** Builds the `nimc` program. Its parse methods throw a CommanderError instead of exiting. */
export function createProgram(): Command {
  const program = new Command('nimc')
    .description('Non-linear inductive matrix completion experiments (Zhong, Song, Jain and Dhillon, NeurIPS 2019).')
    .version(packageJson.version, '-V, --version', 'print the version number')
    .helpOption('-h, --help', 'print help for the command')
    .addHelpText('after', exitStatusHelp)
    .showSuggestionAfterError()
    // Options after a command name belong to that command, so "nimc hessian sweep --activation"
    // reaches the sweep and not the --activation of "nimc hessian".
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ outputError: () => {} });
  program.addCommand(syntheticCommand());
  program.addCommand(movieLensCommand());
  program.addCommand(movieLensAblationCommand());
  program.addCommand(downloadMovieLensCommand());
  program.addCommand(hessianCommand(addOutputOptions));
  program.addCommand(recoveryCommand(addOutputOptions));
  program.addCommand(trainCommand());
  program.addCommand(predictCommand());
  program.addCommand(recommendCommand());
  program.addCommand(evaluateCommand());
  for (const command of program.commands) command.exitOverride().configureOutput({ outputError: () => {} });
  return program;
}

function writeError(message: string): void {
  process.stderr.write(`nimc: error: ${message}\n`);
}

// Commander's messages start with "error: "; the prefix is replaced by "nimc: error: ".
function reportCommanderError(error: CommanderError): number {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
  if (error.code === 'commander.help') return usageExitCode;
  writeError(error.message.replace(/^error: /, ''));
  process.stderr.write('Run "nimc --help" or "nimc <command> --help" for usage.\n');
  return usageExitCode;
}

/** Runs the program on `argv` (process.argv layout) and returns the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await createProgram().parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return reportCommanderError(error);
    const report = describeError(error);
    writeError(report.message);
    if (report.exitCode === usageExitCode) {
      process.stderr.write('Run "nimc --help" or "nimc <command> --help" for usage.\n');
    }
    if (report.internal) {
      if (process.env.NIMC_DEBUG === '1' && error instanceof Error && error.stack !== undefined) {
        process.stderr.write(`${error.stack}\n`);
      } else {
        process.stderr.write('Rerun with NIMC_DEBUG=1 to print the stack trace.\n');
      }
    }
    return report.exitCode;
  }
}
