/** Horizontal alignment of a table column. */
export type Alignment = 'left' | 'right';

/** A table column: its header and how its cells align. */
export interface TableColumn {
  header: string;
  align?: Alignment;
}

/** One table row, one cell per column, or a horizontal rule. */
export type TableRow = readonly string[] | 'rule';

function pad(text: string, width: number, align: Alignment): string {
  return align === 'right' ? text.padStart(width) : text.padEnd(width);
}

/**
 * Formats a plain-text table: the header, a rule of dashes, then the rows, with columns
 * separated by two spaces and trailing spaces removed. Throws a RangeError for a row whose
 * cell count differs from the column count.
 */
export function formatTable(columns: readonly TableColumn[], rows: readonly TableRow[]): string {
  rows.forEach((row, r) => {
    if (row !== 'rule' && row.length !== columns.length) {
      throw new RangeError(`invalid table row ${r}: expected ${columns.length} cells, received ${row.length}`);
    }
  });

  const widths = columns.map((column, c) => {
    let width = column.header.length;
    for (const row of rows) {
      if (row !== 'rule') width = Math.max(width, (row[c] as string).length);
    }
    return width;
  });
  const totalWidth = widths.reduce((sum, width) => sum + width, 0) + 2 * (columns.length - 1);

  const formatLine = (cells: readonly string[]): string =>
    cells
      .map((cell, c) => pad(cell, widths[c] as number, columns[c]?.align ?? 'left'))
      .join('  ')
      .trimEnd();
  const rule = '-'.repeat(totalWidth);

  const lines = [formatLine(columns.map((column) => column.header)), rule];
  for (const row of rows) lines.push(row === 'rule' ? rule : formatLine(row));
  return lines.join('\n');
}

/** Formats label–value pairs as two aligned columns, such as "rank      50". */
export function formatFields(fields: readonly (readonly [string, string])[]): string {
  const width = Math.max(0, ...fields.map(([label]) => label.length));
  return fields.map(([label, value]) => `${label.padEnd(width)}  ${value}`.trimEnd()).join('\n');
}
