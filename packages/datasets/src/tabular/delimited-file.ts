import { createReadStream } from 'node:fs';
import { DatasetError } from '../errors.js';
import { RecordSplitter, RecordSyntaxError } from './record-splitter.js';

/** Options of `readDelimitedFile`. */
export interface DelimitedFileOptions {
  /** Field delimiter, one character. */
  delimiter: string;
  /**
   * Maximum length of one record in characters, default 1,048,576 (1 MiB of ASCII text).
   * A longer line, or a quoted field that stays open for longer, is reported as malformed,
   * so a file without line breaks or with a stray quote never fills the memory.
   */
  maxRecordLength?: number;
}

/**
 * Receives one record: its fields, the 1-based line number where it starts, and its text
 * (several lines joined by "\n" when a quoted field spans lines).
 */
export type RecordHandler = (fields: string[], line: number, text: string) => void;

const defaultMaxRecordLength = 1 << 20;

// Decoder for measuring and for messages only, which puts U+FFFD in place of invalid bytes.
const lenientDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
const excerptLength = 160;

/** Formats the text of a record for an error message, clipped to 160 characters. */
export function excerpt(text: string): string {
  return JSON.stringify(text.length > excerptLength ? `${text.slice(0, excerptLength)}…` : text);
}

/** Builds the MALFORMED_LINE error `FILE:LINE: problem: "text"`. */
export function malformedRecord(file: string, line: number, problem: string, text?: string): DatasetError {
  const shown = text === undefined ? '' : `: ${excerpt(text)}`;
  return new DatasetError('MALFORMED_LINE', `${file}:${line}: ${problem}${shown}`, { file, line });
}

function openError(file: string, error: unknown): DatasetError {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new DatasetError('ENOENT_DATASET', `file not found: ${file}`, { file, cause: error });
  }
  if (code === 'EISDIR') {
    return new DatasetError('READ_FAILED', `failed to read ${file}: it is a directory, not a file`, { file, cause: error });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new DatasetError('READ_FAILED', `failed to read ${file}: ${reason}`, { file, cause: error });
}

// Builds the MALFORMED_LINE error for the first line of `bytes` that is not valid UTF-8.
// `bytes` starts at line `linesBefore + 1`.
function invalidUtf8(file: string, bytes: Buffer, linesBefore: number): DatasetError {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let line = linesBefore + 1;
  let start = 0;
  while (start < bytes.length) {
    const end = bytes.indexOf(0x0a, start);
    const stop = end < 0 ? bytes.length : end;
    const lineBytes = bytes.subarray(start, stop);
    try {
      decoder.decode(lineBytes);
    } catch {
      const shown = lenientDecoder.decode(lineBytes);
      return malformedRecord(file, line, 'the line is not valid UTF-8 text (shown with U+FFFD for the invalid bytes); save the file as UTF-8', shown);
    }
    line += 1;
    start = stop + 1;
  }
  return malformedRecord(file, line, 'the file is not valid UTF-8 text; save it as UTF-8');
}

/**
 * Streams the records of a delimited text file (UTF-8, optional byte order mark, LF or
 * CRLF line breaks) to `onRecord`, the header included. Blank lines are skipped. The file
 * is read in chunks, so only one chunk and one record are held as text at a time.
 *
 * Throws a DatasetError: ENOENT_DATASET for a missing file, READ_FAILED when reading
 * fails, and MALFORMED_LINE, with the line number and the text, for a quoting mistake, a
 * record longer than `maxRecordLength`, or bytes that are not valid UTF-8. Errors thrown by
 * `onRecord` stop the reading and propagate unchanged.
 */
export async function readDelimitedFile(path: string, options: DelimitedFileOptions, onRecord: RecordHandler): Promise<void> {
  const maxLength = options.maxRecordLength ?? defaultMaxRecordLength;
  if (!Number.isSafeInteger(maxLength) || maxLength < 1) {
    throw new RangeError(`invalid maxRecordLength: expected a positive integer, received ${maxLength}`);
  }
  const splitter = new RecordSplitter(options.delimiter);
  let lineNumber = 0;
  let recordLine = 0;
  let recordText = '';

  const handleLine = (rawLine: string): void => {
    lineNumber += 1;
    let line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (lineNumber === 1 && line.startsWith('\uFEFF')) line = line.slice(1);
    if (!splitter.isOpen) {
      if (line.trim() === '') return;
      // The carry check below only sees lines that span a chunk boundary, so a complete line
      // is measured here.
      if (line.length > maxLength) {
        throw malformedRecord(path, lineNumber, `the line is longer than ${maxLength} characters`, line);
      }
      recordLine = lineNumber;
      recordText = line;
    } else {
      recordText += `\n${line}`;
      if (recordText.length > maxLength) {
        throw malformedRecord(path, recordLine, `a quoted field is still open after ${maxLength} characters; a quote is probably missing`, recordText);
      }
    }

    let fields: string[] | undefined;
    try {
      fields = splitter.feed(line);
    } catch (error) {
      if (error instanceof RecordSyntaxError) throw malformedRecord(path, recordLine, error.message, recordText);
      throw error;
    }
    if (fields !== undefined) onRecord(fields, recordLine, recordText);
  };

  // The bytes are split at line feeds before decoding: 0x0A never occurs inside a multi-byte
  // UTF-8 sequence, so every decoded segment is whole and an invalid byte has a line number.
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const decodeLines = (bytes: Buffer): string => {
    try {
      return decoder.decode(bytes);
    } catch {
      throw invalidUtf8(path, bytes, lineNumber);
    }
  };
  const stream = createReadStream(path, { highWaterMark: 1 << 16 });
  let carry: Buffer = Buffer.alloc(0);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const bytes = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
      const lastBreak = bytes.lastIndexOf(0x0a);
      if (lastBreak >= 0) {
        const text = decodeLines(bytes.subarray(0, lastBreak + 1));
        let start = 0;
        for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
          handleLine(text.slice(start, end));
          start = end + 1;
        }
      }
      carry = Buffer.from(bytes.subarray(lastBreak + 1));
      // A UTF-16 code unit takes at least 1 byte of UTF-8, so fewer bytes cannot exceed the
      // limit. The carry can end inside a multi-byte sequence, so it is measured leniently.
      if (carry.length > maxLength) {
        const partial = lenientDecoder.decode(carry);
        if (partial.length > maxLength) {
          throw malformedRecord(path, lineNumber + 1, `the line is longer than ${maxLength} characters`, partial);
        }
      }
    }
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    // Node's file system errors carry the failed system call; anything else came from onRecord.
    if (error instanceof Error && 'syscall' in error) throw openError(path, error);
    throw error;
  } finally {
    stream.destroy();
  }

  if (carry.length > 0) handleLine(decodeLines(carry));
  if (splitter.isOpen) {
    throw malformedRecord(path, recordLine, 'the file ends inside a quoted field; a closing quote is missing', recordText);
  }
}
