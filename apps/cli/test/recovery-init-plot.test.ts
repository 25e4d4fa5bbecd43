import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { recoveryInitPlot, type RecoveryInitResult } from '../src/experiments/recovery-init.js';

// A report of `nimc recovery init --alphas 1`: one perturbed point at α = 1 and two other starts.
const report = JSON.parse(
  readFileSync(new URL('../../docs/data/recovery-init-tensor-vs-random.json', import.meta.url), 'utf8'),
) as RecoveryInitResult & { options: RecoveryInitResult['settings'] };

describe('recovery init plot', () => {
  it('spans α from 0 to 1 with a single α', () => {
    const plot = recoveryInitPlot({ ...report, settings: report.options });
    const dashed = plot.series.filter((series) => series.dashed === true);
    expect(dashed.length).toBe(2);
    for (const series of dashed) expect(series.x).toEqual([0, 1]);
  });

  it('spans the α values that were run', () => {
    const first = report.points[0] as RecoveryInitResult['points'][number];
    const points = [0.2, 0.6].map((alpha) => ({ ...first, alpha }));
    const other = report.points.filter((point) => point.init !== 'perturbed');
    const plot = recoveryInitPlot({ ...report, settings: report.options, points: [...points, ...other] });
    for (const series of plot.series.filter((line) => line.dashed === true)) expect(series.x).toEqual([0.2, 0.6]);
  });
});
