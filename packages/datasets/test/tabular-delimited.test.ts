import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDelimitedFile, resolveDelimiter } from '../src/index.js';
import { createScratch, expectDatasetError, type Scratch } from './tabular-helpers.js';

let scratch: Scratch;

beforeAll(async () => {
  scratch = await createScratch();
});

afterAll(async () => {
  await scratch.remove();
});

interface Collected {
  fields: string[];
  line: number;
  text: string;
}

async function collect(content: string, delimiter = ',', maxRecordLength?: number): Promise<Collected[]> {
  const path = await scratch.file(`file-${Math.random().toString(36).slice(2)}.csv`, content);
  const records: Collected[] = [];
  await readDelimitedFile(path, { delimiter, maxRecordLength }, (fields, line, text) => {
    records.push({ fields, line, text });
  });
  return records;
}

describe('resolveDelimiter', () => {
  it('infers from the extension', () => {
    expect(resolveDelimiter('a/ratings.csv')).toBe(',');
    expect(resolveDelimiter('ratings.TSV')).toBe('\t');
    expect(resolveDelimiter('ratings.tab')).toBe('\t');
  });

  it('prefers an explicit delimiter', () => {
    expect(resolveDelimiter('ratings.csv', ';')).toBe(';');
  });

  it('rejects an unknown extension', () => {
    expect(() => resolveDelimiter('ratings.txt')).toThrow(/cannot infer the delimiter of ratings\.txt from its extension "\.txt"/);
  });

  it('rejects invalid delimiters', () => {
    for (const delimiter of ['', ',,', '"', '\n']) {
      expect(() => resolveDelimiter('a.csv', delimiter), JSON.stringify(delimiter)).toThrow(RangeError);
    }
  });
});

describe('readDelimitedFile', () => {
  it('splits plain records and trims fields', async () => {
    const records = await collect('a,b,c\n 1 , 2,3\n');

    expect(records.map((r) => r.fields)).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
    expect(records.map((r) => r.line)).toEqual([1, 2]);
  });

  it('skips blank lines and keeps line numbers', async () => {
    const records = await collect('a,b\n\n1,2\n   \n3,4');

    expect(records.map((r) => r.line)).toEqual([1, 3, 5]);
    expect(records[2]?.fields).toEqual(['3', '4']);
  });

  it('handles CRLF and a byte order mark', async () => {
    const records = await collect('\uFEFFid,x\r\n7,8\r\n');

    expect(records.map((r) => r.fields)).toEqual([
      ['id', 'x'],
      ['7', '8'],
    ]);
  });

  it('parses quoted fields with delimiters and quotes', async () => {
    const records = await collect('"a,b","say ""hi""",c\n');

    expect(records[0]?.fields).toEqual(['a,b', 'say "hi"', 'c']);
  });

  it('joins a quoted field across lines', async () => {
    const records = await collect('id,note\n1,"two\nlines"\n2,x\n');

    expect(records[1]).toEqual({ fields: ['1', 'two\nlines'], line: 2, text: '1,"two\nlines"' });
    expect(records[2]?.line).toBe(4);
  });

  it('keeps empty fields', async () => {
    const records = await collect('a,,"",\n');

    expect(records[0]?.fields).toEqual(['a', '', '', '']);
  });

  it('splits on tabs', async () => {
    const records = await collect('a\tb\n1\t 2\n', '\t');

    expect(records[1]?.fields).toEqual(['1', '2']);
  });

  it('rejects text after a closing quote', async () => {
    const path = await scratch.file('after-quote.csv', 'a,b\n"x"y,2\n');

    const error = await expectDatasetError(readDelimitedFile(path, { delimiter: ',' }, () => {}), 'MALFORMED_LINE');

    expect(error.message).toContain(`${path}:2: unexpected text "y,2" after the closing quote of field 1`);
    expect(error.message).toContain('"\\"x\\"y,2"');
    expect(error.line).toBe(2);
  });

  it('rejects an unclosed quote at the end', async () => {
    const path = await scratch.file('unclosed.csv', 'a,b\n1,2\n3,"open\n4,5\n');

    const error = await expectDatasetError(readDelimitedFile(path, { delimiter: ',' }, () => {}), 'MALFORMED_LINE');

    expect(error.message).toContain(`${path}:3: the file ends inside a quoted field`);
  });

  it('limits the length of an open quoted field', async () => {
    const path = await scratch.file('long-quote.csv', `a\n"${'x\n'.repeat(100)}`);

    const error = await expectDatasetError(readDelimitedFile(path, { delimiter: ',', maxRecordLength: 50 }, () => {}), 'MALFORMED_LINE');

    expect(error.message).toContain(`${path}:2: a quoted field is still open after 50 characters`);
  });

  it('limits the length of a line', async () => {
    const path = await scratch.file('long-line.csv', `a\n${'y'.repeat(200_000)}`);

    const error = await expectDatasetError(readDelimitedFile(path, { delimiter: ',', maxRecordLength: 1000 }, () => {}), 'MALFORMED_LINE');

    expect(error.message).toContain('the line is longer than 1000 characters');
  });

  it('limits a short line within one chunk', async () => {
    const path = await scratch.file('short-long-line.csv', `a\n${'y'.repeat(30)}\nb\n`);

    const error = await expectDatasetError(readDelimitedFile(path, { delimiter: ',', maxRecordLength: 10 }, () => {}), 'MALFORMED_LINE');

    expect(error.message).toContain(`${path}:2: the line is longer than 10 characters`);
  });

  it('rejects invalid UTF-8 with its line', async () => {
    // "caf\xe9" is Latin-1 for "café"; 0xE9 alone is not valid UTF-8.
    const bytes = Buffer.concat([Buffer.from('id,name\nu1,ok\nu2,caf'), Buffer.from([0xe9]), Buffer.from('\nu3,x\n')]);
    const path = await scratch.file('latin1.csv', bytes);

    const error = await expectDatasetError(readDelimitedFile(path, { delimiter: ',' }, () => {}), 'MALFORMED_LINE');

    expect(error.message).toBe(`${path}:3: the line is not valid UTF-8 text (shown with U+FFFD for the invalid bytes); save the file as UTF-8: "u2,caf\uFFFD"`);
    expect(error.line).toBe(3);
  });

  it('finds invalid UTF-8 after many chunks', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `u${i},é${i}`).join('\n');
    const bytes = Buffer.concat([Buffer.from(`id,name\n${rows}\nbad,`), Buffer.from([0xff]), Buffer.from('\n')]);
    const path = await scratch.file('late-invalid.csv', bytes);

    const error = await expectDatasetError(readDelimitedFile(path, { delimiter: ',' }, () => {}), 'MALFORMED_LINE');

    expect(error.line).toBe(20_002);
  });

  it('reads multi-byte text split across chunks', async () => {
    const rows = Array.from({ length: 30_000 }, (_, i) => `u${i},日本語${i}`);

    const records = await collect(`id,name\n${rows.join('\n')}\n`);

    expect(records).toHaveLength(30_001);
    expect(records.slice(1).every((record, i) => record.fields[1] === `日本語${i}`)).toBe(true);
  });

  it('reports a missing file', async () => {
    const path = `${scratch.dir}/absent.csv`;

    const error = await expectDatasetError(readDelimitedFile(path, { delimiter: ',' }, () => {}), 'ENOENT_DATASET');

    expect(error.message).toBe(`file not found: ${path}`);
  });

  it('reports a directory', async () => {
    const error = await expectDatasetError(readDelimitedFile(scratch.dir, { delimiter: ',' }, () => {}), 'READ_FAILED');

    expect(error.message).toContain('it is a directory');
  });

  it('passes errors of the handler through', async () => {
    const path = await scratch.file('handler.csv', 'a\n1\n');
    const failure = new TypeError('stop here');

    await expect(
      readDelimitedFile(path, { delimiter: ',' }, () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
  });

  it('reads records that span chunk boundaries', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `${i},"v ${i}, quoted"`);
    const records = await collect(`id,value\n${rows.join('\n')}\n`);

    expect(records.length).toBe(20_001);
    expect(records[12_345]?.fields).toEqual(['12344', 'v 12344, quoted']);
    expect(records[20_000]?.line).toBe(20_001);
  });
});
