import { access, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { movieLensFiles, type MovieLensDataset } from '@nimc/datasets';
import { unzipSync, type Unzipped } from 'fflate';
import { CommandError } from './errors.js';
import { forgetTemporaryFolder, rememberTemporaryFolder } from './interrupt.js';

/** URL of the GroupLens folder that serves ml-100k.zip and ml-1m.zip. NIMC_MOVIELENS_URL replaces it. */
export const groupLensMovieLensUrl = 'https://files.grouplens.org/datasets/movielens';

const mebibyte = 1024 * 1024;

/**
 * Largest archive a download accepts, 200 MiB, checked against the Content-Length and while
 * the body arrives. The GroupLens ml-100k.zip and ml-1m.zip are about 5 and 6 MB.
 */
export const maxArchiveBytes = 200 * mebibyte;

/** Seconds without any received byte after which a download is aborted, unless NIMC_DOWNLOAD_TIMEOUT_SECONDS sets another value. */
export const defaultDownloadTimeoutSeconds = 30;

/** Bytes of an archive download received so far. */
export interface DownloadProgress {
  url: string;
  receivedBytes: number;
  /** The Content-Length of the response, or undefined when the server sends none. */
  totalBytes: number | undefined;
}

/** Options of `ensureMovieLensDataset`. */
export interface MovieLensCacheOptions {
  /** Environment read for NIMC_CACHE_DIR, XDG_CACHE_HOME, NIMC_MOVIELENS_URL and NIMC_DOWNLOAD_TIMEOUT_SECONDS. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Callback run for each received chunk of the archive download. */
  onProgress?: (progress: DownloadProgress) => void;
  /** Callback run once, before a download starts. */
  onDownloadStart?: (url: string, folder: string) => void;
  /** Largest archive accepted, in bytes. Default `maxArchiveBytes`, 200 MiB. */
  maxArchiveBytes?: number;
}

/** A cached MovieLens dataset. */
export interface CachedMovieLensDataset {
  /** The folder that contains the dataset files, such as `<cache>/movielens/ml-100k`. */
  folder: string;
  /** The URL the archive was downloaded from, or undefined when the cache already had the files. */
  downloadedFrom: string | undefined;
}

/**
 * Returns the folder that contains the cached MovieLens datasets. It is `$NIMC_CACHE_DIR/movielens`
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

/** Returns the archive URL `<base>/<dataset>.zip`, where the base is NIMC_MOVIELENS_URL or else the GroupLens folder. */
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

/**
 * Returns the idle timeout of a download in seconds, which is NIMC_DOWNLOAD_TIMEOUT_SECONDS when
 * it is set and `defaultDownloadTimeoutSeconds` otherwise. Throws a CommandError for a value that is not a
 * positive number.
 */
export function downloadTimeoutSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const value = env.NIMC_DOWNLOAD_TIMEOUT_SECONDS;
  if (value === undefined || value === '') return defaultDownloadTimeoutSeconds;
  const seconds = Number(value);
  // setTimeout fires at once for a delay above 2^31 - 1 ms, about 24.8 days.
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds * 1000 > 2 ** 31 - 1) {
    throw new CommandError(`invalid NIMC_DOWNLOAD_TIMEOUT_SECONDS "${value}": expected a positive number of seconds, at most 2147483`);
  }
  return seconds;
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

// An AbortController whose signal fires once `milliseconds` pass without a call to `restart`.
interface IdleTimeout {
  readonly signal: AbortSignal;
  readonly expired: boolean;
  restart(): void;
  stop(): void;
}

function startIdleTimeout(milliseconds: number): IdleTimeout {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let expired = false;
  const restart = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      expired = true;
      controller.abort();
    }, milliseconds);
  };
  restart();
  return {
    signal: controller.signal,
    get expired() {
      return expired;
    },
    restart,
    stop: () => clearTimeout(timer),
  };
}

// The settings and state of one archive download, shared by its steps.
interface Download {
  url: string;
  dataset: MovieLensDataset;
  timeoutSeconds: number;
  maxBytes: number;
  idle: IdleTimeout;
  onProgress: MovieLensCacheOptions['onProgress'];
}

/** The body of an archive download and its content type. */
interface DownloadedArchive {
  bytes: Uint8Array;
  contentType: string;
}

function formatLimit(bytes: number): string {
  return bytes % mebibyte === 0 ? `${bytes / mebibyte} MiB` : `${bytes} bytes`;
}

function timeoutError(download: Download, receivedBytes: number): CommandError {
  return new CommandError(
    `download of ${download.url} timed out: no data for ${download.timeoutSeconds} s after ${receivedBytes} bytes. ` +
      'Rerun the command, or set NIMC_DOWNLOAD_TIMEOUT_SECONDS to wait longer on a slow link. ' +
      manualDownloadHint(download.url, download.dataset),
  );
}

function tooLargeError(download: Download, reason: string): CommandError {
  return new CommandError(
    `download of ${download.url} rejected: ${reason}, above the limit of ${formatLimit(download.maxBytes)}. ` +
      `The GroupLens ${download.dataset}.zip is under 10 MB. ` +
      `Check that NIMC_MOVIELENS_URL, when set, names a folder that serves the GroupLens ${download.dataset}.zip.`,
  );
}

async function readBody(response: Response, download: Download): Promise<Uint8Array> {
  const { url, dataset, maxBytes, onProgress } = download;
  const header = response.headers.get('content-length');
  const announcedBytes = header === null || !/^\d+$/.test(header) ? undefined : Number(header);
  if (announcedBytes !== undefined && announcedBytes > maxBytes) {
    await response.body?.cancel();
    throw tooLargeError(download, `the server announces ${announcedBytes} bytes in its Content-Length`);
  }
  // fetch decodes a Content-Encoding such as gzip, so the Content-Length then counts encoded bytes
  // and cannot be compared with the decoded bytes read below.
  const encoding = response.headers.get('content-encoding')?.trim().toLowerCase() ?? 'identity';
  const totalBytes = encoding === 'identity' || encoding === '' ? announcedBytes : undefined;

  const chunks: Uint8Array[] = [];
  let receivedBytes = 0;
  try {
    if (response.body !== null) {
      for await (const chunk of response.body) {
        download.idle.restart();
        receivedBytes += chunk.byteLength;
        // Leaving the loop cancels the response body.
        if (receivedBytes > maxBytes) break;
        chunks.push(chunk);
        onProgress?.({ url, receivedBytes, totalBytes });
      }
    }
  } catch (error) {
    if (download.idle.expired) throw timeoutError(download, receivedBytes);
    throw new CommandError(
      `download of ${url} failed after ${receivedBytes} bytes: ${describeNetworkError(error)}. Rerun the command to download it again. ` +
        manualDownloadHint(url, dataset),
    );
  }

  if (receivedBytes > maxBytes) throw tooLargeError(download, `the server sent more than ${maxBytes} bytes`);
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

// Downloads the archive and aborts the request when no byte arrives for `timeoutSeconds`, both
// while waiting for the response headers and between any two chunks of the body.
async function downloadArchive(download: Download): Promise<DownloadedArchive> {
  const { url, dataset } = download;
  try {
    let response: Response;
    try {
      response = await fetch(url, { signal: download.idle.signal });
    } catch (error) {
      if (download.idle.expired) throw timeoutError(download, 0);
      throw new CommandError(`failed to download ${url}: ${describeNetworkError(error)}. ${manualDownloadHint(url, dataset)}`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      const status = `HTTP ${response.status}${response.statusText === '' ? '' : ` ${response.statusText}`}`;
      throw new CommandError(`failed to download ${url}: ${status}. ${manualDownloadHint(url, dataset)}`);
    }
    const bytes = await readBody(response, download);
    return { bytes, contentType: response.headers.get('content-type') ?? '' };
  } finally {
    download.idle.stop();
  }
}

// Selects the files inside `<dataset>/`, so other entries, folder entries and names that climb out
// with ".." are skipped.
function isDatasetEntry(name: string, dataset: MovieLensDataset): boolean {
  return name.startsWith(`${dataset}/`) && !name.endsWith('/') && !name.split('/').includes('..');
}

function isHtml(contentType: string): boolean {
  return contentType.split(';')[0]?.trim().toLowerCase() === 'text/html';
}

function extractArchive({ bytes, contentType }: DownloadedArchive, url: string, dataset: MovieLensDataset): Unzipped {
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
    if (isHtml(contentType)) {
      throw new CommandError(
        `invalid zip archive from ${url} (${bytes.byteLength} bytes): the server sent an HTML page, not a zip archive. ` +
          `Check that NIMC_MOVIELENS_URL, when set, names a folder that serves ${dataset}.zip. ${manualDownloadHint(url, dataset)}`,
      );
    }
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
 * so a failed or interrupted download leaves no dataset folder. The temporary folder is
 * registered with `rememberTemporaryFolder`, so the SIGINT and SIGTERM handlers delete it too.
 * The download is aborted after NIMC_DOWNLOAD_TIMEOUT_SECONDS (default 30) seconds without
 * data, and rejected above `options.maxArchiveBytes` (default 200 MiB). Makes no network
 * request when the files are already there.
 *
 * Throws a `CommandError` that names the URL or the folder and the next step. The failures it
 * reports are an HTTP error, a network failure, a timeout, an archive above the size limit, an
 * HTML page in place of the archive, an invalid or incomplete archive and a cache folder that
 * cannot be written.
 */
export async function ensureMovieLensDataset(dataset: MovieLensDataset, options: MovieLensCacheOptions = {}): Promise<CachedMovieLensDataset> {
  const env = options.env ?? process.env;
  const cache = movieLensCacheFolder(env);
  const target = join(cache, dataset);
  if (await hasFiles(target, dataset)) return { folder: target, downloadedFrom: undefined };

  const url = movieLensArchiveUrl(dataset, env);
  const timeoutSeconds = downloadTimeoutSeconds(env);
  let temporary: string;
  try {
    await mkdir(cache, { recursive: true });
    temporary = await mkdtemp(join(cache, `.${dataset}-download-`));
  } catch (error) {
    throw cacheWriteError(cache, error);
  }
  rememberTemporaryFolder(temporary);

  try {
    options.onDownloadStart?.(url, target);
    const download: Download = {
      url,
      dataset,
      timeoutSeconds,
      maxBytes: options.maxArchiveBytes ?? maxArchiveBytes,
      idle: startIdleTimeout(timeoutSeconds * 1000),
      onProgress: options.onProgress,
    };
    const archive = await downloadArchive(download);
    const entries = extractArchive(archive, url, dataset);
    try {
      await writeEntries(entries, temporary);
      await moveIntoPlace(join(temporary, dataset), target, temporary);
    } catch (error) {
      throw cacheWriteError(cache, error);
    }
  } finally {
    await rm(temporary, { recursive: true, force: true });
    forgetTemporaryFolder(temporary);
  }
  return { folder: target, downloadedFrom: url };
}
