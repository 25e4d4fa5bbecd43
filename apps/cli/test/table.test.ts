import { describe, expect, it } from 'vitest';
import { formatFields, formatTable } from '../src/table.js';

describe('formatTable', () => {
  it('aligns columns under their headers', () => {
    const text = formatTable(
      [{ header: 'method' }, { header: 'rmse', align: 'right' }],
      [
        ['nimc', '1.0342'],
        ['global-mean', '1.12'],
      ],
    );

    expect(text.split('\n')).toEqual([
      'method         rmse',
      '-------------------',
      'nimc         1.0342',
      'global-mean    1.12',
    ]);
  });

  it('draws rule rows and trims trailing spaces', () => {
    const text = formatTable([{ header: 'a' }, { header: 'long header' }], [['x', ''], 'rule', ['yy', 'z']]);

    expect(text.split('\n')).toEqual(['a   long header', '---------------', 'x', '---------------', 'yy  z']);
  });

  it('prints only the header for no rows', () => {
    expect(formatTable([{ header: 'split' }], [])).toBe('split\n-----');
  });

  it('rejects a row with the wrong cell count', () => {
    expect(() => formatTable([{ header: 'a' }, { header: 'b' }], [['1']])).toThrow(
      'invalid table row 0: expected 2 cells, received 1',
    );
  });
});

describe('formatFields', () => {
  it('pads labels to one width', () => {
    expect(formatFields([
      ['rank', '50'],
      ['activation', 'relu'],
    ])).toBe('rank        50\nactivation  relu');
  });
});
