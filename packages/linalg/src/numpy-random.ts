/**
 * NumPy's default generator, `numpy.random.default_rng(seed)`: PCG64 (XSL-RR output)
 * seeded through SeedSequence. Only what a seeded shuffle needs is here, so that an
 * integer seed selects the same permutation in nimc as in NumPy.
 */

const MASK32 = 0xffffffff;
const MASK64 = (1n << 64n) - 1n;
const MASK128 = (1n << 128n) - 1n;
const PCG_MULTIPLIER = 0x2360ed051fc65da44385df649fccf645n;

// Constants of NumPy's SeedSequence (numpy/random/bit_generator.pyx).
const POOL_SIZE = 4;
const INIT_A = 0x43b0d7e5;
const MULT_A = 0x931e8875;
const INIT_B = 0x8b51f9dd;
const MULT_B = 0x58f38ded;
const MIX_MULT_L = 0xca01f9dd;
const MIX_MULT_R = 0x4973f715;

// Splits a non-negative integer into 32-bit words, least significant first; 0 gives [0].
function entropyWords(seed: number): number[] {
  if (seed === 0) return [0];
  const words: number[] = [];
  let rest = BigInt(seed);
  while (rest > 0n) {
    words.push(Number(rest & 0xffffffffn));
    rest >>= 32n;
  }
  return words;
}

// SeedSequence(seed).generate_state(4, uint64), as four 64-bit words.
function seedSequenceState(seed: number): bigint[] {
  let hashConst = INIT_A;
  const hashMix = (value: number): number => {
    let v = (value ^ hashConst) >>> 0;
    hashConst = Math.imul(hashConst, MULT_A) >>> 0;
    v = Math.imul(v, hashConst) >>> 0;
    return (v ^ (v >>> 16)) >>> 0;
  };
  const mix = (x: number, y: number): number => {
    const result = (Math.imul(MIX_MULT_L, x) - Math.imul(MIX_MULT_R, y)) >>> 0;
    return (result ^ (result >>> 16)) >>> 0;
  };

  const entropy = entropyWords(seed);
  const pool = new Array<number>(POOL_SIZE);
  for (let i = 0; i < POOL_SIZE; i++) pool[i] = hashMix(i < entropy.length ? (entropy[i] as number) : 0);
  for (let source = 0; source < POOL_SIZE; source++) {
    for (let target = 0; target < POOL_SIZE; target++) {
      if (source !== target) pool[target] = mix(pool[target] as number, hashMix(pool[source] as number));
    }
  }
  for (let source = POOL_SIZE; source < entropy.length; source++) {
    for (let target = 0; target < POOL_SIZE; target++) {
      pool[target] = mix(pool[target] as number, hashMix(entropy[source] as number));
    }
  }

  let stateConst = INIT_B;
  const words: number[] = [];
  for (let i = 0; i < 2 * POOL_SIZE; i++) {
    let v = ((pool[i % POOL_SIZE] as number) ^ stateConst) >>> 0;
    stateConst = Math.imul(stateConst, MULT_B) >>> 0;
    v = Math.imul(v, stateConst) >>> 0;
    words.push((v ^ (v >>> 16)) >>> 0);
  }
  // Pairs of 32-bit words read as little-endian 64-bit words.
  return [0, 1, 2, 3].map((k) => (BigInt(words[2 * k + 1] as number) << 32n) | BigInt(words[2 * k] as number));
}

/** The bit stream of `numpy.random.default_rng(seed)`. */
export interface NumpyBitGenerator {
  /** The next 64-bit output, as `bit_generator.random_raw()` returns it. */
  nextUint64(): bigint;
  /** The next 32-bit output: the low half of a 64-bit output, then its high half. */
  nextUint32(): number;
  /** An integer from 0 to max inclusive, by NumPy's masked rejection (`random_interval`). */
  interval(max: number): number;
}

/**
 * Creates the bit generator of `numpy.random.default_rng(seed)` for a non-negative
 * safe integer seed.
 */
export function createNumpyBitGenerator(seed: number): NumpyBitGenerator {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`invalid seed: expected a non-negative integer up to 2^53 - 1, received ${seed}`);
  }
  const [s0, s1, s2, s3] = seedSequenceState(seed) as [bigint, bigint, bigint, bigint];
  const initialState = (s0 << 64n) | s1;
  const sequence = (s2 << 64n) | s3;
  const increment = ((sequence << 1n) | 1n) & MASK128;
  let state = 0n;
  const step = (): void => {
    state = (state * PCG_MULTIPLIER + increment) & MASK128;
  };
  step();
  state = (state + initialState) & MASK128;
  step();

  let spare: number | undefined;
  const nextUint64 = (): bigint => {
    step();
    const high = state >> 64n;
    const folded = (high ^ state) & MASK64;
    const rotation = high >> 58n;
    return ((folded >> rotation) | (folded << ((64n - rotation) & 63n))) & MASK64;
  };
  const nextUint32 = (): number => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    const next = nextUint64();
    spare = Number(next >> 32n);
    return Number(next & 0xffffffffn);
  };
  const interval = (max: number): number => {
    if (!Number.isInteger(max) || max < 0 || max > MASK32) {
      throw new RangeError(`invalid max: expected an integer from 0 to ${MASK32}, received ${max}`);
    }
    if (max === 0) return 0;
    let mask = max;
    for (let shift = 1; shift <= 16; shift *= 2) mask |= mask >>> shift;
    mask >>>= 0;
    for (;;) {
      const value = (nextUint32() & mask) >>> 0;
      if (value <= max) return value;
    }
  };
  return { nextUint64, nextUint32, interval };
}

/**
 * Returns `numpy.random.default_rng(seed).permutation(n)`: the same Fisher–Yates shuffle
 * of 0, 1, …, n−1 from the same bit stream, so the result is identical to NumPy's.
 */
export function numpyPermutation(seed: number, n: number): Int32Array {
  if (!Number.isInteger(n) || n < 0 || n > 2 ** 31 - 1) {
    throw new RangeError(`invalid n: expected an integer from 0 to 2^31 - 1, received ${n}`);
  }
  const bits = createNumpyBitGenerator(seed);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = bits.interval(i);
    const swap = out[i] as number;
    out[i] = out[j] as number;
    out[j] = swap;
  }
  return out;
}
