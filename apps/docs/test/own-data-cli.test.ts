import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findCliBin } from '../scripts/generate-cli-reference.mjs';

// Runs the commands of the "Your own data" guide on its example files, so the guide breaks
// this test rather than its readers when the CLI changes.
const examples = fileURLToPath(new URL('../examples/own-data/', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'nimc-docs-own-data-'));
const model = join(work, 'model.json');
const features = ['--user-features', `${examples}users.csv`, '--item-features', `${examples}items.csv`];

function nimc(...args: string[]): string {
  return execFileSync(process.execPath, [findCliBin(), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('own-data guide commands', () => {
  it('train writes a model', () => {
    const report = nimc('train', '--ratings', `${examples}train.csv`, ...features, '--rank', '8', '--out', model, '--quiet');

    expect(existsSync(model), report).toBe(true);
    expect(report).toContain('data             960 ratings of 80 users and 40 of 40 items');
  });

  it('evaluate scores the new users', () => {
    const result = JSON.parse(nimc('evaluate', '--model', model, ...features, '--ratings', `${examples}test.csv`, '--k', '5', '--json', '--quiet'));

    expect(result.overall.users, JSON.stringify(result.overall)).toBe(20);
    expect(result.overall.ratings).toBe(240);
    expect(result.overall.rmse, `RMSE ${result.overall.rmse}`).toBeLessThan(1.5);
  });

  it('recommend lists the top items per user', () => {
    const lines = nimc('recommend', '--model', model, ...features, '--users', 'u81,u82', '--top', '3', '--quiet').trim().split('\n');

    expect(lines[0]).toBe('user,rank,item,score');
    expect(lines.slice(1).map((line) => line.split(',').slice(0, 2).join(','))).toEqual(['u81,1', 'u81,2', 'u81,3', 'u82,1', 'u82,2', 'u82,3']);
  });

  it('predict scores the pairs of a file', () => {
    const pairs = join(work, 'pairs.csv');
    writeFileSync(pairs, 'user,item\nu81,m1\nu99,m40\n');

    const lines = nimc('predict', '--model', model, ...features, '--pairs', pairs, '--quiet').trim().split('\n');

    expect(lines[0]).toBe('user,item,score');
    expect(lines).toHaveLength(3);
    for (const line of lines.slice(1)) expect(Number.isFinite(Number(line.split(',')[2])), line).toBe(true);
  });
});
