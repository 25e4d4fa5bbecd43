/** The mapping of an axis from data values to positions. */
export type AxisScale = 'linear' | 'log';

/** The scales a plot axis accepts. */
export const axisScales = ['linear', 'log'] as const;

/** An axis: its data range, its tick values and the map from a value to a fraction of its length. */
export interface Axis {
  scale: AxisScale;
  /** Smallest and largest values the axis shows. */
  min: number;
  max: number;
  ticks: number[];
  /** Maps a value to its position along the axis, 0 at `min` and 1 at `max`. */
  position(value: number): number;
}

/** Returns true when `value` can be drawn on an axis with `scale`. */
export function isDrawable(value: number, scale: AxisScale): boolean {
  return Number.isFinite(value) && (scale === 'linear' || value > 0);
}

// A step of 1, 2 or 5 times a power of ten that divides `span` into about `parts` parts.
function roundStep(span: number, parts: number): number {
  const raw = span / parts;
  const power = 10 ** Math.floor(Math.log10(raw));
  const mantissa = raw / power;
  if (mantissa < 1.5) return power;
  if (mantissa < 3.5) return 2 * power;
  if (mantissa < 7.5) return 5 * power;
  return 10 * power;
}

function linearAxis(low: number, high: number): Axis {
  if (low === high) {
    const pad = low === 0 ? 1 : Math.abs(low) / 10;
    low -= pad;
    high += pad;
  }
  const step = roundStep(high - low, 5);
  const first = Math.floor(low / step);
  const last = Math.ceil(high / step);
  const ticks: number[] = [];
  // Multiplying integers by the step, instead of adding steps, keeps rounding errors from piling up.
  for (let i = first; i <= last; i++) ticks.push(Number((i * step).toPrecision(12)));
  const min = first * step;
  const max = last * step;
  return { scale: 'linear', min, max, ticks, position: (value) => (value - min) / (max - min) };
}

// Splits a positive value into mantissa·10^exponent with the mantissa in [1, 10), correcting
// a log10 that rounds across a power of ten.
function decompose(value: number): { mantissa: number; power: number } {
  let power = 10 ** Math.floor(Math.log10(value));
  if (value / power >= 10 * (1 - 1e-12)) power *= 10;
  if (value / power < 1 - 1e-12) power /= 10;
  return { mantissa: value / power, power };
}

// The largest of 1, 2 and 5 times a power of ten that is at most `value` (up to rounding).
function roundValueAtOrBelow(value: number): number {
  const { mantissa, power } = decompose(value);
  const scaled = mantissa * (1 + 1e-12);
  let base = 1;
  if (scaled >= 5) base = 5;
  else if (scaled >= 2) base = 2;
  return Number((base * power).toPrecision(12));
}

// The next value of the sequence 1, 2, 5, 10, 20, … after `value`, which is one of them.
function nextRoundValue(value: number): number {
  const { mantissa, power } = decompose(value);
  let next = 10;
  if (mantissa < 1.5) next = 2;
  else if (mantissa < 3.5) next = 5;
  return Number((next * power).toPrecision(12));
}

function logAxisFrom(min: number, max: number, ticks: number[]): Axis {
  const low = Math.log10(min);
  const span = Math.log10(max) - low;
  return { scale: 'log', min, max, ticks, position: (value) => (Math.log10(value) - low) / span };
}

function logAxis(low: number, high: number): Axis {
  // Short ranges end at the nearest 1-2-5 values around the data and tick at each of them.
  const min = roundValueAtOrBelow(low);
  let max = min;
  while (max < high) max = nextRoundValue(max);
  if (min === max) max = nextRoundValue(max);
  if (max / min <= 100) {
    const ticks = [min];
    while ((ticks[ticks.length - 1] as number) < max) ticks.push(nextRoundValue(ticks[ticks.length - 1] as number));
    return logAxisFrom(min, max, ticks);
  }

  // Longer ranges end at powers of ten, with at most about eight of them labelled.
  const lowExponent = Math.floor(Math.log10(low));
  const highExponent = Math.ceil(Math.log10(high));
  const stride = Math.ceil((highExponent - lowExponent) / 8);
  const ticks: number[] = [];
  for (let e = lowExponent; e <= highExponent; e += stride) ticks.push(Number((10 ** e).toPrecision(12)));
  return logAxisFrom(10 ** lowExponent, 10 ** highExponent, ticks);
}

/**
 * Creates an axis that covers every drawable value in `values`. A linear axis ticks at round
 * 1-2-5 steps. A log axis ends and ticks at values 1, 2 or 5 times a power of ten when it
 * spans at most two decades, and at powers of ten otherwise. Values that cannot be drawn
 * (not finite, or ≤ 0 on a log axis) are ignored. Without any drawable value the axis spans
 * [0, 1] or [1, 10].
 */
export function createAxis(values: Iterable<number>, scale: AxisScale): Axis {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    if (!isDrawable(value, scale)) continue;
    low = Math.min(low, value);
    high = Math.max(high, value);
  }
  if (low > high) return scale === 'log' ? logAxis(1, 10) : linearAxis(0, 1);
  return scale === 'log' ? logAxis(low, high) : linearAxis(low, high);
}

/**
 * Formats a tick or cell value with at most `digits` significant digits: plain below 1e5 and
 * from 1e-3 on, and as "2.5e-4" outside that range.
 */
export function formatTick(value: number, digits = 3): string {
  if (value === 0) return '0';
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 1e5 || magnitude < 1e-3) {
    const [mantissa, exponent] = value.toExponential(digits - 1).split('e') as [string, string];
    return `${Number(mantissa)}e${Number(exponent)}`;
  }
  return String(Number(value.toPrecision(digits)));
}
