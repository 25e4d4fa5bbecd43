import { describe, expect, it } from 'vitest';
import { combinePanels, createAxis, escapeXml, formatTick, heatMap, linePlot, viridisColor } from '../src/plot/svg.js';

// Checks that every element opened in `svg` is closed, in order, and returns the tag names.
function checkNesting(svg: string): string[] {
  const stack: string[] = [];
  const names: string[] = [];
  for (const match of svg.matchAll(/<(\/?)([a-zA-Z]+)\b[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = match as unknown as [string, string, string, string];
    if (closing === '/') {
      expect(stack.pop(), `closing </${name}>`).toBe(name);
    } else if (selfClosing !== '/') {
      stack.push(name);
      names.push(name);
    } else {
      names.push(name);
    }
  }
  expect(stack).toEqual([]);
  return names;
}

const basePlot = {
  title: 'Decay & growth <test>',
  xLabel: 'iteration',
  yLabel: 'loss',
  series: [
    { label: 'gd', x: [1, 2, 3], y: [1, 0.5, 0.25] },
    { label: 'gauss-newton', x: [1, 2, 3], y: [1, 0.01, 1e-6] },
  ],
};

describe('linePlot', () => {
  it('draws a well-formed document', () => {
    const svg = linePlot(basePlot);

    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    const names = checkNesting(svg);
    expect(names.filter((name) => name === 'path')).toHaveLength(2);
    expect(names.filter((name) => name === 'circle')).toHaveLength(6);
  });

  it('escapes text', () => {
    const svg = linePlot(basePlot);

    expect(svg).toContain('Decay &amp; growth &lt;test&gt;');
    expect(svg).not.toContain('<test>');
  });

  it('lists every series in the legend', () => {
    const svg = linePlot(basePlot);

    expect(svg).toContain('data-series="gd"');
    expect(svg).toContain('>gauss-newton</text>');
  });

  it('breaks a line at undrawable values', () => {
    const svg = linePlot({ ...basePlot, yScale: 'log', series: [{ label: 'a', x: [1, 2, 3, 4], y: [1, 0, 0.1, 0.01] }] });

    const path = /<path d="([^"]+)"/.exec(svg)?.[1] ?? '';
    expect(path.match(/M/g)).toHaveLength(2);
    expect(path.match(/L/g)).toHaveLength(1);
  });

  it('dashes a reference series without markers', () => {
    const svg = linePlot({ ...basePlot, series: [{ label: 'zero', x: [0, 1], y: [0, 0], dashed: true }] });

    expect(svg).toContain('stroke-dasharray="6 4"');
    expect(svg).not.toContain('<circle');
  });

  it('rejects mismatched series', () => {
    expect(() => linePlot({ ...basePlot, series: [{ label: 'a', x: [1, 2], y: [1] }] })).toThrow(
      'invalid series 0 ("a"): expected as many y values as x values (2), received 1',
    );
  });

  it('rejects an empty series list', () => {
    expect(() => linePlot({ ...basePlot, series: [] })).toThrow(RangeError);
  });

  it('rejects a non-positive size', () => {
    expect(() => linePlot({ ...basePlot, width: 0 })).toThrow('invalid width: expected a finite number > 0, received 0');
  });
});

describe('createAxis', () => {
  it('covers linear data with round ticks', () => {
    const axis = createAxis([0.03, 0.97], 'linear');

    expect(axis.min).toBeLessThanOrEqual(0.03);
    expect(axis.max).toBeGreaterThanOrEqual(0.97);
    expect(axis.ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(axis.position(axis.min)).toBe(0);
    expect(axis.position(axis.max)).toBe(1);
  });

  it('ends a short log range at 1-2-5 values', () => {
    const axis = createAxis([1000, 2000, 5000, 20000], 'log');

    expect(axis.ticks).toEqual([1000, 2000, 5000, 10000, 20000]);
    expect(axis.min).toBe(1000);
    expect(axis.max).toBe(20000);
  });

  it('ends a long log range at powers of ten', () => {
    const axis = createAxis([3e-7, 0.5], 'log');

    expect(axis.ticks).toEqual([1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1]);
  });

  it('ignores values a log axis cannot show', () => {
    const axis = createAxis([-1, 0, Number.NaN, 0.02, 0.03], 'log');

    expect(axis.min).toBe(0.02);
    expect(axis.max).toBe(0.05);
  });

  it('widens a single value', () => {
    const linear = createAxis([3, 3], 'linear');
    const log = createAxis([0.01], 'log');

    expect(linear.min).toBeLessThan(3);
    expect(linear.max).toBeGreaterThan(3);
    expect(log.ticks).toEqual([0.01, 0.02]);
  });
});

describe('formatTick', () => {
  it('uses exponents outside [1e-3, 1e5)', () => {
    expect(formatTick(0)).toBe('0');
    expect(formatTick(0.25)).toBe('0.25');
    expect(formatTick(20000)).toBe('20000');
    expect(formatTick(1e5)).toBe('1e5');
    expect(formatTick(2.5e-4)).toBe('2.5e-4');
    expect(formatTick(-0.0123456)).toBe('-0.0123');
  });
});

describe('heatMap', () => {
  const grid = {
    title: 'recovery rate',
    xLabel: 'm',
    yLabel: 'n',
    x: [100, 200, 300],
    y: ['10', '20'],
    values: [
      [0, 0.5, null],
      [0.2, 1, Number.NaN],
    ],
    colorLabel: 'rate',
  };

  it('draws one cell per value and a colour bar', () => {
    const svg = heatMap(grid);

    checkNesting(svg);
    expect(svg.match(/<title>/g)).toHaveLength(6);
    expect(svg).toContain('<title>300, 10: missing</title>');
    expect(svg).toContain('<title>200, 20: 1</title>');
    expect(svg).toContain('>rate</text>');
  });

  it('puts row 0 at the bottom', () => {
    const svg = heatMap(grid);

    const yOf = (title: string): number => Number(new RegExp(`y="([0-9.]+)"[^>]*><title>${title}</title>`).exec(svg)?.[1]);
    expect(yOf('100, 10: 0')).toBeGreaterThan(yOf('100, 20: 0.2'));
  });

  it('prints cell labels when asked', () => {
    const svg = heatMap({ ...grid, cellLabels: true });

    expect(svg).toContain('>0.5</text>');
  });

  it('rejects a grid that does not match its labels', () => {
    expect(() => heatMap({ ...grid, values: [[0, 1, 2]] })).toThrow('invalid values: expected 2 rows, one per y label, received 1');
    expect(() => heatMap({ ...grid, values: [[0, 1], [0, 1, 2]] })).toThrow(
      'invalid values[0]: expected 3 values, one per x label, received 2',
    );
  });

  it('rejects an inverted colour range', () => {
    expect(() => heatMap({ ...grid, min: 1, max: 0 })).toThrow('invalid colour range');
  });
});

describe('viridisColor', () => {
  it('spans the colour map and clamps', () => {
    expect(viridisColor(0)).toBe('#440154');
    expect(viridisColor(1)).toBe('#fde725');
    expect(viridisColor(-3)).toBe('#440154');
    expect(viridisColor(7)).toBe('#fde725');
  });
});

describe('combinePanels', () => {
  it('places panels side by side in one document', () => {
    const left = linePlot({ ...basePlot, width: 300, height: 200 });
    const right = linePlot({ ...basePlot, width: 400, height: 250 });

    const svg = combinePanels([left, right], { title: 'both' });

    checkNesting(svg);
    expect(svg.match(/<svg\b/g)).toHaveLength(1);
    expect(svg).toMatch(/^<svg [^>]*width="700" height="282"/);
    expect(svg).toContain('transform="translate(300 32)"');
    expect(svg).toContain('>both</text>');
  });

  it('stacks rows by the columns option', () => {
    const panel = linePlot({ ...basePlot, width: 300, height: 200 });

    const svg = combinePanels([panel, panel, panel], { columns: 2 });

    expect(svg).toMatch(/^<svg [^>]*width="600" height="400"/);
    expect(svg).toContain('transform="translate(0 200)"');
  });

  it('rejects a document without a size', () => {
    expect(() => combinePanels(['<svg><rect/></svg>'])).toThrow('invalid panel 0');
  });
});

describe('escapeXml', () => {
  it('escapes the special characters', () => {
    expect(escapeXml(`a<b>&"c"'`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;');
  });
});
