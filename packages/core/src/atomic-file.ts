import { randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

// Temporary files opened by openAtomicFile and not yet renamed or deleted.
const pendingTemporaryFiles = new Set<string>();

/**
 * Lists the temporary files of atomic writes in progress: opened by `openAtomicFile` (or
 * `writeFileAtomic`) and not yet committed or aborted. A program that handles SIGINT or SIGTERM
 * can delete these paths before it exits; this library installs no signal handler itself.
 */
export function temporaryFilesInProgress(): string[] {
  return [...pendingTemporaryFiles];
}

/** A file being written under a temporary name; it appears at its path only on `commit`. */
export interface AtomicFile {
  /** The final path. */
  readonly path: string;
  /** Appends text (UTF-8) or bytes. */
  write(data: string | Uint8Array): Promise<void>;
  /** Flushes the data to disk and renames the temporary file to `path`. */
  commit(): Promise<void>;
  /** Deletes the temporary file; `path` is left as it was. Safe to call after a failure. */
  abort(): Promise<void>;
}

/**
 * Opens a temporary file next to `path` (same folder, so the final rename is atomic on the
 * same file system). Readers of `path` see either the old file or the complete new one,
 * never a partial write. Throws the file system's error when the folder is missing or not
 * writable.
 */
export async function openAtomicFile(path: string): Promise<AtomicFile> {
  const target = resolve(path);
  const folder = dirname(target);
  const temporary = join(folder, `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle: FileHandle = await open(temporary, 'wx', 0o644);
  pendingTemporaryFiles.add(temporary);
  let closed = false;

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await handle.close();
  };

  return {
    path,
    async write(data) {
      await handle.write(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    },
    async commit() {
      try {
        await handle.sync();
        await close();
        await rename(temporary, target);
      } catch (error) {
        await close().catch(() => {});
        await rm(temporary, { force: true });
        pendingTemporaryFiles.delete(temporary);
        throw error;
      }
      pendingTemporaryFiles.delete(temporary);
      await syncFolder(folder);
    },
    async abort() {
      await close().catch(() => {});
      await rm(temporary, { force: true });
      pendingTemporaryFiles.delete(temporary);
    },
  };
}

/** Writes `data` to `path` atomically: a temporary file, fsync, then rename. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const file = await openAtomicFile(path);
  try {
    await file.write(data);
  } catch (error) {
    await file.abort();
    throw error;
  }
  await file.commit();
}

// Flushes the folder entry of the rename. Some platforms (Windows) cannot open a folder for
// syncing; the rename itself has happened by then, so that failure is ignored.
async function syncFolder(folder: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch {
    // Nothing to undo: see above.
  } finally {
    await handle?.close().catch(() => {});
  }
}
