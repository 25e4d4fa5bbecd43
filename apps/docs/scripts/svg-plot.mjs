// Small SVG plotting helpers for the docs site: a line plot with linear or log axes, an
// annotated heat map and a horizontal bar chart. Each returns a standalone SVG document as a
// string and uses no DOM, so they run in Node (the experiment page generator) and in the
// browser (the playground).

/** Colours that stay distinguishable under the common forms of colour blindness (Okabe–Ito). */
export const seriesColors = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];

const font = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"';
const margin = { top: 36, right: 20, bottom: 52, left: 72 };

/** Escapes the five characters that are special in XML text and attribute values. */
export function escapeXml(text) {
  return String(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Formats a number for an axis tick or a cell label with at most `digits` significant digits. */
export function formatNumber(value, digits = 3) {
  if (value === 0) return '0';
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 1e5 || magnitude < 1e-3) {
    const [mantissa, exponent] = value.toExponential(digits - 1).split('e');
    return `${Number(mantissa)}e${Number(exponent)}`;
  }
  return String(Number(value.toPrecision(digits)));
}

// Returns the step 1, 2 or 5 times a power of ten that splits [min, max] into about `count` parts.
function niceStep(span, count) {
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  if (fraction <= 1.5) return power;
  if (fraction <= 3.5) return 2 * power;
  if (fraction <= 7.5) return 5 * power;
  return 10 * power;
}

// Returns the ticks 1, 2 and 5 times a power of ten from the largest one at or below `min` to
// the smallest one at or above `max`, so that a short range fills the axis.
function logTicksWithinTwoDecades(min, max) {
  const candidates = [];
  for (let e = Math.floor(Math.log10(min)) - 1; e <= Math.ceil(Math.log10(max)) + 1; e++) {
    for (const mantissa of [1, 2, 5]) candidates.push(Number(`${mantissa}e${e}`));
  }
  let first = 0;
  while (candidates[first + 1] <= min) first++;
  let last = first;
  while (candidates[last] < max) last++;
  const ticks = candidates.slice(first, last + 1);
  return { ticks, domain: [ticks[0], ticks[ticks.length - 1]] };
}

/**
 * Returns tick values that cover [min, max]: multiples of a 1-2-5 step on a linear axis, and
 * powers of ten on a log axis, or 1, 2 and 5 times a power of ten when max/min is at most 100.
 * Also returns the padded domain that the ticks span.
 */
export function axisTicks(min, max, scale) {
  if (scale === 'log') {
    // 10 ** -5 is 0.000009999999999999999 in floating point, and Number('1e-5') is exact.
    const power = (exponent) => Number(`1e${exponent}`);
    if (max / min <= 100) return logTicksWithinTwoDecades(min, max);
    const low = Math.floor(Math.log10(min));
    const decades = Math.max(1, Math.ceil(Math.log10(max)) - low);
    const stride = Math.max(1, Math.ceil(decades / 8));
    const high = low + Math.ceil(decades / stride) * stride;
    const ticks = [];
    for (let e = low; e <= high; e += stride) ticks.push(power(e));
    if (decades < 2) {
      for (let e = low; e < high; e++) ticks.push(2 * power(e), 5 * power(e));
      ticks.sort((a, b) => a - b);
    }
    return { ticks, domain: [power(low), power(high)] };
  }
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= pad;
    max += pad;
  }
  // Ticks are integer multiples of the step, so that zero is exactly 0 and not a rounding
  // residue such as 1.39e-17.
  const step = niceStep(max - min, 5);
  const first = Math.floor(min / step);
  const last = Math.ceil(max / step);
  const ticks = [];
  for (let i = first; i <= last; i++) ticks.push(Number((i * step).toPrecision(12)));
  return { ticks, domain: [ticks[0], ticks[ticks.length - 1]] };
}

function scaleFunction(domain, range, scale) {
  const transform = scale === 'log' ? Math.log10 : (v) => v;
  const [d0, d1] = domain.map(transform);
  const [r0, r1] = range;
  return (value) => r0 + ((transform(value) - d0) / (d1 - d0)) * (r1 - r0);
}

function usable(value, scale) {
  return Number.isFinite(value) && (scale !== 'log' || value > 0);
}

function extent(values) {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return [min, max];
}

// Returns the font size of a title: 15 px, or smaller down to 10 px when a title of average
// glyph width 0.6 em would not fit between 12 px margins.
export function titleFontSize(title, width) {
  const fitting = (width - 24) / (0.6 * Math.max(1, String(title).length));
  return Math.max(10, Math.min(15, Math.floor(fitting * 10) / 10));
}

function svgOpen(width, height, title) {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="${titleFontSize(title, width)}" font-weight="600" ${font}>${escapeXml(title)}</text>`,
  ];
}

// `below` is the height in pixels that a legend takes under the x-axis label.
function axisLabels(parts, width, height, xLabel, yLabel, plotRight, below = 0) {
  const centerX = (margin.left + plotRight) / 2;
  const centerY = (margin.top + height - below - margin.bottom) / 2;
  parts.push(`<text x="${centerX}" y="${height - below - 10}" text-anchor="middle" font-size="13" ${font}>${escapeXml(xLabel)}</text>`);
  parts.push(
    `<text x="16" y="${centerY}" text-anchor="middle" font-size="13" transform="rotate(-90 16 ${centerY})" ${font}>${escapeXml(yLabel)}</text>`,
  );
}

const legendRowHeight = 18;

// Lays the legend entries out in rows of at most `available` pixels, in series order. Text
// widths are estimated at 6.5 px per character of the 12 px font.
function legendRows(series, available) {
  const rows = [[]];
  let x = 0;
  for (const [index, line] of series.entries()) {
    const entryWidth = 24 + String(line.label).length * 6.5 + 20;
    if (x > 0 && x + entryWidth > available) {
      rows.push([]);
      x = 0;
    }
    rows[rows.length - 1].push({ index, x });
    x += entryWidth;
  }
  return rows;
}

/**
 * Draws series of (x, y) points as lines. Points with a non-finite coordinate, or a
 * non-positive one on a log axis, are left out and break the line. Solid series with at most
 * 30 points also get a marker at each point.
 *
 * @param {object} plot
 * @param {string} plot.title
 * @param {string} plot.xLabel
 * @param {string} plot.yLabel
 * @param {'linear' | 'log'} [plot.xScale]
 * @param {'linear' | 'log'} [plot.yScale]
 * @param {{ label: string, x: number[], y: number[], dashed?: boolean, color?: string }[]} plot.series
 *   A dashed series is drawn without markers, for reference values. `color` replaces the
 *   series' colour from `seriesColors`. The legend lies below the x-axis label, in rows that
 *   take height from the plot area, and is left out for a single series without a label.
 * @param {number} [plot.width] Width in pixels, default 640.
 * @param {number} [plot.height] Height in pixels, default 400.
 */
export function linePlot({ title, xLabel, yLabel, xScale = 'linear', yScale = 'linear', series, width = 640, height = 400 }) {
  for (const [index, line] of series.entries()) {
    if (line.x.length !== line.y.length) {
      throw new RangeError(`invalid series ${index} (${line.label}): x has ${line.x.length} values but y has ${line.y.length}`);
    }
  }
  const xs = [];
  const ys = [];
  for (const line of series) {
    for (let i = 0; i < line.x.length; i++) {
      if (usable(line.x[i], xScale) && usable(line.y[i], yScale)) {
        xs.push(line.x[i]);
        ys.push(line.y[i]);
      }
    }
  }
  const parts = svgOpen(width, height, title);
  const plotRight = width - margin.right;
  const legend = series.length > 1 || (series.length === 1 && series[0].label) ? legendRows(series, plotRight - margin.left) : [];
  const legendHeight = legend.length === 0 ? 0 : legend.length * legendRowHeight + 6;
  const plotBottom = height - margin.bottom - legendHeight;
  axisLabels(parts, width, height, xLabel, yLabel, plotRight, legendHeight);
  if (xs.length === 0) {
    parts.push(`<text x="${width / 2}" y="${height / 2}" text-anchor="middle" font-size="13" ${font}>no data to plot</text>`, '</svg>');
    return parts.join('\n');
  }

  const xAxis = axisTicks(...extent(xs), xScale);
  const yAxis = axisTicks(...extent(ys), yScale);
  const toX = scaleFunction(xAxis.domain, [margin.left, plotRight], xScale);
  const toY = scaleFunction(yAxis.domain, [plotBottom, margin.top], yScale);

  parts.push('<g stroke="#e5e7eb" stroke-width="1">');
  for (const tick of yAxis.ticks) parts.push(`<line x1="${margin.left}" x2="${plotRight}" y1="${toY(tick).toFixed(1)}" y2="${toY(tick).toFixed(1)}"/>`);
  for (const tick of xAxis.ticks) parts.push(`<line x1="${toX(tick).toFixed(1)}" x2="${toX(tick).toFixed(1)}" y1="${margin.top}" y2="${plotBottom}"/>`);
  parts.push('</g>');
  parts.push(`<rect x="${margin.left}" y="${margin.top}" width="${plotRight - margin.left}" height="${plotBottom - margin.top}" fill="none" stroke="#6b7280"/>`);
  parts.push(`<g font-size="11" fill="#374151" ${font}>`);
  for (const tick of xAxis.ticks) parts.push(`<text x="${toX(tick).toFixed(1)}" y="${plotBottom + 16}" text-anchor="middle">${escapeXml(formatNumber(tick))}</text>`);
  for (const tick of yAxis.ticks) parts.push(`<text x="${margin.left - 6}" y="${(toY(tick) + 4).toFixed(1)}" text-anchor="end">${escapeXml(formatNumber(tick))}</text>`);
  parts.push('</g>');

  const colorOf = (line, index) => line.color ?? seriesColors[index % seriesColors.length];
  for (const [index, line] of series.entries()) {
    const color = colorOf(line, index);
    const segments = [];
    let current = [];
    for (let i = 0; i < line.x.length; i++) {
      if (usable(line.x[i], xScale) && usable(line.y[i], yScale)) {
        current.push(`${toX(line.x[i]).toFixed(1)},${toY(line.y[i]).toFixed(1)}`);
      } else if (current.length > 0) {
        segments.push(current);
        current = [];
      }
    }
    if (current.length > 0) segments.push(current);
    for (const points of segments) {
      const dash = line.dashed ? ' stroke-dasharray="6 4"' : '';
      parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"${dash} points="${points.join(' ')}"/>`);
    }
    if (line.x.length <= 30 && !line.dashed) {
      for (const points of segments) {
        for (const point of points) {
          const [cx, cy] = point.split(',');
          parts.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${color}"/>`);
        }
      }
    }
  }

  if (legend.length > 0) {
    parts.push(`<g font-size="12" ${font}>`);
    legend.forEach((row, r) => {
      const y = height - legendHeight + legendRowHeight * r + legendRowHeight / 2;
      for (const { index, x } of row) {
        const line = series[index];
        const color = colorOf(line, index);
        const dash = line.dashed ? ' stroke-dasharray="5 3"' : '';
        parts.push(`<line x1="${margin.left + x}" x2="${margin.left + x + 18}" y1="${y}" y2="${y}" stroke="${color}" stroke-width="3"${dash}/>`);
        parts.push(`<text x="${margin.left + x + 24}" y="${y + 4}">${escapeXml(line.label)}</text>`);
      }
    });
    parts.push('</g>');
  }
  parts.push('</svg>');
  return parts.join('\n');
}

// Stops of the viridis colour map, from 0 to 1.
const viridis = ['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#b5de2b', '#fde725'];

function hexToRgb(hex) {
  return [1, 3, 5].map((offset) => parseInt(hex.slice(offset, offset + 2), 16));
}

/** Maps t in [0, 1] (clamped) to a viridis colour as "#rrggbb". */
export function colorFor(t) {
  const clamped = Math.min(1, Math.max(0, t));
  const position = clamped * (viridis.length - 1);
  const index = Math.min(viridis.length - 2, Math.floor(position));
  const fraction = position - index;
  const a = hexToRgb(viridis[index]);
  const b = hexToRgb(viridis[index + 1]);
  return `#${a.map((channel, c) => Math.round(channel + (b[c] - channel) * fraction).toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Draws a matrix of values as coloured cells, row i at height y[i] (the first row at the
 * bottom) and column j at x[j], with each value printed in its cell and a colour bar from
 * `min` to `max`. A non-finite value leaves its cell grey.
 *
 * @param {object} plot
 * @param {string} plot.title
 * @param {string} plot.xLabel
 * @param {string} plot.yLabel
 * @param {(string | number)[]} plot.x Column labels.
 * @param {(string | number)[]} plot.y Row labels.
 * @param {number[][]} plot.values values[i][j] belongs to row y[i] and column x[j].
 * @param {number} [plot.min] Value of the lowest colour, default the smallest value.
 * @param {number} [plot.max] Value of the highest colour, default the largest value.
 * @param {string} [plot.colorLabel] Label of the colour bar.
 */
export function heatMap({ title, xLabel, yLabel, x, y, values, min, max, colorLabel = '', width = 640, height = 480 }) {
  if (values.length !== y.length) {
    throw new RangeError(`invalid values: expected ${y.length} rows (one per y label), received ${values.length}`);
  }
  for (const [i, row] of values.entries()) {
    if (row.length !== x.length) {
      throw new RangeError(`invalid values row ${i}: expected ${x.length} entries (one per x label), received ${row.length}`);
    }
  }
  const finite = values.flat().filter((v) => Number.isFinite(v));
  const low = min ?? (finite.length > 0 ? Math.min(...finite) : 0);
  const high = max ?? (finite.length > 0 ? Math.max(...finite) : 1);
  const span = high > low ? high - low : 1;

  const barWidth = 14;
  const barSpace = 64;
  const plotRight = width - margin.right - barSpace;
  const plotBottom = height - margin.bottom;
  const cellWidth = (plotRight - margin.left) / x.length;
  const cellHeight = (plotBottom - margin.top) / y.length;
  const parts = svgOpen(width, height, title);
  axisLabels(parts, width, height, xLabel, yLabel, plotRight);

  const labelSize = Math.max(8, Math.min(12, cellWidth / 4.2, cellHeight / 1.8));
  parts.push(`<g font-size="${labelSize.toFixed(1)}" text-anchor="middle" ${font}>`);
  for (const [i, row] of values.entries()) {
    const top = plotBottom - (i + 1) * cellHeight;
    for (const [j, value] of row.entries()) {
      const left = margin.left + j * cellWidth;
      const t = (value - low) / span;
      const fill = Number.isFinite(value) ? colorFor(t) : '#d1d5db';
      parts.push(`<rect x="${left.toFixed(1)}" y="${top.toFixed(1)}" width="${cellWidth.toFixed(1)}" height="${cellHeight.toFixed(1)}" fill="${fill}" stroke="#ffffff" stroke-width="0.5"/>`);
      if (Number.isFinite(value)) {
        const ink = t > 0.6 ? '#111827' : '#ffffff';
        parts.push(`<text x="${(left + cellWidth / 2).toFixed(1)}" y="${(top + cellHeight / 2 + labelSize / 3).toFixed(1)}" fill="${ink}">${escapeXml(formatNumber(value, 2))}</text>`);
      }
    }
  }
  parts.push('</g>');

  parts.push(`<g font-size="11" fill="#374151" ${font}>`);
  for (const [j, label] of x.entries()) {
    parts.push(`<text x="${(margin.left + (j + 0.5) * cellWidth).toFixed(1)}" y="${plotBottom + 16}" text-anchor="middle">${escapeXml(label)}</text>`);
  }
  for (const [i, label] of y.entries()) {
    parts.push(`<text x="${margin.left - 6}" y="${(plotBottom - (i + 0.5) * cellHeight + 4).toFixed(1)}" text-anchor="end">${escapeXml(label)}</text>`);
  }
  parts.push('</g>');

  const barX = plotRight + 16;
  const steps = 20;
  const stepHeight = (plotBottom - margin.top) / steps;
  for (let s = 0; s < steps; s++) {
    const top = plotBottom - (s + 1) * stepHeight;
    parts.push(`<rect x="${barX}" y="${top.toFixed(1)}" width="${barWidth}" height="${(stepHeight + 0.5).toFixed(1)}" fill="${colorFor((s + 0.5) / steps)}"/>`);
  }
  parts.push(`<g font-size="11" fill="#374151" ${font}>`);
  parts.push(`<text x="${barX + barWidth + 4}" y="${plotBottom}">${escapeXml(formatNumber(low))}</text>`);
  parts.push(`<text x="${barX + barWidth + 4}" y="${margin.top + 8}">${escapeXml(formatNumber(high))}</text>`);
  if (colorLabel) {
    const centerY = (margin.top + plotBottom) / 2;
    parts.push(`<text x="${barX + barWidth + 30}" y="${centerY}" text-anchor="middle" transform="rotate(90 ${barX + barWidth + 30} ${centerY})">${escapeXml(colorLabel)}</text>`);
  }
  parts.push('</g>', '</svg>');
  return parts.join('\n');
}

const barHeight = 14;
const barGap = 2;
const groupGap = 12;

/**
 * Draws a horizontal grouped bar chart: categories from top to bottom, and in each category
 * one bar per series with a usable value there, labelled with that value. A value is usable
 * when it is finite, and also positive on a log axis. A category leaves no gap for a series
 * without a usable value. Bars start at 0 on a linear axis and at the lowest tick on a log
 * axis. The chart's height follows from the number of bars.
 *
 * @param {object} plot
 * @param {string} plot.title
 * @param {string} plot.valueLabel Label of the horizontal value axis, with its unit.
 * @param {string} plot.categoryLabel Label of the vertical category axis.
 * @param {string[]} plot.categories
 * @param {{ label: string, values: (number | null)[], color?: string }[]} plot.series
 *   values[i] belongs to categories[i]. `color` replaces the series' colour from `seriesColors`.
 * @param {'linear' | 'log'} [plot.valueScale]
 * @param {{ label: string, value: number }[]} [plot.guides] Dashed vertical reference lines, named in the legend.
 * @param {string} [plot.valueSuffix] Text after each bar's value label, such as a unit.
 * @param {number} [plot.width] Width in pixels, default 720.
 */
export function barChart({ title, valueLabel, categoryLabel, categories, series, valueScale = 'linear', guides = [], valueSuffix = '', width = 720 }) {
  for (const [index, entry] of series.entries()) {
    if (entry.values.length !== categories.length) {
      throw new RangeError(`invalid series ${index} (${entry.label}): expected ${categories.length} values (one per category), received ${entry.values.length}`);
    }
  }
  const usableValue = (value) => value !== null && usable(value, valueScale);
  const groups = categories.map((category, c) => ({
    category,
    bars: series.flatMap((entry, s) => (usableValue(entry.values[c]) ? [{ series: s, value: entry.values[c] }] : [])),
  }));
  const values = groups.flatMap((group) => group.bars.map((bar) => bar.value));
  const valueText = (value) => `${formatNumber(value)}${valueSuffix}`;

  // Text widths are estimated at 7 px per character of the 12 px font and 6 px per
  // character of the 11 px font.
  const left = Math.max(margin.left, 36 + Math.max(0, ...categories.map((category) => String(category).length)) * 7);
  const right = width - margin.right - (Math.max(0, ...values.map((value) => valueText(value).length)) * 6 + 6);
  const legendItems = [...series.map((entry, s) => ({ label: entry.label, color: entry.color ?? seriesColors[s % seriesColors.length] })), ...guides.map((guide) => ({ ...guide, guide: true }))];
  const showLegend = series.length > 1 || guides.length > 0 || (series.length === 1 && series[0].label);
  const legend = showLegend ? legendRows(legendItems, right - left) : [];
  const legendHeight = legend.length === 0 ? 0 : legend.length * legendRowHeight + 6;
  const groupHeights = groups.map((group) => Math.max(1, group.bars.length) * (barHeight + barGap) - barGap);
  const plotTop = margin.top;
  const plotBottom = plotTop + groupHeights.reduce((sum, h) => sum + h + groupGap, 0);
  const height = plotBottom + margin.bottom + legendHeight;

  const parts = svgOpen(width, height, title);
  const centerY = (plotTop + plotBottom) / 2;
  parts.push(`<text x="${(left + right) / 2}" y="${plotBottom + 42}" text-anchor="middle" font-size="13" ${font}>${escapeXml(valueLabel)}</text>`);
  parts.push(`<text x="16" y="${centerY}" text-anchor="middle" font-size="13" transform="rotate(-90 16 ${centerY})" ${font}>${escapeXml(categoryLabel)}</text>`);
  if (values.length === 0) {
    parts.push(`<text x="${width / 2}" y="${centerY}" text-anchor="middle" font-size="13" ${font}>no data to plot</text>`, '</svg>');
    return parts.join('\n');
  }

  const guideValues = guides.map((guide) => guide.value).filter((value) => usable(value, valueScale));
  const [low, high] = extent([...values, ...guideValues]);
  const axis = valueScale === 'log' ? axisTicks(low, high, 'log') : axisTicks(Math.min(0, low), Math.max(0, high), 'linear');
  const toX = scaleFunction(axis.domain, [left, right], valueScale);
  const base = toX(valueScale === 'log' ? axis.domain[0] : 0);

  parts.push('<g stroke="#e5e7eb" stroke-width="1">');
  for (const tick of axis.ticks) parts.push(`<line x1="${toX(tick).toFixed(1)}" x2="${toX(tick).toFixed(1)}" y1="${plotTop}" y2="${plotBottom}"/>`);
  parts.push('</g>');
  parts.push(`<rect x="${left}" y="${plotTop}" width="${right - left}" height="${plotBottom - plotTop}" fill="none" stroke="#6b7280"/>`);
  parts.push(`<g font-size="11" fill="#374151" ${font}>`);
  for (const tick of axis.ticks) parts.push(`<text x="${toX(tick).toFixed(1)}" y="${plotBottom + 16}" text-anchor="middle">${escapeXml(formatNumber(tick))}</text>`);
  parts.push('</g>');

  let top = plotTop + groupGap / 2;
  parts.push(`<g font-size="11" ${font}>`);
  for (const [g, group] of groups.entries()) {
    parts.push(`<text x="${left - 8}" y="${(top + groupHeights[g] / 2 + 4).toFixed(1)}" text-anchor="end" font-size="12" fill="#111827">${escapeXml(group.category)}</text>`);
    for (const [b, bar] of group.bars.entries()) {
      const y = top + b * (barHeight + barGap);
      const end = toX(bar.value);
      const x = Math.min(base, end);
      parts.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${Math.abs(end - base).toFixed(1)}" height="${barHeight}" fill="${legendItems[bar.series].color}"/>`);
      const anchor = end >= base ? 'start' : 'end';
      const labelX = end >= base ? end + 4 : end - 4;
      parts.push(`<text x="${labelX.toFixed(1)}" y="${(y + barHeight / 2 + 4).toFixed(1)}" text-anchor="${anchor}" fill="#374151">${escapeXml(valueText(bar.value))}</text>`);
    }
    top += groupHeights[g] + groupGap;
  }
  parts.push('</g>');
  for (const value of guideValues) {
    parts.push(`<line x1="${toX(value).toFixed(1)}" x2="${toX(value).toFixed(1)}" y1="${plotTop}" y2="${plotBottom}" stroke="#111827" stroke-width="1.5" stroke-dasharray="6 4"/>`);
  }

  if (legend.length > 0) {
    parts.push(`<g font-size="12" ${font}>`);
    legend.forEach((row, r) => {
      const y = height - legendHeight + legendRowHeight * r + legendRowHeight / 2;
      for (const { index, x } of row) {
        const item = legendItems[index];
        if (item.guide) {
          parts.push(`<line x1="${left + x}" x2="${left + x + 18}" y1="${y}" y2="${y}" stroke="#111827" stroke-width="1.5" stroke-dasharray="5 3"/>`);
        } else {
          parts.push(`<rect x="${left + x + 4}" y="${y - 5}" width="10" height="10" fill="${item.color}"/>`);
        }
        parts.push(`<text x="${left + x + 24}" y="${y + 4}">${escapeXml(item.label)}</text>`);
      }
    });
    parts.push('</g>');
  }
  parts.push('</svg>');
  return parts.join('\n');
}
