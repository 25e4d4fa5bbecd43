// A decimal number: optional sign, digits with an optional fraction (or a fraction alone),
// and an optional exponent. Hexadecimal, binary, "Infinity" and empty text do not match.
const decimalPattern = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

// Spellings of NaN and infinity that spreadsheets and numeric libraries write.
const nonFinitePattern = /^[+-]?(?:nan|inf|infinity)$/i;

/** Classification of a text field as a number. */
export type NumberParse =
  | { kind: 'number'; value: number }
  /** NaN, ±Infinity, or a decimal that overflows to ±Infinity, such as 1e999. */
  | { kind: 'non-finite' }
  | { kind: 'empty' }
  | { kind: 'text' };

/** Returns the finite value of a decimal number, or undefined for any other text. */
export function parseFiniteNumber(text: string): number | undefined {
  if (!decimalPattern.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** Classifies `text` (already trimmed) as a finite number, a non-finite one, empty, or text. */
export function classifyNumber(text: string): NumberParse {
  if (text === '') return { kind: 'empty' };
  if (decimalPattern.test(text)) {
    const value = Number(text);
    return Number.isFinite(value) ? { kind: 'number', value } : { kind: 'non-finite' };
  }
  return nonFinitePattern.test(text) ? { kind: 'non-finite' } : { kind: 'text' };
}

/** Returns true when `text` is a decimal number or a spelling of NaN or infinity. */
export function looksNumeric(text: string): boolean {
  return decimalPattern.test(text) || nonFinitePattern.test(text);
}
