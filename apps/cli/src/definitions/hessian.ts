import { activationNames } from '@nimc/activations';
import { Command, Option } from 'commander';
import type { HessianCommandOptions } from '../commands/hessian.js';
import type { HessianSweepCommandOptions } from '../commands/hessian-sweep.js';
import {
  eigenMethodNames,
  hessianDefaults,
  hessianLocations,
  hessianSweepDefaults,
} from '../experiments/hessian-defaults.js';
import {
  activation,
  commaList,
  maxArrayLength,
  nonNegativeInteger,
  nonNegativeNumber,
  oneOf,
  positiveInteger,
} from '../options.js';

// This module loads no library code, because the command modules are imported only when a command runs.

/** Adds the --json and --quiet options that every command shares. */
export type OutputOptionAdder = (command: Command) => Command;

function addProblemOptions(command: Command): Command {
  const d = hessianDefaults;
  return command
    .addOption(new Option('--d <count>', 'feature dimension of queries and of items (d1 = d2)').default(d.d).argParser(positiveInteger('--d', maxArrayLength)))
    .addOption(new Option('--k <count>', 'rank k of the ground truth and the model, at most d').default(d.k).argParser(positiveInteger('--k', maxArrayLength)))
    .addOption(new Option('--n <count>', 'number of queries and of items (n1 = n2)').default(d.n).argParser(positiveInteger('--n', maxArrayLength)))
    .addOption(new Option('--m <count>', 'number of observed (query, item) pairs, drawn with replacement').default(d.m).argParser(positiveInteger('--m', maxArrayLength)))
    .addOption(new Option('--seed <integer>', 'seed of the problem and of the random directions').default(d.seed).argParser(nonNegativeInteger('--seed')));
}

function methodOption(): Option {
  return new Option('--method <name>', 'eigenvalue method: dense (ml-matrix on the exact Hessian), lanczos (Hessian-vector products) or auto (dense up to 400 parameters)')
    .default(hessianDefaults.method)
    .argParser(oneOf('--method', eigenMethodNames));
}

function sweepCommand(addOutputOptions: OutputOptionAdder): Command {
  const d = hessianSweepDefaults;
  const command = new Command('sweep')
    .description(
      'Sweep the extreme Hessian eigenvalues over the distance r from the ground truth (at --m observations, along ' +
        '--samples random directions) and over the number of observations m (at the ground truth). Prints both ' +
        'tables and, with --plot, writes a two-panel SVG plot of λ_min/λ_max.',
    )
    .addOption(
      new Option('--activation <names>', `comma-separated activations φ, one series each: ${activationNames.join(', ')}`)
        .default(d.activations, d.activations.join(','))
        .argParser(commaList('--activation', activation('--activation'))),
    );
  addProblemOptions(command)
    .addOption(
      new Option('--radii <list>', 'comma-separated distances r ≥ 0 from the ground truth')
        .default(d.radii, d.radii.join(','))
        .argParser(commaList('--radii', nonNegativeNumber('--radii'))),
    )
    .addOption(
      new Option('--ms <list>', 'comma-separated numbers of observed pairs for the sweep at the ground truth')
        .default(d.ms, d.ms.join(','))
        .argParser(commaList('--ms', positiveInteger('--ms'))),
    )
    .addOption(new Option('--samples <count>', 'random directions per radius r > 0').default(d.samples).argParser(positiveInteger('--samples')))
    .addOption(
      new Option(
        '--constrained [activations]',
        'restrict the Hessian to the complement of the k scaling directions, which ReLU leaves the model invariant along: for every activation, or for the comma-separated ones given',
      ).argParser(commaList('--constrained', activation('--constrained'))),
    )
    .addOption(methodOption())
    .addOption(new Option('--plot <file>', 'write the two-panel SVG plot to this file (replaced atomically)'));
  // Commander copies no settings to a command added with addCommand. The sweep therefore sets
  // its own, so that it throws instead of exiting and leaves the error message to the caller.
  command.exitOverride().configureOutput({ outputError: () => {} });
  return addOutputOptions(command).action(async (options: HessianSweepCommandOptions) => {
    const { runHessianSweepCommand } = await import('../commands/hessian-sweep.js');
    runHessianSweepCommand(options);
  });
}

/**
 * Builds `nimc hessian` and its `sweep` subcommand. `addOutputOptions` adds --json and
 * --quiet as the other commands have them.
 */
export function hessianCommand(addOutputOptions: OutputOptionAdder): Command {
  const d = hessianDefaults;
  const command = new Command('hessian')
    .description(
      'Generate the synthetic problem of "nimc synthetic" and compute the smallest and largest eigenvalues of the Hessian ' +
        'of its training loss at the ground truth (U*, V*), or at random points at Frobenius distance --radius from it.',
    )
    .enablePositionalOptions()
    .addOption(new Option('--activation <name>', `activation φ: ${activationNames.join(', ')}`).default(d.activation).argParser(activation('--activation')));
  addProblemOptions(command)
    .addOption(
      new Option(
        '--constrained',
        'restrict the Hessian to the orthogonal complement of the k scaling directions (U·diag(e_c), −V·diag(e_c)), which ReLU leaves the model invariant along',
      ).default(false),
    )
    .addOption(
      new Option('--at <location>', 'truth: at (U*, V*); perturbed: at --samples random points at distance --radius (implied by --radius or --samples)')
        .default(d.at)
        .argParser(oneOf('--at', hessianLocations)),
    )
    .addOption(new Option('--radius <distance>', 'Frobenius distance ‖(U, V) − (U*, V*)‖_F of the perturbed points').default(d.radius).argParser(nonNegativeNumber('--radius')))
    .addOption(new Option('--samples <count>', 'number of perturbed points, each along its own random direction').default(d.samples).argParser(positiveInteger('--samples')))
    .addOption(methodOption());
  addOutputOptions(command).action(async (options: Omit<HessianCommandOptions, 'explicit'>, self: Command) => {
    const { runHessianCommand } = await import('../commands/hessian.js');
    const explicit = (name: string): boolean => self.getOptionValueSource(name) === 'cli';
    runHessianCommand({ ...options, explicit: { at: explicit('at'), radius: explicit('radius'), samples: explicit('samples') } });
  });
  command.addCommand(sweepCommand(addOutputOptions));
  return command;
}
