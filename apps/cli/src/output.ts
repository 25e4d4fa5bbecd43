import { CommandError } from './errors.js';

/**
 * Returns `value` when it is a finite number, and throws a CommandError that names the
 * quantity otherwise, so that NaN or Infinity is never printed as a result.
 */
export function requireFinite(name: string, value: number): number {
  if (!Number.isFinite(value)) {
    throw new CommandError(`the computed ${name} is ${value}, which is not a finite number. The run produced no valid result.`);
  }
  return value;
}

// Finds the first non-finite number in a JSON-like value and returns its path, such as
// "methods.nimc.rmse[2]".
function findNonFinite(value: unknown, path: string): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNonFinite(value[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, entry] of Object.entries(value)) {
      const found = findNonFinite(entry, path === '' ? key : `${path}.${key}`);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * Formats `value` as indented JSON followed by a newline. Throws a CommandError when it
 * contains NaN or ±Infinity, which JSON.stringify would silently turn into null.
 */
export function formatJson(value: unknown): string {
  const path = findNonFinite(value, '');
  if (path !== undefined) {
    throw new CommandError(`the result field ${path === '' ? '(root)' : path} is not a finite number. The run produced no valid result.`);
  }
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Formats a number with `digits` significant digits, in exponent notation below 1e-3. */
export function formatNumber(value: number, digits = 4): string {
  requireFinite('value', value);
  if (value !== 0 && Math.abs(value) < 1e-3) return value.toExponential(digits - 1);
  return value.toPrecision(digits);
}

/** Formats a number with a fixed number of decimals, with a leading "+" when `signed` is set. */
export function formatFixed(value: number, decimals: number, signed = false): string {
  requireFinite('value', value);
  const text = value.toFixed(decimals);
  return signed && !text.startsWith('-') ? `+${text}` : text;
}

/** Formats a duration in seconds with two decimals, such as "1.25 s". */
export function formatSeconds(seconds: number): string {
  return `${seconds.toFixed(2)} s`;
}
