import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError, readDelimitedFile, readFeatureTable, readPairs, readRatings, type DatasetErrorCode } from '../src/index.js';
import { createScratch, type Scratch } from './tabular-helpers.js';

let scratch: Scratch;
let counter = 0;

beforeAll(async () => {
  scratch = await createScratch();
});

afterAll(async () => {
  await scratch.remove();
});

function nextFile(extension = 'csv'): string {
  counter += 1;
  return `case-${counter}.${extension}`;
}

// Characters that exercise delimiters, quoting, line breaks, numbers and NaN spellings.
const trickyCharacter = fc.constantFrom('a', 'u', '1', '7', '.', '-', 'e', 'N', ',', '\t', '"', '\n', '\r', ' ', 'é', 'ß');

/** Codes that the readers document for bad input. */
const documentedCodes: readonly DatasetErrorCode[] = ['MALFORMED_LINE', 'MISSING_COLUMN', 'EMPTY_DATA', 'DUPLICATE_RATING', 'DUPLICATE_ID'];

async function expectDocumentedOutcome(read: Promise<unknown>, content: string): Promise<unknown> {
  try {
    return await read;
  } catch (error) {
    const message = `input ${JSON.stringify(content)} raised ${String(error)}`;
    expect(error, message).toBeInstanceOf(DatasetError);
    expect(documentedCodes, message).toContain((error as DatasetError).code);
    return undefined;
  }
}

function quoteField(field: string): string {
  return `"${field.replaceAll('"', '""')}"`;
}

describe('delimited file properties', () => {
  it('reads back quoted records exactly', async () => {
    // Carriage returns are left out: the reader drops one before each line break.
    const field = fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', ' ', '\t', 'é', '1') });
    const records = fc.array(fc.array(field, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 });

    await fc.assert(
      fc.asyncProperty(records, async (rows) => {
        const content = rows.map((row) => row.map(quoteField).join(',')).join('\n');
        const path = await scratch.file(nextFile(), content);
        const read: string[][] = [];

        await readDelimitedFile(path, { delimiter: ',' }, (fields) => read.push(fields));

        expect(read).toEqual(rows);
      }),
      { numRuns: 150 },
    );
  });
});

describe('ratings reader properties', () => {
  it('parses or raises a documented error on random text', async () => {
    const body = fc.string({ unit: trickyCharacter, maxLength: 120 });

    await fc.assert(
      fc.asyncProperty(fc.boolean(), body, async (withHeader, text) => {
        const content = withHeader ? `user,item,rating\n${text}` : text;
        const path = await scratch.file(nextFile(), content);

        const table = await expectDocumentedOutcome(readRatings(path), content);

        if (table !== undefined) {
          const values = (table as { values: Float64Array }).values;
          for (const value of values) expect(Number.isFinite(value), `value ${value} of ${JSON.stringify(content)}`).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reads a prefix of a truncated file or raises a documented error', async () => {
    const rating = fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.double({ min: -10, max: 10, noNaN: true }));
    const ratings = fc.uniqueArray(rating, { minLength: 1, maxLength: 30, selector: ([user, item]) => `${user}:${item}` });

    await fc.assert(
      fc.asyncProperty(ratings, fc.nat(), async (rows, cutSeed) => {
        const full = `user,item,rating\n${rows.map(([user, item, value]) => `u${user},i${item},${value}`).join('\n')}\n`;
        const bytes = Buffer.from(full, 'utf8');
        const cut = bytes.subarray(0, cutSeed % (bytes.length + 1));
        const path = await scratch.file(nextFile(), cut);

        const table = (await expectDocumentedOutcome(readRatings(path), cut.toString('utf8'))) as
          | { values: Float64Array }
          | undefined;

        if (table === undefined) return;
        const count = table.values.length;
        expect(count).toBeLessThanOrEqual(rows.length);
        // Every rating but the last one read is complete; the last may have lost digits.
        for (let t = 0; t + 1 < count; t++) expect(table.values[t]).toBe(Number(String(rows[t]?.[2])));
      }),
      { numRuns: 200 },
    );
  });

  it('pairs reader parses or raises a documented error', async () => {
    const body = fc.string({ unit: trickyCharacter, maxLength: 120 });

    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const content = `item\tuser\n${text}`;
        const path = await scratch.file(nextFile('tsv'), content);

        await expectDocumentedOutcome(readPairs(path), content);
      }),
      { numRuns: 200 },
    );
  });
});

describe('feature table properties', () => {
  it('parses or raises a documented error on random text', async () => {
    const body = fc.string({ unit: trickyCharacter, maxLength: 120 });

    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const content = `id,a,b\n${text}`;
        const path = await scratch.file(nextFile(), content);

        const table = await expectDocumentedOutcome(readFeatureTable(path), content);

        if (table === undefined) return;
        for (const column of (table as Awaited<ReturnType<typeof readFeatureTable>>).columns) {
          if (column.kind !== 'numeric') continue;
          for (const value of column.values) expect(Number.isFinite(value), `${column.name}: ${value}`).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('truncated feature files parse or raise a documented error', async () => {
    const row = fc.tuple(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constantFrom('red', 'green', 'blue'));
    const rows = fc.array(row, { minLength: 1, maxLength: 20 });

    await fc.assert(
      fc.asyncProperty(rows, fc.nat(), async (values, cutSeed) => {
        const full = `id,x,colour\n${values.map(([x, colour], i) => `r${i},${x},${colour}`).join('\n')}\n`;
        const cut = full.slice(0, cutSeed % (full.length + 1));
        const path = await scratch.file(nextFile(), cut);

        const table = (await expectDocumentedOutcome(readFeatureTable(path), cut)) as
          | Awaited<ReturnType<typeof readFeatureTable>>
          | undefined;

        if (table === undefined) return;
        expect(table.ids.length).toBeLessThanOrEqual(values.length);
      }),
      { numRuns: 200 },
    );
  });
});
