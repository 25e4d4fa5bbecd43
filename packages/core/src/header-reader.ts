import { ModelFileError } from './errors.js';

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}

/**
 * Reads typed fields out of a parsed model header, raising INVALID_HEADER with the path of
 * the field (such as `header.dimensions.k`), the expected type and the value found.
 */
export class HeaderReader {
  constructor(private readonly file: string) {}

  fail(path: string, expected: string, value: unknown): ModelFileError {
    return new ModelFileError('INVALID_HEADER', this.file, `invalid model file ${this.file}: ${path} must be ${expected}, found ${describe(value)}`);
  }

  object(value: unknown, path: string): Record<string, unknown> {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw this.fail(path, 'an object', value);
    return value as Record<string, unknown>;
  }

  array(value: unknown, path: string): unknown[] {
    if (!Array.isArray(value)) throw this.fail(path, 'an array', value);
    return value;
  }

  string(value: unknown, path: string): string {
    if (typeof value !== 'string') throw this.fail(path, 'a string', value);
    return value;
  }

  oneOf<T extends string>(value: unknown, path: string, names: readonly T[]): T {
    if (typeof value !== 'string' || !(names as readonly string[]).includes(value)) throw this.fail(path, `one of ${names.join(', ')}`, value);
    return value as T;
  }

  boolean(value: unknown, path: string): boolean {
    if (typeof value !== 'boolean') throw this.fail(path, 'true or false', value);
    return value;
  }

  finite(value: unknown, path: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw this.fail(path, 'a finite number', value);
    return value;
  }

  positive(value: unknown, path: string): number {
    if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) throw this.fail(path, 'a finite positive number', value);
    return value;
  }

  integer(value: unknown, path: string, minimum: number): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) throw this.fail(path, `an integer ≥ ${minimum}`, value);
    return value;
  }

  finiteOrNull(value: unknown, path: string): number | null {
    return value === null ? null : this.finite(value, path);
  }

  integerOrNull(value: unknown, path: string, minimum: number): number | null {
    return value === null ? null : this.integer(value, path, minimum);
  }

  strings(value: unknown, path: string): string[] {
    return this.array(value, path).map((entry, i) => this.string(entry, `${path}[${i}]`));
  }
}
