/** Escapes the characters that are special in XML text and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Formats a pixel coordinate with at most two decimals, such as "12.5". */
export function formatCoordinate(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** Attribute values of an SVG element. Undefined entries are left out. */
export type Attributes = Readonly<Record<string, string | number | undefined>>;

/** Formats `name="value"` pairs, escaped, each preceded by a space. */
export function formatAttributes(attributes: Attributes): string {
  let text = '';
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    const formatted = typeof value === 'number' ? formatCoordinate(value) : escapeXml(value);
    text += ` ${name}="${formatted}"`;
  }
  return text;
}

/** Formats an element with its children, or an empty element when `children` is undefined. */
export function element(name: string, attributes: Attributes, children?: string): string {
  const open = `<${name}${formatAttributes(attributes)}`;
  return children === undefined ? `${open}/>` : `${open}>${children}</${name}>`;
}

/** The font of every text element. */
export const fontFamily = 'system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif';

/** Formats a standalone SVG document of the given size around `content`. */
export function svgDocument(width: number, height: number, content: string): string {
  const root = formatAttributes({
    xmlns: 'http://www.w3.org/2000/svg',
    width,
    height,
    viewBox: `0 0 ${formatCoordinate(width)} ${formatCoordinate(height)}`,
    'font-family': fontFamily,
  });
  const background = element('rect', { width, height, fill: '#ffffff' });
  return `<svg${root}>\n${background}\n${content}\n</svg>\n`;
}

/** Throws a RangeError unless `value` is a finite number > 0. */
export function checkPositiveSize(name: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new RangeError(`invalid ${name}: expected a finite number > 0, received ${value}`);
  }
}

/** Estimates the width of `text` in pixels for layout, at about 0.6 em per character of a sans-serif font. */
export function estimateTextWidth(text: string, fontSize: number): number {
  return text.length * fontSize * 0.6;
}
