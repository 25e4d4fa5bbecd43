import { describe, expect, it } from 'vitest';
import { formatResults } from '../src/commands/movielens-ablation.js';

describe('movielens-ablation table', () => {
  it('prints n/a for one split', () => {
    const table = formatResults([{ name: 'paper', differences: [-0.0123], mean: -0.0123, standardError: 0 }]);

    const row = table.split('\n').find((line) => line.startsWith('paper')) ?? '';
    expect(row, table).toContain('n/a');
    expect(row, table).not.toContain('0.0000');
  });

  it('prints the standard error for two splits', () => {
    const table = formatResults([{ name: 'paper', differences: [-0.01, -0.03], mean: -0.02, standardError: 0.01 }]);

    const row = table.split('\n').find((line) => line.startsWith('paper')) ?? '';
    expect(row, table).toContain('0.0100');
    expect(row, table).not.toContain('n/a');
  });
});
