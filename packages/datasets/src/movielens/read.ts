import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetError } from '../errors.js';
import { movieLensFiles, type MovieLensDataset, type RatingTriples } from './types.js';

/** One non-blank line of a data file, with its 1-based line number. */
export interface SourceLine {
  file: string;
  line: number;
  text: string;
}

const excerptLength = 160;

function excerpt(text: string): string {
  const clipped = text.length > excerptLength ? `${text.slice(0, excerptLength)}…` : text;
  return JSON.stringify(clipped);
}

/** Builds the `FILE:LINE: problem` error for a line that does not parse. */
export function malformedLine(at: SourceLine, problem: string, expected: string): DatasetError {
  return new DatasetError('MALFORMED_LINE', `${at.file}:${at.line}: ${problem}: ${excerpt(at.text)}. Expected ${expected}.`, {
    file: at.file,
    line: at.line,
  });
}

function expectedFilesText(dataset: MovieLensDataset): string {
  return movieLensFiles[dataset].join(', ');
}

/** Builds the error for a dataset folder that does not exist. */
export function missingFolder(folder: string, dataset: MovieLensDataset): DatasetError {
  return new DatasetError(
    'ENOENT_DATASET',
    `MovieLens ${dataset} folder not found: ${folder}. Expected a folder named ${dataset} that contains ` +
      `${expectedFilesText(dataset)}. Pass the folder that contains ${dataset} (on the command line, with --data-dir).`,
    { file: folder },
  );
}

/**
 * Reads a file as ISO-8859-1 text, which is how MovieLens encodes titles such as
 * "Misérables, Les (1995)".
 */
export async function readLatin1(path: string, dataset: MovieLensDataset): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if (isMissing(error)) {
      throw new DatasetError(
        'ENOENT_DATASET',
        `MovieLens ${dataset} file not found: ${path}. The ${dataset} folder must contain ${expectedFilesText(dataset)}. ` +
          `Check the folder, or pass the folder that contains ${dataset} (on the command line, with --data-dir).`,
        { file: path, cause: error },
      );
    }
    throw new DatasetError('READ_FAILED', `failed to read ${path}: ${describe(error)}`, { file: path, cause: error });
  }
  // The WHATWG 'latin1' label decodes as windows-1252, which differs from ISO-8859-1 only
  // in bytes 0x80–0x9F. MovieLens text files contain none of those bytes.
  return new TextDecoder('latin1').decode(bytes);
}

/** Returns true when `path` is an existing directory. */
export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    if (isMissing(error)) return false;
    throw new DatasetError('READ_FAILED', `failed to inspect ${path}: ${describe(error)}`, { file: path, cause: error });
  }
}

/** Returns true when `path` exists, false when it does not, and throws READ_FAILED otherwise. */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw new DatasetError('READ_FAILED', `failed to inspect ${path}: ${describe(error)}`, { file: path, cause: error });
  }
}

/** Returns the files of the dataset that `folder` does not contain. */
export async function findMissingFiles(folder: string, dataset: MovieLensDataset): Promise<string[]> {
  const missing: string[] = [];
  for (const name of movieLensFiles[dataset]) {
    if (!(await pathExists(join(folder, name)))) missing.push(name);
  }
  return missing;
}

/**
 * Iterates over the non-blank lines of `content`. A trailing carriage return is removed, so
 * files with Windows line endings parse too.
 */
export function* dataLines(file: string, content: string): Generator<SourceLine> {
  let start = 0;
  let line = 0;
  while (start < content.length) {
    let end = content.indexOf('\n', start);
    if (end === -1) end = content.length;
    line += 1;
    let text = content.slice(start, end);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    start = end + 1;
    if (text.trim() === '') continue;
    yield { file, line, text };
  }
}

/** Splits a line on `separator` and checks the number of fields. */
export function splitFields(at: SourceLine, separator: string, count: number, layout: string): string[] {
  const fields = at.text.split(separator);
  if (fields.length !== count) {
    throw malformedLine(
      at,
      `found ${fields.length} ${plural(fields.length, 'field')} separated by ${JSON.stringify(separator)}`,
      `${count} fields: ${layout}`,
    );
  }
  return fields;
}

const integerPattern = /^\s*-?\d+\s*$/;

/** Parses a decimal integer field, or throws a MALFORMED_LINE error that names the field. */
export function parseIntegerField(at: SourceLine, value: string, field: string): number {
  if (!integerPattern.test(value)) {
    throw malformedLine(at, `invalid ${field} ${JSON.stringify(value)}`, `${field} to be an integer`);
  }
  return Number.parseInt(value, 10);
}

/** Parses a positive integer id field. */
export function parseIdField(at: SourceLine, value: string, field: string): number {
  const id = parseIntegerField(at, value, field);
  if (id < 1) throw malformedLine(at, `invalid ${field} ${id}`, `${field} to be a positive integer`);
  return id;
}

/** Parses a star rating, a whole number from 1 to 5. */
export function parseRatingField(at: SourceLine, value: string): number {
  if (!integerPattern.test(value)) {
    throw malformedLine(at, `invalid rating ${JSON.stringify(value)}`, 'a rating from 1 to 5');
  }
  const rating = Number.parseInt(value, 10);
  if (rating < 1 || rating > 5) throw malformedLine(at, `invalid rating ${rating}`, 'a rating from 1 to 5');
  return rating;
}

/** Parses the gender field, M or F. */
export function parseGenderField(at: SourceLine, value: string): 'M' | 'F' {
  const trimmed = value.trim();
  if (trimmed !== 'M' && trimmed !== 'F') {
    throw malformedLine(at, `invalid gender ${JSON.stringify(value)}`, 'gender M or F');
  }
  return trimmed;
}

/** Assigns dense indices 0, 1, 2, … to ids in the order they are defined. */
export class IdIndex {
  private readonly index = new Map<number, number>();
  private readonly lines: number[] = [];

  constructor(
    /** Kind of entity the ids identify, such as "user". */
    readonly kind: string,
    /** The file that defines the ids. */
    readonly file: string,
  ) {}

  get size(): number {
    return this.lines.length;
  }

  /** Registers `id` and returns its dense index, or throws DUPLICATE_ID when it is already defined. */
  add(at: SourceLine, id: number): number {
    const existing = this.index.get(id);
    if (existing !== undefined) {
      throw new DatasetError(
        'DUPLICATE_ID',
        `${at.file}:${at.line}: duplicate ${this.kind} id ${id}, first defined at line ${this.lines[existing]}`,
        { file: at.file, line: at.line },
      );
    }
    const dense = this.lines.length;
    this.index.set(id, dense);
    this.lines.push(at.line);
    return dense;
  }

  /** Returns the dense index of `id`, or throws UNKNOWN_ID naming the rating line. */
  lookup(at: SourceLine, id: number): number {
    const dense = this.index.get(id);
    if (dense === undefined) {
      throw new DatasetError(
        'UNKNOWN_ID',
        `${at.file}:${at.line}: the rating references ${this.kind} id ${id}, which ${this.file} does not define: ${JSON.stringify(at.text)}`,
        { file: at.file, line: at.line },
      );
    }
    return dense;
  }
}

/** Collects ratings with dense user and movie indices. */
export class RatingCollector {
  private readonly users: number[] = [];
  private readonly movies: number[] = [];
  private readonly values: number[] = [];

  constructor(
    private readonly userIds: IdIndex,
    private readonly movieIds: IdIndex,
  ) {}

  add(at: SourceLine, userId: number, movieId: number, rating: number): void {
    this.users.push(this.userIds.lookup(at, userId));
    this.movies.push(this.movieIds.lookup(at, movieId));
    this.values.push(rating);
  }

  finish(): RatingTriples {
    return {
      users: Int32Array.from(this.users),
      movies: Int32Array.from(this.movies),
      values: Float64Array.from(this.values),
    };
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}
