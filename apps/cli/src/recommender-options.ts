import { UsageError } from './errors.js';
import type { OptionParser } from './options.js';

// A decimal number with an optional sign, fraction and exponent.
const numberPattern = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

function invalid(flag: string, expected: string, value: string): UsageError {
  return new UsageError(`invalid ${flag}: expected ${expected}, received ${JSON.stringify(value)}`);
}

function parseNumber(value: string): number {
  return numberPattern.test(value) ? Number(value) : Number.NaN;
}

/** Returns a parser for a finite number, such as a relevance threshold. */
export function finiteNumber(flag: string): OptionParser<number> {
  return (value) => {
    const parsed = parseNumber(value);
    if (!Number.isFinite(parsed)) throw invalid(flag, 'a finite number', value);
    return parsed;
  };
}

/** Returns a parser for a finite number > 0, such as a learning rate. */
export function positiveNumber(flag: string): OptionParser<number> {
  return (value) => {
    const parsed = parseNumber(value);
    if (!(parsed > 0 && Number.isFinite(parsed))) throw invalid(flag, 'a finite number > 0', value);
    return parsed;
  };
}

/** Returns a parser for a fraction in [0, 1), such as the share of held-out users. */
export function fraction(flag: string): OptionParser<number> {
  return (value) => {
    const parsed = parseNumber(value);
    if (!(parsed >= 0 && parsed < 1)) throw invalid(flag, 'a number in [0, 1)', value);
    return parsed;
  };
}

/** Returns a parser for a field delimiter: "comma", "tab", "\t" or one other character. */
export function delimiter(flag: string): OptionParser<string> {
  return (value) => {
    if (value === 'comma') return ',';
    if (value === 'tab' || value === '\\t' || value === '\t') return '\t';
    if (value === 'semicolon') return ';';
    if (value.length !== 1 || value === '"' || value === '\n' || value === '\r') {
      throw invalid(flag, 'comma, tab, semicolon or a single character other than a double quote or line break', value);
    }
    return value;
  };
}

/** Returns a parser for a comma-separated list of non-empty names. */
export function nameList(flag: string): OptionParser<string[]> {
  return (value) => {
    const names = value.split(',').map((name) => name.trim());
    if (names.some((name) => name === '')) throw invalid(flag, 'a comma-separated list of names', value);
    return names;
  };
}

/** Returns a parser for "all" or a comma-separated list of distinct ids. */
export function idSelection(flag: string): OptionParser<'all' | string[]> {
  const list = nameList(flag);
  return (value) => {
    if (value === 'all') return 'all';
    const ids = list(value);
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) throw new UsageError(`invalid ${flag}: the id ${JSON.stringify(id)} is listed twice in ${JSON.stringify(value)}; list each id once`);
      seen.add(id);
    }
    return ids;
  };
}
