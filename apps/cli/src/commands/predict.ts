import { predict } from '@nimc/core';
import { createProgress } from '../progress.js';
import { checkInputFiles, checkWritable, csvField, formatScore, loadModelFile, noteUnseen, readOptions, writeOutput, type FileLayoutOptions } from './recommender-io.js';

/** Options of `nimc predict`, as commander parses them. */
export interface PredictCommandOptions extends FileLayoutOptions {
  model: string;
  userFeatures: string;
  itemFeatures: string;
  pairs: string;
  out?: string;
  quiet: boolean;
}

// Pairs written per output chunk.
const chunkPairs = 8192;

/** Runs `nimc predict`: writes CSV user,item,score for every pair, in the order of the pairs file. */
export async function runPredictCommand(options: PredictCommandOptions): Promise<void> {
  await checkInputFiles({ '--model': options.model, '--user-features': options.userFeatures, '--item-features': options.itemFeatures, '--pairs': options.pairs });
  if (options.out !== undefined) await checkWritable(options.out, '--out');
  const progress = createProgress({ quiet: options.quiet });
  const model = await loadModelFile(options.model);
  progress.update(`scoring the pairs of ${options.pairs}`);
  const result = await predict(
    model,
    { userFeatures: options.userFeatures, itemFeatures: options.itemFeatures, pairs: options.pairs },
    readOptions(options),
  ).finally(() => progress.clear());
  noteUnseen(progress, result.unseen, options.userFeatures, options.itemFeatures);

  const { pairs, scores } = result;
  await writeOutput(options.out, async (sink) => {
    await sink.write('user,item,score\n');
    for (let start = 0; start < scores.length; start += chunkPairs) {
      const lines: string[] = [];
      for (let t = start; t < Math.min(scores.length, start + chunkPairs); t++) {
        const user = pairs.userIds[pairs.users[t] as number] as string;
        const item = pairs.itemIds[pairs.items[t] as number] as string;
        lines.push(`${csvField(user)},${csvField(item)},${formatScore(scores[t] as number)}\n`);
      }
      await sink.write(lines.join(''));
    }
  });
}
