import { afterEach, describe, expect, it, vi } from 'vitest';

// The guide shows snippets/first-run.ts verbatim, so running it here keeps the guide honest.
describe('first-run snippet', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('recovers the ground truth', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => {
      lines.push(line);
    });

    await import('../snippets/first-run.js');

    const errorLine = lines.find((line) => line.startsWith('relative test error '));
    expect(errorLine, `printed lines: ${JSON.stringify(lines)}`).toBeDefined();
    const testError = Number(errorLine!.slice('relative test error '.length));
    expect(testError, `relative test error ${testError}`).toBeLessThanOrEqual(1e-3);
    expect(lines, `printed lines: ${JSON.stringify(lines)}`).toContain('scores of the new queries: 3 × 200');
  });
});
