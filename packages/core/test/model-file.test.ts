import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fit,
  load,
  ModelFileError,
  parseModel,
  predict,
  save,
  serializeModel,
  type ModelFileErrorCode,
  type RecommenderModel,
} from '../src/index.js';
import { createScratch, writeSmallData, type Scratch, type SmallData } from './helpers.js';

let scratch: Scratch;
let data: SmallData;
let model: RecommenderModel;
let text: string;

beforeAll(async () => {
  scratch = await createScratch();
  data = await writeSmallData(scratch, 'model-', { users: 30, items: 12, perUser: 6 });
  ({ model } = await fit({ ratings: data.ratings, userFeatures: data.users, itemFeatures: data.items }, { rank: 3, maxIterations: 40 }));
  text = serializeModel(model);
});

afterAll(async () => {
  await scratch.remove();
});

function parseError(source: string): ModelFileError {
  try {
    parseModel(source, 'm.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFileError);
    return error as ModelFileError;
  }
  throw new Error('expected parseModel to throw');
}

function bytesOf(values: Float64Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

// Rewrites the document and recomputes the checksum the way the writer does, so the file
// passes the checksum and reaches the other checks.
interface ModelDocument {
  format: string;
  formatVersion: number;
  header: unknown;
  parameters: { encoding: string; U: string; V: string };
  checksum: { value: string };
}

function withValidChecksum(document: ModelDocument): string {
  const U = Buffer.from(document.parameters.U, 'base64');
  const V = Buffer.from(document.parameters.V, 'base64');
  const hash = createHash('sha256');
  hash.update(JSON.stringify([document.format, document.formatVersion, document.header, document.parameters.encoding]), 'utf8');
  hash.update(Buffer.of(0));
  hash.update(U);
  hash.update(V);
  document.checksum.value = hash.digest('hex');
  return `${JSON.stringify(document, null, 2)}\n`;
}

describe('save and load', () => {
  it('round-trips every bit of the model', async () => {
    const path = scratch.path('round.nimc.json');

    await save(model, path);
    const loaded = await load(path);

    expect(bytesOf(loaded.U.data)).toEqual(bytesOf(model.U.data));
    expect(bytesOf(loaded.V.data)).toEqual(bytesOf(model.V.data));
    expect(loaded.userEncoder).toEqual(model.userEncoder);
    expect(loaded.itemEncoder).toEqual(model.itemEncoder);
    expect(loaded.settings).toEqual(model.settings);
    expect(loaded.summary).toEqual(model.summary);
  });

  it('gives bit-identical predictions after loading', async () => {
    const path = scratch.path('predict.nimc.json');
    const input = { userFeatures: data.users, itemFeatures: data.items, pairs: data.test };

    await save(model, path);
    const before = await predict(model, input);
    const after = await predict(await load(path), input);

    expect(bytesOf(after.scores)).toEqual(bytesOf(before.scores));
  });

  it('writes no temporary file next to the model', async () => {
    const folder = await createScratch();
    try {
      await save(model, folder.path('only.nimc.json'));

      expect(await readdir(folder.dir)).toEqual(['only.nimc.json']);
    } finally {
      await folder.remove();
    }
  });

  it('leaves an existing file intact when saving fails', async () => {
    const path = scratch.path('keep.nimc.json');
    await save(model, path);
    const broken = { ...model, U: { ...model.U, data: Float64Array.from(model.U.data, (v, i) => (i === 0 ? Number.NaN : v)) } };

    await expect(save(broken, path)).rejects.toThrow('cannot save the model: U entry 0 is NaN, not a finite number');
    expect(await readFile(path, 'utf8')).toBe(text);
  });

  it('reports a missing file and a missing folder', async () => {
    await expect(load(scratch.path('absent.json'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(save(model, scratch.path('no/such/folder/m.json'))).rejects.toMatchObject({ code: 'IO_FAILED' });
  });

  it('reports a folder given as the model file', async () => {
    await expect(load(scratch.dir)).rejects.toThrow(`failed to read model file ${scratch.dir}: it is a folder, not a model file`);
  });
});

describe('model file checks', () => {
  it('ends with a newline and parses back', () => {
    expect(text.endsWith('}\n')).toBe(true);
    expect(bytesOf(parseModel(text).U.data)).toEqual(bytesOf(model.U.data));
  });

  it('rejects the file cut at every byte', () => {
    const bytes = Buffer.from(text, 'utf8');
    const codes = new Set<ModelFileErrorCode>();
    for (let cut = 0; cut < bytes.length; cut++) {
      const error = parseError(bytes.subarray(0, cut).toString('utf8'));
      codes.add(error.code);
      expect(error.message, `cut at byte ${cut}`).toContain('invalid model file m.json');
    }

    expect([...codes]).toEqual(['TRUNCATED']);
  });

  it('explains a truncation', () => {
    const error = parseError(text.slice(0, 1000));

    expect(error.message).toBe(
      'invalid model file m.json: it is truncated (the JSON text stops after 1000 bytes); write or copy the model file again',
    );
  });

  it('rejects an edited header value', () => {
    const document = JSON.parse(text);
    document.header.userFeatures.columns[0].mean += 1;

    const error = parseError(`${JSON.stringify(document, null, 2)}\n`);

    expect(error.code).toBe('CHECKSUM_MISMATCH');
    expect(error.message).toBe('invalid model file m.json: the checksum does not match the header and parameters; the file was edited or corrupted');
  });

  it('rejects edited parameters', () => {
    const document = JSON.parse(text);
    const U = Buffer.from(document.parameters.U, 'base64');
    U[3] = (U[3] as number) ^ 1;
    document.parameters.U = U.toString('base64');

    expect(parseError(`${JSON.stringify(document, null, 2)}\n`).code).toBe('CHECKSUM_MISMATCH');
  });

  it('rejects base64 that does not round-trip', () => {
    const document = JSON.parse(text);
    document.parameters.V = `${document.parameters.V.slice(0, -4)}!!!!`;

    const error = parseError(`${JSON.stringify(document, null, 2)}\n`);

    expect(error.code).toBe('INVALID_PARAMETERS');
    expect(error.message).toContain('parameters.V is not valid base64 data');
  });

  it('rejects an unknown format version', () => {
    const document = JSON.parse(text);
    document.formatVersion = 2;

    const error = parseError(`${JSON.stringify(document, null, 2)}\n`);

    expect(error.code).toBe('UNSUPPORTED_VERSION');
    expect(error.message).toBe('unsupported model file m.json: format version 2, but this @nimc/core reads version 1 only');
  });

  it('rejects dimensions that disagree with the parameters', () => {
    const document = JSON.parse(text);
    document.header.dimensions.d1 += 1;

    const error = parseError(withValidChecksum(document));

    expect(error.code).toBe('DIMENSION_MISMATCH');
    expect(error.message).toBe(`invalid model file m.json: the user feature encoder produces ${model.U.rows} features, but d1 = ${model.U.rows + 1}`);
  });

  it('rejects parameters of the wrong size', () => {
    const document = JSON.parse(text);
    document.parameters.V = Buffer.alloc(8 * 5).toString('base64');

    const error = parseError(withValidChecksum(document));

    expect(error.code).toBe('DIMENSION_MISMATCH');
    expect(error.message).toBe(`invalid model file m.json: V holds 5 values, but d2·k = ${model.V.rows}·3 = ${model.V.rows * 3} are expected`);
  });

  it('names an invalid header field', () => {
    const document = JSON.parse(text);
    document.header.training.settings.rank = 'three';

    const error = parseError(withValidChecksum(document));

    expect(error.code).toBe('INVALID_HEADER');
    expect(error.message).toBe('invalid model file m.json: header.training.settings.rank must be an integer ≥ 1, found "three"');
  });

  it('rejects non-finite parameters with a valid checksum', () => {
    const document = JSON.parse(text);
    const U = Buffer.from(document.parameters.U, 'base64');
    U.writeDoubleLE(Number.POSITIVE_INFINITY, 8);
    document.parameters.U = U.toString('base64');

    const error = parseError(withValidChecksum(document));

    expect(error.code).toBe('INVALID_PARAMETERS');
    expect(error.message).toBe('invalid model file m.json: U entry 1 is Infinity, not a finite number');
  });

  it('rejects JSON that is not a model', () => {
    expect(parseError('{"format": "other"}\n').code).toBe('NOT_A_MODEL');
    expect(parseError('[1, 2]\n').code).toBe('NOT_A_MODEL');
  });

  it('rejects corrupted JSON', () => {
    const error = parseError(text.replace('"header": {', '"header": {,'));

    expect(error.code).toBe('INVALID_JSON');
    expect(error.message).toMatch(/^invalid model file m\.json: it is not valid JSON \(.+\); the file was edited or corrupted$/);
  });

  it('loads or raises a ModelFileError after random edits', () => {
    const bytes = Buffer.from(text, 'utf8');
    const edit = fc.record({
      position: fc.nat({ max: bytes.length - 1 }),
      kind: fc.constantFrom('replace', 'delete', 'insert'),
      byte: fc.integer({ min: 0, max: 255 }),
    });

    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        let edited = Buffer.from(bytes);
        for (const { position, kind, byte } of edits) {
          const at = Math.min(position, edited.length);
          const replacement = kind === 'delete' ? [] : [byte];
          const skip = kind === 'insert' ? 0 : 1;
          edited = Buffer.concat([edited.subarray(0, at), Buffer.from(replacement), edited.subarray(at + skip)]);
        }
        try {
          const parsed = parseModel(edited.toString('utf8'), 'm.json');
          // Only an edit of white space or of an escape-free spelling can leave the model intact.
          expect(bytesOf(parsed.U.data)).toEqual(bytesOf(model.U.data));
          expect(bytesOf(parsed.V.data)).toEqual(bytesOf(model.V.data));
        } catch (error) {
          expect(error, String(error)).toBeInstanceOf(ModelFileError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('saves a model read back from disk unchanged', async () => {
    const first = scratch.path('first.nimc.json');
    const second = scratch.path('second.nimc.json');

    await save(model, first);
    await save(await load(first), second);

    expect(await readFile(second, 'utf8')).toBe(await readFile(first, 'utf8'));
  });

  it('reads a file written by hand with the same content', async () => {
    const path = await scratch.file('hand.nimc.json', text);

    expect(bytesOf((await load(path)).V.data)).toEqual(bytesOf(model.V.data));
    await writeFile(path, text.slice(0, -1));
    await expect(load(path)).rejects.toMatchObject({ code: 'TRUNCATED' });
  });
});
