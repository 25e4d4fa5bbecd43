import { activationNames } from '@nimc/activations';
import { Command, Option } from 'commander';
import type {
  RecoveryConvergenceCommandOptions,
  RecoveryGridCommandOptions,
  RecoveryInitCommandOptions,
  RecoveryMergeCommandOptions,
  TensorErrorCommandOptions,
} from '../commands/recovery.js';
import {
  defaultMergeTitle,
  recoveryConvergenceDefaults,
  recoveryGridDefaults,
  recoveryInitDefaults,
  tensorActivationNames,
  tensorErrorDefaults,
  tensorErrorPairsPerRow,
} from '../experiments/recovery-defaults.js';
import { syntheticInitNames } from '../experiments/synthetic-defaults.js';
import { activation, commaList, maxArrayLength, nonNegativeInteger, oneOf, optimizerNames, positiveInteger, unitInterval } from '../options.js';
import type { OutputOptionAdder } from './hessian.js';

// This module loads no library code, because the command modules are imported only when a command runs.

/** Options that every recovery experiment shares, with the defaults of one experiment. */
interface SharedDefaults {
  d: number;
  k: number;
  seed: number;
  trials: number;
}

// Commander copies no settings to a command added with addCommand, so each subcommand throws
// instead of exiting and leaves the error message to the caller.
function subcommand(name: string, description: string): Command {
  const command = new Command(name).description(description);
  command.exitOverride().configureOutput({ outputError: () => {} });
  return command;
}

function addSharedOptions(command: Command, defaults: SharedDefaults, trialsHelp: string): Command {
  return command
    .addOption(new Option('--d <count>', 'feature dimension of queries and of items (d1 = d2)').default(defaults.d).argParser(positiveInteger('--d', maxArrayLength)))
    .addOption(new Option('--k <count>', 'rank k of the ground truth and the model, at most d').default(defaults.k).argParser(positiveInteger('--k', maxArrayLength)))
    .addOption(new Option('--trials <count>', trialsHelp).default(defaults.trials).argParser(positiveInteger('--trials')))
    .addOption(new Option('--seed <integer>', 'seed of trial 1; trial t uses seed + t − 1 for its problem, start and test features').default(defaults.seed).argParser(nonNegativeInteger('--seed')));
}

function activationOption(defaultName: string): Option {
  return new Option('--activation <name>', `activation φ: ${activationNames.join(', ')}`).default(defaultName).argParser(activation('--activation'));
}

function initOption(defaultName: string): Option {
  return new Option('--init <name>', `starting point: perturbed (W0 = (1 − α)W* + αW_r), random (N(0, 1/d) entries) or tensor (method of moments)`)
    .default(defaultName)
    .argParser(oneOf('--init', syntheticInitNames));
}

function alphaOption(defaultValue: number): Option {
  return new Option('--alpha <weight>', 'weight α in [0, 1] of the random matrix in the perturbed start; 1 is a pure random start')
    .default(defaultValue)
    .argParser(unitInterval('--alpha'));
}

function optimizerOption(): Option {
  return new Option('--optimizer <name>', 'optimizer: gd (gradient descent with Armijo line search, as in the paper), adam (full-batch Adam, learning rate 0.01) or gauss-newton')
    .default('gd')
    .argParser(oneOf('--optimizer', optimizerNames));
}

function maxIterationsOption(defaultValue: number): Option {
  return new Option('--max-iterations <count>', 'iteration limit of gradient descent in each trial').default(defaultValue).argParser(positiveInteger('--max-iterations'));
}

function plotOption(): Option {
  return new Option('--plot <file>', 'write the plot as an SVG document to this file (replaced atomically)');
}

function explicitOptions(self: Command, names: readonly string[]): string[] {
  return names.filter((name) => self.getOptionValueSource(name) === 'cli');
}

function convergenceCommand(addOutputOptions: OutputOptionAdder): Command {
  const d = recoveryConvergenceDefaults;
  const command = subcommand(
    'convergence',
    'Train on the problem of Figure 1(a) (sigmoid, k = 5, d = 10, n = 1000, m = 10000, start α = 0.1) by gradient descent ' +
      'with Armijo line search and report the training loss at every iteration, one curve per trial, on a log axis.',
  )
    .addOption(activationOption(d.activation))
    .addOption(new Option('--n <count>', 'number of queries and of items (n1 = n2)').default(d.n).argParser(positiveInteger('--n', maxArrayLength)))
    .addOption(new Option('--m <count>', 'number of observed pairs, drawn with replacement').default(d.m).argParser(positiveInteger('--m', maxArrayLength)))
    .addOption(initOption(d.init))
    .addOption(alphaOption(d.alpha));
  addSharedOptions(command, d, 'number of trials, one loss curve each')
    .addOption(optimizerOption())
    .addOption(maxIterationsOption(d.maxIterations))
    .addOption(plotOption());
  return addOutputOptions(command).action(async (options: Omit<RecoveryConvergenceCommandOptions, 'alphaGiven'>, self: Command) => {
    const { runRecoveryConvergenceCommand } = await import('../commands/recovery.js');
    runRecoveryConvergenceCommand({ ...options, alphaGiven: explicitOptions(self, ['alpha']).length > 0 });
  });
}

function initCommand(addOutputOptions: OutputOptionAdder): Command {
  const d = recoveryInitDefaults;
  const command = subcommand(
    'init',
    'Measure the recovery rate against the weight α of the random part of the start W0 = (1 − α)W* + αW_r, as in ' +
      'Figure 1(b) (sigmoid, k = 10, d = 100, n = 500), plus one point for each other initializer of --init.',
  )
    .addOption(activationOption(d.activation))
    .addOption(new Option('--n <count>', 'number of queries and of items (n1 = n2)').default(d.n).argParser(positiveInteger('--n', maxArrayLength)))
    .addOption(new Option('--m <count>', 'number of observed pairs (default 20·k·d, 20000 with the default k and d)').argParser(positiveInteger('--m', maxArrayLength)))
    .addOption(
      new Option('--alphas <list>', 'comma-separated weights α in [0, 1] of the perturbed starts')
        .default(d.alphas, d.alphas.join(','))
        .argParser(commaList('--alphas', unitInterval('--alphas'))),
    )
    .addOption(
      new Option('--init <names>', `comma-separated initializers: perturbed (one point per α), random, tensor`)
        .default(d.inits, d.inits.join(','))
        .argParser(commaList('--init', oneOf('--init', syntheticInitNames))),
    );
  addSharedOptions(command, d, 'trials per point')
    .addOption(optimizerOption())
    .addOption(maxIterationsOption(d.maxIterations))
    .addOption(plotOption());
  return addOutputOptions(command).action(async (options: Omit<RecoveryInitCommandOptions, 'alphasGiven'>, self: Command) => {
    const { runRecoveryInitCommand } = await import('../commands/recovery.js');
    runRecoveryInitCommand({ ...options, alphasGiven: explicitOptions(self, ['alphas']).length > 0 });
  });
}

function gridCommand(addOutputOptions: OutputOptionAdder): Command {
  const d = recoveryGridDefaults;
  const command = subcommand(
    'grid',
    'Measure the recovery rate over a grid of n (queries and items) and m (observed pairs), as in Figures 1(c) and 1(d). ' +
      'Default grids with i = 1, …, 10: n = 10i and m = 2kd·i for sigmoid, tanh and identity; n = 20i and m = 4kd·i for relu.',
  )
    .addOption(activationOption(d.activation))
    .addOption(initOption(d.init))
    .addOption(alphaOption(d.alpha))
    .addOption(new Option('--ns <list>', 'comma-separated numbers of queries and items, one row each (default: the grid of the activation)').argParser(commaList('--ns', positiveInteger('--ns'))))
    .addOption(new Option('--ms <list>', 'comma-separated numbers of observed pairs, one column each (default: the grid of the activation)').argParser(commaList('--ms', positiveInteger('--ms'))));
  addSharedOptions(command, d, 'trials per cell')
    .addOption(optimizerOption())
    .addOption(maxIterationsOption(d.maxIterations))
    .addOption(plotOption());
  return addOutputOptions(command).action(async (options: Omit<RecoveryGridCommandOptions, 'alphaGiven'>, self: Command) => {
    const { runRecoveryGridCommand } = await import('../commands/recovery.js');
    runRecoveryGridCommand({ ...options, alphaGiven: explicitOptions(self, ['alpha']).length > 0 });
  });
}

function tensorErrorCommand(addOutputOptions: OutputOptionAdder): Command {
  const d = tensorErrorDefaults;
  const command = subcommand(
    'tensor-error',
    'Measure the relative distance of the tensor initialization (U0, V0) to the ground truth (U*, V*), after the best ' +
      'matching of their columns, against the number of observed pairs m, for each activation.',
  )
    .addOption(
      new Option('--activation <names>', `comma-separated activations: ${tensorActivationNames.join(', ')}`)
        .default(d.activations, d.activations.join(','))
        .argParser(commaList('--activation', oneOf('--activation', tensorActivationNames))),
    )
    .addOption(
      new Option('--ms <list>', 'comma-separated numbers of observed pairs')
        .default(d.ms, d.ms.join(','))
        .argParser(commaList('--ms', positiveInteger('--ms'))),
    )
    .addOption(new Option('--n <count>', `number of queries and of items for every m (default ⌈m / ${tensorErrorPairsPerRow}⌉)`).argParser(positiveInteger('--n', maxArrayLength)));
  addSharedOptions(command, d, 'trials per activation and m').addOption(plotOption());
  return addOutputOptions(command).action(async (options: TensorErrorCommandOptions) => {
    const { runTensorErrorCommand } = await import('../commands/recovery.js');
    runTensorErrorCommand(options);
  });
}

function mergeCommand(): Command {
  const command = subcommand(
    'merge',
    'Combine the JSON reports of several recovery commands into one experiment report on stdout, for the documentation ' +
      'page that reads apps/docs/data/recovery.json.',
  )
    .argument('<files...>', 'JSON reports written by nimc recovery convergence, init, grid or tensor-error with --json')
    .addOption(new Option('--title <text>', 'title of the combined report').default(defaultMergeTitle));
  return command.action(async (files: string[], options: Omit<RecoveryMergeCommandOptions, 'files'>) => {
    const { runRecoveryMergeCommand } = await import('../commands/recovery.js');
    runRecoveryMergeCommand({ ...options, files });
  });
}

/**
 * Builds `nimc recovery` and its subcommands, the synthetic recovery experiments of Figure 1
 * of Zhong, Song, Jain and Dhillon (NeurIPS 2019). `addOutputOptions` adds --json and --quiet.
 */
export function recoveryCommand(addOutputOptions: OutputOptionAdder): Command {
  const command = new Command('recovery')
    .description(
      'Synthetic recovery experiments: the loss curve (convergence), the recovery rate against the start (init), the ' +
        'recovery rate over n and m (grid), and the error of the tensor initialization (tensor-error).',
    )
    .enablePositionalOptions();
  command.addCommand(convergenceCommand(addOutputOptions));
  command.addCommand(initCommand(addOutputOptions));
  command.addCommand(gridCommand(addOutputOptions));
  command.addCommand(tensorErrorCommand(addOutputOptions));
  command.addCommand(mergeCommand());
  return command;
}
