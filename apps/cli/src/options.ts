import { movieLensConfigNames } from './experiments/movielens-configs.js';
import { activationNames, type ActivationName } from '@nimc/activations';
import type { MovieLensDataset } from '@nimc/datasets';
import { UsageError } from './errors.js';

/** A commander option-argument parser: receives the raw text and returns the parsed value. */
export type OptionParser<T> = (value: string) => T;

/** The dataset names `nimc movielens --dataset` accepts. */
export const datasetNames = ['ml-100k', 'ml-1m'] as const satisfies readonly MovieLensDataset[];

/** The optimizers `nimc synthetic --optimizer` accepts. */
export const optimizerNames = ['gd', 'adam', 'gauss-newton'] as const;

/** An optimizer name of `optimizerNames`. */
export type OptimizerName = (typeof optimizerNames)[number];

/** The configurations `nimc movielens --config` accepts. */
export const configNames = movieLensConfigNames;

// Plain decimal integers only: no sign, exponent, fraction or surrounding space.
const integerPattern = /^[0-9]+$/;

// A decimal number with an optional sign, fraction and exponent.
const numberPattern = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

function invalid(flag: string, expected: string, value: string): UsageError {
  return new UsageError(`invalid ${flag}: expected ${expected}, received ${JSON.stringify(value)}`);
}

function parseSafeInteger(flag: string, expected: string, value: string): number {
  const parsed = integerPattern.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed)) throw invalid(flag, expected, value);
  return parsed;
}

/** Largest length of one array of counts or values that the commands allocate, 2^31 − 1. */
export const maxArrayLength = 2 ** 31 - 1;

/**
 * Returns a parser for an integer ≥ 1, such as a rank, a dimension or a count. With `max`,
 * larger values are rejected as well, so that a size that cannot be allocated fails before
 * any work.
 */
export function positiveInteger(flag: string, max?: number): OptionParser<number> {
  return (value) => {
    const expected = max === undefined ? 'a positive integer' : `a positive integer ≤ ${max}`;
    const parsed = parseSafeInteger(flag, expected, value);
    if (parsed < 1 || (max !== undefined && parsed > max)) throw invalid(flag, expected, value);
    return parsed;
  };
}

/** Returns a parser for an integer ≥ 0, such as a seed. */
export function nonNegativeInteger(flag: string): OptionParser<number> {
  return (value) => parseSafeInteger(flag, 'a non-negative integer', value);
}

/** Returns a parser for a number in [0, 1], such as a mixing weight. */
export function unitInterval(flag: string): OptionParser<number> {
  return (value) => {
    const parsed = numberPattern.test(value) ? Number(value) : Number.NaN;
    if (!(parsed >= 0 && parsed <= 1)) throw invalid(flag, 'a number in [0, 1]', value);
    return parsed;
  };
}

/** Returns a parser for a finite number ≥ 0, such as a distance. */
export function nonNegativeNumber(flag: string): OptionParser<number> {
  return (value) => {
    const parsed = numberPattern.test(value) ? Number(value) : Number.NaN;
    if (!(parsed >= 0 && Number.isFinite(parsed))) throw invalid(flag, 'a finite number ≥ 0', value);
    return parsed;
  };
}

/**
 * Returns a parser for a comma-separated list such as "0,0.5,1", whose entries `item`
 * parses. Rejects an empty entry and a value listed twice.
 */
export function commaList<T>(flag: string, item: OptionParser<T>): OptionParser<T[]> {
  return (value) => {
    const entries = value.split(',');
    if (entries.some((entry) => entry === '')) throw invalid(flag, 'a comma-separated list without empty entries', value);
    const parsed = entries.map(item);
    if (new Set(parsed).size !== parsed.length) throw invalid(flag, 'a list without repeated values', value);
    return parsed;
  };
}

/** Returns a parser that accepts exactly one of `names`. */
export function oneOf<const T extends string>(flag: string, names: readonly T[]): OptionParser<T> {
  return (value) => {
    if (!(names as readonly string[]).includes(value)) throw invalid(flag, `one of ${names.join(', ')}`, value);
    return value as T;
  };
}

/** Returns a parser for an activation name of `activationNames`. */
export function activation(flag: string): OptionParser<ActivationName> {
  return oneOf(flag, activationNames);
}
