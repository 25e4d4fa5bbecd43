import { describe, expect, it } from 'vitest';
import { hasStackTrace, runCli } from './run-cli.js';

const smallProblem = ['--d', '6', '--k', '3', '--n', '300', '--m', '3000'];

function withoutTimings(text: string): unknown {
  const parsed = JSON.parse(text) as Record<string, unknown>;
  delete parsed.timings;
  return parsed;
}

describe('nimc synthetic --json', () => {
  it('prints one JSON object with the documented fields', async () => {
    const run = await runCli(['synthetic', ...smallProblem, '--seed', '1', '--json']);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(result).sort()).toEqual(
      [
        'settings',
        'relativeTestError',
        'success',
        'iterations',
        'evaluations',
        'stopReason',
        'initialLoss',
        'finalLoss',
        'trainingError',
        'timings',
      ].sort(),
    );
    expect(result.settings).toMatchObject({ activation: 'sigmoid', d: 6, k: 3, n: 300, m: 3000, alpha: 1, seed: 1, optimizer: 'gd' });
    expect(typeof result.relativeTestError).toBe('number');
    expect(Number.isInteger(result.iterations)).toBe(true);
    expect(Number.isInteger(result.evaluations)).toBe(true);
    expect(result.timings).toMatchObject({ trainingSeconds: expect.any(Number), totalSeconds: expect.any(Number) });
  });

  it('recovers a small sigmoid problem', async () => {
    const run = await runCli(['synthetic', ...smallProblem, '--json']);

    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { relativeTestError: number; success: boolean; stopReason: string };
    expect(result.relativeTestError, JSON.stringify(result)).toBeLessThanOrEqual(1e-3);
    expect(result.success).toBe(true);
    expect(result.stopReason).not.toBe('max-iterations');
  });

  it('repeats exactly for one seed', async () => {
    const first = await runCli(['synthetic', ...smallProblem, '--activation', 'relu', '--seed', '7', '--json']);
    const second = await runCli(['synthetic', ...smallProblem, '--activation', 'relu', '--seed', '7', '--json']);

    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    expect(withoutTimings(second.stdout)).toEqual(withoutTimings(first.stdout));
  });

  it('differs between seeds', async () => {
    const first = await runCli(['synthetic', ...smallProblem, '--seed', '2', '--max-iterations', '5', '--json']);
    const second = await runCli(['synthetic', ...smallProblem, '--seed', '3', '--max-iterations', '5', '--json']);

    const a = JSON.parse(first.stdout) as { initialLoss: number };
    const b = JSON.parse(second.stdout) as { initialLoss: number };
    expect(a.initialLoss).not.toBe(b.initialLoss);
  });
});

describe('nimc synthetic report', () => {
  it('prints the error, outcome and cost', async () => {
    const run = await runCli(['synthetic', ...smallProblem, '--max-iterations', '3']);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^relative test error\s+\S+ \(1000 × 1000 fresh test pairs\)$/m);
    expect(run.stdout).toMatch(/^recovered\s+no \(threshold 1e-3\)$/m);
    expect(run.stdout).toMatch(/^iterations\s+3 \(stop: max-iterations\)$/m);
    expect(run.stdout).toMatch(/^gradient evaluations\s+\d+$/m);
    expect(run.stdout).toMatch(/^wall time\s+\d+\.\d\d s/m);
    expect(run.stdout).not.toMatch(/NaN|Infinity/);
    expect(hasStackTrace(run.stdout)).toBe(false);
  });
});
