// The error and the checks that the experiment page generators share for data files.

/** A data file that does not have the expected format. The message names the file and the field. */
export class ReportFormatError extends Error {}

/** Throws a ReportFormatError that names `file`, the field at `path`, the requirement and the received value. */
export function fail(file, path, requirement, value) {
  const received = value === undefined ? 'nothing' : JSON.stringify(value)?.slice(0, 80);
  throw new ReportFormatError(`invalid ${file}: ${path} must be ${requirement}, received ${received}`);
}

/** Returns true for a plain object, not an array or null. */
export const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Throws a ReportFormatError unless `value` is a non-empty string, or undefined when `optional`. */
export function checkString(file, path, value, optional = false) {
  if (optional && value === undefined) return;
  if (typeof value !== 'string' || value.trim() === '') fail(file, path, 'a non-empty string', value);
}
