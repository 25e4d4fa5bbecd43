import { describe, expect, it } from 'vitest';
import { CommandError } from '../src/errors.js';
import { formatFixed, formatJson, formatNumber, requireFinite } from '../src/output.js';

describe('requireFinite', () => {
  it('returns finite numbers', () => {
    expect(requireFinite('loss', 1.5)).toBe(1.5);
  });

  it('rejects NaN and infinities by name', () => {
    expect(() => requireFinite('test RMSE', Number.NaN)).toThrow(CommandError);
    expect(() => requireFinite('test RMSE', Number.NaN)).toThrow('the computed test RMSE is NaN');
    expect(() => requireFinite('loss', Number.POSITIVE_INFINITY)).toThrow('the computed loss is Infinity');
  });
});

describe('formatJson', () => {
  it('formats finite values with a newline', () => {
    const text = formatJson({ a: 1, b: [0.5, 'x'], c: { d: true } });

    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual({ a: 1, b: [0.5, 'x'], c: { d: true } });
  });

  it('rejects a nested non-finite number with its path', () => {
    expect(() => formatJson({ methods: { nimc: { rmse: [1, Number.NaN] } } })).toThrow(
      'the result field methods.nimc.rmse[1] is not a finite number',
    );
  });
});

describe('number formatting', () => {
  it('uses exponent notation for small values', () => {
    expect(formatNumber(2.6557e-6, 3)).toBe('2.66e-6');
    expect(formatNumber(0.356, 3)).toBe('0.356');
    expect(formatNumber(0, 3)).toBe('0.00');
  });

  it('signs fixed values on request', () => {
    expect(formatFixed(0.01234, 4, true)).toBe('+0.0123');
    expect(formatFixed(-0.01234, 4, true)).toBe('-0.0123');
    expect(formatFixed(1.01999, 4)).toBe('1.0200');
  });

  it('rejects non-finite values', () => {
    expect(() => formatFixed(Number.NaN, 4)).toThrow(CommandError);
    expect(() => formatNumber(Number.NEGATIVE_INFINITY)).toThrow(CommandError);
  });
});
