import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPairs, readRatings } from '../src/index.js';
import { createScratch, expectDatasetError, type Scratch } from './tabular-helpers.js';

let scratch: Scratch;

beforeAll(async () => {
  scratch = await createScratch();
});

afterAll(async () => {
  await scratch.remove();
});

describe('readRatings', () => {
  it('reads the default columns in file order', async () => {
    const path = await scratch.file('basic.csv', 'user,item,rating\nu1,a,4\nu2,b,3.5\nu1,b,-1e-1\n');

    const table = await readRatings(path);

    expect(table.userIds).toEqual(['u1', 'u2']);
    expect(table.itemIds).toEqual(['a', 'b']);
    expect(Array.from(table.users)).toEqual([0, 1, 0]);
    expect(Array.from(table.items)).toEqual([0, 1, 1]);
    expect(Array.from(table.values)).toEqual([4, 3.5, -0.1]);
    expect(Array.from(table.userLines)).toEqual([2, 3]);
    expect(Array.from(table.itemLines)).toEqual([2, 3]);
    expect(table.merged).toBe(0);
  });

  it('selects columns by name in any order', async () => {
    const path = await scratch.file('named.tsv', 'stars\tmovie\textra\tviewer\n5\tm1\tx\tv9\n');

    const table = await readRatings(path, { userColumn: 'viewer', itemColumn: 'movie', ratingColumn: 'stars' });

    expect(table.userIds).toEqual(['v9']);
    expect(table.itemIds).toEqual(['m1']);
    expect(Array.from(table.values)).toEqual([5]);
  });

  it('honours an explicit delimiter', async () => {
    const path = await scratch.file('semicolon.txt', 'user;item;rating\n1;2;3\n');

    const table = await readRatings(path, { delimiter: ';' });

    expect(Array.from(table.values)).toEqual([3]);
  });

  it('names a missing column and the option', async () => {
    const path = await scratch.file('missing-column.csv', 'uid,item,rating\n1,2,3\n');

    const error = await expectDatasetError(readRatings(path, { optionNames: { userColumn: '--user-column' } }), 'MISSING_COLUMN');

    expect(error.message).toBe(
      `${path} has no column "user" for the user ids; its columns are "uid", "item", "rating". Name the user ids column with --user-column.`,
    );
  });

  it('clips a long header in messages', async () => {
    const names = Array.from({ length: 500 }, (_, c) => `column${c}`);
    const path = await scratch.file('wide-header.csv', `${names.join(',')}\n${names.map(() => '1').join(',')}\n`);

    const error = await expectDatasetError(readRatings(path), 'MISSING_COLUMN');

    const listed = /its columns are (.*)\. Name the/.exec(error.message)?.[1] ?? '';
    expect(listed.startsWith('"column0", "column1", '), error.message).toBe(true);
    expect(listed.endsWith('…'), error.message).toBe(true);
    expect(listed.length, error.message).toBe(201);
    expect(error.message.length, error.message).toBeLessThan(400);
  });

  it('clips a long header in field-count errors', async () => {
    const names = ['user', 'item', 'rating', ...Array.from({ length: 500 }, (_, c) => `column${c}`)];
    const path = await scratch.file('wide-short-line.csv', `${names.join(',')}\nu1,i1,4\n`);

    const error = await expectDatasetError(readRatings(path), 'MALFORMED_LINE');

    expect(error.message, error.message).toContain('expected 503 fields (user, item, rating, column0, ');
    expect(error.message.length, error.message).toBeLessThan(400);
  });

  it('reports a short line with its number and text', async () => {
    const path = await scratch.file('short.csv', 'user,item,rating\n1,2,3\n4,5\n');

    const error = await expectDatasetError(readRatings(path), 'MALFORMED_LINE');

    expect(error.message).toBe(`${path}:3: expected 3 fields (user, item, rating) as in the header, found 2: "4,5"`);
    expect(error.line).toBe(3);
  });

  it('rejects ratings that are not finite numbers', async () => {
    const cases: [string, string][] = [
      ['five', 'is not a number'],
      ['NaN', 'is not a finite number'],
      ['Infinity', 'is not a finite number'],
      ['-inf', 'is not a finite number'],
      ['1e999', 'is not a finite number'],
      ['0x10', 'is not a number'],
      ['', 'is empty'],
    ];
    for (const [value, problem] of cases) {
      const path = await scratch.file('bad-rating.csv', `user,item,rating\n1,2,3\n7,8,${value}\n`);

      const error = await expectDatasetError(readRatings(path), 'MALFORMED_LINE');

      expect(error.message, value).toBe(`${path}:3: the rating ${JSON.stringify(value)} (column "rating") ${problem}: "7,8,${value}"`);
    }
  });

  it('rejects empty ids', async () => {
    const path = await scratch.file('empty-id.csv', 'user,item,rating\n,2,3\n');

    const error = await expectDatasetError(readRatings(path), 'MALFORMED_LINE');

    expect(error.message).toContain(':2: the user id (column "user") is empty');
  });

  it('names the first two lines of a duplicate', async () => {
    const path = await scratch.file('duplicate.csv', 'user,item,rating\na,x,1\nb,y,2\n\nb,x,3\nb,y,4\na,x,5\n');

    const error = await expectDatasetError(readRatings(path, { optionNames: { duplicates: '--duplicates' } }), 'DUPLICATE_RATING');

    expect(error.message).toBe(
      `${path}: lines 3 and 6 both rate user "b" and item "y". Remove one of them, or average repeated ratings by setting --duplicates to mean.`,
    );
  });

  it('counts lines of multi-line records for duplicates', async () => {
    const path = await scratch.file('duplicate-quoted.csv', 'user,item,rating,note\na,x,1,"two\nlines"\na,x,2,\n');

    const error = await expectDatasetError(readRatings(path), 'DUPLICATE_RATING');

    expect(error.message).toContain('lines 2 and 4 both rate user "a" and item "x"');
  });

  it('averages duplicates on request', async () => {
    const path = await scratch.file('mean.csv', 'user,item,rating\na,x,1\nb,y,2\na,x,4\na,z,3\na,x,4\n');

    const table = await readRatings(path, { duplicates: 'mean' });

    expect(Array.from(table.users)).toEqual([0, 1, 0]);
    expect(Array.from(table.items)).toEqual([0, 1, 2]);
    expect(Array.from(table.values)).toEqual([3, 2, 3]);
    expect(table.merged).toBe(2);
  });

  it('rejects an unknown duplicate policy', async () => {
    const path = await scratch.file('policy.csv', 'user,item,rating\n');

    await expect(readRatings(path, { duplicates: 'max' as 'mean' })).rejects.toThrow(
      `invalid duplicates: expected 'error' or 'mean', received "max"`,
    );
  });

  it('returns an empty table for a header alone', async () => {
    const path = await scratch.file('header-only.csv', 'user,item,rating\n');

    const table = await readRatings(path);

    expect(table.values.length).toBe(0);
    expect(table.userIds).toEqual([]);
  });

  it('rejects an empty file', async () => {
    const path = await scratch.file('empty.csv', '\n\n');

    const error = await expectDatasetError(readRatings(path), 'EMPTY_DATA');

    expect(error.message).toContain('is empty: expected a header line');
  });

  it('reports a missing file', async () => {
    await expectDatasetError(readRatings(`${scratch.dir}/none.csv`), 'ENOENT_DATASET');
  });
});

describe('readPairs', () => {
  it('reads pairs, ignores other columns and keeps repeats', async () => {
    const path = await scratch.file('pairs.csv', 'item,user,rating\nx,a,\nx,a,oops\ny,b,1\n');

    const pairs = await readPairs(path);

    expect(pairs.userIds).toEqual(['a', 'b']);
    expect(pairs.itemIds).toEqual(['x', 'y']);
    expect(Array.from(pairs.users)).toEqual([0, 0, 1]);
    expect(Array.from(pairs.items)).toEqual([0, 0, 1]);
    expect('values' in pairs).toBe(false);
  });
});
