import { access, constants, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isModelFileError, load, openAtomicFile, type ReadOptions, type RecommenderModel, type UnseenReport } from '@nimc/core';
import type { DuplicatePolicy, UnseenCategory } from '@nimc/datasets';
import { CommandError } from '../errors.js';
import type { Progress } from '../progress.js';

/** Options that describe the layout of the input files, as commander parses them. */
export interface FileLayoutOptions {
  delimiter?: string;
  userColumn: string;
  itemColumn: string;
  ratingColumn?: string;
  duplicates?: DuplicatePolicy;
  userIdColumn?: string;
  itemIdColumn?: string;
  ignoreColumns?: string[];
  categorical?: string[];
}

/** Converts the file layout flags into @nimc/core's reading options, with the flags named in messages. */
export function readOptions(options: FileLayoutOptions): ReadOptions {
  return {
    delimiter: options.delimiter,
    userColumn: options.userColumn,
    itemColumn: options.itemColumn,
    ratingColumn: options.ratingColumn,
    duplicates: options.duplicates,
    userIdColumn: options.userIdColumn,
    itemIdColumn: options.itemIdColumn,
    ignoreColumns: options.ignoreColumns,
    categoricalColumns: options.categorical,
    optionNames: {
      userColumn: '--user-column',
      itemColumn: '--item-column',
      ratingColumn: '--rating-column',
      userIdColumn: '--user-id-column',
      itemIdColumn: '--item-id-column',
      ignoreColumns: '--ignore-columns',
      categoricalColumns: '--categorical',
      duplicates: '--duplicates',
    },
  };
}

/** Reads a model file; a damaged or missing file becomes a CommandError with the loader's message. */
export async function loadModelFile(path: string): Promise<RecommenderModel> {
  try {
    return await load(path);
  } catch (error) {
    if (isModelFileError(error)) throw new CommandError(error.message);
    throw error;
  }
}

/**
 * Checks, before any long computation, that `path` can be written: its folder exists and is
 * writable, and it is not a folder itself.
 */
export async function checkWritable(path: string, flag: string): Promise<void> {
  const folder = dirname(resolve(path));
  try {
    await access(folder, constants.W_OK);
  } catch {
    throw new CommandError(`cannot write ${flag} ${path}: the folder ${folder} does not exist or is not writable`);
  }
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory() === true) throw new CommandError(`cannot write ${flag} ${path}: it is a folder`);
}

/**
 * Checks, before any long computation, that each input path of `files` (keyed by its
 * option, such as `--ratings`) exists and is a file, so that the message names the option.
 * Undefined paths are skipped.
 */
export async function checkInputFiles(files: Readonly<Record<string, string | undefined>>): Promise<void> {
  for (const [flag, path] of Object.entries(files)) {
    if (path === undefined) continue;
    const existing = await stat(path).catch(() => undefined);
    if (existing === undefined) throw new CommandError(`file not found: ${path} (${flag})`);
    if (existing.isDirectory()) {
      const kind = flag === '--model' ? 'a model file' : 'a file';
      throw new CommandError(`cannot read ${flag} ${path}: it is a folder, not ${kind}`);
    }
  }
}

/** Destination of a command's CSV output: a file that appears only when complete, or stdout. */
export interface OutputSink {
  write(text: string): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

function stdoutSink(): OutputSink {
  return {
    write: (text) =>
      new Promise((done, fail) => {
        process.stdout.write(text, (error) => (error === null || error === undefined ? done() : fail(error)));
      }),
    commit: async () => {},
    abort: async () => {},
  };
}

/** Opens the output of `--out`, or stdout when no path is given. */
export async function openOutput(path: string | undefined): Promise<OutputSink> {
  if (path === undefined) return stdoutSink();
  try {
    const file = await openAtomicFile(path);
    return file;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CommandError(`cannot write --out ${path}: ${reason}`);
  }
}

/**
 * Runs `produce` against the output and commits it. On any error the partial output file is
 * deleted and the error propagates, so `--out` never contains a half-written file.
 */
export async function writeOutput(path: string | undefined, produce: (sink: OutputSink) => Promise<void>): Promise<void> {
  const sink = await openOutput(path);
  try {
    await produce(sink);
    await sink.commit();
  } catch (error) {
    await sink.abort();
    throw error;
  }
}

/** Quotes a CSV field when it contains a comma, a quote, a line break or surrounding spaces. */
export function csvField(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Formats a score with the shortest text that reads back as the same float64. */
export function formatScore(score: number): string {
  return String(score);
}

function describeUnseen(unseen: readonly UnseenCategory[]): string {
  const listed = unseen.slice(0, 5).map((entry) => `${entry.column}=${JSON.stringify(entry.value)} (${entry.rows} ${entry.rows === 1 ? 'row' : 'rows'})`);
  const more = unseen.length > listed.length ? `, and ${unseen.length - listed.length} more` : '';
  return `${listed.join(', ')}${more}`;
}

/** Prints a note for each feature file with categories the model never saw. */
export function noteUnseen(progress: Progress, unseen: UnseenReport, userFile: string, itemFile: string): void {
  if (unseen.users.length > 0) {
    progress.note(`${userFile}: categories unseen in training, encoded as all zeros: ${describeUnseen(unseen.users)}`);
  }
  if (unseen.items.length > 0) {
    progress.note(`${itemFile}: categories unseen in training, encoded as all zeros: ${describeUnseen(unseen.items)}`);
  }
}

/**
 * Formats a progress line with a bar and a count, "label [######------] 50/100  detail",
 * short enough for an 80-column terminal with a loss and an RMSE as the detail.
 */
export function progressLine(label: string, done: number, total: number, detail = ''): string {
  const width = 12;
  const share = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(share * width);
  const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
  return `${label} [${bar}] ${done}/${total}${detail === '' ? '' : `  ${detail}`}`;
}
