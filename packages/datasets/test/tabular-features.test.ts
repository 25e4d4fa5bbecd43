import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  encodedFeatureNames,
  encodeFeatures,
  encoderKinds,
  encoderWidth,
  fitFeatureEncoder,
  readFeatureTable,
  type FeatureTable,
} from '../src/index.js';
import { createScratch, expectDatasetError, type Scratch } from './tabular-helpers.js';

let scratch: Scratch;

beforeAll(async () => {
  scratch = await createScratch();
});

afterAll(async () => {
  await scratch.remove();
});

const usersCsv = 'id,age,gender,zip\nu1,20,F,111\nu2,30,M,222\nu3,40,F,333\nu4,50,X,444\n';

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

describe('readFeatureTable', () => {
  it('infers numeric and categorical columns', async () => {
    const path = await scratch.file('users.csv', usersCsv);

    const table = await readFeatureTable(path);

    expect(table.ids).toEqual(['u1', 'u2', 'u3', 'u4']);
    expect(table.rows.get('u3')).toBe(2);
    expect(Array.from(table.lines)).toEqual([2, 3, 4, 5]);
    expect(table.columns.map((c) => [c.name, c.kind])).toEqual([
      ['age', 'numeric'],
      ['gender', 'categorical'],
      ['zip', 'numeric'],
    ]);
    const gender = table.columns[1];
    expect(gender?.kind).toBe('categorical');
    expect(gender?.kind === 'categorical' ? gender.levels : []).toEqual(['F', 'M', 'X']);
  });

  it('treats a column with any text as categorical', async () => {
    const path = await scratch.file('mixed.csv', 'id,code\na,12\nb,T8H\n');

    const table = await readFeatureTable(path);

    expect(table.columns[0]?.kind).toBe('categorical');
  });

  it('rejects a stray word among numbers', async () => {
    const rows = Array.from({ length: 19 }, (_, i) => `u${i},${20 + i},east`);
    rows.splice(7, 0, 'x,thirty,west');
    const path = await scratch.file('typo.csv', `id,age,region\n${rows.join('\n')}\n`);

    const error = await expectDatasetError(readFeatureTable(path, { optionNames: { categoricalColumns: '--categorical' } }), 'MALFORMED_LINE');

    expect(error.message).toBe(`${path}:9: the value "thirty" of column "age" is not a number, but 19 of 20 values are; fix the value or pass --categorical age: "x,thirty,west"`);
  });

  it('names kinds when no option name is given', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => `u${i},${i}`);
    const path = await scratch.file('typo-library.csv', `id,size\n${rows.join('\n')}\nz,big\n`);

    const error = await expectDatasetError(readFeatureTable(path), 'MALFORMED_LINE');

    expect(error.message).toContain(':12: the value "big" of column "size" is not a number, but 10 of 11 values are; fix the value or set kinds["size"] to "categorical"');
  });

  it('reads a mostly numeric column given as categorical', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => `u${i},${i}`);
    const path = await scratch.file('typo-forced.csv', `id,size\n${rows.join('\n')}\nz,big\n`);

    const table = await readFeatureTable(path, { kinds: { size: 'categorical' } });

    expect(table.columns[0]?.kind).toBe('categorical');
  });

  it('follows given kinds and ignored columns', async () => {
    const path = await scratch.file('kinds.csv', usersCsv);

    const table = await readFeatureTable(path, { kinds: { zip: 'categorical' }, ignoreColumns: ['gender', 'absent'] });

    expect(table.columns.map((c) => [c.name, c.kind])).toEqual([
      ['age', 'numeric'],
      ['zip', 'categorical'],
    ]);
    expect(table.ignoredColumns).toEqual(['gender']);
  });

  it('keeps text columns for grouping', async () => {
    const path = await scratch.file('text.csv', usersCsv);

    const table = await readFeatureTable(path, { textColumns: ['age'] });
    const age = table.text.get('age');

    expect(age?.levels).toEqual(['20', '30', '40', '50']);
    expect(Array.from(age?.codes ?? [])).toEqual([0, 1, 2, 3]);
  });

  it('uses a selected id column', async () => {
    const path = await scratch.file('keyed.tsv', 'x\tmovie\n1.5\tm1\n2.5\tm2\n');

    const table = await readFeatureTable(path, { idColumn: 'movie' });

    expect(table.ids).toEqual(['m1', 'm2']);
    expect(table.columns.map((c) => c.name)).toEqual(['x']);
  });

  it('rejects NaN and infinities in a numeric column', async () => {
    for (const value of ['NaN', 'nan', 'Infinity', '-inf', '1e400']) {
      const path = await scratch.file('nan.csv', `id,a,b\nu1,1,2\nu2,3,${value}\n`);

      const error = await expectDatasetError(readFeatureTable(path), 'MALFORMED_LINE');

      expect(error.message, value).toBe(`${path}:3: the value ${JSON.stringify(value)} of numeric column "b" is not a finite number: "u2,3,${value}"`);
    }
  });

  it('rejects an empty numeric value', async () => {
    const path = await scratch.file('empty-value.csv', 'id,a\nu1,1\nu2,\n');

    const error = await expectDatasetError(readFeatureTable(path), 'MALFORMED_LINE');

    expect(error.message).toContain(':3: the value of numeric column "a" is empty; fill it in');
  });

  it('rejects text in a column given as numeric', async () => {
    const path = await scratch.file('forced.csv', 'id,a\nu1,1\nu2,two\n');

    const error = await expectDatasetError(readFeatureTable(path, { kinds: { a: 'numeric' } }), 'MALFORMED_LINE');

    expect(error.message).toContain(':3: the value "two" of numeric column "a" is not a number');
  });

  it('rejects a duplicate id with both lines', async () => {
    const path = await scratch.file('dup-id.csv', 'id,a\nu1,1\nu2,2\nu1,3\n');

    const error = await expectDatasetError(readFeatureTable(path), 'DUPLICATE_ID');

    expect(error.message).toBe(`${path}:4: id "u1" is defined twice, at lines 2 and 4; keep one row per id`);
  });

  it('names a missing id column', async () => {
    const path = await scratch.file('no-id.csv', 'user,a\nu1,1\n');

    const error = await expectDatasetError(readFeatureTable(path, { optionNames: { idColumn: '--user-id-column' } }), 'MISSING_COLUMN');

    expect(error.message).toContain('has no column "id" for the ids; its columns are "user", "a". Name the ids column with --user-id-column.');
  });

  it('reports wrong feature columns against the expected ones', async () => {
    const path = await scratch.file('mismatch.csv', 'id,age,height,gender\nu1,1,2,F\n');

    const error = await expectDatasetError(
      readFeatureTable(path, { expectedColumns: ['age', 'gender', 'zip'], kinds: { age: 'numeric', gender: 'categorical', zip: 'numeric' } }),
      'FEATURE_MISMATCH',
    );

    expect(error.message).toBe(
      `wrong feature columns in ${path}: expected 3 ("age", "gender", "zip"), found 3; missing "zip"; unexpected "height". ` +
        'Use the columns the model was trained with, or list the unexpected ones in the ignoreColumns option.',
    );
  });

  it('rejects a wrong field count', async () => {
    const path = await scratch.file('width.csv', 'id,a,b\nu1,1,2\nu2,3\n');

    const error = await expectDatasetError(readFeatureTable(path), 'MALFORMED_LINE');

    expect(error.message).toBe(`${path}:3: expected 3 fields (id, a, b) as in the header, found 2: "u2,3"`);
  });

  it('rejects a file without rows', async () => {
    const path = await scratch.file('no-rows.csv', 'id,a\n');

    const error = await expectDatasetError(readFeatureTable(path), 'EMPTY_DATA');

    expect(error.message).toBe(`${path} has a header but no rows: expected one row per id`);
  });
});

describe('feature encoder', () => {
  let table: FeatureTable;

  beforeAll(async () => {
    table = await readFeatureTable(await scratch.file('encode.csv', usersCsv));
  });

  it('standardises with statistics of the training rows only', () => {
    const encoder = fitFeatureEncoder(table, [0, 1, 2]);
    const age = encoder.columns[0];

    // Rows 0–2 have ages 20, 30, 40: mean 30, population standard deviation √(200/3).
    expect(age).toMatchObject({ name: 'age', kind: 'numeric', mean: 30 });
    const scale = age?.kind === 'numeric' ? age.scale : Number.NaN;
    expect(relativeError(scale, Math.sqrt(200 / 3)), `scale ${scale}`).toBeLessThan(1e-15);
  });

  it('fixes categories from the training rows, sorted', () => {
    const encoder = fitFeatureEncoder(table, [1, 0]);

    expect(encoder.columns[1]).toEqual({ name: 'gender', kind: 'categorical', categories: ['F', 'M'] });
    expect(encodedFeatureNames(encoder)).toEqual(['age', 'gender=F', 'gender=M', 'zip', 'bias']);
    expect(encoderWidth(encoder)).toBe(5);
    expect(encoderKinds(encoder)).toEqual({ age: 'numeric', gender: 'categorical', zip: 'numeric' });
  });

  it('encodes unseen categories as zeros and counts them', () => {
    const encoder = fitFeatureEncoder(table, [0, 1], { standardize: false });

    const { matrix, unseen } = encodeFeatures(table, encoder, [3, 2, 3]);

    expect(Array.from(matrix.data)).toEqual([50, 0, 0, 444, 1, 40, 1, 0, 333, 1, 50, 0, 0, 444, 1]);
    expect(unseen).toEqual([{ column: 'gender', value: 'X', rows: 2 }]);
  });

  it('passes values through without standardisation or bias', () => {
    const encoder = fitFeatureEncoder(table, [0, 1, 2, 3], { standardize: false, bias: false });

    const { matrix } = encodeFeatures(table, encoder);

    expect(matrix.columns).toBe(5);
    expect(Array.from(matrix.data.subarray(0, 5))).toEqual([20, 1, 0, 0, 111]);
  });

  it('centres a constant column without scaling it', async () => {
    const constant = await readFeatureTable(await scratch.file('constant.csv', 'id,c\na,5\nb,5\n'));

    const encoder = fitFeatureEncoder(constant, [0, 1]);
    const { matrix } = encodeFeatures(constant, encoder);

    expect(encoder.columns[0]).toEqual({ name: 'c', kind: 'numeric', mean: 5, scale: 1 });
    expect(Array.from(matrix.data)).toEqual([0, 1, 0, 1]);
  });

  it('gives all-zero rows the bias feature', async () => {
    const zeros = await readFeatureTable(await scratch.file('zeros.csv', 'id,a,b\nz,0,0\n'));

    const encoder = fitFeatureEncoder(zeros, [0], { standardize: false });

    expect(Array.from(encodeFeatures(zeros, encoder).matrix.data)).toEqual([0, 0, 1]);
  });

  it('makes scaled features identical after standardisation', async () => {
    const plain = await readFeatureTable(await scratch.file('plain.csv', 'id,a\nx,1.5\ny,-2\nz,7.25\n'));
    const scaled = await readFeatureTable(await scratch.file('scaled.csv', 'id,a\nx,15000\ny,-20000\nz,72500\n'));

    const a = encodeFeatures(plain, fitFeatureEncoder(plain, [0, 1, 2])).matrix.data;
    const b = encodeFeatures(scaled, fitFeatureEncoder(scaled, [0, 1, 2])).matrix.data;

    for (let i = 0; i < a.length; i++) {
      const error = Math.abs((a[i] as number) - (b[i] as number));
      expect(error, `entry ${i}: ${a[i]} against ${b[i]}`).toBeLessThan(1e-14);
    }
  });

  it('rejects a table that lacks an encoder column', async () => {
    const encoder = fitFeatureEncoder(table, [0, 1]);
    const other = await readFeatureTable(await scratch.file('other.csv', 'id,age,gender\nq,1,F\n'));

    expect(() => encodeFeatures(other, encoder)).toThrow('expected numeric column "zip", found no such column');
  });

  it('rejects rows outside the table', () => {
    const encoder = fitFeatureEncoder(table, [0]);

    expect(() => encodeFeatures(table, encoder, [4])).toThrow('invalid row 4 at position 0');
  });
});
