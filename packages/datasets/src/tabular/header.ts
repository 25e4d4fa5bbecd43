import { DatasetError } from '../errors.js';
import { malformedRecord } from './delimited-file.js';

/** The header of a delimited file: column names and where they were read. */
export interface Header {
  readonly file: string;
  readonly line: number;
  readonly names: readonly string[];
  readonly index: ReadonlyMap<string, number>;
}

/** Builds the header from the first record, rejecting empty and repeated column names. */
export function parseHeader(file: string, fields: string[], line: number, text: string): Header {
  const index = new Map<string, number>();
  fields.forEach((name, c) => {
    if (name === '') throw malformedRecord(file, line, `the header has an empty name for column ${c + 1}`, text);
    const first = index.get(name);
    if (first !== undefined) {
      throw malformedRecord(file, line, `the header names column ${JSON.stringify(name)} twice (columns ${first + 1} and ${c + 1})`, text);
    }
    index.set(name, c);
  });
  return { file, line, names: fields.map(detachText), index };
}

// Maximum length of a column list quoted in a message, because a binary file read as text
// can have a header of thousands of characters.
const maxColumnListLength = 200;

/** Formats column names for a message, clipped to 200 characters with an ellipsis. */
export function describeColumns(names: readonly string[], quoted = true): string {
  const text = (quoted ? names.map((name) => JSON.stringify(name)) : names).join(', ');
  return text.length > maxColumnListLength ? `${text.slice(0, maxColumnListLength)}…` : text;
}

/**
 * Returns the index of column `name`, or throws MISSING_COLUMN naming the file, the role of
 * the column, the columns the file has, and the option that selects another one.
 */
export function requireColumn(header: Header, name: string, role: string, option: string): number {
  const column = header.index.get(name);
  if (column === undefined) {
    throw new DatasetError(
      'MISSING_COLUMN',
      `${header.file} has no column ${JSON.stringify(name)} for the ${role}; its columns are ${describeColumns(header.names)}. ` +
        `Name the ${role} column with ${option}.`,
      { file: header.file, line: header.line },
    );
  }
  return column;
}

/** Returns the MALFORMED_LINE error for a record whose field count differs from the header's. */
export function fieldCountError(header: Header, fields: string[], line: number, text: string): DatasetError {
  return malformedRecord(
    header.file,
    line,
    `expected ${header.names.length} fields (${describeColumns(header.names, false)}) as in the header, found ${fields.length}`,
    text,
  );
}

/**
 * Returns a copy of `text` that shares no memory with the chunk it was cut from. V8 may
 * represent a substring as a view into its parent string, and a view kept in a map would
 * keep a whole chunk of the file alive.
 */
export function detachText(text: string): string {
  return (` ${text}`).slice(1);
}
