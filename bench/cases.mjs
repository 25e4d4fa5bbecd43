// Benchmark cases: each runs a command of the built CLI in a child process.
const movieLensDir = '../shared/data/movielens';

function movieLensSummary(stdout) {
  const report = JSON.parse(stdout);
  return Object.entries(report.methods)
    .map(([name, result]) => `${name}: mean test RMSE ${result.mean.toFixed(4)} ± ${result.sd.toFixed(4)} over ${result.rmse.length} splits`)
    .join('\n');
}

export const benchCases = [
  {
    name: 'movielens-ml-1m',
    description: 'The full MovieLens 1M cold-start run: 5 user splits, nimc (ReLU, k = 50), imc and both baselines.',
    command: ['node', 'apps/cli/dist/bin.js', 'movielens', '--dataset', 'ml-1m', '--data-dir', movieLensDir, '--json', '--quiet'],
    repeats: 1,
    summarize: movieLensSummary,
  },
  {
    name: 'movielens-ml-100k',
    description: 'The full MovieLens 100K cold-start run: 5 user splits, nimc (ReLU, k = 50), imc and both baselines.',
    command: ['node', 'apps/cli/dist/bin.js', 'movielens', '--dataset', 'ml-100k', '--data-dir', movieLensDir, '--json', '--quiet'],
    repeats: 1,
    summarize: movieLensSummary,
  },
  {
    name: 'synthetic-sigmoid',
    description: 'nimc synthetic with the defaults (sigmoid, d = 10, k = 5, n = 1000, m = 10,000, random start).',
    command: ['node', 'apps/cli/dist/bin.js', 'synthetic', '--activation', 'sigmoid', '--json', '--quiet'],
    repeats: 3,
  },
];
