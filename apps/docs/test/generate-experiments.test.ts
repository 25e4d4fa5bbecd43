import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateExperiments, generateGuideFragments, movieLensAblationCommand, movieLensCommand, validateAblationReport, validateReport } from '../scripts/generate-experiments.mjs';

// Made-up numbers in the shape of `nimc movielens --json`. No MovieLens data is involved.
function movieLensFixture() {
  return {
    dataset: 'ml-100k',
    seed: 0,
    settings: { config: 'paper', rank: 50, activation: 'relu', l2: 0 },
    splits: [
      { seed: 0, trainUsers: 754, testUsers: 189, testRatings: 20000 },
      { seed: 1, trainUsers: 754, testUsers: 189, testRatings: 21000 },
    ],
    methods: {
      nimc: { rmse: [1.01, 1.03], mean: 1.02, sd: 0.0141 },
      imc: { rmse: [1.05, 1.07], mean: 1.06, sd: 0.0141 },
      'item-mean': { rmse: [1.0, 1.02], mean: 1.01, sd: 0.0141 },
      'global-mean': { rmse: [1.1, 1.12], mean: 1.11, sd: 0.0141 },
    },
    pairedDifference: {
      nimc: { perSplit: [0.01, 0.01], mean: 0.01, standardError: 0 },
      imc: { perSplit: [0.05, 0.05], mean: 0.05, standardError: 0 },
      'item-mean': { perSplit: [0, 0], mean: 0, standardError: 0 },
      'global-mean': { perSplit: [0.1, 0.1], mean: 0.1, standardError: 0 },
    },
  };
}

// Made-up numbers in the shape of `nimc movielens-ablation --json`.
function ablationFixture() {
  return {
    dataset: 'ml-100k',
    seed: 0,
    splits: 2,
    rank: 50,
    results: [
      { name: 'paper features, √n singular vectors, l2 1e-3 (paper config)', differences: [0.012, -0.004], mean: 0.004, standardError: 0.008 },
      { name: 'best config, 3-model ensemble (best config)', differences: [-0.031, -0.027], mean: -0.029, standardError: 0.002 },
    ],
  };
}

function reportFixture() {
  return {
    command: 'pnpm nimc recovery --json',
    title: 'Recovery rate',
    summary: 'Recovery rate over 5 trials.',
    settings: { trials: 5, threshold: 0.001 },
    tables: [{ caption: 'Rates <raw>', columns: ['n', 'rate'], rows: [[10, 0.2], [20, null]] }],
    plots: [
      { kind: 'line', title: 'Loss', xLabel: 'iteration', yLabel: 'loss', yScale: 'log', series: [{ label: 'sigmoid', x: [0, 1, 2], y: [1, 0.1, null] }] },
      { kind: 'heatmap', title: 'Rate', xLabel: 'm', yLabel: 'n', x: [100, 200], y: [10, 20], values: [[0, 0.4], [1, null]], min: 0, max: 1 },
    ],
  };
}

let dataFolder: string;
let outFolder: string;

beforeEach(() => {
  const root = mkdtempSync(join(tmpdir(), 'nimc-docs-experiments-'));
  dataFolder = join(root, 'data');
  outFolder = join(root, 'generated');
  mkdirSync(dataFolder);
});

afterEach(() => {
  rmSync(join(dataFolder, '..'), { recursive: true, force: true });
});

const read = (name: string): string => readFileSync(join(outFolder, name), 'utf8');

describe('generateExperiments', () => {
  it('says which experiments have not been run', () => {
    const written = generateExperiments(dataFolder, outFolder);

    expect(written.sort()).toEqual(['benchmarks.md', 'hessian.md', 'movielens.md', 'recovery.md']);
    for (const name of written) expect(read(name), name).toContain('This experiment has not been run yet');
    expect(read('movielens.md')).toContain('pnpm nimc movielens --dataset ml-1m --data-dir path/to/movielens --json > apps/docs/data/movielens-ml-1m.json');
    expect(read('hessian.md')).toContain('pnpm nimc hessian sweep --activation sigmoid,tanh,relu,identity --constrained relu --samples 5 --json > apps/docs/data/hessian.json');
  });

  it('puts the paper numbers beside the MovieLens results', () => {
    writeFileSync(join(dataFolder, 'movielens-ml-100k.json'), JSON.stringify(movieLensFixture()));

    generateExperiments(dataFolder, outFolder);
    const page = read('movielens.md');

    expect(page).toContain('| NIMC (relu) | 1.034 | 1.0200 ± 0.0141 | +0.0100 ± 0.0000 |');
    expect(page).toContain('| IMC (linear) | 1.321 | 1.0600 ± 0.0141 | +0.0500 ± 0.0000 |');
    expect(page).toContain('| item mean | not reported | 1.0100 ± 0.0141 | – |');
    expect(page).toContain('| 2 | 1 | 754 | 189 | 21000 | 1.0300 | 1.0700 | 1.0200 | 1.1200 |');
    expect(page).toContain('--splits 2 --seed 0 --rank 50 --activation relu --config paper --json > apps/docs/data/movielens-ml-100k.json');
    expect(page).toContain('](./generated/movielens-ml-100k.svg)');
    expect(existsSync(join(outFolder, 'movielens-ml-100k.svg'))).toBe(true);
    expect(page, 'ml-1m has no file, so its section says it has not been run').toContain('movielens-ml-1m.json` does not exist');
  });

  it('shows the ablation and the choices of nimc-best when the report has them', () => {
    const base = movieLensFixture();
    const weights = { intercept: 0.1, shrunkMean: 0.97, offsets: { occupation: 0.25, age: 0.45, gender: 0.75 } };
    const report = {
      ...base,
      settings: { ...base.settings, config: 'best' },
      splits: base.splits.map((split, s) => ({ ...split, best: { shrinkage: { prior: 'popularity-genre', movie: 10 + s, group: 25 }, weights, candidates: [] } })),
      ablation: [
        { name: 'movie mean shrunk towards the global mean', perSplit: [0.001, -0.002], mean: -0.0005, standardError: 0.0015 },
        { name: '+ gender, age and occupation offsets (nimc-best)', perSplit: [-0.007, -0.009], mean: -0.008, standardError: 0.001 },
      ],
    };
    writeFileSync(join(dataFolder, 'movielens-ml-100k.json'), JSON.stringify(report));

    generateExperiments(dataFolder, outFolder);
    const page = read('movielens.md');

    expect(page).toContain('| movie mean shrunk towards the global mean | -0.0005 ± 0.0015 | +0.0010 -0.0020 |');
    expect(page).toContain('| + gender, age and occupation offsets (nimc-best) | -0.0080 ± 0.0010 | -0.0070 -0.0090 |');
    expect(page).toContain('| 1 | popularity-genre | 11 | 25 | 0.100 | 0.970 | 0.250 | 0.450 | 0.750 |');
    expect(page).toContain('--config best --json');
  });

  it('rejects an ablation row without one value per split', () => {
    const report = { ...movieLensFixture(), ablation: [{ name: 'short', perSplit: [0.1], mean: 0.1, standardError: 0 }] };
    writeFileSync(join(dataFolder, 'movielens-ml-100k.json'), JSON.stringify(report));
    expect(() => generateExperiments(dataFolder, outFolder)).toThrow('invalid movielens-ml-100k.json: ablation[0].perSplit must be one value per split (2)');
  });

  it('leaves out the nimc-best tables for a report without them', () => {
    writeFileSync(join(dataFolder, 'movielens-ml-100k.json'), JSON.stringify(movieLensFixture()));
    generateExperiments(dataFolder, outFolder);
    const page = read('movielens.md');
    expect(page).not.toContain('What nimc-best gains');
    expect(page).not.toContain('What nimc-best chose');
  });

  it('rejects a MovieLens file whose dataset does not match its name', () => {
    writeFileSync(join(dataFolder, 'movielens-ml-1m.json'), JSON.stringify(movieLensFixture()));

    expect(() => generateExperiments(dataFolder, outFolder)).toThrow('invalid movielens-ml-1m.json: dataset must be "ml-1m" (the file name says so), received "ml-100k"');
  });

  it('renders a report with tables, a line plot and a heat map', () => {
    writeFileSync(join(dataFolder, 'recovery.json'), JSON.stringify(reportFixture()));

    generateExperiments(dataFolder, outFolder);
    const page = read('recovery.md');

    expect(page).toContain('## Recovery rate\n');
    expect(page).toContain('pnpm nimc recovery --json');
    expect(page).toContain('### Rates &lt;raw&gt;');
    expect(page).toContain('| 20 | – |');
    expect(page).toContain('![Loss](./generated/recovery-1.svg)');
    expect(page).toContain('![Rate](./generated/recovery-2.svg)');
    expect(read('recovery-1.svg')).toContain('<polyline');
    expect(read('recovery-2.svg')).toContain('fill="#d1d5db"');
  });

  it('renders the recovery parts in order', () => {
    const part = (title: string) => ({ ...reportFixture(), title, command: `pnpm nimc recovery ${title} --json` });
    writeFileSync(join(dataFolder, 'recovery-tensor-error.json'), JSON.stringify(part('tensor-error')));
    writeFileSync(join(dataFolder, 'recovery-grid-sigmoid.json'), JSON.stringify(part('grid sigmoid')));
    writeFileSync(join(dataFolder, 'recovery-grid-relu.json'), JSON.stringify(part('grid relu')));
    writeFileSync(join(dataFolder, 'recovery-convergence.json'), JSON.stringify({ ...part('convergence'), title: undefined }));

    const written = generateExperiments(dataFolder, outFolder);
    const page = read('recovery.md');
    const headings = [...page.matchAll(/^## (.*)$/gm)].map((match) => match[1]);

    expect(headings).toEqual(['recovery-convergence.json', 'grid relu', 'grid sigmoid', 'tensor-error']);
    expect(page).not.toContain('Not run yet');
    expect(page).toContain('![Rate](./generated/recovery-grid-sigmoid-2.svg)');
    expect(written).toContain('recovery-convergence-1.svg');
    expect(written).toContain('recovery-tensor-error-2.svg');
  });

  it('places each part file under its longest part name', () => {
    const part = (title: string) => ({ ...reportFixture(), title, command: `pnpm nimc recovery ${title} --json` });
    writeFileSync(join(dataFolder, 'recovery-grid-sigmoid.json'), JSON.stringify(part('grid sigmoid')));
    writeFileSync(join(dataFolder, 'recovery-init-tensor-vs-random-tanh.json'), JSON.stringify(part('versus random tanh')));
    writeFileSync(join(dataFolder, 'recovery-init-tensor-vs-random.json'), JSON.stringify(part('versus random sigmoid')));
    writeFileSync(join(dataFolder, 'recovery-init-tensor-vs-random-relu.json'), JSON.stringify(part('versus random relu')));
    writeFileSync(join(dataFolder, 'recovery-init.json'), JSON.stringify(part('init')));

    generateExperiments(dataFolder, outFolder);
    const headings = [...read('recovery.md').matchAll(/^## (.*)$/gm)].map((match) => match[1]);

    expect(headings).toEqual(['init', 'versus random sigmoid', 'versus random relu', 'versus random tanh', 'grid sigmoid']);
  });

  it('tells reports with one title apart by their settings', () => {
    const init = (n: number, m: number) => ({ ...reportFixture(), title: 'Recovery against the start: sigmoid', settings: { activation: 'sigmoid', d: 100, n, m } });
    writeFileSync(join(dataFolder, 'recovery-init.json'), JSON.stringify(init(500, 20000)));
    writeFileSync(join(dataFolder, 'recovery-init-tensor-vs-random.json'), JSON.stringify(init(1000, 6000)));
    writeFileSync(join(dataFolder, 'recovery-init-tensor-vs-random-relu.json'), JSON.stringify({ ...init(1000, 8000), title: 'Recovery against the start: relu' }));

    generateExperiments(dataFolder, outFolder);
    const headings = [...read('recovery.md').matchAll(/^## (.*)$/gm)].map((match) => match[1]);

    expect(headings).toEqual([
      'Recovery against the start: sigmoid (n = 500, m = 20000)',
      'Recovery against the start: sigmoid (n = 1000, m = 6000)',
      'Recovery against the start: relu',
    ]);
  });

  it('names the files of reports with equal titles and settings', () => {
    writeFileSync(join(dataFolder, 'recovery-grid-relu.json'), JSON.stringify(reportFixture()));
    writeFileSync(join(dataFolder, 'recovery-grid-sigmoid.json'), JSON.stringify(reportFixture()));

    generateExperiments(dataFolder, outFolder);
    const headings = [...read('recovery.md').matchAll(/^## (.*)$/gm)].map((match) => match[1]);

    expect(headings).toEqual(['Recovery rate (recovery-grid-relu.json)', 'Recovery rate (recovery-grid-sigmoid.json)']);
  });

  it('prefers recovery.json to the parts', () => {
    writeFileSync(join(dataFolder, 'recovery.json'), JSON.stringify(reportFixture()));
    writeFileSync(join(dataFolder, 'recovery-init.json'), JSON.stringify({ ...reportFixture(), title: 'init part' }));
    const warnings: string[] = [];

    generateExperiments(dataFolder, outFolder, { onWarning: (message: string) => warnings.push(message) });

    expect(read('recovery.md')).toContain('## Recovery rate\n');
    expect(read('recovery.md')).not.toContain('init part');
    expect(warnings).toEqual(['recovery.json is shown, so recovery-init.json is left out of the recovery page']);
  });

  it('names the part file that does not match', () => {
    writeFileSync(join(dataFolder, 'recovery-grid-relu.json'), JSON.stringify({ ...reportFixture(), command: '' }));

    expect(() => generateExperiments(dataFolder, outFolder)).toThrow('invalid recovery-grid-relu.json: command must be a non-empty string, received ""');
  });

  it('removes plots of an earlier run', () => {
    writeFileSync(join(dataFolder, 'recovery.json'), JSON.stringify(reportFixture()));
    generateExperiments(dataFolder, outFolder);
    rmSync(join(dataFolder, 'recovery.json'));

    generateExperiments(dataFolder, outFolder);

    expect(existsSync(join(outFolder, 'recovery-1.svg'))).toBe(false);
  });
});

describe('validateReport', () => {
  it.each([
    [{}, 'invalid r.json: command must be a non-empty string, received nothing'],
    [{ ...reportFixture(), tables: [{ caption: 'c', columns: ['a'], rows: [[1, 2]] }] }, 'invalid r.json: tables[0].rows[0] must be an array of 1 cells, received [1,2]'],
    [{ ...reportFixture(), plots: [{ ...reportFixture().plots[1], values: [[0, 1], [1]] }] }, 'invalid r.json: plots[0].values[1] must be a row of 2 values, one per entry of x, received 1'],
    [{ ...reportFixture(), plots: [{ kind: 'bar', title: 't', xLabel: 'x', yLabel: 'y' }] }, 'invalid r.json: plots[0].kind must be "line" or "heatmap", received "bar"'],
    [{ ...reportFixture(), plots: [{ ...reportFixture().plots[0], yScale: 'ln' }] }, 'invalid r.json: plots[0].yScale must be "linear" or "log", received "ln"'],
  ])('names the field that does not match (%#)', (report, message) => {
    expect(() => validateReport('r.json', report)).toThrow(message);
  });
});

describe('movieLensCommand', () => {
  it('rebuilds the command line from the report', () => {
    expect(movieLensCommand(movieLensFixture(), 'movielens-ml-100k.json')).toBe(
      'pnpm nimc movielens --dataset ml-100k --data-dir path/to/movielens --splits 2 --seed 0 --rank 50 --activation relu --config paper --json > apps/docs/data/movielens-ml-100k.json',
    );
  });
});

// Made-up numbers in the shape of the report of `pnpm bench`.
function benchFixture() {
  const result = (name: string, medianSeconds: number, extra: object = {}) => ({
    name,
    command: `command of ${name}`,
    repeats: 4,
    medianSeconds,
    minSeconds: medianSeconds * 0.9,
    maxSeconds: medianSeconds * 1.1,
    peakRssMiB: 90,
    ...extra,
  });
  const bundle = (minifiedBytes: number, gzipBytes: number, mlMatrixMinifiedBytes: number) => ({
    minifiedBytes,
    gzipBytes,
    includesMlMatrix: mlMatrixMinifiedBytes > 0,
    mlMatrixMinifiedBytes,
    mlMatrixImporters: mlMatrixMinifiedBytes > 0 ? ['packages/linalg/dist/index.js'] : [],
    nodeBuiltins: [],
  });
  return {
    date: '2026-01-01T00:00:00.000Z',
    command: 'pnpm bench --case synthetic-sigmoid --case evaluate-small',
    machine: { cpu: 'Test CPU', cores: 2, memoryGiB: 24, node: 'v20.20.2', platform: 'linux x64' },
    results: [
      { ...result('synthetic-sigmoid', 1.234), minSeconds: 1.2, maxSeconds: 1.3, peakRssMiB: 80.4, repeats: 3, output: 'recovered yes' },
      result('evaluate-small / numpy reference', 0.5),
      result('evaluate-small / nimc, 1 thread', 0.2, { ratioToReference: 0.4 }),
      result('evaluate-small / nimc, 1 thread, identical rows not merged', 0.3, { ratioToReference: 0.6 }),
      result('evaluate-small / nimc, 2 threads', 0.125, { ratioToReference: 0.25 }),
    ],
    bundleSizes: {
      date: '2026-01-02T00:00:00.000Z',
      command: 'pnpm bench --case bundle-size',
      tool: 'esbuild 0.27.7, minified; gzip level 9',
      packages: [
        { entryPoint: '@nimc/linalg', ...bundle(102400, 25600, 71680), ownMinifiedBytes: 20480, ownGzipBytes: 6144 },
        { entryPoint: '@nimc/optimizers', ...bundle(20480, 7168, 0), ownMinifiedBytes: 12288, ownGzipBytes: 4096 },
      ],
      importSets: [{ name: 'training loop', description: 'training and predicting', imports: { '@nimc/optimizers': ['adam'] }, ...bundle(43008, 14336, 0) }],
    },
  };
}

describe('benchmark report', () => {
  const writeBench = (report: object) => writeFileSync(join(dataFolder, 'benchmarks.json'), JSON.stringify(report));

  it('renders the report of pnpm bench', () => {
    const report = benchFixture();
    writeBench({ ...report, results: report.results.slice(0, 1), bundleSizes: undefined });

    const written = generateExperiments(dataFolder, outFolder);
    const page = read('benchmarks.md');

    expect(page).toContain('on Test CPU (2 cores, 24 GiB), Node v20.20.2, linux x64');
    expect(page).toContain('```sh\npnpm bench --case synthetic-sigmoid --case evaluate-small\n```');
    expect(page).toContain('| synthetic-sigmoid | 1.23 | 1.2–1.3 | 3 | 80 |  |');
    expect(page).toContain('command of synthetic-sigmoid');
    expect(page).toContain('recovered yes');
    expect(page, 'no bundle sizes in the report').not.toContain('## Bundle size');
    expect(written.filter((name) => name.startsWith('benchmarks-')), 'no evaluation case and no bundle sizes, so no plot').toEqual([]);
  });

  it('plots the evaluation cases against the reference', () => {
    writeBench(benchFixture());

    const written = generateExperiments(dataFolder, outFolder);
    const page = read('benchmarks.md');
    const timePlot = read('benchmarks-evaluation-time.svg');
    const speedupPlot = read('benchmarks-thread-speedup.svg');

    expect(written).toEqual(expect.arrayContaining(['benchmarks-evaluation-time.svg', 'benchmarks-thread-speedup.svg']));
    expect(page).toContain('| evaluate-small / nimc, 1 thread | 0.2 | 0.18–0.22 | 4 | 90 | 0.4× |');
    expect(page).toContain('](./generated/benchmarks-evaluation-time.svg)');
    expect(page).toContain('](./generated/benchmarks-thread-speedup.svg)');
    expect(page, '0.2 s for 1 thread over 0.125 s for 2 threads').toContain('| evaluate-small | 2 | 1.6 |');
    expect(timePlot).toContain('>median wall time per evaluation (s, log scale)</text>');
    for (const label of ['0.5', '0.2', '0.3', '0.125']) expect(timePlot, `bar label ${label}`).toContain(`>${label}</text>`);
    expect(speedupPlot).toContain('>speed-up over 1 thread (×)</text>');
    expect(speedupPlot).toContain('>1.6×</text>');
  });

  it('renders the bundle sizes with a plot', () => {
    writeBench(benchFixture());

    const written = generateExperiments(dataFolder, outFolder);
    const page = read('benchmarks.md');
    const plot = read('benchmarks-bundle-size.svg');

    expect(written).toContain('benchmarks-bundle-size.svg');
    expect(page).toContain('## Bundle size');
    expect(page).toContain('```sh\npnpm bench --case bundle-size\n```');
    expect(page).toContain('| @nimc/linalg | 100.0 | 25.0 | 20.0 | 6.0 | yes, 70.0 KiB |');
    expect(page).toContain('| @nimc/optimizers | 20.0 | 7.0 | 12.0 | 4.0 | no |');
    expect(page).toContain('| training loop: training and predicting | 42.0 | 14.0 | no |');
    expect(page).toContain('Bundled files that import ml-matrix: `packages/linalg/dist/index.js`.');
    expect(page).toContain('](./generated/benchmarks-bundle-size.svg)');
    expect(plot).toContain('>size (KiB, 1 KiB = 1024 bytes)</text>');
    for (const label of ['100', '25', '70', '20', '7']) expect(plot, `bar label ${label}`).toContain(`>${label}</text>`);
  });

  it.each([
    [{ ...benchFixture(), command: undefined }, 'invalid benchmarks.json: command must be a non-empty string, received nothing'],
    [{ ...benchFixture(), results: [{ name: 'a', command: 'b', repeats: 1 }] }, 'invalid benchmarks.json: results[0].medianSeconds must be a number, received nothing'],
    [
      { ...benchFixture(), bundleSizes: { ...benchFixture().bundleSizes, packages: [{ ...benchFixture().bundleSizes.packages[0], includesMlMatrix: 'yes' }] } },
      'invalid benchmarks.json: bundleSizes.packages[0].includesMlMatrix must be true or false, received "yes"',
    ],
    [{ ...benchFixture(), bundleSizes: { ...benchFixture().bundleSizes, packages: [] } }, 'invalid benchmarks.json: bundleSizes.packages must be a non-empty array, received []'],
  ])('names the field of the report of pnpm bench that does not match (%#)', (report, message) => {
    writeBench(report);

    expect(() => generateExperiments(dataFolder, outFolder)).toThrow(message);
  });
});

describe('generateGuideFragments', () => {
  it('says the ablation has not been run', () => {
    const written = generateGuideFragments(dataFolder, outFolder);
    const fragment = read('movielens-ablation.md');

    expect(written).toEqual(['movielens-ablation.md']);
    expect(fragment).toContain('::: warning Not run yet');
    expect(fragment).toContain('`apps/docs/data/movielens-ablation-ml-100k.json` does not exist');
    expect(fragment).toContain('pnpm nimc movielens-ablation --dataset ml-100k --data-dir path/to/movielens --splits 5 --json > apps/docs/data/movielens-ablation-ml-100k.json');
    expect(fragment, 'only ml-100k is reported as missing').not.toContain('ml-1m');
  });

  it('renders the ablation table', () => {
    writeFileSync(join(dataFolder, 'movielens-ablation-ml-100k.json'), JSON.stringify(ablationFixture()));

    generateGuideFragments(dataFolder, outFolder);
    const fragment = read('movielens-ablation.md');

    expect(fragment).toContain('### ml-100k\n');
    expect(fragment).toContain('| variant | mean validation RMSE − item-mean | standard error | per split (seeds 0 to 1) |');
    expect(fragment).toContain('| paper features, √n singular vectors, l2 1e-3 (paper config) | +0.0040 | 0.0080 | +0.0120 -0.0040 |');
    expect(fragment).toContain('| best config, 3-model ensemble (best config) | -0.0290 | 0.0020 | -0.0310 -0.0270 |');
    expect(fragment).toContain('is that of “best config, 3-model ensemble (best config)”');
    expect(fragment).toContain(movieLensAblationCommand(ablationFixture(), 'movielens-ablation-ml-100k.json'));
    expect(fragment).not.toContain('Not run yet');
  });

  it('puts --match of a partial ablation into its command, quoted for the shell', () => {
    const command = movieLensAblationCommand({ ...ablationFixture(), dataset: 'ml-1m', match: "movie means β = 2, 'x'" }, 'movielens-ablation-ml-1m.json');

    expect(command).toBe(
      "pnpm nimc movielens-ablation --dataset ml-1m --data-dir path/to/movielens --splits 2 --seed 0 --rank 50 --match 'movie means β = 2, '\\''x'\\''' --json > apps/docs/data/movielens-ablation-ml-1m.json",
    );
    expect(movieLensAblationCommand({ ...ablationFixture(), match: 'zeros' }, 'f.json')).toContain(' --match zeros --json');
  });

  it('adds an ml-1m table when its file exists', () => {
    writeFileSync(join(dataFolder, 'movielens-ablation-ml-100k.json'), JSON.stringify(ablationFixture()));
    writeFileSync(join(dataFolder, 'movielens-ablation-ml-1m.json'), JSON.stringify({ ...ablationFixture(), dataset: 'ml-1m', splits: 1, results: [{ name: 'only', differences: [0.5], mean: 0.5, standardError: 0 }] }));

    generateGuideFragments(dataFolder, outFolder);
    const fragment = read('movielens-ablation.md');

    expect(fragment.indexOf('### ml-100k'), 'ml-100k comes first').toBeLessThan(fragment.indexOf('### ml-1m'));
    expect(fragment, 'one split has no standard error').toContain('| only | +0.5000 | n/a | +0.5000 |');
    expect(fragment).toContain('per split (seed 0)');
  });

  it('rejects an ablation file whose dataset does not match its name', () => {
    writeFileSync(join(dataFolder, 'movielens-ablation-ml-1m.json'), JSON.stringify(ablationFixture()));

    expect(() => generateGuideFragments(dataFolder, outFolder)).toThrow('invalid movielens-ablation-ml-1m.json: dataset must be "ml-1m" (the file name says so), received "ml-100k"');
  });
});

describe('validateAblationReport', () => {
  const first = ablationFixture().results[0]!;
  it.each([
    [[], 'invalid a.json: the file must be a JSON object, received []'],
    [{ ...ablationFixture(), splits: 0 }, 'invalid a.json: splits must be a positive integer, received 0'],
    [{ ...ablationFixture(), results: [] }, 'invalid a.json: results must be a non-empty array, received []'],
    [{ ...ablationFixture(), results: [{ ...first, differences: [0.1] }] }, 'invalid a.json: results[0].differences must be one value per split (2), received 1'],
    [{ ...ablationFixture(), results: [{ ...first, standardError: null }] }, 'invalid a.json: results[0].standardError must be a number, received null'],
  ])('names the field that does not match (%#)', (report, message) => {
    expect(() => validateAblationReport('a.json', report)).toThrow(message);
  });
});

describe('movieLensAblationCommand', () => {
  it('rebuilds the command line from the report', () => {
    expect(movieLensAblationCommand(ablationFixture(), 'movielens-ablation-ml-100k.json')).toBe(
      'pnpm nimc movielens-ablation --dataset ml-100k --data-dir path/to/movielens --splits 2 --seed 0 --rank 50 --json > apps/docs/data/movielens-ablation-ml-100k.json',
    );
  });
});
