import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasStackTrace, runCli, type CliRun } from './run-cli.js';

const smallProblem = ['--d', '4', '--k', '2', '--n', '100', '--m', '500'];

interface Measurement {
  radius: number;
  direction: number | null;
  min: number;
  max: number;
  ratio: number;
  method: string;
  minResidual: number;
  maxResidual: number;
  subspaceDimension: number;
}

interface HessianJson {
  settings: Record<string, unknown>;
  dimension: number;
  points: Measurement[];
  positiveDefinite: number;
}

async function hessianJson(args: readonly string[]): Promise<HessianJson> {
  const run = await runCli(['hessian', ...smallProblem, ...args, '--json']);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as HessianJson;
}

function onlyPoint(result: HessianJson): Measurement {
  expect(result.points).toHaveLength(1);
  return result.points[0] as Measurement;
}

function expectUsageError(run: CliRun, message: string): void {
  expect(run.code, run.stderr).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toContain(`nimc: error: ${message}\n`);
  expect(hasStackTrace(run.stderr), run.stderr).toBe(false);
}

describe('nimc hessian at the ground truth', () => {
  it('sigmoid is positive definite', async () => {
    const point = onlyPoint(await hessianJson(['--activation', 'sigmoid']));

    expect(point.min, JSON.stringify(point)).toBeGreaterThan(0);
    expect(point.ratio, JSON.stringify(point)).toBeGreaterThan(1e-6);
    expect(point.method).toBe('dense');
    expect(point.minResidual, JSON.stringify(point)).toBeLessThan(1e-12 * point.max);
  });

  it('identity is singular to rounding', async () => {
    const point = onlyPoint(await hessianJson(['--activation', 'identity']));

    expect(point.max, JSON.stringify(point)).toBeGreaterThan(0);
    expect(Math.abs(point.min), JSON.stringify(point)).toBeLessThanOrEqual(1e-10 * point.max);
  });

  it('relu is singular to rounding', async () => {
    const result = await hessianJson(['--activation', 'relu']);
    const point = onlyPoint(result);

    expect(point.max, JSON.stringify(point)).toBeGreaterThan(0);
    expect(Math.abs(point.min), JSON.stringify(point)).toBeLessThanOrEqual(1e-10 * point.max);
    expect(result.positiveDefinite).toBe(0);
  });

  it('relu --constrained is positive definite', async () => {
    const result = await hessianJson(['--activation', 'relu', '--constrained']);
    const point = onlyPoint(result);

    expect(point.min, JSON.stringify(point)).toBeGreaterThan(1e-6 * point.max);
    expect(point.subspaceDimension).toBe(result.dimension - 2);
    expect(result.positiveDefinite).toBe(1);
  });

  it('lanczos agrees with the dense method', async () => {
    const dense = onlyPoint(await hessianJson(['--method', 'dense']));
    const lanczos = onlyPoint(await hessianJson(['--method', 'lanczos']));

    expect(lanczos.method).toBe('lanczos');
    expect(Math.abs(lanczos.min - dense.min), `${lanczos.min} vs ${dense.min}`).toBeLessThan(1e-8 * dense.max);
    expect(Math.abs(lanczos.max - dense.max), `${lanczos.max} vs ${dense.max}`).toBeLessThan(1e-8 * dense.max);
  }, 30_000);
});

describe('nimc hessian at perturbed points', () => {
  it('--radius alone selects perturbed points', async () => {
    const result = await hessianJson(['--radius', '0.3', '--samples', '3']);

    expect(result.settings).toMatchObject({ at: 'perturbed', radius: 0.3, samples: 3 });
    expect(result.points.map((point) => point.direction)).toEqual([0, 1, 2]);
    for (const point of result.points) expect(point.radius).toBe(0.3);
  });

  it('differs from the ground truth', async () => {
    const truth = onlyPoint(await hessianJson([]));
    const perturbed = await hessianJson(['--at', 'perturbed', '--radius', '1', '--samples', '2']);

    for (const point of perturbed.points) {
      expect(Math.abs(point.min - truth.min), `${point.min} vs ${truth.min}`).toBeGreaterThan(1e-6 * truth.max);
    }
  }, 30_000);

  it('radius 0 reproduces the ground truth', async () => {
    const truth = onlyPoint(await hessianJson([]));
    const zero = await hessianJson(['--at', 'perturbed', '--radius', '0', '--samples', '1']);

    expect(zero.points[0]?.min).toBe(truth.min);
    expect(zero.points[0]?.max).toBe(truth.max);
  }, 30_000);

  it('prints a table without --json', async () => {
    const run = await runCli(['hessian', ...smallProblem, '--radius', '0.2', '--samples', '2']);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^evaluated at\s+2 random points at ‖\(U, V\) − \(U\*, V\*\)‖_F = 0\.2$/m);
    expect(run.stdout).toMatch(/^direction 1\s+\S+\s+\S+\s+\S+\s+dense\s+\S+ \/ \S+$/m);
    expect(run.stdout).toMatch(/^direction 2\s/m);
    expect(run.stdout).toMatch(/^positive definite\s+\d of 2/m);
    expect(run.stdout).not.toMatch(/NaN|Infinity/);
  });
});

describe('nimc hessian invalid options', () => {
  it('negative radius', async () => {
    expectUsageError(await runCli(['hessian', '--radius', '-1']), 'invalid --radius: expected a finite number ≥ 0, received "-1"');
  });

  it('radius that is not a number', async () => {
    expectUsageError(await runCli(['hessian', '--radius', 'far']), 'invalid --radius: expected a finite number ≥ 0, received "far"');
  });

  it('unknown activation', async () => {
    expectUsageError(
      await runCli(['hessian', '--activation', 'softplus']),
      'invalid --activation: expected one of sigmoid, tanh, relu, identity, received "softplus"',
    );
  });

  it('unknown location', async () => {
    expectUsageError(await runCli(['hessian', '--at', 'random']), 'invalid --at: expected one of truth, perturbed, received "random"');
  });

  it('radius with --at truth', async () => {
    expectUsageError(
      await runCli(['hessian', '--at', 'truth', '--radius', '0.5']),
      'invalid --radius: it applies only with --at perturbed, but --at truth was given',
    );
  });

  it('zero samples', async () => {
    expectUsageError(await runCli(['hessian', '--samples', '0']), 'invalid --samples: expected a positive integer, received "0"');
  });

  it('rank above dimension', async () => {
    expectUsageError(await runCli(['hessian', '--d', '3', '--k', '4']), 'invalid --k: expected at most --d = 3, received 4');
  });
});

describe('nimc hessian sweep', () => {
  const sweepArgs = [...smallProblem, '--radii', '0.5,0,1', '--samples', '2', '--ms', '500,200', '--quiet'];
  let folder = '';

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'nimc-hessian-'));
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('prints an experiment report with --json', async () => {
    const run = await runCli(['hessian', 'sweep', ...sweepArgs, '--activation', 'sigmoid,relu', '--constrained', 'relu', '--json']);

    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as {
      command: string;
      tables: { columns: string[]; rows: unknown[][] }[];
      plots: { kind: string; series: { label: string; x: number[]; y: number[] }[] }[];
      radiusSweep: { activation: string; constrained: boolean; radius: number; points: unknown[]; smallestMin: number }[];
      sampleSizeSweep: { activation: string; m: number }[];
    };
    expect(report.command).toBe(
      'nimc hessian sweep --activation sigmoid,relu --d 4 --k 2 --n 100 --m 500 --seed 0 --radii 0,0.5,1 --ms 200,500 --samples 2 --method auto --constrained relu --json',
    );
    expect(report.radiusSweep.map((point) => [point.activation, point.radius, point.points.length])).toEqual([
      ['sigmoid', 0, 1],
      ['sigmoid', 0.5, 2],
      ['sigmoid', 1, 2],
      ['relu', 0, 1],
      ['relu', 0.5, 2],
      ['relu', 1, 2],
    ]);
    expect(report.radiusSweep.filter((point) => point.constrained).map((point) => point.activation)).toEqual(['relu', 'relu', 'relu']);
    expect(report.sampleSizeSweep.map((point) => [point.activation, point.m])).toEqual([
      ['sigmoid', 200],
      ['sigmoid', 500],
      ['relu', 200],
      ['relu', 500],
    ]);
    for (const point of report.radiusSweep.filter((entry) => entry.radius === 0)) {
      expect(point.smallestMin, point.activation).toBeGreaterThan(0);
    }
    expect(report.tables).toHaveLength(2);
    for (const table of report.tables) {
      for (const row of table.rows) expect(row).toHaveLength(table.columns.length);
    }
    expect(report.plots).toHaveLength(2);
    expect(report.plots[0]?.series.map((line) => line.label).slice(0, 2)).toEqual(['sigmoid', 'relu, scaling directions removed']);
    expect(report.plots[1]?.series[0]?.x).toEqual([200, 500]);
  });

  it('writes the SVG plot atomically', async () => {
    const path = join(folder, 'sweep.svg');
    await writeFile(path, 'previous contents');

    const run = await runCli(['hessian', 'sweep', ...sweepArgs, '--activation', 'sigmoid,tanh', '--plot', path]);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^plot\\s+${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    const svg = await readFile(path, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('data-series="sigmoid"');
    expect(svg).toContain('data-series="tanh"');
    expect(svg).toContain('λ_min / λ_max');
    expect(svg.match(/<svg\b/g)).toHaveLength(1);
    expect(svg.match(/<g\b/g)?.length).toBe(svg.match(/<\/g>/g)?.length);
    expect(await readdir(folder)).toEqual(['sweep.svg']);
  });

  it('fails cleanly when the plot folder is missing', async () => {
    const path = join(folder, 'missing', 'sweep.svg');

    const run = await runCli(['hessian', 'sweep', ...sweepArgs, '--plot', path]);

    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain(`nimc: error: failed to write ${path}:`);
    expect(hasStackTrace(run.stderr), run.stderr).toBe(false);
    expect(existsSync(join(folder, 'missing'))).toBe(false);
  });

  it('rejects a negative radius', async () => {
    expectUsageError(await runCli(['hessian', 'sweep', '--radii', '0,-0.5']), 'invalid --radii: expected a finite number ≥ 0, received "-0.5"');
  });

  it('rejects an unknown activation in the list', async () => {
    expectUsageError(
      await runCli(['hessian', 'sweep', '--activation', 'sigmoid,gelu']),
      'invalid --activation: expected one of sigmoid, tanh, relu, identity, received "gelu"',
    );
  });

  it('rejects a constrained activation that is not swept', async () => {
    expectUsageError(
      await runCli(['hessian', 'sweep', '--activation', 'sigmoid', '--constrained', 'relu']),
      'invalid --constrained: relu is not swept, expected activations of --activation (sigmoid)',
    );
  });

  it('rejects an empty list entry', async () => {
    expectUsageError(
      await runCli(['hessian', 'sweep', '--ms', '1000,,2000']),
      'invalid --ms: expected a comma-separated list without empty entries, received "1000,,2000"',
    );
  });
});
