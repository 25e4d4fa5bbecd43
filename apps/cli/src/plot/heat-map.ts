import { formatTick } from './scale.js';
import { checkPositiveSize, element, escapeXml, estimateTextWidth, formatCoordinate, svgDocument } from './xml.js';

/** Options of `heatMap`. */
export interface HeatMapOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  /** Column labels, left to right. */
  x: readonly (string | number)[];
  /** Row labels. Row 0 is drawn at the bottom. */
  y: readonly (string | number)[];
  /** values[i][j] belongs to row y[i] and column x[j]. A null or NaN marks a missing value. */
  values: readonly (readonly (number | null)[])[];
  /** Ends of the colour scale. Default: the smallest and largest finite value. */
  min?: number;
  max?: number;
  /** Caption of the colour bar. */
  colorLabel?: string;
  /** Prints each value in its cell. Default false. */
  cellLabels?: boolean;
  /** Size of the SVG document in pixels. Default 640 × 420. */
  width?: number;
  height?: number;
}

// Samples of the viridis colour map at 0, 1/8, …, 1, interpolated linearly in RGB.
const viridis: readonly (readonly [number, number, number])[] = [
  [68, 1, 84],
  [72, 40, 120],
  [62, 73, 137],
  [49, 104, 142],
  [38, 130, 142],
  [31, 158, 137],
  [53, 183, 121],
  [110, 206, 88],
  [253, 231, 37],
];

const missingColor = '#d9d9d9';
const fontSize = 12;

/** Returns the viridis colour of `fraction` in [0, 1] (clamped) as "#rrggbb". */
export function viridisColor(fraction: number): string {
  const clamped = Math.min(1, Math.max(0, fraction));
  const position = clamped * (viridis.length - 1);
  const lower = Math.min(viridis.length - 2, Math.floor(position));
  const weight = position - lower;
  const a = viridis[lower] as readonly [number, number, number];
  const b = viridis[lower + 1] as readonly [number, number, number];
  const channel = (c: 0 | 1 | 2): string =>
    Math.round(a[c] + weight * (b[c] - a[c]))
      .toString(16)
      .padStart(2, '0');
  return `#${channel(0)}${channel(1)}${channel(2)}`;
}

function checkGrid(options: HeatMapOptions): void {
  if (options.x.length === 0) throw new RangeError('invalid x: expected at least one column label, received none');
  if (options.y.length === 0) throw new RangeError('invalid y: expected at least one row label, received none');
  if (options.values.length !== options.y.length) {
    throw new RangeError(`invalid values: expected ${options.y.length} rows, one per y label, received ${options.values.length}`);
  }
  options.values.forEach((row, i) => {
    if (row.length !== options.x.length) {
      throw new RangeError(`invalid values[${i}]: expected ${options.x.length} values, one per x label, received ${row.length}`);
    }
  });
}

function colorRange(options: HeatMapOptions): [number, number] {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const row of options.values) {
    for (const value of row) {
      if (value === null || !Number.isFinite(value)) continue;
      low = Math.min(low, value);
      high = Math.max(high, value);
    }
  }
  const min = options.min ?? (low <= high ? low : 0);
  const max = options.max ?? (low <= high ? high : 1);
  if (!(Number.isFinite(min) && Number.isFinite(max) && min <= max)) {
    throw new RangeError(`invalid colour range: expected finite min ≤ max, received min = ${min}, max = ${max}`);
  }
  return [min, max];
}

function labelText(label: string | number): string {
  return typeof label === 'number' ? formatTick(label, 4) : label;
}

/**
 * Draws a heat map as a standalone SVG document: one cell per value, coloured with viridis
 * between `min` and `max`, missing values in grey, and a colour bar on the right. Throws a
 * RangeError when the value grid does not match the labels or the colour range is invalid.
 */
export function heatMap(options: HeatMapOptions): string {
  const width = options.width ?? 640;
  const height = options.height ?? 420;
  checkPositiveSize('width', width);
  checkPositiveSize('height', height);
  checkGrid(options);
  const [min, max] = colorRange(options);
  const span = max - min;

  const rowLabelWidth = Math.max(...options.y.map((label) => estimateTextWidth(labelText(label), fontSize)));
  const left = 36 + rowLabelWidth;
  const right = 90;
  const frame = { left, top: 40, width: Math.max(40, width - left - right), height: Math.max(40, height - 40 - 56) };
  const columns = options.x.length;
  const rows = options.y.length;
  const cellWidth = frame.width / columns;
  const cellHeight = frame.height / rows;

  const parts: string[] = [];
  parts.push(
    element('text', { x: width / 2, y: 24, 'font-size': 14, 'font-weight': 'bold', 'text-anchor': 'middle' }, escapeXml(options.title)),
  );
  options.values.forEach((row, i) => {
    // Row 0 sits at the bottom, as on a y axis.
    const y = frame.top + (rows - 1 - i) * cellHeight;
    row.forEach((value, j) => {
      const x = frame.left + j * cellWidth;
      const missing = value === null || !Number.isFinite(value);
      const fraction = missing || span === 0 ? 0.5 : (value - min) / span;
      const fill = missing ? missingColor : viridisColor(fraction);
      const tooltip = `${labelText(options.x[j] as string | number)}, ${labelText(options.y[i] as string | number)}: ${missing ? 'missing' : formatTick(value, 4)}`;
      parts.push(element('rect', { x, y, width: cellWidth, height: cellHeight, fill }, element('title', {}, escapeXml(tooltip))));
      if (options.cellLabels === true && !missing) {
        const textColor = fraction > 0.6 ? '#000000' : '#ffffff';
        parts.push(
          element(
            'text',
            { x: x + cellWidth / 2, y: y + cellHeight / 2 + 4, 'font-size': 10, 'text-anchor': 'middle', fill: textColor },
            escapeXml(formatTick(value, 2)),
          ),
        );
      }
    });
  });
  parts.push(element('rect', { x: frame.left, y: frame.top, width: frame.width, height: frame.height, fill: 'none', stroke: '#333333' }));

  const bottom = frame.top + frame.height;
  options.x.forEach((label, j) => {
    const x = frame.left + (j + 0.5) * cellWidth;
    parts.push(element('text', { x, y: bottom + 18, 'font-size': fontSize, 'text-anchor': 'middle' }, escapeXml(labelText(label))));
  });
  options.y.forEach((label, i) => {
    const y = frame.top + (rows - 1 - i + 0.5) * cellHeight + 4;
    parts.push(element('text', { x: frame.left - 8, y, 'font-size': fontSize, 'text-anchor': 'end' }, escapeXml(labelText(label))));
  });
  parts.push(
    element('text', { x: frame.left + frame.width / 2, y: height - 12, 'font-size': fontSize, 'text-anchor': 'middle' }, escapeXml(options.xLabel)),
  );
  const yCenter = frame.top + frame.height / 2;
  parts.push(
    element(
      'text',
      { x: 14, y: yCenter, 'font-size': fontSize, 'text-anchor': 'middle', transform: `rotate(-90 14 ${formatCoordinate(yCenter)})` },
      escapeXml(options.yLabel),
    ),
  );
  parts.push(drawColorBar(frame.left + frame.width + 20, frame.top, frame.height, min, max, options.colorLabel));
  return svgDocument(width, height, parts.join('\n'));
}

// A vertical bar of 32 colour steps, with the range ends labelled and the caption above it.
function drawColorBar(left: number, top: number, height: number, min: number, max: number, caption: string | undefined): string {
  const steps = 32;
  const parts: string[] = [];
  for (let s = 0; s < steps; s++) {
    const y = top + height - ((s + 1) * height) / steps;
    parts.push(element('rect', { x: left, y, width: 16, height: height / steps + 0.5, fill: viridisColor((s + 0.5) / steps) }));
  }
  parts.push(element('rect', { x: left, y: top, width: 16, height, fill: 'none', stroke: '#333333' }));
  parts.push(element('text', { x: left + 22, y: top + 10, 'font-size': fontSize }, escapeXml(formatTick(max, 3))));
  parts.push(element('text', { x: left + 22, y: top + height, 'font-size': fontSize }, escapeXml(formatTick(min, 3))));
  if (caption !== undefined) {
    parts.push(element('text', { x: left, y: top - 8, 'font-size': fontSize }, escapeXml(caption)));
  }
  return parts.join('\n');
}
