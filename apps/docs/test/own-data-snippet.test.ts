import { afterEach, describe, expect, it, vi } from 'vitest';

// The guide shows snippets/own-data.ts verbatim, so running it here keeps the guide honest.
describe('own-data snippet', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('trains and scores a new user', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => {
      lines.push(line);
    });

    await import('../snippets/own-data.js');

    const lossLine = lines.find((line) => line.startsWith('training loss '));
    expect(lossLine, `printed lines: ${JSON.stringify(lines)}`).toBeDefined();
    const [initial, final] = lossLine!.slice('training loss '.length).split(' -> ').map(Number);
    expect(final, `training loss ${initial} -> ${final}`).toBeLessThan(initial! / 10);

    const scoreLine = lines.find((line) => line.startsWith('scores of the new user: '));
    const scores = scoreLine?.slice('scores of the new user: '.length).split(', ').map(Number) ?? [];
    expect(scores, `printed lines: ${JSON.stringify(lines)}`).toHaveLength(3);
    for (const score of scores) expect(Number.isFinite(score), `score ${score}`).toBe(true);
  });
});
