import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasStackTrace, runCli, type CliRun } from './run-cli.js';

// The documentation site's checker of experiment reports, loaded by URL because it is plain
// JavaScript without type declarations.
interface DocsGenerator {
  validateReport: (file: string, report: unknown) => unknown;
  generateExperiments: (dataFolder: string, outFolder: string) => string[];
}
const docsGeneratorUrl = new URL('../../docs/scripts/generate-experiments.mjs', import.meta.url).href;
const loadDocsGenerator = async (): Promise<DocsGenerator> => (await import(docsGeneratorUrl)) as DocsGenerator;

const gridArgs = ['recovery', 'grid', '--d', '4', '--k', '2', '--ns', '10,30', '--ms', '40,160', '--trials', '2', '--max-iterations', '300'];
const convergenceArgs = ['recovery', 'convergence', '--d', '4', '--k', '2', '--n', '100', '--m', '600', '--trials', '2', '--max-iterations', '300'];
const initArgs = ['recovery', 'init', '--d', '6', '--k', '2', '--n', '200', '--m', '2000', '--alphas', '0,1', '--trials', '2', '--max-iterations', '200'];
const tensorErrorArgs = ['recovery', 'tensor-error', '--activation', 'sigmoid,relu', '--d', '4', '--k', '2', '--ms', '500,4000', '--trials', '2'];

interface Trial {
  seed: number;
  success: boolean;
  relativeTestError: number | null;
  startDistance: number | null;
  iterations: number;
  stopReason: string;
}

interface Report {
  command: string;
  title: string;
  summary: string;
  settings: Record<string, unknown>;
  tables: { caption: string; columns: string[]; rows: unknown[][] }[];
  plots: {
    kind: string;
    xScale?: string;
    yScale?: string;
    x?: number[];
    y?: number[];
    values?: number[][];
    series?: { label: string; x: number[]; y: number[]; dashed?: boolean }[];
  }[];
  timings: { totalSeconds: number; meanTrialSeconds: number; maxTrialSeconds: number };
}

async function runJson<T>(args: readonly string[]): Promise<T & Report> {
  const run = await runCli([...args, '--json']);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as T & Report;
}

function withoutTimings(text: string): unknown {
  const parsed = JSON.parse(text) as Record<string, unknown>;
  delete parsed.timings;
  return parsed;
}

function expectUsageError(run: CliRun, message: string): void {
  expect(run.code, run.stderr).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toContain(`nimc: error: ${message}\n`);
  expect(hasStackTrace(run.stderr), run.stderr).toBe(false);
}

function expectTableShapes(report: Report): void {
  for (const table of report.tables) {
    for (const row of table.rows) expect(row, table.caption).toHaveLength(table.columns.length);
  }
}

describe('nimc recovery grid', () => {
  interface GridJson {
    options: { ns: number[]; ms: number[]; trials: number; init: string; alpha: number };
    cells: { n: number; m: number; rate: number; trials: Trial[] }[];
    thresholds: { n: number; m: number | null }[];
  }

  it('prints a report with one cell per (n, m)', async () => {
    const report = await runJson<GridJson>(gridArgs);

    expect(report.command).toBe(
      'nimc recovery grid --activation sigmoid --init perturbed --alpha 1 --d 4 --k 2 --ns 10,30 --ms 40,160 --trials 2 --seed 0 --optimizer gd --max-iterations 300 --json',
    );
    expect(report.options).toMatchObject({ ns: [10, 30], ms: [40, 160], trials: 2, init: 'perturbed', alpha: 1 });
    expect(report.cells.map((cell) => [cell.n, cell.m])).toEqual([
      [10, 40],
      [10, 160],
      [30, 40],
      [30, 160],
    ]);
    for (const cell of report.cells) {
      expect(cell.trials.map((trial) => trial.seed)).toEqual([0, 1]);
      const recovered = cell.trials.filter((trial) => trial.success).length;
      expect(cell.rate).toBe(recovered / 2);
      for (const trial of cell.trials) {
        expect(trial.iterations).toBeLessThanOrEqual(300);
        expect(trial.success).toBe((trial.relativeTestError as number) <= 1e-3);
      }
    }
    expect(report.thresholds.map((entry) => entry.n)).toEqual([10, 30]);
    expect(report.timings.totalSeconds).toBeGreaterThan(0);
    expectTableShapes(report);
  });

  it('draws the rates as a heat map', async () => {
    const report = await runJson<GridJson>(gridArgs);

    const plot = report.plots[0];
    expect(report.plots).toHaveLength(1);
    expect(plot?.kind).toBe('heatmap');
    expect(plot?.x).toEqual([40, 160]);
    expect(plot?.y).toEqual([10, 30]);
    expect(plot?.values).toEqual([
      [report.cells[0]?.rate, report.cells[1]?.rate],
      [report.cells[2]?.rate, report.cells[3]?.rate],
    ]);
  });

  it('matches the documentation site format', async () => {
    const { validateReport } = await loadDocsGenerator();
    const run = await runCli([...gridArgs, '--json']);

    expect(run.code, run.stderr).toBe(0);
    expect(() => validateReport('recovery-grid.json', JSON.parse(run.stdout))).not.toThrow();
  });

  it('repeats exactly for one seed', async () => {
    const first = await runCli([...gridArgs, '--seed', '3', '--json']);
    const second = await runCli([...gridArgs, '--seed', '3', '--json']);

    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    expect(withoutTimings(second.stdout)).toEqual(withoutTimings(first.stdout));
  });

  it('differs between seeds', async () => {
    const first = await runJson<GridJson>([...gridArgs, '--seed', '3']);
    const second = await runJson<GridJson>([...gridArgs, '--seed', '4']);

    const errors = (report: GridJson): unknown[] => report.cells.flatMap((cell) => cell.trials.map((trial) => trial.relativeTestError));
    expect(errors(second)).not.toEqual(errors(first));
  });

  it('uses the paper grid of the activation by default', async () => {
    const run = await runCli(['recovery', 'grid', '--activation', 'relu', '--d', '2', '--k', '1', '--trials', '1', '--max-iterations', '1', '--json']);

    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as GridJson;
    expect(report.options.ns).toEqual([20, 40, 60, 80, 100, 120, 140, 160, 180, 200]);
    expect(report.options.ms).toEqual([8, 16, 24, 32, 40, 48, 56, 64, 72, 80]);
  }, 60_000);

  it('starts from the tensor initialization', async () => {
    const report = await runJson<GridJson>(['recovery', 'grid', '--init', 'tensor', '--d', '4', '--k', '2', '--ns', '200', '--ms', '2000', '--trials', '1', '--max-iterations', '50']);

    expect(report.command).toContain('--init tensor --d 4');
    expect(report.command).not.toContain('--alpha');
    const trial = report.cells[0]?.trials[0] as Trial;
    expect(trial.stopReason).not.toBe('initialization-failed');
    expect(trial.startDistance).toBeGreaterThan(0);
    expect(trial.startDistance).toBeLessThan(2);
  });

  it('counts a failed tensor initialization', async () => {
    const report = await runJson<GridJson>(['recovery', 'grid', '--init', 'tensor', '--d', '4', '--k', '2', '--ns', '2', '--ms', '2', '--trials', '2', '--max-iterations', '5']);

    const trials = report.cells[0]?.trials as (Trial & { error?: string })[];
    expect(trials.map((trial) => trial.stopReason)).toEqual(['initialization-failed', 'initialization-failed']);
    for (const trial of trials) {
      expect(trial.success).toBe(false);
      expect(trial.relativeTestError).toBeNull();
      expect(trial.startDistance).toBeNull();
      expect(trial.error).toMatch(/^tensor initialization failed: /);
    }
    expect(report.cells[0]?.rate).toBe(0);
  });
});

describe('nimc recovery convergence', () => {
  interface ConvergenceJson {
    trials: (Trial & { lossHistory: number[] })[];
  }

  it('records a falling loss curve per trial', async () => {
    const report = await runJson<ConvergenceJson>(convergenceArgs);

    expect(report.command).toBe(
      'nimc recovery convergence --activation sigmoid --d 4 --k 2 --n 100 --m 600 --init perturbed --alpha 0.1 --trials 2 --seed 0 --optimizer gd --max-iterations 300 --json',
    );
    expect(report.trials.map((trial) => trial.seed)).toEqual([0, 1]);
    for (const trial of report.trials) {
      expect(trial.lossHistory).toHaveLength(trial.iterations + 1);
      const first = trial.lossHistory[0] as number;
      const last = trial.lossHistory[trial.lossHistory.length - 1] as number;
      expect(last, `loss ${first} → ${last}`).toBeLessThan(1e-3 * first);
      trial.lossHistory.slice(1).forEach((loss, t) => expect(loss, `iteration ${t + 1}`).toBeLessThanOrEqual(trial.lossHistory[t] as number));
    }
    const plot = report.plots[0];
    expect(plot?.kind).toBe('line');
    expect(plot?.yScale).toBe('log');
    expect(plot?.series?.map((line) => line.label)).toEqual(['seed 0', 'seed 1']);
    expectTableShapes(report);
  });

  it('repeats exactly for one seed', async () => {
    const first = await runCli([...convergenceArgs, '--json']);
    const second = await runCli([...convergenceArgs, '--json']);

    expect(first.code, first.stderr).toBe(0);
    expect(withoutTimings(second.stdout)).toEqual(withoutTimings(first.stdout));
  });
});

describe('nimc recovery init', () => {
  interface InitJson {
    points: { init: string; alpha: number | null; rate: number; meanStartDistance: number | null; trials: Trial[] }[];
  }

  it('adds one point per initializer after the α sweep', async () => {
    const report = await runJson<InitJson>([...initArgs, '--init', 'perturbed,random,tensor']);

    expect(report.points.map((point) => [point.init, point.alpha])).toEqual([
      ['perturbed', 0],
      ['perturbed', 1],
      ['random', null],
      ['tensor', null],
    ]);
    const truthStart = report.points[0];
    expect(truthStart?.rate).toBe(1);
    expect(truthStart?.meanStartDistance).toBe(0);
    for (const point of report.points) expect(point.trials).toHaveLength(2);
    const plot = report.plots[0];
    expect(plot?.series?.map((line) => line.dashed ?? false)).toEqual([false, true, true]);
    expect(plot?.series?.[0]?.x).toEqual([0, 1]);
    expectTableShapes(report);
  });

  it('defaults m to 20·k·d', async () => {
    const report = await runJson<{ options: { m: number } }>(['recovery', 'init', '--d', '5', '--k', '2', '--n', '50', '--alphas', '0', '--init', 'perturbed', '--trials', '1', '--max-iterations', '5']);

    expect(report.options.m).toBe(200);
    expect(report.command).toContain('--m 200');
  });

  it('repeats exactly for one seed', async () => {
    const first = await runCli([...initArgs, '--json']);
    const second = await runCli([...initArgs, '--json']);

    expect(first.code, first.stderr).toBe(0);
    expect(withoutTimings(second.stdout)).toEqual(withoutTimings(first.stdout));
  }, 30_000);
});

describe('nimc recovery tensor-error', () => {
  interface TensorErrorJson {
    points: { activation: string; m: number; n: number; median: number | null; failures: number; trials: { seed: number; distance: number | null }[] }[];
  }

  it('reports the distance per activation and m', async () => {
    const report = await runJson<TensorErrorJson>(tensorErrorArgs);

    expect(report.points.map((point) => [point.activation, point.m, point.n])).toEqual([
      ['sigmoid', 500, 100],
      ['sigmoid', 4000, 800],
      ['relu', 500, 100],
      ['relu', 4000, 800],
    ]);
    for (const point of report.points) {
      expect(point.trials).toHaveLength(2);
      const distances = point.trials.flatMap((trial) => (trial.distance === null ? [] : [trial.distance]));
      expect(point.failures).toBe(2 - distances.length);
      for (const distance of distances) expect(distance).toBeGreaterThan(0);
    }
    const plot = report.plots[0];
    expect(plot?.xScale).toBe('log');
    expect(plot?.yScale).toBe('log');
    expect(plot?.series?.map((line) => line.label)).toEqual(['sigmoid', 'relu']);
    expectTableShapes(report);
  }, 30_000);

  it('repeats exactly for one seed', async () => {
    const args = ['recovery', 'tensor-error', '--activation', 'tanh', '--d', '4', '--k', '2', '--ms', '3000', '--trials', '1'];
    const first = await runCli([...args, '--json']);
    const second = await runCli([...args, '--json']);

    expect(first.code, first.stderr).toBe(0);
    expect(withoutTimings(second.stdout)).toEqual(withoutTimings(first.stdout));
  });

  it('keeps n fixed with --n', async () => {
    const report = await runJson<TensorErrorJson>(['recovery', 'tensor-error', '--activation', 'sigmoid', '--d', '4', '--k', '2', '--ms', '1000,2000', '--n', '300', '--trials', '1']);

    expect(report.points.map((point) => point.n)).toEqual([300, 300]);
  });
});

describe('nimc recovery plots and merge', () => {
  let folder = '';

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'nimc-recovery-'));
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('writes the grid heat map atomically', async () => {
    const path = join(folder, 'grid.svg');
    await writeFile(path, 'previous contents');

    const run = await runCli([...gridArgs, '--plot', path, '--quiet']);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^plot\s+\S+grid\.svg$/m);
    const svg = await readFile(path, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('Recovery rate, sigmoid');
    expect(svg.match(/<title>/g)?.length).toBeGreaterThanOrEqual(4);
    expect((await readdir(folder)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('writes the loss curves with --json', async () => {
    const path = join(folder, 'convergence.svg');

    const run = await runCli([...convergenceArgs, '--plot', path, '--json']);

    expect(run.code, run.stderr).toBe(0);
    expect(() => JSON.parse(run.stdout) as unknown).not.toThrow();
    expect(run.stderr).toBe(`nimc: note: wrote the plot to ${path}\n`);
    const svg = await readFile(path, 'utf8');
    expect(svg).toContain('data-series="seed 0"');
  });

  it('fails cleanly when the plot folder is missing', async () => {
    const path = join(folder, 'missing', 'grid.svg');

    const run = await runCli([...gridArgs, '--plot', path]);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`nimc: error: failed to write ${path}:`);
    expect(hasStackTrace(run.stderr), run.stderr).toBe(false);
    expect(existsSync(join(folder, 'missing'))).toBe(false);
  });

  it('merges reports into one page of the documentation site', async () => {
    const grid = join(folder, 'grid.json');
    const convergence = join(folder, 'convergence.json');
    await writeFile(grid, (await runCli([...gridArgs, '--json'])).stdout);
    await writeFile(convergence, (await runCli([...convergenceArgs, '--json'])).stdout);

    const run = await runCli(['recovery', 'merge', convergence, grid]);

    expect(run.code, run.stderr).toBe(0);
    const merged = JSON.parse(run.stdout) as Report & { parts: Report[] };
    expect(merged.command).toBe(`nimc recovery merge ${convergence} ${grid}`);
    expect(merged.parts.map((part) => part.title)).toEqual(['Convergence of gradient descent: sigmoid', 'Recovery over n and m: sigmoid']);
    expect(merged.plots.map((plot) => plot.kind)).toEqual(['line', 'heatmap']);
    expect(merged.tables[0]?.rows.map((row) => row[1])).toEqual(merged.parts.map((part) => part.command));
    expect(merged.tables).toHaveLength(1 + merged.parts.reduce((sum, part) => sum + part.tables.length, 0));

    const { generateExperiments } = await loadDocsGenerator();
    const data = join(folder, 'data');
    const out = join(folder, 'generated');
    await rm(data, { recursive: true, force: true });
    await import('node:fs/promises').then(({ mkdir }) => mkdir(data));
    await writeFile(join(data, 'recovery.json'), run.stdout);
    const written = generateExperiments(data, out);
    expect(written).toContain('recovery.md');
    expect(written).toContain('recovery-1.svg');
    expect(written).toContain('recovery-2.svg');
    const page = await readFile(join(out, 'recovery.md'), 'utf8');
    expect(page).toContain('nimc recovery merge');
  }, 30_000);

  it('rejects a missing report file', async () => {
    const path = join(folder, 'absent.json');

    const run = await runCli(['recovery', 'merge', path]);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`nimc: error: file not found: ${path}`);
    expect(hasStackTrace(run.stderr), run.stderr).toBe(false);
  });

  it('rejects a report without a command', async () => {
    const path = join(folder, 'bad.json');
    await writeFile(path, JSON.stringify({ title: 'x', tables: [], plots: [] }));

    const run = await runCli(['recovery', 'merge', path]);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`nimc: error: invalid report ${path}: command must be a non-empty string, received nothing\n`);
  });

  it('rejects a file that is not JSON', async () => {
    const path = join(folder, 'text.json');
    await writeFile(path, 'not json');

    const run = await runCli(['recovery', 'merge', path]);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`nimc: error: invalid report ${path}: not valid JSON`);
  });
});

describe('nimc recovery invalid options', () => {
  it('zero trials', async () => {
    expectUsageError(await runCli(['recovery', 'grid', '--trials', '0']), 'invalid --trials: expected a positive integer, received "0"');
  });

  it('empty grid entry', async () => {
    expectUsageError(await runCli(['recovery', 'grid', '--ns', '10,,20']), 'invalid --ns: expected a comma-separated list without empty entries, received "10,,20"');
  });

  it('zero in the m list', async () => {
    expectUsageError(await runCli(['recovery', 'grid', '--ms', '100,0']), 'invalid --ms: expected a positive integer, received "0"');
  });

  it('unknown activation', async () => {
    expectUsageError(
      await runCli(['recovery', 'grid', '--activation', 'softplus']),
      'invalid --activation: expected one of sigmoid, tanh, relu, identity, received "softplus"',
    );
  });

  it('unknown initializer', async () => {
    expectUsageError(await runCli(['recovery', 'grid', '--init', 'zeros']), 'invalid --init: expected one of perturbed, random, tensor, received "zeros"');
  });

  it('rank above dimension', async () => {
    expectUsageError(await runCli(['recovery', 'convergence', '--d', '3', '--k', '4']), 'invalid --k: expected at most --d = 3, received 4');
  });

  it('alpha without the perturbed start', async () => {
    expectUsageError(
      await runCli(['recovery', 'grid', '--init', 'random', '--alpha', '0.5']),
      'invalid --alpha: it sets the perturbed start only, but --init is random',
    );
  });

  it('alpha outside [0, 1]', async () => {
    expectUsageError(await runCli(['recovery', 'init', '--alphas', '0,1.5']), 'invalid --alphas: expected a number in [0, 1], received "1.5"');
  });

  it('alphas without the perturbed start', async () => {
    expectUsageError(
      await runCli(['recovery', 'init', '--init', 'tensor', '--alphas', '0.5']),
      'invalid --alphas: they set the perturbed starts only, but --init is tensor',
    );
  });

  it('tensor initialization for identity', async () => {
    expectUsageError(
      await runCli(['recovery', 'grid', '--activation', 'identity', '--init', 'tensor']),
      'invalid --init: tensor initialization needs sigmoid, relu or tanh, because for identity every tensor moment of order 2 or more vanishes, received --activation identity',
    );
  });

  it('identity in tensor-error', async () => {
    expectUsageError(
      await runCli(['recovery', 'tensor-error', '--activation', 'sigmoid,identity']),
      'invalid --activation: expected one of sigmoid, relu, tanh, received "identity"',
    );
  });

  it('merge without files', async () => {
    const run = await runCli(['recovery', 'merge']);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain("nimc: error: missing required argument 'files'");
  });
});
