/** Stable machine-readable codes of `ModelFileError`. */
export type ModelFileErrorCode =
  /** The model file does not exist. */
  | 'NOT_FOUND'
  /** The model file exists but could not be read or written. */
  | 'IO_FAILED'
  /** The file ends before the model does. */
  | 'TRUNCATED'
  /** The file is not valid JSON for a reason other than truncation. */
  | 'INVALID_JSON'
  /** The JSON document is not a nimc model. */
  | 'NOT_A_MODEL'
  /** The model was written in a format version this package does not read. */
  | 'UNSUPPORTED_VERSION'
  /** A header field is missing or has an invalid value. */
  | 'INVALID_HEADER'
  /** The parameters' sizes disagree with the dimensions or the feature encoders. */
  | 'DIMENSION_MISMATCH'
  /** The parameters are not valid base64 float64 data or contain NaN or infinities. */
  | 'INVALID_PARAMETERS'
  /** The checksum does not match the header and parameters: the file was edited or corrupted. */
  | 'CHECKSUM_MISMATCH';

/**
 * An error in reading or writing a model file. Its message names the file and the problem,
 * so a command-line program can print it without the stack trace.
 */
export class ModelFileError extends Error {
  override readonly name = 'ModelFileError';
  readonly code: ModelFileErrorCode;
  readonly file: string;

  constructor(code: ModelFileErrorCode, file: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.file = file;
  }
}

/** Returns true when `error` is a `ModelFileError`, optionally with the given code. */
export function isModelFileError(error: unknown, code?: ModelFileErrorCode): error is ModelFileError {
  return error instanceof ModelFileError && (code === undefined || error.code === code);
}
