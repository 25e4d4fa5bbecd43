import { access, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { movieLensFiles, type MovieLensDataset } from '@nimc/datasets';
import { unzipSync, type Unzipped } from 'fflate';
import { CommandError } from './errors.js';

/** URL of the GroupLens folder that serves ml-100k.zip and ml-1m.zip. NIMC_MOVIELENS_URL replaces it. */
export const groupLensMovieLensUrl = 'https://files.grouplens.org/datasets/movielens';

/** Bytes of an archive download received so far. */
export interface DownloadProgress {
  url: string;
  receivedBytes: number;
  /** The Content-Length of the response, or undefined when the server sends none. */
  totalBytes: number | undefined;
}

/** Options of `ensureMovieLensDataset`. */
export interface MovieLensCacheOptions {
  /** Environment read for NIMC_CACHE_DIR, XDG_CACHE_HOME and NIMC_MOVIELENS_URL. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Called for each chunk of the archive download. */
  onProgress?: (progress: DownloadProgress) => void;
  /** Called once, before a download starts. */
  onDownloadStart?: (url: string, folder: string) => void;
}

/** A cached MovieLens dataset. */
export interface CachedMovieLensDataset {
  /** The folder that contains the dataset files, such as `<cache>/movielens/ml-100k`. */
  folder: string;
  /** The URL the archive was downloaded from, or undefined when the cache already had the files. */
  downloadedFrom: string | undefined;
}

/**
 * Returns the folder that contains the cached MovieLens datasets: `$NIMC_CACHE_DIR/movielens`
 * when NIMC_CACHE_DIR is set, else `$XDG_CACHE_HOME/nimc/movielens`, else `~/.cache/nimc/movielens`.
 * A relative XDG_CACHE_HOME is ignored, as the XDG Base Directory specification requires.
 */
export function movieLensCacheFolder(env: NodeJS.ProcessEnv = process.env): string {
  const nimcCache = env.NIMC_CACHE_DIR;
  if (nimcCache !== undefined && nimcCache !== '') return join(resolve(nimcCache), 'movielens');
  const xdgCache = env.XDG_CACHE_HOME;
  const base = xdgCache !== undefined && isAbsolute(xdgCache) ? xdgCache : join(homedir(), '.cache');
  return join(base, 'nimc', 'movielens');
}

/** Returns the archive URL of `dataset`: `<base>/<dataset>.zip`, base NIMC_MOVIELENS_URL or the GroupLens folder. */
export function movieLensArchiveUrl(dataset: MovieLensDataset, env: NodeJS.ProcessEnv = process.env): string {
  const override = env.NIMC_MOVIELENS_URL;
  const base = override !== undefined && override !== '' ? override : groupLensMovieLensUrl;
  let parsed: URL;
  try {
    parsed = new URL(base);
  } catch {
    throw new CommandError(`invalid NIMC_MOVIELENS_URL "${base}": expected an http or https URL of the folder that contains ${dataset}.zip`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new CommandError(`invalid NIMC_MOVIELENS_URL "${base}": expected an http or https URL, received the protocol ${parsed.protocol}`);
  }
  return `${base.replace(/\/+$/, '')}/${dataset}.zip`;
}

async function hasFiles(folder: string, dataset: MovieLensDataset): Promise<boolean> {
  try {
    await Promise.all(movieLensFiles[dataset].map((name) => access(join(folder, name))));
    return true;
  } catch {
    return false;
  }
}

function manualDownloadHint(url: string, dataset: MovieLensDataset): string {
  return (
    `Download ${url} by hand, unzip it and pass the folder that contains ${dataset}/ with --data-dir, ` +
    `or set NIMC_MOVIELENS_URL to a mirror folder that serves ${dataset}.zip.`
  );
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, errors } = error as { code?: unknown; errors?: unknown };
  if (typeof code === 'string') return code;
  // Node reports a failed connection to every address of a host as an AggregateError.
  if (Array.isArray(errors)) return errorCode(errors[0]);
  return undefined;
}

const networkReasons: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  UND_ERR_SOCKET: 'connection closed by the server',
  ENOTFOUND: 'host not found (DNS lookup failed)',
  EAI_AGAIN: 'DNS lookup failed temporarily',
  ETIMEDOUT: 'connection timed out',
  ENETUNREACH: 'network unreachable',
  EHOSTUNREACH: 'host unreachable',
};

function describeNetworkError(error: unknown): string {
  const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
  const code = errorCode(cause);
  if (code !== undefined) return `${networkReasons[code] ?? 'network error'} (${code})`;
  return cause instanceof Error ? cause.message : String(cause);
}

function cacheWriteError(path: string, error: unknown): CommandError {
  const reason = errorCode(error) ?? (error instanceof Error ? error.message : String(error));
  return new CommandError(
    `cannot write the MovieLens cache folder ${path}: ${reason}. ` +
      'Set NIMC_CACHE_DIR to a writable folder, or pass a folder with the MovieLens files with --data-dir.',
  );
}

async function readBody(response: Response, url: string, dataset: MovieLensDataset, onProgress: MovieLensCacheOptions['onProgress']): Promise<Uint8Array> {
  const header = response.headers.get('content-length');
  const totalBytes = header === null || !/^\d+$/.test(header) ? undefined : Number(header);
  const chunks: Uint8Array[] = [];
  let receivedBytes = 0;
  try {
    if (response.body !== null) {
      for await (const chunk of response.body) {
        chunks.push(chunk);
        receivedBytes += chunk.byteLength;
        onProgress?.({ url, receivedBytes, totalBytes });
      }
    }
  } catch (error) {
    throw new CommandError(
      `download of ${url} failed after ${receivedBytes} bytes: ${describeNetworkError(error)}. Rerun the command to download it again. ` +
        manualDownloadHint(url, dataset),
    );
  }
  if (totalBytes !== undefined && receivedBytes !== totalBytes) {
    throw new CommandError(`download of ${url} is truncated: received ${receivedBytes} of ${totalBytes} bytes. Rerun the command to download it again.`);
  }
  const bytes = new Uint8Array(receivedBytes);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

async function downloadArchive(url: string, dataset: MovieLensDataset, onProgress: MovieLensCacheOptions['onProgress']): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new CommandError(`failed to download ${url}: ${describeNetworkError(error)}. ${manualDownloadHint(url, dataset)}`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    const status = `HTTP ${response.status}${response.statusText === '' ? '' : ` ${response.statusText}`}`;
    throw new CommandError(`failed to download ${url}: ${status}. ${manualDownloadHint(url, dataset)}`);
  }
  return readBody(response, url, dataset, onProgress);
}

// Entries outside `<dataset>/`, folder entries and names that climb out with ".." are skipped.
function isDatasetEntry(name: string, dataset: MovieLensDataset): boolean {
  return name.startsWith(`${dataset}/`) && !name.endsWith('/') && !name.split('/').includes('..');
}

function extractArchive(bytes: Uint8Array, url: string, dataset: MovieLensDataset): Unzipped {
  const sizes = new Map<string, number>();
  let entries: Unzipped;
  try {
    entries = unzipSync(bytes, {
      filter: (file) => {
        if (!isDatasetEntry(file.name, dataset)) return false;
        sizes.set(file.name, file.originalSize);
        return true;
      },
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CommandError(`invalid zip archive from ${url} (${bytes.byteLength} bytes): ${reason}. The download is truncated or corrupt. Rerun the command to download it again.`);
  }
  // NOTE: fflate does not check CRC-32 checksums, so only the sizes of the extracted files are verified here.
  for (const [name, content] of Object.entries(entries)) {
    if (content.byteLength !== sizes.get(name)) {
      throw new CommandError(`invalid zip archive from ${url}: ${name} extracts to ${content.byteLength} bytes, expected ${sizes.get(name)}. Rerun the command to download it again.`);
    }
  }
  const missing = movieLensFiles[dataset].filter((name) => entries[`${dataset}/${name}`] === undefined);
  if (missing.length > 0) {
    throw new CommandError(
      `the archive ${url} does not contain ${missing.map((name) => `${dataset}/${name}`).join(', ')}: ` +
        `expected ${movieLensFiles[dataset].join(', ')} in its ${dataset}/ folder. ` +
        `Check that NIMC_MOVIELENS_URL, when set, names a folder that serves the GroupLens ${dataset}.zip.`,
    );
  }
  return entries;
}

async function writeEntries(entries: Unzipped, root: string): Promise<void> {
  for (const [name, content] of Object.entries(entries)) {
    const path = join(root, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
}

// Moves the extracted folder into place with one rename, so the cache never shows a partly
// written dataset. A stale incomplete folder is moved aside into the temporary folder first.
async function moveIntoPlace(extracted: string, target: string, temporary: string): Promise<void> {
  try {
    await rename(target, join(temporary, 'stale'));
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
  await rename(extracted, target);
}

/**
 * Returns the cached folder of `dataset`, downloading and extracting `<dataset>.zip` first
 * when the cache lacks any of its files. The archive is extracted into a temporary folder
 * inside the cache and renamed into place only after every file of `movieLensFiles` is found,
 * so a failed or interrupted download leaves no dataset folder. Makes no network request when
 * the files are already there.
 *
 * Throws a `CommandError` that names the URL or the folder and the next step for an HTTP error,
 * a network failure, an invalid or incomplete archive and a cache folder that cannot be written.
 */
export async function ensureMovieLensDataset(dataset: MovieLensDataset, options: MovieLensCacheOptions = {}): Promise<CachedMovieLensDataset> {
  const env = options.env ?? process.env;
  const cache = movieLensCacheFolder(env);
  const target = join(cache, dataset);
  if (await hasFiles(target, dataset)) return { folder: target, downloadedFrom: undefined };

  const url = movieLensArchiveUrl(dataset, env);
  let temporary: string;
  try {
    await mkdir(cache, { recursive: true });
    temporary = await mkdtemp(join(cache, `.${dataset}-download-`));
  } catch (error) {
    throw cacheWriteError(cache, error);
  }

  // NOTE: a process stopped by a signal leaves this hidden temporary folder in the cache. It is
  // never read as a dataset, but nothing deletes it later.
  try {
    options.onDownloadStart?.(url, target);
    const bytes = await downloadArchive(url, dataset, options.onProgress);
    const entries = extractArchive(bytes, url, dataset);
    try {
      await writeEntries(entries, temporary);
      await moveIntoPlace(join(temporary, dataset), target, temporary);
    } catch (error) {
      throw cacheWriteError(cache, error);
    }
  } finally {
    await rm(temporary, { recursive: true, force: true });
  }
  return { folder: target, downloadedFrom: url };
}
