// Benchmark cases: each runs a command of the built CLI or packages in a child process.
const movieLensDir = '../shared/data/movielens';

function movieLensSummary(stdout) {
  const report = JSON.parse(stdout);
  return Object.entries(report.methods)
    .map(([name, result]) => `${name}: mean test RMSE ${result.mean.toFixed(4)} ± ${result.sd.toFixed(4)} over ${result.rmse.length} splits`)
    .join('\n');
}

// Summarizes `nimc synthetic --json`: the final error and what training spent to reach the
// success threshold, with each gradient evaluation and each Gauss–Newton product counted as one.
function syntheticSummary(stdout) {
  const result = JSON.parse(stdout);
  const lines = [
    `relative test error ${result.relativeTestError.toExponential(2)} after ${result.iterations} iterations (${result.stopReason})`,
    `total: ${result.evaluations} gradient evaluations + ${result.productEvaluations} Gauss–Newton products, ${result.timings.trainingSeconds.toFixed(2)} s of training`,
  ];
  const target = result.toTarget;
  if (target === null) {
    lines.push(`test error ≤ ${result.settings.successThreshold} not reached`);
  } else {
    lines.push(
      `to test error ≤ ${result.settings.successThreshold}: iteration ${target.iterations}, ${target.evaluations} gradient evaluations + ${target.productEvaluations} products = ${target.cost}, ${result.timings.secondsToTarget.toFixed(3)} s`,
    );
  }
  return lines.join('\n');
}

// Summarizes bench/tasks/synthetic-solvers.mjs: per seed, the cost and the median time of
// both solvers to the target, and their ratios. The timed values are the Gauss–Newton medians.
// `details` keeps the per-seed numbers of both solvers for the docs site's Benchmarks page.
function solverRaceSummary(json) {
  const bySeed = new Map();
  for (const result of json.results) bySeed.set(result.seed, { ...bySeed.get(result.seed), [result.solver]: result });
  const lines = [];
  const seconds = [];
  const seeds = [];
  const solverFields = ({ iterations, evaluations, products, cost, medianSeconds, minSeconds, maxSeconds }) => ({
    iterations,
    evaluations,
    products,
    cost,
    medianSeconds,
    minSeconds,
    maxSeconds,
  });
  for (const [seed, { gd, 'gauss-newton': gaussNewton }] of bySeed) {
    seconds.push(gaussNewton.medianSeconds);
    seeds.push({ seed, gradientDescent: solverFields(gd), gaussNewton: solverFields(gaussNewton) });
    lines.push(
      `seed ${seed}: Gauss–Newton ${gaussNewton.evaluations} + ${gaussNewton.products} = ${gaussNewton.cost} in ${(gaussNewton.medianSeconds * 1000).toFixed(1)} ms, ` +
        `gradient descent ${gd.cost} in ${(gd.medianSeconds * 1000).toFixed(1)} ms ` +
        `(cost ${(gaussNewton.cost / gd.cost).toFixed(2)}×, time ${(gaussNewton.medianSeconds / gd.medianSeconds).toFixed(2)}×)`,
    );
  }
  const details = {
    kind: 'solver-race',
    mode: json.mode,
    repeats: json.repeats,
    warmups: json.warmups,
    target: json.settings.target,
    seeds,
  };
  return { seconds, output: lines.join('\n'), details };
}

export const benchCases = [
  {
    name: 'bundle-size',
    kind: 'bundle-size',
    description: 'The minified and gzipped browser bundle of each published entry point, with its dependencies and without, and whether ml-matrix is inside.',
    command: ['node', 'scripts/bundle-size.mjs'],
    timeoutSeconds: 300,
  },
  {
    name: 'movielens-ml-1m',
    description: 'The full MovieLens 1M cold-start run: 5 user splits, nimc (ReLU, k = 50), imc and both baselines.',
    command: ['node', 'apps/cli/dist/bin.js', 'movielens', '--dataset', 'ml-1m', '--data-dir', movieLensDir, '--json', '--quiet'],
    repeats: 1,
    summarize: movieLensSummary,
    limitSeconds: 600,
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
  {
    name: 'synthetic-figure1a-gd',
    description:
      'The Figure 1(a) problem (sigmoid, k = 5, d = 10, n = 1000, m = 10,000) from W0 = 0.9·W* + 0.1·W_r, trained by gradient descent with Armijo line search.',
    command: ['node', 'apps/cli/dist/bin.js', 'synthetic', '--alpha', '0.1', '--optimizer', 'gd', '--json', '--quiet'],
    repeats: 3,
    summarize: syntheticSummary,
  },
  {
    name: 'synthetic-figure1a-gauss-newton',
    description:
      'The same problem and start trained by Gauss–Newton (Levenberg–Marquardt with conjugate gradients on Gauss–Newton products).',
    command: ['node', 'apps/cli/dist/bin.js', 'synthetic', '--alpha', '0.1', '--optimizer', 'gauss-newton', '--json', '--quiet'],
    repeats: 3,
    summarize: syntheticSummary,
  },
  {
    name: 'synthetic-figure1a-solvers',
    kind: 'task',
    description:
      'Gauss–Newton against gradient descent on the same problem and start, seeds 0 to 4, alternating in one process (5 repeats after 2 warm-up repeats): the cost and the wall time to a relative test error of 1e-3, with each gradient evaluation and each Gauss–Newton product counted as one. The median is that of the Gauss–Newton times over the seeds.',
    command: () => ['node', 'bench/tasks/synthetic-solvers.mjs', '--repeats', '5', '--warmups', '2'],
    timeoutSeconds: 600,
    measure: solverRaceSummary,
  },
  {
    name: 'synthetic-figure1a-solvers-cli',
    kind: 'task',
    description:
      'The same race with each run in a fresh `nimc synthetic --json` process, seeds 0 to 4 (3 repeats after 1 warm-up repeat): the time to the target as the CLI reports it, from the start of training in a process that has not run the solver before. The median is that of the Gauss–Newton times over the seeds.',
    command: () => ['node', 'bench/tasks/synthetic-solvers.mjs', '--mode', 'cli', '--repeats', '3', '--warmups', '1'],
    timeoutSeconds: 900,
    measure: solverRaceSummary,
  },
  {
    name: 'recovery-grid-sigmoid',
    description: 'One recovery grid of Figure 1(c): sigmoid, k = 5, d = 10, random start, n from 10 to 100 by m = 2kd·i for i = 1 to 10.',
    command: ['node', 'apps/cli/dist/bin.js', 'recovery', 'grid', '--activation', 'sigmoid', '--json', '--quiet'],
    repeats: 1,
    timeoutSeconds: 1800,
    summarize: (stdout) => {
      const report = JSON.parse(stdout);
      return [report.title, report.summary].filter((line) => typeof line === 'string').join('\n') || undefined;
    },
    requires: {
      command: ['node', 'apps/cli/dist/bin.js', '--help'],
      pattern: /^\s+recovery\b/m,
      reason: 'the CLI has no `nimc recovery` command',
    },
  },
  ...evaluationCases(),
];

// One loss-and-gradient evaluation, nimc against the NumPy/SciPy reference on the same
// problem file (see lib/evaluation-case.mjs). Variants with a role enter the checks:
// 'single' is the one-thread time compared with the reference, 'parallel' the one whose
// speedup over 'single' is checked.
function evaluationCases() {
  const syntheticProblem = (activation) => [
    '--source', 'synthetic', '--activation', activation,
    '--d', '100', '--k', '50', '--n', '100000', '--m', '10000000', '--seed', '0',
  ];
  const oneThread = { label: 'nimc, 1 thread', role: 'single', threads: 1, args: ['--threads', '1'] };
  const twoThreads = { label: 'nimc, 2 threads', role: 'parallel', threads: 2, args: ['--threads', '2'] };
  // 1.5 GB, the memory budget of one evaluation at n1 = n2 = 100,000, m = 10^7.
  const rssLimitMiB = 1.5e9 / 2 ** 20;
  const synthetic = (activation, extraVariants) => ({
    name: `evaluate-synthetic-${activation}`,
    kind: 'evaluation',
    description: `One evaluation of the loss and its gradient, ${activation}, d1 = d2 = 100, k = 50, n1 = n2 = 100,000, m = 10,000,000 (generateSynthetic, seed 0), at a Gaussian point.`,
    problem: syntheticProblem(activation),
    variants: [oneThread, twoThreads, ...extraVariants],
    rounds: 3,
    evaluations: 3,
    checkRatio: true,
    rssLimitMiB,
  });
  return [
    {
      name: 'evaluate-ml-1m',
      kind: 'evaluation',
      description:
        'One evaluation of the loss and its gradient on the ml-1m cold-start training set: the training users of the seed-0 split (about 800,000 ratings), d1 = 29, d2 = 38, k = 50, ReLU, at a Gaussian point.',
      problem: ['--source', 'movielens', '--dataset', 'ml-1m', '--data-dir', movieLensDir, '--activation', 'relu', '--k', '50'],
      variants: [
        oneThread,
        { label: 'nimc, 1 thread, identical rows not merged', threads: 1, args: ['--threads', '1', '--merge', 'false'] },
        { label: 'nimc, 1 thread, not merged, float32 values', threads: 1, args: ['--threads', '1', '--merge', 'false', '--value-type', 'float32'] },
        { label: 'nimc, 2 threads', threads: 2, args: ['--threads', '2'] },
      ],
      rounds: 3,
      evaluations: 20,
      checkRatio: true,
    },
    synthetic('sigmoid', []),
    synthetic('relu', [{ label: 'nimc, 1 thread, TypeScript kernels', threads: 1, args: ['--threads', '1', '--backend', 'typescript'] }]),
    {
      name: 'hessian-vector-synthetic-sigmoid',
      kind: 'task',
      description:
        'One Hessian-vector product (createCurvature(...).hessianTimes) at the sizes of evaluate-synthetic-sigmoid; the median is over products at the same θ after the first, which also computes the embeddings and residuals.',
      problem: syntheticProblem('sigmoid'),
      problemName: 'evaluate-synthetic-sigmoid',
      command: (path) => ['node', 'bench/tasks/curvature.mjs', '--input', path, '--repeats', '3'],
      timeoutSeconds: 600,
      measure: (json) => ({
        seconds: json.productSeconds,
        output: `setup ${json.setupSeconds.toFixed(2)} s, first product (with the forward pass) ${json.firstSeconds.toFixed(2)} s`,
      }),
    },
    {
      name: 'tensor-init-synthetic-sigmoid',
      kind: 'task',
      description: 'One tensor initialization (tensorInit of @nimc/tensor-init, seed 0) at the sizes of evaluate-synthetic-sigmoid.',
      problem: syntheticProblem('sigmoid'),
      problemName: 'evaluate-synthetic-sigmoid',
      command: (path) => ['node', 'bench/tasks/tensor-init.mjs', '--input', path],
      timeoutSeconds: 600,
      measure: (json) =>
        json.available
          ? { seconds: [json.seconds], output: json.stages.map((stage) => `${stage.stage}: ${stage.seconds.toFixed(2)} s`).join('\n') }
          : { unavailable: 'not available yet (the built @nimc/tensor-init has no tensorInit)' },
    },
  ];
}
