import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateExperiments } from '../scripts/generate-experiments.mjs';

// Checks the Benchmarks page that the site builds from the committed data/benchmarks.json:
// every number in its tables and bar labels must be the JSON's value, rounded as shown.

interface SolverRun {
  evaluations: number;
  products: number;
  cost: number;
  medianSeconds: number;
}

interface BenchResult {
  name: string;
  command: string;
  repeats: number;
  medianSeconds: number;
  minSeconds: number;
  maxSeconds: number;
  peakRssMiB: number;
  ratioToReference?: number;
  details?: {
    kind: string;
    target: number;
    seeds: { seed: number; gradientDescent: SolverRun; gaussNewton: SolverRun }[];
  };
  run?: { date: string; command: string };
}

interface Bundle {
  minifiedBytes: number;
  gzipBytes: number;
  includesMlMatrix: boolean;
  mlMatrixMinifiedBytes: number;
  mlMatrixImporters: string[];
}

interface BenchReport {
  command: string;
  results: BenchResult[];
  bundleSizes?: {
    command: string;
    packages: (Bundle & { entryPoint: string; ownMinifiedBytes: number; ownGzipBytes: number })[];
    importSets: (Bundle & { name: string; description: string })[];
  };
}

const docsRoot = fileURLToPath(new URL('..', import.meta.url));
const report = JSON.parse(readFileSync(join(docsRoot, 'data', 'benchmarks.json'), 'utf8')) as BenchReport;
let outFolder: string;
let page: string;

beforeAll(() => {
  outFolder = mkdtempSync(join(tmpdir(), 'nimc-docs-benchmark-page-'));
  generateExperiments(join(docsRoot, 'data'), outFolder);
  page = readFileSync(join(outFolder, 'benchmarks.md'), 'utf8');
});

afterAll(() => {
  rmSync(outFolder, { recursive: true, force: true });
});

// Undoes escapeMarkdownText for the characters that occur in case names and descriptions.
const unescape = (text: string): string => text.replace(/\\(.)/g, '$1').replace(/&lt;/g, '<').replace(/&gt;/g, '>');

/** Returns the rows of the markdown table whose header row starts with `header`, keyed by their first cell. */
function tableRows(markdown: string, header: string[]): Map<string, string[]> {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`| ${header.join(' | ')} |`));
  expect(start, `a table with the header ${header.join(' | ')}`).toBeGreaterThanOrEqual(0);
  const rows = new Map<string, string[]>();
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((cell) => unescape(cell.trim()));
    rows.set(cells[0]!, cells);
  }
  return rows;
}

/** Fails unless `text` is `value` rounded to `significant` significant digits. */
function expectSignificant(text: string | undefined, value: number, significant: number, quantity: string): void {
  const pageValue = Number(text?.replace(/×$/, ''));
  const halfUnit = 0.5 * 10 ** (Math.floor(Math.log10(Math.abs(value))) - significant + 1);
  expect(Math.abs(pageValue - value), `${quantity}: the page shows ${text}, the JSON has ${value}`).toBeLessThanOrEqual(halfUnit * (1 + 1e-9));
}

/** Fails unless `text` is `value` rounded to `decimals` decimals. */
function expectDecimals(text: string | undefined, value: number, decimals: number, quantity: string): void {
  expect(text, `${quantity}: the JSON has ${value}`).toBe(value.toFixed(decimals));
}

/** Fails unless `text` is `bytes` in KiB with one decimal. */
function expectKibibytes(text: string | undefined, bytes: number, quantity: string): void {
  expect(text, `${quantity}: the JSON has ${bytes} bytes`).toBe((bytes / 1024).toFixed(1));
}

/** Returns the value labels of the bars of a bar chart, in drawing order. */
function barLabels(svg: string): string[] {
  return [...svg.matchAll(/text-anchor="(?:start|end)" fill="#374151">([^<]*)<\/text>/g)].map((match) => match[1]!);
}

describe('Benchmarks page', () => {
  it('shows the commands that produced the numbers', () => {
    expect(page).toContain(`\`\`\`sh\n${report.command}\n\`\`\``);
    expect(page).toContain(`\`\`\`sh\n${report.bundleSizes?.command}\n\`\`\``);
    for (const result of report.results) expect(page, result.name).toContain(result.command);
    expect(readFileSync(join(docsRoot, 'experiments', 'benchmarks.md'), 'utf8')).toContain('<!--@include: ./generated/benchmarks.md-->');
  });

  it('shows each result as in the JSON', () => {
    const rows = tableRows(page, ['case', 'median (s)', 'min–max (s)', 'runs', 'peak RSS (MiB)', 'vs reference']);

    expect([...rows.keys()]).toEqual(report.results.map((result) => result.name));
    for (const result of report.results) {
      const [, median, range, runs, rss, ratio] = rows.get(result.name)!;
      const [min, max] = range!.split('–');
      expectSignificant(median, result.medianSeconds, 3, `${result.name} median`);
      expectSignificant(min, result.minSeconds, 3, `${result.name} min`);
      expectSignificant(max, result.maxSeconds, 3, `${result.name} max`);
      expect(runs, `${result.name} runs`).toBe(String(result.repeats));
      expect(rss, `${result.name} peak RSS`).toBe(result.peakRssMiB.toFixed(0));
      if (result.ratioToReference === undefined) expect(ratio, `${result.name} has no ratio`).toBe('');
      else expectSignificant(ratio, result.ratioToReference, 2, `${result.name} ratio to the reference`);
    }
  });

  it('names the run of each merged result', () => {
    const merged = report.results.filter((result) => result.run !== undefined);

    for (const result of merged) {
      expect(page, `${result.name} run command`).toContain(`\`\`\`sh\n${result.run!.command}\n\`\`\``);
      expect(page, `${result.name} run date`).toContain(result.run!.date);
      expect(page, `${result.name} listed with its run`).toContain(`\`${result.name}\``);
    }
  });

  it('shows the Gauss–Newton and gradient descent race of the JSON', () => {
    const races = report.results.filter((result) => result.details?.kind === 'solver-race');
    const rows = tableRows(page, [
      'case and seed',
      'gd: cost',
      'Gauss–Newton: cost (gradients + products)',
      'cost ratio',
      'gd: median (ms)',
      'Gauss–Newton: median (ms)',
      'time ratio',
    ]);

    expect(races.map((result) => result.name)).toContain('synthetic-figure1a-solvers');
    const expectedKeys = races.flatMap((result) => result.details!.seeds.map(({ seed }) => `${result.name}, seed ${seed}`));
    expect([...rows.keys()]).toEqual(expectedKeys);
    for (const result of races) {
      expect(page, `${result.name} target`).toContain(`relative test error of ${result.details!.target}`);
      for (const { seed, gradientDescent, gaussNewton } of result.details!.seeds) {
        const key = `${result.name}, seed ${seed}`;
        const [, gdCost, gnCost, costRatio, gdMedian, gnMedian, timeRatio] = rows.get(key)!;
        expect(gdCost, `${key} gradient descent cost`).toBe(String(gradientDescent.cost));
        expect(gnCost, `${key} Gauss–Newton cost`).toBe(`${gaussNewton.cost} (${gaussNewton.evaluations} + ${gaussNewton.products})`);
        expectDecimals(costRatio, gaussNewton.cost / gradientDescent.cost, 2, `${key} cost ratio`);
        expectSignificant(gdMedian, gradientDescent.medianSeconds * 1000, 3, `${key} gradient descent median (ms)`);
        expectSignificant(gnMedian, gaussNewton.medianSeconds * 1000, 3, `${key} Gauss–Newton median (ms)`);
        expectDecimals(timeRatio, gaussNewton.medianSeconds / gradientDescent.medianSeconds, 2, `${key} time ratio`);
      }
    }
  });

  it('plots the evaluation times of the JSON', () => {
    const evaluations = report.results.filter((result) => result.name.includes(' / '));
    const plotFile = join(outFolder, 'benchmarks-evaluation-time.svg');

    expect(evaluations.length, 'the JSON has evaluation cases').toBeGreaterThan(0);
    expect(page).toContain('](./generated/benchmarks-evaluation-time.svg)');
    expect(existsSync(plotFile), plotFile).toBe(true);
    const labels = barLabels(readFileSync(plotFile, 'utf8'));
    // The chart draws the cases in order of first appearance, and in each case the
    // implementations in order of first appearance over all cases.
    const cases = [...new Set(evaluations.map((result) => result.name.split(' / ')[0]))];
    const implementations = [...new Set(evaluations.map((result) => result.name.split(' / ')[1]))];
    const expected = cases.flatMap((name) => implementations.flatMap((implementation) => evaluations.filter((result) => result.name === `${name} / ${implementation}`)));
    expect(labels).toHaveLength(expected.length);
    expected.forEach((result, i) => expectSignificant(labels[i], result.medianSeconds, 3, `bar of ${result.name}`));
  });

  it('shows the thread speed-ups of the JSON', () => {
    const median = (name: string) => report.results.find((result) => result.name === name)?.medianSeconds;
    const cases = [...new Set(report.results.filter((result) => result.name.endsWith(' / nimc, 2 threads')).map((result) => result.name.split(' / ')[0]!))];
    const rows = tableRows(page, ['case', 'threads', 'speed-up (×)']);
    const plotFile = join(outFolder, 'benchmarks-thread-speedup.svg');

    expect(cases.length, 'the JSON has two-thread results').toBeGreaterThan(0);
    expect(page).toContain('](./generated/benchmarks-thread-speedup.svg)');
    expect(existsSync(plotFile), plotFile).toBe(true);
    const labels = barLabels(readFileSync(plotFile, 'utf8'));
    expect(labels).toHaveLength(cases.length);
    cases.forEach((name, i) => {
      const speedup = median(`${name} / nimc, 1 thread`)! / median(`${name} / nimc, 2 threads`)!;
      expect(rows.get(name)?.[1], `${name} threads`).toBe('2');
      expectSignificant(rows.get(name)?.[2], speedup, 3, `${name} speed-up in the table`);
      expectSignificant(labels[i], speedup, 3, `${name} speed-up in the plot`);
    });
  });

  it('shows the bundle sizes of the JSON', () => {
    const bundleSizes = report.bundleSizes;
    const plotFile = join(outFolder, 'benchmarks-bundle-size.svg');

    expect(bundleSizes, 'the JSON has bundleSizes').toBeDefined();
    const rows = tableRows(page, ['entry point', 'minified (KiB)', 'gzip (KiB)', 'own code minified (KiB)', 'own code gzip (KiB)', 'ml-matrix inside (minified)']);
    expect([...rows.keys()]).toEqual(bundleSizes!.packages.map((entry) => entry.entryPoint));
    for (const entry of bundleSizes!.packages) {
      const [, minified, gzip, ownMinified, ownGzip, mlMatrix] = rows.get(entry.entryPoint)!;
      expectKibibytes(minified, entry.minifiedBytes, `${entry.entryPoint} minified`);
      expectKibibytes(gzip, entry.gzipBytes, `${entry.entryPoint} gzip`);
      expectKibibytes(ownMinified, entry.ownMinifiedBytes, `${entry.entryPoint} own code minified`);
      expectKibibytes(ownGzip, entry.ownGzipBytes, `${entry.entryPoint} own code gzip`);
      expect(mlMatrix, `${entry.entryPoint} ml-matrix`).toBe(entry.includesMlMatrix ? `yes, ${(entry.mlMatrixMinifiedBytes / 1024).toFixed(1)} KiB` : 'no');
    }
    const setRows = tableRows(page, ['import set', 'minified (KiB)', 'gzip (KiB)', 'ml-matrix inside (minified)']);
    for (const set of bundleSizes!.importSets) {
      const [, minified, gzip, mlMatrix] = setRows.get(`${set.name}: ${set.description}`) ?? [];
      expectKibibytes(minified, set.minifiedBytes, `${set.name} minified`);
      expectKibibytes(gzip, set.gzipBytes, `${set.name} gzip`);
      expect(mlMatrix, `${set.name} ml-matrix`).toBe(set.includesMlMatrix ? `yes, ${(set.mlMatrixMinifiedBytes / 1024).toFixed(1)} KiB` : 'no');
    }

    expect(page).toContain('](./generated/benchmarks-bundle-size.svg)');
    expect(existsSync(plotFile), plotFile).toBe(true);
    const labels = barLabels(readFileSync(plotFile, 'utf8'));
    // Per entry point: minified, gzipped, and the ml-matrix part when there is one.
    const expected = bundleSizes!.packages.flatMap((entry) => [
      entry.minifiedBytes,
      entry.gzipBytes,
      ...(entry.includesMlMatrix ? [entry.mlMatrixMinifiedBytes] : []),
    ]);
    expect(labels).toHaveLength(expected.length);
    expected.forEach((bytes, i) => expectSignificant(labels[i], bytes / 1024, 3, `bar ${i} of the bundle size plot`));
  });
});
