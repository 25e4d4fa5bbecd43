// A binary file that holds one NIMC problem and one parameter point, so that nimc and the
// NumPy reference evaluate exactly the same numbers.
//
// Layout (little-endian): the 8 ASCII bytes "NIMCPRB1", a uint32 with the byte length L of
// a UTF-8 JSON header, the header, then each array at the byte offset the header lists
// (a multiple of 64). The header has n1, n2, d1, d2, k, m, activation, l2, a free-form
// `description`, and `arrays`: name → { dtype, offset, length }. The arrays are X (n1×d1),
// Y (n2×d2), U (d1×k) and V (d2×k) as row-major float64, rows and columns as int32, and
// values as float64 or float32.
import { closeSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';

const magic = 'NIMCPRB1';
const alignment = 64;

const dtypes = {
  float64: Float64Array,
  float32: Float32Array,
  int32: Int32Array,
};

function dtypeOf(array) {
  for (const [name, type] of Object.entries(dtypes)) {
    if (array instanceof type) return name;
  }
  throw new TypeError(`invalid array: expected a Float64Array, Float32Array or Int32Array, received ${array?.constructor?.name}`);
}

/**
 * Writes `problem` ({ X, Y, observations }) and the point (U, V) to `path`. `meta` contains
 * the header fields activation, k and l2, plus any description.
 */
export function writeProblemFile(path, problem, point, meta) {
  const { X, Y, observations } = problem;
  const arrays = {
    X: X.data,
    Y: Y.data,
    rows: observations.rows,
    columns: observations.columns,
    values: observations.values,
    U: point.U.data,
    V: point.V.data,
  };
  const header = {
    ...meta,
    n1: X.rows,
    n2: Y.rows,
    d1: X.columns,
    d2: Y.columns,
    m: observations.values.length,
    arrays: {},
  };

  // Offsets depend on the header length, which depends on the offsets' digits, so the
  // header is laid out twice with a generous reserved size.
  const reserved = 4096;
  let offset = reserved;
  for (const [name, array] of Object.entries(arrays)) {
    header.arrays[name] = { dtype: dtypeOf(array), offset, length: array.length };
    offset += Math.ceil(array.byteLength / alignment) * alignment;
  }
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  if (12 + headerBytes.length > reserved) {
    throw new RangeError(`header of ${headerBytes.length} bytes does not fit the reserved ${reserved - 12}`);
  }
  const prefix = Buffer.alloc(reserved);
  prefix.write(magic, 0, 'ascii');
  prefix.writeUInt32LE(headerBytes.length, 8);
  headerBytes.copy(prefix, 12);

  const fd = openSync(path, 'w');
  try {
    writeSync(fd, prefix, 0, prefix.length, 0);
    for (const [name, array] of Object.entries(arrays)) {
      const bytes = Buffer.from(array.buffer, array.byteOffset, array.byteLength);
      writeSync(fd, bytes, 0, bytes.length, header.arrays[name].offset);
    }
  } finally {
    closeSync(fd);
  }
  return header;
}

/** Reads the header of a problem file without its arrays. */
export function readProblemHeader(path) {
  const fd = openSync(path, 'r');
  try {
    const prefix = Buffer.alloc(12);
    readSyncFully(fd, prefix, 0);
    if (prefix.toString('ascii', 0, 8) !== magic) {
      throw new Error(`invalid problem file ${path}: expected the magic bytes ${magic}`);
    }
    const length = prefix.readUInt32LE(8);
    const headerBytes = Buffer.alloc(length);
    readSyncFully(fd, headerBytes, 12);
    return JSON.parse(headerBytes.toString('utf8'));
  } finally {
    closeSync(fd);
  }
}

function readSyncFully(fd, buffer, position) {
  let done = 0;
  while (done < buffer.length) {
    const count = readSync(fd, buffer, done, buffer.length - done, position + done);
    if (count === 0) throw new Error('unexpected end of the problem file');
    done += count;
  }
}

/**
 * Reads a problem file into { header, problem, U, V }. The arrays are views into one
 * buffer with the whole file, so nothing is copied after the read.
 */
export function readProblemFile(path) {
  const header = readProblemHeader(path);
  const file = readFileSync(path);
  const view = (name) => {
    const { dtype, offset, length } = header.arrays[name];
    return new dtypes[dtype](file.buffer, file.byteOffset + offset, length);
  };
  const matrix = (name, rows, columns) => ({ rows, columns, data: view(name) });
  const problem = {
    X: matrix('X', header.n1, header.d1),
    Y: matrix('Y', header.n2, header.d2),
    observations: {
      n1: header.n1,
      n2: header.n2,
      rows: view('rows'),
      columns: view('columns'),
      values: view('values'),
    },
  };
  return { header, problem, U: matrix('U', header.d1, header.k), V: matrix('V', header.d2, header.k) };
}
