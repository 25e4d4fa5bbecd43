import type { MovieLensDataset } from '@nimc/datasets';
import { ensureMovieLensDataset, type CachedMovieLensDataset, type DownloadProgress } from '../movielens-download.js';
import { formatJson } from '../output.js';
import { createProgress, type Progress } from '../progress.js';

/** Options of `nimc download-movielens`, as commander parses them. */
export interface DownloadMovieLensCommandOptions {
  dataset: MovieLensDataset;
  json: boolean;
  quiet: boolean;
}

const kibibyte = 1024;
const mebibyte = 1024 * 1024;

/**
 * Formats the progress line of an archive download. Sizes are in KiB when the archive, or the
 * part received when the server sends no Content-Length, is below 1 MiB, and in MiB otherwise.
 */
export function formatDownloadProgress(progress: DownloadProgress): string {
  const scale = (progress.totalBytes ?? progress.receivedBytes) < mebibyte ? { unit: 'KiB', bytes: kibibyte } : { unit: 'MiB', bytes: mebibyte };
  const received = (progress.receivedBytes / scale.bytes).toFixed(1);
  if (progress.totalBytes === undefined || progress.totalBytes === 0) return `downloading ${progress.url}: ${received} ${scale.unit}`;
  const total = (progress.totalBytes / scale.bytes).toFixed(1);
  const percent = Math.floor((100 * progress.receivedBytes) / progress.totalBytes);
  return `downloading ${progress.url}: ${received} of ${total} ${scale.unit} (${percent}%)`;
}

function licenceNote(dataset: MovieLensDataset, folder: string): string {
  return (
    `MovieLens ${dataset} in ${folder} comes from GroupLens (https://grouplens.org/datasets/movielens/) ` +
    'and is for research use under the GroupLens licence, which forbids redistribution.'
  );
}

/**
 * Returns the cached folder of `dataset`, downloading it on first use, with a progress line
 * and the licence note on stderr through `progress`.
 */
export async function cachedMovieLensFolder(dataset: MovieLensDataset, progress: Progress): Promise<CachedMovieLensDataset> {
  const cached = await ensureMovieLensDataset(dataset, {
    onDownloadStart: (url, folder) => progress.note(`downloading ${url} into ${folder}`),
    onProgress: (state) => progress.update(formatDownloadProgress(state)),
  }).finally(() => progress.clear());
  progress.note(licenceNote(dataset, cached.folder));
  return cached;
}

/** Runs `nimc download-movielens`, which fills the cache and prints the dataset folder, or one JSON object with `--json`. */
export async function runDownloadMovieLensCommand(options: DownloadMovieLensCommandOptions): Promise<void> {
  const progress = createProgress({ quiet: options.quiet });
  const { folder, downloadedFrom } = await cachedMovieLensFolder(options.dataset, progress);
  const report = { dataset: options.dataset, folder, downloadedFrom: downloadedFrom ?? null };
  process.stdout.write(options.json ? formatJson(report) : `${folder}\n`);
}
