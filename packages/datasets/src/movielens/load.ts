import { join, resolve } from 'node:path';
import { DatasetError } from '../errors.js';
import { loadMovieLens100k } from './ml100k.js';
import { loadMovieLens1m } from './ml1m.js';
import { findMissingFiles, isDirectory, missingFolder } from './read.js';
import { isMovieLensDataset, movieLensDatasets, movieLensFiles, type MovieLensData, type MovieLensDataset } from './types.js';

/**
 * Finds the folder of `dataset`: `dir/<dataset>` when it exists (the layout of the
 * GroupLens zip files), otherwise `dir` itself when it directly contains the dataset's files.
 */
export async function resolveMovieLensFolder(dir: string, dataset: MovieLensDataset): Promise<string> {
  const root = resolve(dir);
  const nested = join(root, dataset);
  if (await isDirectory(nested)) return nested;
  if (!(await isDirectory(root))) {
    throw new DatasetError(
      'ENOENT_DATASET',
      `MovieLens data folder not found: ${root}. Expected a folder that contains ${dataset}/ with ` +
        `${movieLensFiles[dataset].join(', ')}. Pass that folder (on the command line, with --data-dir).`,
      { file: root },
    );
  }
  if ((await findMissingFiles(root, dataset)).length === 0) return root;
  throw missingFolder(nested, dataset);
}

/**
 * Loads a MovieLens release. `dir` is the folder that contains the `ml-100k` or `ml-1m`
 * folder; a folder that directly contains the dataset's files is accepted too. Users and
 * movies keep the order of their files, and ratings refer to them by dense index.
 *
 * Throws a `DatasetError`: UNKNOWN_DATASET for an unsupported name, ENOENT_DATASET for a
 * missing folder or file, MALFORMED_LINE, DUPLICATE_ID or UNKNOWN_ID (with `file` and
 * `line`) for content that does not parse, and READ_FAILED when a file cannot be read.
 */
export async function loadMovieLens(dir: string, dataset: string): Promise<MovieLensData> {
  if (!isMovieLensDataset(dataset)) {
    throw new DatasetError('UNKNOWN_DATASET', `unknown MovieLens dataset "${dataset}": expected one of ${movieLensDatasets.join(', ')}`);
  }
  const folder = await resolveMovieLensFolder(dir, dataset);
  const missing = await findMissingFiles(folder, dataset);
  if (missing.length > 0) {
    const first = join(folder, missing[0] as string);
    throw new DatasetError(
      'ENOENT_DATASET',
      `MovieLens ${dataset} file${missing.length > 1 ? 's' : ''} not found in ${folder}: ${missing.join(', ')}. ` +
        `The ${dataset} folder must contain ${movieLensFiles[dataset].join(', ')}. ` +
        `Pass the folder that contains ${dataset} (on the command line, with --data-dir).`,
      { file: first },
    );
  }
  return dataset === 'ml-100k' ? loadMovieLens100k(folder) : loadMovieLens1m(folder);
}
