import { describe, expect, it } from 'vitest';
import { createRandom } from '../src/index.js';

describe('createRandom', () => {
  it('repeats the same sequence for the same seed', () => {
    const first = createRandom(42);
    const second = createRandom(42);

    const a = [first.uniform(), first.gaussian(), first.integer(10), ...first.permutation(6)];
    const b = [second.uniform(), second.gaussian(), second.integer(10), ...second.permutation(6)];

    expect(a).toEqual(b);
    expect(createRandom(43).uniform()).not.toBe(createRandom(42).uniform());
  });

  it('draws standard normal values', () => {
    const random = createRandom('moments');
    const n = 200_000;
    let sum = 0;
    let squares = 0;
    for (let t = 0; t < n; t++) {
      const z = random.gaussian();
      sum += z;
      squares += z * z;
    }
    // Standard errors: 1/√n ≈ 0.0022 for the mean and √(2/n) ≈ 0.0032 for the variance.
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    expect(Math.abs(squares / n - 1)).toBeLessThan(0.015);
  });

  it('returns a permutation of 0..n−1', () => {
    const permutation = createRandom(1).permutation(1000);

    expect(Array.from(permutation).sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('draws integers inside [0, n)', () => {
    const random = createRandom(5);
    const counts = new Array<number>(3).fill(0);
    for (let t = 0; t < 3000; t++) counts[random.integer(3)]! += 1;

    for (const count of counts) expect(count).toBeGreaterThan(900);
  });

  it('rejects a bound that is not a positive integer', () => {
    expect(() => createRandom(0).integer(0)).toThrow('invalid bound: expected a positive integer, received 0');
  });
});
