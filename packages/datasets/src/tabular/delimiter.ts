import { extname } from 'node:path';

/** Delimiters that `resolveDelimiter` infers from a file name extension. */
export const delimiterByExtension: Readonly<Record<string, string>> = {
  '.csv': ',',
  '.tsv': '\t',
  '.tab': '\t',
};

/** Returns a delimiter in readable form for messages: `","` or `"\t"`. */
export function describeDelimiter(delimiter: string): string {
  return JSON.stringify(delimiter);
}

/**
 * Returns the field delimiter of `path`: `delimiter` when given, otherwise the one its
 * extension implies (.csv: comma; .tsv and .tab: tab). Throws a RangeError for a delimiter
 * that is not a single character other than a quote, carriage return or newline, and for a
 * file whose extension implies none.
 */
export function resolveDelimiter(path: string, delimiter?: string): string {
  if (delimiter !== undefined) {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
      throw new RangeError(
        `invalid delimiter: expected one character other than a double quote, carriage return or newline, received ${describeDelimiter(delimiter)}`,
      );
    }
    return delimiter;
  }
  const extension = extname(path).toLowerCase();
  const inferred = delimiterByExtension[extension];
  if (inferred === undefined) {
    throw new RangeError(
      `cannot infer the delimiter of ${path} from its extension ${JSON.stringify(extension)}: ` +
        'expected .csv (comma), .tsv or .tab (tab); pass the delimiter explicitly (--delimiter on the command line)',
    );
  }
  return inferred;
}
