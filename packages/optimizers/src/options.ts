import type { IterationInfo, StoppingOptions } from './types.js';

/** Stopping options after defaults are applied and every value is checked. */
export interface ResolvedStopping {
  maxIterations: number;
  gradientTolerance: number;
  relativeTolerance: number;
  validation: ResolvedValidation | undefined;
  onIteration: ((info: IterationInfo) => void | boolean) | undefined;
  signal: AbortSignal | undefined;
}

/** Validation options after defaults are applied and every value is checked. */
export interface ResolvedValidation {
  evaluate: (x: Float64Array) => number;
  patience: number;
  interval: number;
  minDelta: number;
}

/** Formats a received value for an error message. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return `an object (${Object.prototype.toString.call(value)})`;
}

function readNumber(name: string, value: unknown, fallback: number, requirement: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') {
    throw new TypeError(`invalid ${name}: expected ${requirement}, received ${formatValue(value)}`);
  }
  return value;
}

function rejectRange(name: string, value: number, requirement: string): never {
  throw new RangeError(`invalid ${name}: expected ${requirement}, received ${formatValue(value)}`);
}

/** Reads an optional positive integer option. */
export function readPositiveInteger(name: string, value: unknown, fallback: number): number {
  const requirement = 'a positive integer';
  const number = readNumber(name, value, fallback, requirement);
  if (!Number.isSafeInteger(number) || number <= 0) rejectRange(name, number, requirement);
  return number;
}

/** Reads an optional finite number that must be greater than 0. */
export function readPositiveFinite(name: string, value: unknown, fallback: number): number {
  const requirement = 'a finite positive number';
  const number = readNumber(name, value, fallback, requirement);
  if (!Number.isFinite(number) || number <= 0) rejectRange(name, number, requirement);
  return number;
}

/** Reads an optional finite number that must be 0 or greater. */
export function readNonNegativeFinite(name: string, value: unknown, fallback: number): number {
  const requirement = 'a finite number ≥ 0';
  const number = readNumber(name, value, fallback, requirement);
  if (!Number.isFinite(number) || number < 0) rejectRange(name, number, requirement);
  return number;
}

/** Reads an optional probability-like rate in [0, 1), such as an Adam decay rate. */
export function readRate(name: string, value: unknown, fallback: number): number {
  const requirement = 'a number in [0, 1)';
  const number = readNumber(name, value, fallback, requirement);
  if (!(number >= 0 && number < 1)) rejectRange(name, number, requirement);
  return number;
}

/** Reads an optional number in the open interval (0, 1). */
export function readOpenUnitInterval(name: string, value: unknown, fallback: number): number {
  const requirement = 'a number in (0, 1)';
  const number = readNumber(name, value, fallback, requirement);
  if (!(number > 0 && number < 1)) rejectRange(name, number, requirement);
  return number;
}

/** Reads an optional finite number that must be 1 or greater. */
export function readGrowthFactor(name: string, value: unknown, fallback: number): number {
  const requirement = 'a finite number ≥ 1';
  const number = readNumber(name, value, fallback, requirement);
  if (!Number.isFinite(number) || number < 1) rejectRange(name, number, requirement);
  return number;
}

/** Checks that an options argument is an object or undefined. */
export function checkOptionsObject(options: unknown): void {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new TypeError(`invalid options: expected an object or undefined, received ${formatValue(options)}`);
  }
}

/** Checks that x0 is a Float64Array of finite numbers. */
export function checkStartingPoint(x0: unknown): asserts x0 is Float64Array {
  if (!(x0 instanceof Float64Array)) {
    throw new TypeError(`invalid x0: expected a Float64Array, received ${formatValue(x0)}`);
  }
  for (let i = 0; i < x0.length; i++) {
    const value = x0[i] as number;
    if (!Number.isFinite(value)) {
      throw new RangeError(`invalid x0: expected finite entries, received ${value} at index ${i}`);
    }
  }
}

/** Checks that `value` is a function. */
export function checkFunction(name: string, value: unknown): void {
  if (typeof value !== 'function') {
    throw new TypeError(`invalid ${name}: expected a function, received ${formatValue(value)}`);
  }
}

function resolveValidation(validation: unknown): ResolvedValidation | undefined {
  if (validation === undefined) return undefined;
  if (validation === null || typeof validation !== 'object') {
    throw new TypeError(
      `invalid validation: expected an object with evaluate and patience, received ${formatValue(validation)}`,
    );
  }
  const { evaluate, patience, interval, minDelta } = validation as Record<string, unknown>;
  checkFunction('validation.evaluate', evaluate);
  if (patience === undefined) {
    throw new TypeError('invalid validation.patience: expected a positive integer, received undefined');
  }
  return {
    evaluate: evaluate as (x: Float64Array) => number,
    patience: readPositiveInteger('validation.patience', patience, 0),
    interval: readPositiveInteger('validation.interval', interval, 1),
    minDelta: readNonNegativeFinite('validation.minDelta', minDelta, 0),
  };
}

/** Applies the defaults of the stopping options and checks every value. */
export function resolveStopping(options: StoppingOptions, defaultMaxIterations: number): ResolvedStopping {
  const { onIteration, signal } = options;
  if (onIteration !== undefined) checkFunction('onIteration', onIteration);
  if (signal !== undefined && (signal === null || typeof signal.aborted !== 'boolean')) {
    throw new TypeError(`invalid signal: expected an AbortSignal, received ${formatValue(signal)}`);
  }
  return {
    maxIterations: readPositiveInteger('maxIterations', options.maxIterations, defaultMaxIterations),
    gradientTolerance: readNonNegativeFinite('gradientTolerance', options.gradientTolerance, 0),
    relativeTolerance: readNonNegativeFinite('relativeTolerance', options.relativeTolerance, 0),
    validation: resolveValidation(options.validation),
    onIteration,
    signal,
  };
}
