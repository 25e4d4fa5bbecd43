import { element, escapeXml, svgDocument } from './xml.js';

/** Options of `combinePanels`. */
export interface PanelOptions {
  /** Panels per row. Default: all panels in one row. */
  columns?: number;
  /** Heading above the panels. */
  title?: string;
}

interface Panel {
  width: number;
  height: number;
  content: string;
}

// Reads the size and the content of a standalone SVG document such as `linePlot` returns.
function readPanel(svg: string, index: number): Panel {
  const root = /^<svg\b([^>]*)>/.exec(svg.trimStart());
  const width = root === null ? undefined : /\swidth="([0-9.]+)"/.exec(root[1] as string);
  const height = root === null ? undefined : /\sheight="([0-9.]+)"/.exec(root[1] as string);
  const end = svg.lastIndexOf('</svg>');
  if (root === null || width == null || height == null || end < 0) {
    throw new RangeError(`invalid panel ${index}: expected an SVG document whose root element has numeric width and height attributes`);
  }
  const start = svg.indexOf('>', svg.indexOf('<svg')) + 1;
  return { width: Number(width[1]), height: Number(height[1]), content: svg.slice(start, end) };
}

/**
 * Places standalone SVG documents side by side in one document, row by row, each in a
 * translated group. Panels in a row share the height of the tallest one. Throws a RangeError
 * for an empty list, a panel without numeric width and height, or an invalid `columns`.
 */
export function combinePanels(panels: readonly string[], options: PanelOptions = {}): string {
  if (panels.length === 0) throw new RangeError('invalid panels: expected at least one SVG document, received none');
  const columns = options.columns ?? panels.length;
  if (!Number.isInteger(columns) || columns < 1) {
    throw new RangeError(`invalid columns: expected a positive integer, received ${columns}`);
  }
  const parsed = panels.map(readPanel);
  const heading = options.title === undefined ? 0 : 32;

  const parts: string[] = [];
  let top = heading;
  let width = 0;
  for (let first = 0; first < parsed.length; first += columns) {
    const row = parsed.slice(first, first + columns);
    let left = 0;
    for (const panel of row) {
      parts.push(element('g', { transform: `translate(${left} ${top})` }, panel.content));
      left += panel.width;
    }
    width = Math.max(width, left);
    top += Math.max(...row.map((panel) => panel.height));
  }
  if (options.title !== undefined) {
    parts.unshift(
      element('text', { x: width / 2, y: 22, 'font-size': 16, 'font-weight': 'bold', 'text-anchor': 'middle' }, escapeXml(options.title)),
    );
  }
  return svgDocument(width, top, parts.join('\n'));
}
