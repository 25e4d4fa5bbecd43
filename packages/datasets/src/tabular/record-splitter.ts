/** A quoting mistake inside one record, located by the reader that feeds the lines. */
export class RecordSyntaxError extends Error {
  override readonly name = 'RecordSyntaxError';
}

const quote = '"';

/**
 * Splits the lines of a delimited file into fields with RFC 4180 quoting. A field that
 * starts with a double quote runs to the next lone double quote, `""` inside it is one
 * quote, and it may contain delimiters and line breaks. Unquoted fields are trimmed of
 * surrounding white space and may contain quotes anywhere but at their start.
 *
 * A quoted field that is still open at the end of a line continues on the next line, so the
 * splitter keeps state between calls of `feed`.
 */
export class RecordSplitter {
  private fields: string[] = [];
  private field = '';
  private open = false;

  constructor(private readonly delimiter: string) {}

  /** True while a quoted field continues on the next line. */
  get isOpen(): boolean {
    return this.open;
  }

  /**
   * Splits `line` (without its line break). Returns the fields of the record, or undefined
   * when a quoted field continues on the next line. Throws a RecordSyntaxError for text
   * after a closing quote.
   */
  feed(line: string): string[] | undefined {
    let position = 0;
    if (this.open) {
      this.field += '\n';
      position = this.scanQuoted(line, 0);
      if (position < 0) return undefined;
      position = this.closeQuoted(line, position);
    } else if (!line.includes(quote)) {
      return splitPlain(line, this.delimiter);
    }

    while (position >= 0) {
      if (line[position] === quote) {
        this.field = '';
        const end = this.scanQuoted(line, position + 1);
        if (end < 0) {
          this.open = true;
          return undefined;
        }
        position = this.closeQuoted(line, end);
      } else {
        const next = line.indexOf(this.delimiter, position);
        const end = next < 0 ? line.length : next;
        this.fields.push(line.slice(position, end).trim());
        position = next < 0 ? -1 : next + 1;
      }
    }
    const fields = this.fields;
    this.fields = [];
    return fields;
  }

  /** Forgets a partial record, so the splitter can start on a new one. */
  reset(): void {
    this.fields = [];
    this.field = '';
    this.open = false;
  }

  // Appends quoted text from `start` to the field. Returns the index after the closing
  // quote, or −1 when the line ends inside the field.
  private scanQuoted(line: string, start: number): number {
    let position = start;
    for (;;) {
      const next = line.indexOf(quote, position);
      if (next < 0) {
        this.field += line.slice(position);
        return -1;
      }
      this.field += line.slice(position, next);
      if (line[next + 1] === quote) {
        this.field += quote;
        position = next + 2;
        continue;
      }
      return next + 1;
    }
  }

  // Ends a quoted field at `position`, just after its closing quote. Spaces may follow the
  // quote, then the record ends (returns −1) or a delimiter starts the next field (returns
  // its index).
  private closeQuoted(line: string, position: number): number {
    this.open = false;
    this.fields.push(this.field);
    this.field = '';
    let next = position;
    while (line[next] === ' ' && this.delimiter !== ' ') next++;
    if (next === line.length) return -1;
    if (line[next] === this.delimiter) return next + 1;
    throw new RecordSyntaxError(
      `unexpected text ${JSON.stringify(line.slice(next, next + 20))} after the closing quote of field ${this.fields.length}; ` +
        'a quote inside a quoted field must be doubled ("")',
    );
  }
}

function splitPlain(line: string, delimiter: string): string[] {
  const fields = line.split(delimiter);
  for (let i = 0; i < fields.length; i++) fields[i] = (fields[i] as string).trim();
  return fields;
}
