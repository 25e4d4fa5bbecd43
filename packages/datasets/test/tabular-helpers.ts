import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { DatasetError, type DatasetErrorCode } from '../src/index.js';

/** A temporary folder for the files of one test file, removed by `remove`. */
export interface Scratch {
  dir: string;
  /** Writes `content` to `name` inside the folder and returns its path. */
  file(name: string, content: string | Uint8Array): Promise<string>;
  remove(): Promise<void>;
}

export async function createScratch(): Promise<Scratch> {
  const dir = await mkdtemp(join(tmpdir(), 'nimc-tabular-'));
  return {
    dir,
    async file(name, content) {
      const path = join(dir, name);
      await writeFile(path, content);
      return path;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Awaits `promise`, expects a DatasetError with `code`, and returns it. */
export async function expectDatasetError(promise: Promise<unknown>, code: DatasetErrorCode): Promise<DatasetError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected a DatasetError').toBeInstanceOf(DatasetError);
  const error = caught as DatasetError;
  expect(error.code, error.message).toBe(code);
  return error;
}
