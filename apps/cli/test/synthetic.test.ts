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
        'productEvaluations',
        'toTarget',
        'stopReason',
        'start',
        'initialLoss',
        'finalLoss',
        'trainingError',
        'timings',
      ].sort(),
    );
    expect(result.settings).toMatchObject({ activation: 'sigmoid', d: 6, k: 3, n: 300, m: 3000, init: 'perturbed', alpha: 1, seed: 1, optimizer: 'gd' });
    expect(typeof result.relativeTestError).toBe('number');
    expect(Number.isInteger(result.iterations)).toBe(true);
    expect(Number.isInteger(result.evaluations)).toBe(true);
    expect(result.timings).toMatchObject({ startSeconds: expect.any(Number), trainingSeconds: expect.any(Number), totalSeconds: expect.any(Number), secondsToTarget: expect.any(Number) });
    expect(result.productEvaluations).toBe(0);
  });

  it('records the cost of reaching the threshold', async () => {
    const run = await runCli(['synthetic', ...smallProblem, '--alpha', '0.1', '--json']);

    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as {
      iterations: number;
      evaluations: number;
      toTarget: { iterations: number; evaluations: number; productEvaluations: number; cost: number } | null;
      timings: { trainingSeconds: number; secondsToTarget: number | null };
    };
    const target = result.toTarget;
    expect(target, run.stdout).not.toBeNull();
    if (target === null) return;
    expect(target.iterations).toBeGreaterThan(0);
    expect(target.iterations).toBeLessThanOrEqual(result.iterations);
    expect(target.evaluations).toBeGreaterThanOrEqual(target.iterations);
    expect(target.evaluations).toBeLessThanOrEqual(result.evaluations);
    expect(target.productEvaluations).toBe(0);
    expect(target.cost).toBe(target.evaluations);
    expect(result.timings.secondsToTarget).toBeGreaterThanOrEqual(0);
    expect(result.timings.secondsToTarget).toBeLessThanOrEqual(result.timings.trainingSeconds);
  }, 30_000);

  it('reaches the threshold at the start when α = 0', async () => {
    const run = await runCli(['synthetic', ...smallProblem, '--alpha', '0', '--max-iterations', '2', '--json']);

    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { toTarget: unknown; timings: { secondsToTarget: number | null } };
    expect(result.toTarget).toEqual({ iterations: 0, evaluations: 0, productEvaluations: 0, cost: 0 });
    expect(result.timings.secondsToTarget).toBe(0);
  });

  it('reports no target when training stops early', async () => {
    const run = await runCli(['synthetic', ...smallProblem, '--max-iterations', '2', '--json']);

    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { success: boolean; toTarget: unknown; timings: { secondsToTarget: number | null } };
    expect(result.success).toBe(false);
    expect(result.toTarget).toBeNull();
    expect(result.timings.secondsToTarget).toBeNull();
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

describe('nimc synthetic --optimizer gauss-newton', () => {
  it('recovers a small sigmoid problem', async () => {
    const run = await runCli(['synthetic', ...smallProblem, '--optimizer', 'gauss-newton', '--json']);

    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as {
      settings: { optimizer: string };
      relativeTestError: number;
      success: boolean;
      evaluations: number;
      productEvaluations: number;
      toTarget: { productEvaluations: number; cost: number; evaluations: number } | null;
    };
    expect(result.settings.optimizer).toBe('gauss-newton');
    expect(result.relativeTestError, run.stdout).toBeLessThanOrEqual(1e-3);
    expect(result.success).toBe(true);
    expect(result.productEvaluations).toBeGreaterThan(0);
    expect(result.toTarget?.productEvaluations).toBeGreaterThan(0);
    expect(result.toTarget?.cost).toBe((result.toTarget?.evaluations ?? 0) + (result.toTarget?.productEvaluations ?? 0));
  });

  it('recovers a small relu problem', async () => {
    const run = await runCli(['synthetic', ...smallProblem, '--activation', 'relu', '--optimizer', 'gauss-newton', '--json']);

    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { relativeTestError: number; success: boolean };
    expect(result.relativeTestError, run.stdout).toBeLessThanOrEqual(1e-3);
    expect(result.success).toBe(true);
  });

  it('costs less than gradient descent near the ground truth', async () => {
    const near = [...smallProblem, '--alpha', '0.1', '--seed', '4', '--json'];
    const gd = JSON.parse((await runCli(['synthetic', ...near, '--optimizer', 'gd'])).stdout) as { toTarget: { cost: number } | null };
    const gn = JSON.parse((await runCli(['synthetic', ...near, '--optimizer', 'gauss-newton'])).stdout) as { toTarget: { cost: number } | null };

    expect(gd.toTarget).not.toBeNull();
    expect(gn.toTarget).not.toBeNull();
    expect(gn.toTarget?.cost, `Gauss–Newton ${gn.toTarget?.cost}, gradient descent ${gd.toTarget?.cost}`).toBeLessThan(gd.toTarget?.cost ?? 0);
  }, 30_000);

  it('rejects an unknown optimizer', async () => {
    const run = await runCli(['synthetic', '--optimizer', 'newton']);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('nimc: error: invalid --optimizer: expected one of gd, adam, gauss-newton, received "newton"');
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
    expect(run.stdout).toMatch(/^Gauss–Newton products\s+0$/m);
    expect(run.stdout).toMatch(/^to test error ≤ 1e-3\s+not reached$/m);
    expect(run.stdout).toMatch(/^wall time\s+\d+\.\d\d s/m);
    expect(run.stdout).not.toMatch(/NaN|Infinity/);
    expect(hasStackTrace(run.stdout)).toBe(false);
  });
});

describe('nimc synthetic --init', () => {
  interface StartJson {
    settings: { init: string };
    start: { distance: number };
    relativeTestError: number;
    success: boolean;
  }

  async function syntheticJson(args: readonly string[]): Promise<StartJson> {
    const run = await runCli(['synthetic', ...smallProblem, ...args, '--json']);
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as StartJson;
  }

  it('starts at the ground truth with α = 0', async () => {
    const result = await syntheticJson(['--alpha', '0', '--max-iterations', '1']);

    expect(result.start.distance).toBe(0);
  });

  it('keeps the perturbed start at α = 1 by default', async () => {
    const byDefault = await syntheticJson(['--max-iterations', '3']);
    const explicit = await syntheticJson(['--init', 'perturbed', '--alpha', '1', '--max-iterations', '3']);

    expect(byDefault.settings.init).toBe('perturbed');
    expect(withoutTimings(JSON.stringify(byDefault))).toEqual(withoutTimings(JSON.stringify(explicit)));
  });

  it('draws a random start closer than α = 1', async () => {
    const random = await syntheticJson(['--init', 'random', '--max-iterations', '1']);
    const perturbed = await syntheticJson(['--max-iterations', '1']);

    expect(random.settings.init).toBe('random');
    expect(random.start.distance).toBeGreaterThan(0);
    expect(random.start.distance, `random ${random.start.distance}, α = 1 ${perturbed.start.distance}`).toBeLessThan(perturbed.start.distance);
  });

  it('recovers from the tensor initialization', async () => {
    const result = await syntheticJson(['--init', 'tensor', '--seed', '0']);

    expect(result.settings.init).toBe('tensor');
    expect(result.start.distance, JSON.stringify(result.start)).toBeLessThan(1);
    expect(result.relativeTestError, JSON.stringify(result)).toBeLessThanOrEqual(1e-3);
    expect(result.success).toBe(true);
  }, 30_000);

  it('fails cleanly when the tensor method fails', async () => {
    const run = await runCli(['synthetic', '--init', 'tensor', '--d', '4', '--k', '2', '--n', '2', '--m', '2']);

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^nimc: error: tensor initialization failed: /);
    expect(hasStackTrace(run.stderr)).toBe(false);
  });

  it('rejects --alpha with another start', async () => {
    const run = await runCli(['synthetic', '--init', 'tensor', '--alpha', '0.2']);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('nimc: error: invalid --alpha: it sets the perturbed start only, but --init is tensor\n');
    expect(hasStackTrace(run.stderr)).toBe(false);
  });

  it('rejects the tensor start for identity', async () => {
    const run = await runCli(['synthetic', '--init', 'tensor', '--activation', 'identity']);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('nimc: error: invalid --init: tensor initialization needs sigmoid, relu or tanh');
  });

  it('rejects an unknown start', async () => {
    const run = await runCli(['synthetic', '--init', 'zeros']);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('nimc: error: invalid --init: expected one of perturbed, random, tensor, received "zeros"');
  });
});
