import { createAxis, formatTick, isDrawable, type Axis, type AxisScale } from './scale.js';
import { checkPositiveSize, element, escapeXml, estimateTextWidth, formatCoordinate, svgDocument } from './xml.js';

/** One line of a line plot: points (x[i], y[i]) joined in the given order. */
export interface LineSeries {
  /** Legend entry. */
  label: string;
  x: readonly number[];
  y: readonly number[];
  /** Draws a dashed line without point markers, as for a reference level. Default false. */
  dashed?: boolean;
}

/** Options of `linePlot`. */
export interface LinePlotOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  /** Default 'linear'. */
  xScale?: AxisScale;
  /** Default 'linear'. */
  yScale?: AxisScale;
  series: readonly LineSeries[];
  /** Size of the SVG document in pixels. Default 640 × 400. */
  width?: number;
  height?: number;
}

/** Colours that stay distinguishable under the common forms of colour blindness (Okabe and Ito). */
export const seriesColors = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];

const fontSize = 12;
const titleSize = 14;
const legendLine = 18;

interface Frame {
  left: number;
  top: number;
  width: number;
  height: number;
}

function checkSeries(series: readonly LineSeries[]): void {
  if (series.length === 0) throw new RangeError('invalid series: expected at least one series, received none');
  series.forEach((line, s) => {
    if (line.x.length !== line.y.length) {
      throw new RangeError(
        `invalid series ${s} ("${line.label}"): expected as many y values as x values (${line.x.length}), received ${line.y.length}`,
      );
    }
  });
}

function drawAxes(frame: Frame, xAxis: Axis, yAxis: Axis): string {
  const parts: string[] = [];
  const bottom = frame.top + frame.height;
  for (const tick of xAxis.ticks) {
    const x = frame.left + xAxis.position(tick) * frame.width;
    parts.push(element('line', { x1: x, y1: frame.top, x2: x, y2: bottom, stroke: '#e5e5e5' }));
    parts.push(element('line', { x1: x, y1: bottom, x2: x, y2: bottom + 5, stroke: '#333333' }));
    parts.push(element('text', { x, y: bottom + 18, 'font-size': fontSize, 'text-anchor': 'middle' }, escapeXml(formatTick(tick))));
  }
  for (const tick of yAxis.ticks) {
    const y = bottom - yAxis.position(tick) * frame.height;
    parts.push(element('line', { x1: frame.left, y1: y, x2: frame.left + frame.width, y2: y, stroke: '#e5e5e5' }));
    parts.push(element('line', { x1: frame.left - 5, y1: y, x2: frame.left, y2: y, stroke: '#333333' }));
    parts.push(
      element('text', { x: frame.left - 8, y: y + 4, 'font-size': fontSize, 'text-anchor': 'end' }, escapeXml(formatTick(tick))),
    );
  }
  parts.push(element('rect', { x: frame.left, y: frame.top, width: frame.width, height: frame.height, fill: 'none', stroke: '#333333' }));
  return parts.join('\n');
}

// Splits a series into runs of drawable points, so that a missing or undrawable value leaves a gap.
function pathData(line: LineSeries, frame: Frame, xAxis: Axis, yAxis: Axis): { path: string; points: [number, number][] } {
  let path = '';
  let penDown = false;
  const points: [number, number][] = [];
  for (let i = 0; i < line.x.length; i++) {
    const xValue = line.x[i] as number;
    const yValue = line.y[i] as number;
    if (!isDrawable(xValue, xAxis.scale) || !isDrawable(yValue, yAxis.scale)) {
      penDown = false;
      continue;
    }
    const x = frame.left + xAxis.position(xValue) * frame.width;
    const y = frame.top + frame.height - yAxis.position(yValue) * frame.height;
    path += `${penDown ? 'L' : 'M'}${formatCoordinate(x)} ${formatCoordinate(y)} `;
    penDown = true;
    points.push([x, y]);
  }
  return { path: path.trimEnd(), points };
}

function drawSeries(series: readonly LineSeries[], frame: Frame, xAxis: Axis, yAxis: Axis): string {
  const parts: string[] = [];
  series.forEach((line, s) => {
    const color = seriesColors[s % seriesColors.length] as string;
    const { path, points } = pathData(line, frame, xAxis, yAxis);
    const dash = line.dashed === true ? '6 4' : undefined;
    const shapes: string[] = [];
    if (path !== '') {
      shapes.push(element('path', { d: path, fill: 'none', stroke: color, 'stroke-width': 2, 'stroke-dasharray': dash }));
    }
    if (line.dashed !== true) {
      for (const [x, y] of points) shapes.push(element('circle', { cx: x, cy: y, r: 3, fill: color }));
    }
    parts.push(element('g', { 'data-series': line.label }, `\n${element('title', {}, escapeXml(line.label))}\n${shapes.join('\n')}\n`));
  });
  return parts.join('\n');
}

/** The placement of the legend: beside the frame, or in rows below the x-axis label. */
interface LegendLayout {
  side: 'right' | 'bottom';
  /** Width of one legend entry, the longest label included. */
  entryWidth: number;
  /** Entries per row below the plot. */
  perRow: number;
  rows: number;
}

// The legend sits on the right unless that would take more than a quarter of the width.
function layoutLegend(series: readonly LineSeries[], width: number): LegendLayout {
  const entryWidth = 46 + Math.max(...series.map((line) => estimateTextWidth(line.label, fontSize)));
  if (entryWidth <= width / 4) return { side: 'right', entryWidth, perRow: 1, rows: series.length };
  const perRow = Math.max(1, Math.floor((width - 40) / entryWidth));
  return { side: 'bottom', entryWidth, perRow, rows: Math.ceil(series.length / perRow) };
}

function drawLegend(series: readonly LineSeries[], layout: LegendLayout, left: number, top: number): string {
  const parts: string[] = [];
  series.forEach((line, s) => {
    const color = seriesColors[s % seriesColors.length] as string;
    const column = layout.side === 'right' ? 0 : s % layout.perRow;
    const row = layout.side === 'right' ? s : Math.floor(s / layout.perRow);
    const x = left + column * layout.entryWidth;
    const y = top + row * legendLine;
    const dash = line.dashed === true ? '6 4' : undefined;
    parts.push(element('line', { x1: x, y1: y, x2: x + 24, y2: y, stroke: color, 'stroke-width': 2, 'stroke-dasharray': dash }));
    parts.push(element('text', { x: x + 30, y: y + 4, 'font-size': fontSize }, escapeXml(line.label)));
  });
  return parts.join('\n');
}

/**
 * Draws a line plot as a standalone SVG document. Each series is a line with point markers,
 * or a dashed line without markers. The legend sits on the right, or below the plot when the
 * labels are long. Grid lines mark the ticks, and the linear or log axes cover every drawable
 * point. A value that is not finite, or ≤ 0 on a log axis, is left out and breaks its line.
 * Throws a RangeError when there is no series, when a series has different numbers of x and
 * y values, or for a size that is not a positive number.
 */
export function linePlot(options: LinePlotOptions): string {
  const width = options.width ?? 640;
  const height = options.height ?? 400;
  checkPositiveSize('width', width);
  checkPositiveSize('height', height);
  checkSeries(options.series);
  const xAxis = createAxis(options.series.flatMap((line) => line.x), options.xScale ?? 'linear');
  const yAxis = createAxis(options.series.flatMap((line) => line.y), options.yScale ?? 'linear');

  // The left margin fits the longest y tick label. The legend takes the right margin or rows
  // at the bottom.
  const yLabelWidth = Math.max(...yAxis.ticks.map((tick) => estimateTextWidth(formatTick(tick), fontSize)));
  const legend = layoutLegend(options.series, width);
  const left = 36 + yLabelWidth;
  const right = legend.side === 'right' ? legend.entryWidth + 16 : 20;
  const bottom = 56 + (legend.side === 'bottom' ? legend.rows * legendLine + 4 : 0);
  const frame: Frame = { left, top: 40, width: Math.max(40, width - left - right), height: Math.max(40, height - 40 - bottom) };

  const title = element(
    'text',
    { x: width / 2, y: 24, 'font-size': titleSize, 'font-weight': 'bold', 'text-anchor': 'middle' },
    escapeXml(options.title),
  );
  const xLabel = element(
    'text',
    { x: frame.left + frame.width / 2, y: frame.top + frame.height + 44, 'font-size': fontSize, 'text-anchor': 'middle' },
    escapeXml(options.xLabel),
  );
  const yCenter = frame.top + frame.height / 2;
  const yLabel = element(
    'text',
    { x: 14, y: yCenter, 'font-size': fontSize, 'text-anchor': 'middle', transform: `rotate(-90 14 ${formatCoordinate(yCenter)})` },
    escapeXml(options.yLabel),
  );
  const legendBox =
    legend.side === 'right'
      ? drawLegend(options.series, legend, frame.left + frame.width + 16, frame.top + 8)
      : drawLegend(options.series, legend, frame.left, frame.top + frame.height + 66);
  const content = [title, drawAxes(frame, xAxis, yAxis), drawSeries(options.series, frame, xAxis, yAxis), xLabel, yLabel, legendBox];
  return svgDocument(width, height, content.join('\n'));
}
