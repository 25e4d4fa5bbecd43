import { rmSync } from 'node:fs';
import { temporaryFilesInProgress } from '@nimc/core';

// Temporary files of writeFileAtomically that exist between its write and its rename.
const cliTemporaryFiles = new Set<string>();

/** Records a temporary file that an interrupt must delete until `forgetTemporaryFile` is called. */
export function rememberTemporaryFile(path: string): void {
  cliTemporaryFiles.add(path);
}

/** Removes `path` from the files that an interrupt deletes. */
export function forgetTemporaryFile(path: string): void {
  cliTemporaryFiles.delete(path);
}

// Temporary folders, such as the extraction folder of a MovieLens download, deleted with their content.
const cliTemporaryFolders = new Set<string>();

/** Records a temporary folder that an interrupt must delete, with its content, until `forgetTemporaryFolder` is called. */
export function rememberTemporaryFolder(path: string): void {
  cliTemporaryFolders.add(path);
}

/** Removes `path` from the folders that an interrupt deletes. */
export function forgetTemporaryFolder(path: string): void {
  cliTemporaryFolders.delete(path);
}

/** Exit status of a process stopped by a signal, 128 plus the signal number, as shells report it. */
export const signalExitCodes = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * Deletes every temporary file of an output write in progress, from @nimc/core and from this
 * program, and every registered temporary folder with its content.
 */
export function removeTemporaryFiles(): void {
  for (const path of [...temporaryFilesInProgress(), ...cliTemporaryFiles]) {
    try {
      rmSync(path, { force: true });
    } catch {
      // The process is exiting, so a file that cannot be deleted stays, as it would without a handler.
    }
  }
  for (const path of cliTemporaryFolders) {
    try {
      rmSync(path, { recursive: true, force: true });
    } catch {
      // As above, a folder that cannot be deleted stays.
    }
  }
  cliTemporaryFiles.clear();
  cliTemporaryFolders.clear();
}

/**
 * Installs SIGINT and SIGTERM handlers that delete the temporary files and folders of
 * unfinished outputs and downloads, and exit with 130 or 143. The target of an unfinished
 * write is left as it was: absent, or its previous content.
 */
export function exitCleanlyOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      removeTemporaryFiles();
      process.exit(signalExitCodes[signal]);
    });
  }
}
