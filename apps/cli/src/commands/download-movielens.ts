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

const megabyte = 1024 * 1024;

function formatProgress(progress: DownloadProgress): string {
  const received = (progress.receivedBytes / megabyte).toFixed(1);
  if (progress.totalBytes === undefined || progress.totalBytes === 0) return `downloading ${progress.url}: ${received} MiB`;
  const total = (progress.totalBytes / megabyte).toFixed(1);
  const percent = Math.floor((100 * progress.receivedBytes) / progress.totalBytes);
  return `downloading ${progress.url}: ${received} of ${total} MiB (${percent}%)`;
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
    onProgress: (state) => progress.update(formatProgress(state)),
  }).finally(() => progress.clear());
  progress.note(licenceNote(dataset, cached.folder));
  return cached;
}

/** Runs `nimc download-movielens`: fills the cache and prints the dataset folder, or one JSON object with `--json`. */
export async function runDownloadMovieLensCommand(options: DownloadMovieLensCommandOptions): Promise<void> {
  const progress = createProgress({ quiet: options.quiet });
  const { folder, downloadedFrom } = await cachedMovieLensFolder(options.dataset, progress);
  const report = { dataset: options.dataset, folder, downloadedFrom: downloadedFrom ?? null };
  process.stdout.write(options.json ? formatJson(report) : `${folder}\n`);
}
