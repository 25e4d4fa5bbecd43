import { describe, expect, it } from 'vitest';
import { createProgress, type ProgressStream } from '../src/progress.js';

function fakeStream(isTTY: boolean): ProgressStream & { text: string } {
  const stream = {
    isTTY,
    columns: 40,
    text: '',
    write(chunk: string) {
      stream.text += chunk;
      return true;
    },
  };
  return stream;
}

describe('createProgress', () => {
  it('draws nothing when stderr is not a terminal', () => {
    const stream = fakeStream(false);
    const progress = createProgress({ quiet: false, stream, intervalMs: 0 });

    progress.update('iteration 1');
    progress.clear();

    expect(stream.text).toBe('');
  });

  it('prints notes when stderr is not a terminal', () => {
    const stream = fakeStream(false);
    createProgress({ quiet: false, stream }).note('movie 42 has no ratings');

    expect(stream.text).toBe('nimc: note: movie 42 has no ratings\n');
  });

  it('redraws one line on a terminal', () => {
    const stream = fakeStream(true);
    const progress = createProgress({ quiet: false, stream, intervalMs: 0 });

    progress.update('iteration 1');
    progress.update('iteration 2');
    progress.clear();

    expect(stream.text).toBe('\r\x1b[2Kiteration 1\r\x1b[2Kiteration 2\r\x1b[2K');
    expect(stream.text.includes('\n')).toBe(false);
  });

  it('truncates lines to the terminal width', () => {
    const stream = fakeStream(true);
    createProgress({ quiet: false, stream, intervalMs: 0 }).update('x'.repeat(100));

    expect(stream.text).toBe(`\r\x1b[2K${'x'.repeat(38)}…`);
  });

  it('prints nothing when quiet', () => {
    const stream = fakeStream(true);
    const progress = createProgress({ quiet: true, stream, intervalMs: 0 });

    progress.update('iteration 1');
    progress.note('a note');
    progress.clear();

    expect(stream.text).toBe('');
  });
});
