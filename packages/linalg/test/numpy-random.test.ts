import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createNumpyBitGenerator, numpyPermutation } from '../src/index.js';

interface Fixture {
  raw: { seed: number; values: string[] }[];
  permutations: { seed: number; n: number; values: number[] }[];
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/numpy-random.json', import.meta.url), 'utf8')) as Fixture;

describe('createNumpyBitGenerator', () => {
  it.each(fixture.raw)('matches the raw PCG64 outputs of default_rng($seed)', ({ seed, values }) => {
    const bits = createNumpyBitGenerator(seed);
    expect(values.map(() => bits.nextUint64().toString())).toEqual(values);
  });

  it('splits each 64-bit output into its low and then its high 32 bits', () => {
    const whole = createNumpyBitGenerator(7).nextUint64();
    const halves = createNumpyBitGenerator(7);
    const low = halves.nextUint32();
    const high = halves.nextUint32();
    expect((BigInt(high) << 32n) | BigInt(low)).toBe(whole);
  });

  it('rejects seeds that NumPy would read differently', () => {
    expect(() => createNumpyBitGenerator(-1)).toThrow('invalid seed: expected a non-negative integer up to 2^53 - 1, received -1');
    expect(() => createNumpyBitGenerator(1.5)).toThrow('received 1.5');
    expect(() => createNumpyBitGenerator(2 ** 53)).toThrow('invalid seed');
  });

  it('draws interval values within the bound', () => {
    const bits = createNumpyBitGenerator(3);
    for (let t = 0; t < 1000; t++) {
      const value = bits.interval(4);
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(4);
    }
    expect(bits.interval(0)).toBe(0);
    expect(() => bits.interval(-1)).toThrow('invalid max');
  });
});

describe('numpyPermutation', () => {
  it.each(fixture.permutations)('equals default_rng($seed).permutation($n)', ({ seed, n, values }) => {
    expect(Array.from(numpyPermutation(seed, n))).toEqual(values);
  });

  it('returns an empty permutation for n = 0 and rejects a negative n', () => {
    expect(numpyPermutation(0, 0).length).toBe(0);
    expect(() => numpyPermutation(0, -2)).toThrow('invalid n: expected an integer from 0 to 2^31 - 1, received -2');
  });
});
