import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CommandError } from './errors.js';
import { forgetTemporaryFile, rememberTemporaryFile } from './interrupt.js';

/**
 * Writes `text` to `path` through a temporary file in the same folder that is then renamed
 * over `path`, so a reader sees either the old file or the complete new one, never a partial
 * write. Throws a CommandError that names the path when the folder is missing or the write
 * fails, and removes the temporary file in that case.
 */
export function writeFileAtomically(path: string, text: string): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  rememberTemporaryFile(temporary);
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    const reason = error instanceof Error ? error.message : String(error);
    throw new CommandError(`failed to write ${path}: ${reason}`);
  } finally {
    forgetTemporaryFile(temporary);
  }
}
