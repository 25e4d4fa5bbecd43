import { recommend } from '@nimc/core';
import { createProgress } from '../progress.js';
import { checkInputFiles, checkWritable, csvField, formatScore, loadModelFile, noteUnseen, progressLine, readOptions, writeOutput, type FileLayoutOptions } from './recommender-io.js';

/** Options of `nimc recommend`, as commander parses them. */
export interface RecommendCommandOptions extends FileLayoutOptions {
  model: string;
  userFeatures: string;
  itemFeatures: string;
  users: 'all' | string[];
  top: number;
  excludeRated?: string;
  out?: string;
  quiet: boolean;
}

/** Runs `nimc recommend`: writes CSV user,rank,item,score, `--top` rows per user, best first. */
export async function runRecommendCommand(options: RecommendCommandOptions): Promise<void> {
  await checkInputFiles({
    '--model': options.model,
    '--user-features': options.userFeatures,
    '--item-features': options.itemFeatures,
    '--exclude-rated': options.excludeRated,
  });
  if (options.out !== undefined) await checkWritable(options.out, '--out');
  const progress = createProgress({ quiet: options.quiet });
  const model = await loadModelFile(options.model);
  const run = await recommend(
    model,
    { userFeatures: options.userFeatures, itemFeatures: options.itemFeatures },
    {
      ...readOptions(options),
      users: options.users,
      top: options.top,
      exclude: options.excludeRated,
      onProgress: (event) => {
        if (event.phase === 'reading') progress.update(`reading ${event.file}`);
        else progress.update(progressLine('recommending', event.done, event.total, 'users'));
      },
    },
  ).catch((error: unknown) => {
    progress.clear();
    throw error;
  });
  noteUnseen(progress, run.unseen, options.userFeatures, options.itemFeatures);

  let shortLists = 0;
  try {
    await writeOutput(options.out, async (sink) => {
      await sink.write('user,rank,item,score\n');
      for (const lists of run.blocks()) {
        const lines: string[] = [];
        for (const list of lists) {
          if (list.items.length < options.top) shortLists++;
          const user = csvField(list.user);
          list.items.forEach((item, r) => lines.push(`${user},${r + 1},${csvField(item)},${formatScore(list.scores[r] as number)}\n`));
        }
        await sink.write(lines.join(''));
      }
    });
  } finally {
    progress.clear();
  }
  if (run.excludedPairs > 0) progress.note(`left out ${run.excludedPairs} rated (user, item) pairs`);
  if (shortLists > 0) {
    const users = shortLists === 1 ? '1 user has' : `${shortLists} users have`;
    progress.note(`${users} fewer than ${options.top} items left after the exclusions`);
  }
}
