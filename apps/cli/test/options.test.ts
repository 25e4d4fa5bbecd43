import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import { activation, commaList, nonNegativeInteger, nonNegativeNumber, oneOf, positiveInteger, unitInterval } from '../src/options.js';

function messageOf(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected the parser to throw');
}

describe('positiveInteger', () => {
  const parse = positiveInteger('--rank');

  it('accepts decimal integers', () => {
    expect(parse('1')).toBe(1);
    expect(parse('50')).toBe(50);
    expect(parse('007')).toBe(7);
  });

  it('rejects zero with the flag and value', () => {
    expect(messageOf(() => parse('0'))).toBe('invalid --rank: expected a positive integer, received "0"');
  });

  it('rejects non-integers', () => {
    for (const value of ['abc', '2.5', '-3', '+3', '1e3', '', ' 5', '0x10', 'Infinity', '99999999999999999999']) {
      expect(messageOf(() => parse(value)), value).toBe(
        `invalid --rank: expected a positive integer, received ${JSON.stringify(value)}`,
      );
    }
  });
});

describe('nonNegativeInteger', () => {
  const parse = nonNegativeInteger('--seed');

  it('accepts zero and positive integers', () => {
    expect(parse('0')).toBe(0);
    expect(parse('12345')).toBe(12345);
  });

  it('rejects negative and fractional values', () => {
    expect(messageOf(() => parse('-1'))).toBe('invalid --seed: expected a non-negative integer, received "-1"');
    expect(messageOf(() => parse('1.5'))).toBe('invalid --seed: expected a non-negative integer, received "1.5"');
  });
});

describe('unitInterval', () => {
  const parse = unitInterval('--alpha');

  it('accepts numbers in [0, 1]', () => {
    expect(parse('0')).toBe(0);
    expect(parse('1')).toBe(1);
    expect(parse('0.25')).toBe(0.25);
    expect(parse('.5')).toBe(0.5);
    expect(parse('1e-1')).toBe(0.1);
  });

  it('rejects values outside [0, 1]', () => {
    for (const value of ['2', '-0.1', '1.0001', 'abc', '', 'NaN', '0.5x']) {
      expect(messageOf(() => parse(value)), value).toBe(
        `invalid --alpha: expected a number in [0, 1], received ${JSON.stringify(value)}`,
      );
    }
  });
});

describe('oneOf and activation', () => {
  it('accepts listed names', () => {
    expect(oneOf('--dataset', ['ml-100k', 'ml-1m'])('ml-1m')).toBe('ml-1m');
    expect(activation('--activation')('relu')).toBe('relu');
  });

  it('lists the valid names on error', () => {
    expect(messageOf(() => oneOf('--dataset', ['ml-100k', 'ml-1m'])('ml-10m'))).toBe(
      'invalid --dataset: expected one of ml-100k, ml-1m, received "ml-10m"',
    );
    expect(messageOf(() => activation('--activation')('softplus'))).toBe(
      'invalid --activation: expected one of sigmoid, tanh, relu, identity, received "softplus"',
    );
  });
});

describe('nonNegativeNumber', () => {
  const parse = nonNegativeNumber('--radius');

  it('accepts zero and positive numbers', () => {
    expect(parse('0')).toBe(0);
    expect(parse('2.5')).toBe(2.5);
    expect(parse('1e-3')).toBe(0.001);
  });

  it('rejects negative, infinite and malformed values', () => {
    for (const value of ['-1', '-0.5', 'Infinity', '1e999', 'abc', '', ' 1']) {
      expect(messageOf(() => parse(value)), value).toBe(
        `invalid --radius: expected a finite number ≥ 0, received ${JSON.stringify(value)}`,
      );
    }
  });
});

describe('commaList', () => {
  const parse = commaList('--radii', nonNegativeNumber('--radii'));

  it('parses each entry in order', () => {
    expect(parse('0.5,0,2')).toEqual([0.5, 0, 2]);
    expect(parse('3')).toEqual([3]);
  });

  it('reports the invalid entry', () => {
    expect(messageOf(() => parse('0,-1'))).toBe('invalid --radii: expected a finite number ≥ 0, received "-1"');
  });

  it('rejects empty entries', () => {
    for (const value of ['', '1,', ',1', '1,,2']) {
      expect(messageOf(() => parse(value)), value).toBe(
        `invalid --radii: expected a comma-separated list without empty entries, received ${JSON.stringify(value)}`,
      );
    }
  });

  it('rejects repeated values', () => {
    expect(messageOf(() => parse('1,2,1'))).toBe('invalid --radii: expected a list without repeated values, received "1,2,1"');
  });

  it('works with names', () => {
    expect(commaList('--activation', activation('--activation'))('relu,tanh')).toEqual(['relu', 'tanh']);
  });
});
