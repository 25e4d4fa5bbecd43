/** Stable machine-readable codes of `DatasetError`. */
export type DatasetErrorCode =
  /** The dataset name is not one of the supported names. */
  | 'UNKNOWN_DATASET'
  /** The dataset folder or one of its files does not exist. */
  | 'ENOENT_DATASET'
  /** A dataset file exists but could not be read. */
  | 'READ_FAILED'
  /** A line does not have the expected fields or values. */
  | 'MALFORMED_LINE'
  /** Two lines define the same user or movie id. */
  | 'DUPLICATE_ID'
  /** A rating references a user or movie id that the user or movie file does not define. */
  | 'UNKNOWN_ID'
  /** A delimited file lacks a column that the reader needs. */
  | 'MISSING_COLUMN'
  /** A ratings file rates the same (user, item) pair twice. */
  | 'DUPLICATE_RATING'
  /** A file has a header but no data rows. */
  | 'EMPTY_DATA'
  /** A feature file's columns differ from the columns a model was trained with. */
  | 'FEATURE_MISMATCH';

/** Location of an error: the file path and, for line errors, the 1-based line number. */
export interface DatasetErrorLocation {
  file?: string;
  line?: number;
  cause?: unknown;
}

/**
 * An error in locating or parsing a dataset. Its message is complete on its own, so a
 * command-line program can print `message` without the stack trace.
 */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';
  readonly code: DatasetErrorCode;
  readonly file: string | undefined;
  readonly line: number | undefined;

  constructor(code: DatasetErrorCode, message: string, location: DatasetErrorLocation = {}) {
    super(message, location.cause === undefined ? undefined : { cause: location.cause });
    this.code = code;
    this.file = location.file;
    this.line = location.line;
  }
}

/** Returns true when `error` is a `DatasetError`, optionally with the given code. */
export function isDatasetError(error: unknown, code?: DatasetErrorCode): error is DatasetError {
  return error instanceof DatasetError && (code === undefined || error.code === code);
}
