import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { activationNames } from '@nimc/activations';
import { encoderWidth, type ColumnEncoding, type FeatureEncoder } from '@nimc/datasets';
import { createMatrix, type DenseMatrix } from '@nimc/linalg';
import type { StopReason } from '@nimc/optimizers';
import { writeFileAtomic } from './atomic-file.js';
import { ModelFileError } from './errors.js';
import { HeaderReader } from './header-reader.js';
import type { RecommenderModel, TrainingSettings, TrainingSummary } from './model.js';
import { packageVersions } from './versions.js';

/** The `format` field of every model file. */
export const modelFormat = 'nimc-model';

/** The format version this package writes and reads. */
export const modelFormatVersion = 1;

/** Storage of the parameters: float64 values, little-endian, base64-encoded. */
const parameterEncoding = 'float64-le-base64';

const stopReasons: readonly StopReason[] = [
  'max-iterations',
  'gradient-tolerance',
  'relative-tolerance',
  'early-stopping',
  'callback',
  'line-search-failed',
  'diverged',
];

function encodeFloat64(values: Float64Array): Buffer {
  const bytes = Buffer.alloc(values.length * 8);
  for (let i = 0; i < values.length; i++) bytes.writeDoubleLE(values[i] as number, i * 8);
  return bytes;
}

function decodeFloat64(bytes: Buffer): Float64Array {
  const values = new Float64Array(bytes.length / 8);
  for (let i = 0; i < values.length; i++) values[i] = bytes.readDoubleLE(i * 8);
  return values;
}

// The checksum covers everything but itself: the format fields, the header and the
// parameter bytes. JSON.stringify of a parsed header reproduces the written text exactly,
// because every number in it round-trips.
function checksum(format: unknown, version: unknown, header: unknown, encoding: unknown, U: Buffer, V: Buffer): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify([format, version, header, encoding]), 'utf8');
  hash.update(Buffer.of(0));
  hash.update(U);
  hash.update(V);
  return hash.digest('hex');
}

function checkFinite(name: string, values: Float64Array): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i] as number)) {
      throw new RangeError(`cannot save the model: ${name} entry ${i} is ${values[i]}, not a finite number`);
    }
  }
}

/**
 * Serializes a model to the JSON text of a model file (format version 1). The header contains
 * the package versions, the activation, the dimensions, the feature encoders with their
 * statistics, and the training settings, seed and summary. The parameters U and V follow as
 * exact float64 values (little-endian, base64), then a SHA-256 checksum of both parts. The
 * text ends with a newline. Throws a RangeError for a parameter that is not finite.
 */
export function serializeModel(model: RecommenderModel): string {
  checkFinite('U', model.U.data);
  checkFinite('V', model.V.data);
  const header = {
    packages: packageVersions(),
    activation: model.activation,
    dimensions: { d1: model.U.rows, d2: model.V.rows, k: model.U.columns },
    userFeatures: model.userEncoder,
    itemFeatures: model.itemEncoder,
    training: { settings: model.settings, summary: model.summary },
  };
  // A round trip through JSON keeps the stored header identical to what `parseModel` reads.
  const storedHeader: unknown = JSON.parse(JSON.stringify(header));
  const U = encodeFloat64(model.U.data);
  const V = encodeFloat64(model.V.data);
  const document = {
    format: modelFormat,
    formatVersion: modelFormatVersion,
    header: storedHeader,
    parameters: { encoding: parameterEncoding, U: U.toString('base64'), V: V.toString('base64') },
    checksum: { algorithm: 'sha256', value: checksum(modelFormat, modelFormatVersion, storedHeader, parameterEncoding, U, V) },
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function truncated(text: string, file: string): ModelFileError {
  return new ModelFileError(
    'TRUNCATED',
    file,
    `invalid model file ${file}: it is truncated (the JSON text stops after ${Buffer.byteLength(text)} bytes); write or copy the model file again`,
  );
}

// Every model file ends with "}\n". Requiring the final newline makes every proper prefix
// of a file invalid, including the one that lacks only that newline.
function parseJson(text: string, file: string): unknown {
  if (text.length === 0) throw new ModelFileError('TRUNCATED', file, `invalid model file ${file}: the file is empty`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    const atEnd = position !== null && Number(position[1]) >= text.trimEnd().length - 1;
    if (!text.endsWith('\n') || atEnd || /end of JSON input|Unterminated string/.test(message)) throw truncated(text, file);
    throw new ModelFileError('INVALID_JSON', file, `invalid model file ${file}: it is not valid JSON (${message}); the file was edited or corrupted`);
  }
  if (!text.endsWith('\n')) throw truncated(text, file);
  return parsed;
}

function readEncoder(reader: HeaderReader, value: unknown, path: string): FeatureEncoder {
  const object = reader.object(value, path);
  const columns = reader.array(object.columns, `${path}.columns`).map((entry, c): ColumnEncoding => {
    const at = `${path}.columns[${c}]`;
    const column = reader.object(entry, at);
    const name = reader.string(column.name, `${at}.name`);
    const kind = reader.oneOf(column.kind, `${at}.kind`, ['numeric', 'categorical'] as const);
    if (kind === 'numeric') {
      return { name, kind, mean: reader.finite(column.mean, `${at}.mean`), scale: reader.positive(column.scale, `${at}.scale`) };
    }
    return { name, kind, categories: reader.strings(column.categories, `${at}.categories`) };
  });
  return {
    idColumn: reader.string(object.idColumn, `${path}.idColumn`),
    ignoredColumns: reader.strings(object.ignoredColumns, `${path}.ignoredColumns`),
    columns,
    bias: reader.boolean(object.bias, `${path}.bias`),
  };
}

function readSettings(reader: HeaderReader, value: unknown, path: string): TrainingSettings {
  const s = reader.object(value, path);
  return {
    rank: reader.integer(s.rank, `${path}.rank`, 1),
    activation: reader.oneOf(s.activation, `${path}.activation`, activationNames),
    init: reader.oneOf(s.init, `${path}.init`, ['random', 'tensor'] as const),
    optimizer: reader.oneOf(s.optimizer, `${path}.optimizer`, ['adam', 'gd'] as const),
    learningRate: reader.positive(s.learningRate, `${path}.learningRate`),
    maxIterations: reader.integer(s.maxIterations, `${path}.maxIterations`, 1),
    l2: reader.finite(s.l2, `${path}.l2`),
    validationFraction: reader.finite(s.validationFraction, `${path}.validationFraction`),
    patience: reader.integer(s.patience, `${path}.patience`, 1),
    validationInterval: reader.integer(s.validationInterval, `${path}.validationInterval`, 1),
    standardize: reader.boolean(s.standardize, `${path}.standardize`),
    bias: reader.boolean(s.bias, `${path}.bias`),
    duplicates: reader.oneOf(s.duplicates, `${path}.duplicates`, ['error', 'mean'] as const),
    seed: reader.integer(s.seed, `${path}.seed`, 0),
  };
}

function readSummary(reader: HeaderReader, value: unknown, path: string): TrainingSummary {
  const s = reader.object(value, path);
  return {
    ratings: reader.integer(s.ratings, `${path}.ratings`, 0),
    mergedRatings: reader.integer(s.mergedRatings, `${path}.mergedRatings`, 0),
    users: reader.integer(s.users, `${path}.users`, 0),
    items: reader.integer(s.items, `${path}.items`, 0),
    ratedItems: reader.integer(s.ratedItems, `${path}.ratedItems`, 0),
    fitUsers: reader.integer(s.fitUsers, `${path}.fitUsers`, 0),
    validationUsers: reader.integer(s.validationUsers, `${path}.validationUsers`, 0),
    stopReason: reader.oneOf(s.stopReason, `${path}.stopReason`, stopReasons),
    iterations: reader.integer(s.iterations, `${path}.iterations`, 0),
    bestIteration: reader.integerOrNull(s.bestIteration, `${path}.bestIteration`, 0),
    divergedAtIteration: reader.integerOrNull(s.divergedAtIteration, `${path}.divergedAtIteration`, 1),
    trainingLoss: reader.finite(s.trainingLoss, `${path}.trainingLoss`),
    trainingRmse: reader.finite(s.trainingRmse, `${path}.trainingRmse`),
    validationRmse: reader.finiteOrNull(s.validationRmse, `${path}.validationRmse`),
  };
}

function decodeParameters(file: string, name: string, text: string, rows: number, k: number, rowName: string): DenseMatrix {
  const bytes = Buffer.from(text, 'base64');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0 || bytes.toString('base64') !== text) {
    throw new ModelFileError('INVALID_PARAMETERS', file, `invalid model file ${file}: parameters.${name} is not valid base64 data; the file was edited or corrupted`);
  }
  const expected = rows * k;
  if (bytes.length !== expected * 8) {
    throw new ModelFileError(
      'DIMENSION_MISMATCH',
      file,
      `invalid model file ${file}: ${name} holds ${bytes.length / 8} values, but ${rowName}·k = ${rows}·${k} = ${expected} are expected`,
    );
  }
  return createMatrix(rows, k, decodeFloat64(bytes));
}

function checkEncoderWidth(file: string, role: string, encoder: FeatureEncoder, d: number, dName: string): void {
  const width = encoderWidth(encoder);
  if (width !== d) {
    throw new ModelFileError(
      'DIMENSION_MISMATCH',
      file,
      `invalid model file ${file}: the ${role} feature encoder produces ${width} features, but ${dName} = ${d}`,
    );
  }
}

/**
 * Parses the text of a model file. `file` names it in messages. Throws a ModelFileError:
 * TRUNCATED, INVALID_JSON, NOT_A_MODEL, UNSUPPORTED_VERSION, INVALID_HEADER (with the field
 * path), INVALID_PARAMETERS, DIMENSION_MISMATCH or CHECKSUM_MISMATCH.
 */
export function parseModel(text: string, file = 'model'): RecommenderModel {
  const reader = new HeaderReader(file);
  const parsed = parseJson(text, file);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || (parsed as Record<string, unknown>).format !== modelFormat) {
    throw new ModelFileError('NOT_A_MODEL', file, `invalid model file ${file}: it is JSON but not a nimc model (its "format" field is not "${modelFormat}")`);
  }
  const document = parsed as Record<string, unknown>;
  if (document.formatVersion !== modelFormatVersion) {
    throw new ModelFileError(
      'UNSUPPORTED_VERSION',
      file,
      `unsupported model file ${file}: format version ${JSON.stringify(document.formatVersion)}, but this @nimc/core reads version ${modelFormatVersion} only`,
    );
  }

  const header = reader.object(document.header, 'header');
  const activation = reader.oneOf(header.activation, 'header.activation', activationNames);
  const dimensions = reader.object(header.dimensions, 'header.dimensions');
  const d1 = reader.integer(dimensions.d1, 'header.dimensions.d1', 1);
  const d2 = reader.integer(dimensions.d2, 'header.dimensions.d2', 1);
  const k = reader.integer(dimensions.k, 'header.dimensions.k', 1);
  const userEncoder = readEncoder(reader, header.userFeatures, 'header.userFeatures');
  const itemEncoder = readEncoder(reader, header.itemFeatures, 'header.itemFeatures');
  const training = reader.object(header.training, 'header.training');
  const settings = readSettings(reader, training.settings, 'header.training.settings');
  const summary = readSummary(reader, training.summary, 'header.training.summary');
  if (settings.rank !== k || settings.activation !== activation) {
    throw new ModelFileError('DIMENSION_MISMATCH', file, `invalid model file ${file}: the training settings (rank ${settings.rank}, ${settings.activation}) disagree with the model (k = ${k}, ${activation})`);
  }
  checkEncoderWidth(file, 'user', userEncoder, d1, 'd1');
  checkEncoderWidth(file, 'item', itemEncoder, d2, 'd2');

  const parameters = reader.object(document.parameters, 'parameters');
  reader.oneOf(parameters.encoding, 'parameters.encoding', [parameterEncoding]);
  const U = decodeParameters(file, 'U', reader.string(parameters.U, 'parameters.U'), d1, k, 'd1');
  const V = decodeParameters(file, 'V', reader.string(parameters.V, 'parameters.V'), d2, k, 'd2');

  const stored = reader.object(document.checksum, 'checksum');
  reader.oneOf(stored.algorithm, 'checksum.algorithm', ['sha256']);
  const expected = checksum(document.format, document.formatVersion, document.header, parameters.encoding, encodeFloat64(U.data), encodeFloat64(V.data));
  if (reader.string(stored.value, 'checksum.value') !== expected) {
    throw new ModelFileError('CHECKSUM_MISMATCH', file, `invalid model file ${file}: the checksum does not match the header and parameters; the file was edited or corrupted`);
  }
  for (const [name, matrix] of [['U', U], ['V', V]] as const) {
    const bad = matrix.data.findIndex((value) => !Number.isFinite(value));
    if (bad >= 0) throw new ModelFileError('INVALID_PARAMETERS', file, `invalid model file ${file}: ${name} entry ${bad} is ${matrix.data[bad]}, not a finite number`);
  }

  return { activation, U, V, userEncoder, itemEncoder, settings, summary };
}

/** Writes `model` to `path` atomically (temporary file in the same folder, fsync, rename). */
export async function save(model: RecommenderModel, path: string): Promise<void> {
  const text = serializeModel(model);
  try {
    await writeFileAtomic(path, text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ModelFileError('IO_FAILED', path, `failed to write model file ${path}: ${reason}`, { cause: error });
  }
}

/** Reads and checks a model file; see `parseModel` for the errors, plus NOT_FOUND and IO_FAILED. */
export async function load(path: string): Promise<RecommenderModel> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new ModelFileError('NOT_FOUND', path, `model file not found: ${path}`, { cause: error });
    }
    if (code === 'EISDIR') {
      throw new ModelFileError('IO_FAILED', path, `failed to read model file ${path}: it is a folder, not a model file`, { cause: error });
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new ModelFileError('IO_FAILED', path, `failed to read model file ${path}: ${reason}`, { cause: error });
  }
  return parseModel(text, path);
}
