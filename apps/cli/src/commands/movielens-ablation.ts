import type { ActivationName } from '@nimc/activations';
import type { MovieLensDataset } from '@nimc/datasets';
import { UsageError } from '../errors.js';
import { ablationVariants, runMovieLensAblation, type AblationResult } from '../experiments/movielens-ablation.js';
import { formatFixed, formatJson } from '../output.js';
import { createProgress } from '../progress.js';
import { cachedMovieLensFolder } from './download-movielens.js';
import { checkSplitSeeds } from './movielens.js';
import { formatTable } from '../table.js';

/** Options of `nimc movielens-ablation`, as commander parses them. */
export interface MovieLensAblationCommandOptions {
  dataset: MovieLensDataset;
  /** Folder with the GroupLens files; without it the files come from the download cache. */
  dataDir: string | undefined;
  splits: number;
  seed: number;
  rank: number;
  activation: ActivationName;
  /** Runs only the variants whose name contains this text. */
  match: string | undefined;
  json: boolean;
  quiet: boolean;
}

/**
 * Formats the ablation table. A single split has no spread (the runner reports 0), so its
 * standard error prints as n/a, as in `nimc movielens`.
 */
export function formatResults(results: AblationResult[]): string {
  const rows = results.map((result) => [
    result.name,
    formatFixed(result.mean, 4, true),
    result.differences.length < 2 ? 'n/a' : formatFixed(result.standardError, 4),
    result.differences.map((value) => formatFixed(value, 4, true)).join(' '),
  ]);
  return formatTable(
    [{ header: 'variant' }, { header: 'mean RMSE − item-mean', align: 'right' }, { header: 'standard error', align: 'right' }, { header: 'per split' }],
    rows,
  );
}

/** Runs `nimc movielens-ablation` and prints its table or JSON on stdout. */
export async function runMovieLensAblationCommand(options: MovieLensAblationCommandOptions): Promise<void> {
  checkSplitSeeds(options.seed, options.splits);
  const match = options.match;
  const variants = match === undefined ? ablationVariants : ablationVariants.filter((variant) => variant.name.includes(match));
  if (variants.length === 0) {
    throw new UsageError(
      `invalid --match "${match}": no variant name contains it; the names are:\n  ${ablationVariants.map((variant) => variant.name).join('\n  ')}`,
    );
  }
  const progress = createProgress({ quiet: options.quiet });
  const dataDir = options.dataDir ?? (await cachedMovieLensFolder(options.dataset, progress)).folder;
  let done = 0;
  const results = await runMovieLensAblation(
    { ...options, dataDir },
    (result) => {
      done++;
      progress.update(`variant ${done} of ${variants.length}: ${result.name}: ${formatFixed(result.mean, 4, true)}`);
    },
    variants,
  );
  progress.clear();
  const report = {
    dataset: options.dataset,
    seed: options.seed,
    splits: options.splits,
    rank: options.rank,
    ...(match === undefined ? {} : { match }),
    results,
  };
  process.stdout.write(options.json ? formatJson(report) : `Validation RMSE minus item-mean RMSE on held-out training users (${options.dataset}, ${options.splits} splits from seed ${options.seed}):\n${formatResults(results)}\n`);
}
