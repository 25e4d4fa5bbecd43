import { describe, expect, it } from 'vitest';
import { axisTicks, barChart, colorFor, escapeXml, formatNumber, heatMap, linePlot, titleFontSize } from '../scripts/svg-plot.mjs';

// Returns the first mismatched tag of an SVG string, or undefined when every element closes.
function firstUnbalancedTag(svg: string): string | undefined {
  const stack: string[] = [];
  for (const match of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = match;
    if (selfClosing === '/') continue;
    if (closing === '') stack.push(name!);
    else if (stack.pop() !== name) return name;
  }
  return stack[0];
}

describe('escapeXml', () => {
  it('escapes the five XML special characters', () => {
    expect(escapeXml(`a<b>&"c'`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
  });
});

describe('formatNumber', () => {
  it.each([
    [0, '0'],
    [1234.5, '1230'],
    [0.5, '0.5'],
    [1e-5, '1e-5'],
    [2.5e-7, '2.5e-7'],
    [123456, '1.23e5'],
    [-0.00002, '-2e-5'],
  ])('formats %s as %s', (value, expected) => {
    expect(formatNumber(value)).toBe(expected);
  });
});

describe('axisTicks', () => {
  it('uses a 1-2-5 step on a linear axis', () => {
    const { ticks, domain } = axisTicks(0.03, 0.97, 'linear');
    expect(ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(domain).toEqual([0, 1]);
  });

  it('uses powers of ten on a log axis', () => {
    const { ticks, domain } = axisTicks(3e-6, 0.5, 'log');
    expect(ticks).toEqual([1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1]);
    expect(domain).toEqual([1e-6, 1]);
  });

  it('adds 2 and 5 times a power within one decade', () => {
    const { ticks } = axisTicks(1.5, 8, 'log');
    expect(ticks).toEqual([1, 2, 5, 10]);
  });

  it('ends a short log axis at a 1-2-5 tick', () => {
    const { ticks, domain } = axisTicks(1000, 20000, 'log');
    expect(ticks).toEqual([1000, 2000, 5000, 10000, 20000]);
    expect(domain).toEqual([1000, 20000]);
  });

  it('keeps powers of ten beyond two decades', () => {
    const { ticks } = axisTicks(1000, 200000, 'log');
    expect(ticks).toEqual([1000, 10000, 100000, 1000000]);
  });

  it('puts an exact zero among ticks that cross it', () => {
    const { ticks } = axisTicks(-0.136, 0.05, 'linear');
    expect(ticks).toEqual([-0.15, -0.1, -0.05, 0, 0.05]);
  });

  it('widens an empty linear range', () => {
    const { domain } = axisTicks(3, 3, 'linear');
    expect(domain[0]).toBeLessThan(3);
    expect(domain[1]).toBeGreaterThan(3);
  });
});

describe('linePlot', () => {
  const base = { title: 'loss <f>', xLabel: 'iteration', yLabel: 'loss' };

  it('draws one polyline per series with a legend', () => {
    const svg = linePlot({ ...base, series: [{ label: 'a', x: [0, 1, 2], y: [3, 2, 1] }, { label: 'b', x: [0, 1], y: [1, 2] }] });

    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('<title>loss &lt;f&gt;</title>');
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg).toContain('>a</text>');
    expect(firstUnbalancedTag(svg)).toBeUndefined();
  });

  it('puts the legend below the plot area', () => {
    const labels = ['sigmoid', 'tanh', 'relu, scaling directions removed', 'identity', 'zero'];
    const svg = linePlot({ ...base, series: labels.map((label, s) => ({ label, x: [0, 1], y: [s, s + 1] })) });
    const frame = /<rect x="72" y="36" width="[0-9.]+" height="([0-9.]+)" fill="none"/.exec(svg);
    const plotBottom = 36 + Number(frame?.[1]);
    const legendYs = [...svg.matchAll(/<text x="[0-9.]+" y="([0-9.]+)">(?:sigmoid|tanh|relu|identity|zero)/g)].map((match) => Number(match[1]));

    expect(frame, 'the plot frame is drawn').not.toBeNull();
    expect(legendYs).toHaveLength(labels.length);
    expect(Math.min(...legendYs), `legend rows ${legendYs} start below the plot bottom ${plotBottom}`).toBeGreaterThan(plotBottom);
    expect(Math.max(...legendYs), 'the legend fits in the 400 px height').toBeLessThan(400);
    expect(new Set(legendYs).size, 'five entries need two rows at 640 px').toBe(2);
  });

  it('draws no legend for one unlabelled series', () => {
    const svg = linePlot({ ...base, series: [{ label: '', x: [0, 1], y: [1, 2] }] });

    expect(svg).not.toContain('stroke-width="3"');
  });

  it('skips unusable points', () => {
    const svg = linePlot({ ...base, yScale: 'log', series: [{ label: 'a', x: [0, 1, 2, 3, 4], y: [1, 0.1, Number.NaN, 0.01, -1] }] });

    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg.match(/<circle/g)).toHaveLength(3);
  });

  it('draws a dashed series without markers', () => {
    const svg = linePlot({ ...base, series: [{ label: 'paper', x: [0, 4], y: [1, 1], dashed: true }] });

    expect(svg).toContain('stroke-dasharray');
    expect(svg).not.toContain('<circle');
  });

  it('uses a series colour override', () => {
    const svg = linePlot({ ...base, series: [{ label: 'a', x: [0, 1], y: [1, 2], color: '#123456' }] });

    expect(svg).toContain('<polyline fill="none" stroke="#123456"');
    expect(svg).toContain('stroke="#123456" stroke-width="3"');
  });

  it('says so when nothing can be plotted', () => {
    const svg = linePlot({ ...base, yScale: 'log', series: [{ label: 'a', x: [0], y: [0] }] });

    expect(svg).toContain('no data to plot');
  });

  it('rejects a series whose x and y differ in length', () => {
    expect(() => linePlot({ ...base, series: [{ label: 'a', x: [0, 1], y: [1] }] })).toThrow(
      'invalid series 0 (a): x has 2 values but y has 1',
    );
  });
});

describe('heatMap', () => {
  const base = { title: 'recovery rate', xLabel: 'm', yLabel: 'n', x: [100, 200, 300], y: [10, 20] };

  it('draws one cell per value, grey for a missing value', () => {
    const svg = heatMap({ ...base, values: [[0, 0.5, 1], [Number.NaN, 1, 1]], min: 0, max: 1 });
    const cells = svg.match(/<rect [^>]*stroke="#ffffff"/g) ?? [];

    expect(cells).toHaveLength(6);
    expect(cells.filter((cell) => cell.includes('fill="#d1d5db"'))).toHaveLength(1);
    expect(firstUnbalancedTag(svg)).toBeUndefined();
  });

  it('rejects values whose shape does not match the labels', () => {
    expect(() => heatMap({ ...base, values: [[0, 1, 1]] })).toThrow('invalid values: expected 2 rows (one per y label), received 1');
    expect(() => heatMap({ ...base, values: [[0, 1, 1], [0, 1]] })).toThrow('invalid values row 1: expected 3 entries (one per x label), received 2');
  });
});

describe('barChart', () => {
  const base = { title: 'time <per case>', valueLabel: 'time (s)', categoryLabel: 'case', categories: ['a', 'b'] };
  // Bars are the rects 14 px high, and legend swatches are 10 px high.
  const bars = (svg: string): string[] => svg.match(/<rect [^>]*height="14"[^>]*>/g) ?? [];
  const valueLabels = (svg: string): string[] => [...svg.matchAll(/fill="#374151">([^<]*)<\/text>/g)].map((match) => match[1]!);
  const attribute = (element: string, name: string): number => Number(new RegExp(` ${name}="([-0-9.]+)"`).exec(element)?.[1]);

  it('draws one labelled bar per usable value', () => {
    const svg = barChart({ ...base, series: [{ label: 'one', values: [1.5, null] }, { label: 'two', values: [0.25, Number.NaN] }] });

    expect(bars(svg)).toHaveLength(2);
    expect(valueLabels(svg)).toEqual(expect.arrayContaining(['1.5', '0.25']));
    expect(svg).toContain('<title>time &lt;per case&gt;</title>');
    expect(svg).toContain('>time (s)</text>');
    expect(svg).toContain('>case</text>');
    expect(svg).toContain('>one</text>');
    expect(firstUnbalancedTag(svg)).toBeUndefined();
  });

  it('starts bars at zero on a linear axis', () => {
    const svg = barChart({ ...base, series: [{ label: 'size', values: [2, 4] }] });
    const [short, long] = bars(svg);
    const frame = /<rect x="([0-9.]+)" y="[0-9.]+" width="([0-9.]+)" height="[0-9.]+" fill="none"/.exec(svg);
    const left = Number(frame?.[1]);
    const plotWidth = Number(frame?.[2]);

    const ratio = attribute(long!, 'width') / attribute(short!, 'width');

    expect(frame, 'the plot frame is drawn').not.toBeNull();
    expect(Math.abs(attribute(short!, 'x') - left), `a bar starts at the left edge ${left}, where the axis is 0: ${short}`).toBeLessThanOrEqual(0.1);
    expect(Math.abs(ratio - 2) / 2, `bar lengths are proportional to the values 2 and 4: ratio ${ratio}`).toBeLessThan(1e-3);
    expect(Math.abs(attribute(long!, 'width') - plotWidth) / plotWidth, `the 4 bar on an axis from 0 to 4 fills the plot width ${plotWidth}: ${long}`).toBeLessThan(1e-3);
  });

  it('leaves out non-positive values on a log axis', () => {
    const svg = barChart({ ...base, valueScale: 'log', series: [{ label: 's', values: [0.01, 0] }, { label: 't', values: [-1, 10] }] });

    expect(bars(svg)).toHaveLength(2);
    expect(valueLabels(svg)).toEqual(expect.arrayContaining(['0.01', '10']));
  });

  it('draws a guide as a dashed line with a legend entry', () => {
    const svg = barChart({ ...base, series: [{ label: 'speed-up', values: [1.9, 0.9] }], guides: [{ label: 'ideal: 2×', value: 2 }], valueSuffix: '×' });

    expect(svg.match(/stroke-dasharray="6 4"/g)).toHaveLength(1);
    expect(svg).toContain('>ideal: 2×</text>');
    expect(valueLabels(svg)).toEqual(expect.arrayContaining(['1.9×', '0.9×']));
  });

  it('grows with the number of bars', () => {
    const height = (svg: string): number => Number(/height="([0-9.]+)" role="img"/.exec(svg)?.[1]);
    const small = barChart({ ...base, series: [{ label: 's', values: [1, 2] }] });
    const large = barChart({ ...base, series: [1, 2, 3].map((s) => ({ label: `s${s}`, values: [1, 2] })) });

    expect(height(large), `heights ${height(small)} and ${height(large)}`).toBeGreaterThan(height(small));
  });

  it('says so when nothing can be plotted', () => {
    const svg = barChart({ ...base, valueScale: 'log', series: [{ label: 's', values: [0, null] }] });

    expect(svg).toContain('no data to plot');
    expect(bars(svg)).toHaveLength(0);
  });

  it('rejects a series without one value per category', () => {
    expect(() => barChart({ ...base, series: [{ label: 's', values: [1] }] })).toThrow('invalid series 0 (s): expected 2 values (one per category), received 1');
  });
});

describe('titleFontSize', () => {
  it('keeps 15 px for a short title', () => {
    expect(titleFontSize('Recovery rate', 640)).toBe(15);
  });

  it('shrinks a long title to fit', () => {
    const title = 'Recovery rate, sigmoid (d = 10, k = 5, random, W0 = W_r with standard Gaussian entries (α = 1))';
    const size = titleFontSize(title, 640);

    expect(size).toBeLessThan(15);
    expect(0.6 * size * title.length, `estimated width at ${size} px`).toBeLessThanOrEqual(640 - 24);
  });

  it('stops shrinking at 10 px', () => {
    expect(titleFontSize('x'.repeat(500), 640)).toBe(10);
  });
});

describe('colorFor', () => {
  it('clamps to the viridis ends', () => {
    expect(colorFor(0)).toBe('#440154');
    expect(colorFor(1)).toBe('#fde725');
    expect(colorFor(-3)).toBe('#440154');
    expect(colorFor(7)).toBe('#fde725');
  });
});
