import { mkdtemp, rm, unlink, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatasetError, loadMovieLens, type DatasetErrorCode } from '../src/index.js';

// Small hand-written files in the MovieLens formats: 3 genres, 3 occupations, 2 users,
// 2 movies and 3 ratings.
const genre100k = 'unknown|0\nAction|1\nDrama|2\n\n';
const occupation100k = 'artist\nother\nwriter\n';
const user100k = '1|24|M|writer|85711\n2|53|F|other|94043\n';
const item100k =
  '10|First Film (1990)|01-Jan-1990||http://example.test/1|0|1|0\n' +
  '20|Second Film (1991)|01-Jan-1991||http://example.test/2|0|0|1\n';
const data100k = '1\t10\t4\t881250949\n2\t20\t5\t891717742\n2\t10\t1\t891717743\n';

const users1m = '1::F::1::10::48067\n2::M::56::16::70072\n';
const movies1m = "5::First Film (1990)::Action|Children's\n9::Second Film (1991)::Drama\n";
const ratings1m = '1::5::5::0\n2::9::3::0\n2::5::2::0\n';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'nimc-datasets-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function writeDataset(files: Record<string, string | Uint8Array>, folder = 'ml-100k'): Promise<string> {
  const dir = join(root, folder);
  await mkdir(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

function write100k(overrides: Record<string, string | Uint8Array> = {}): Promise<string> {
  return writeDataset({
    'u.genre': genre100k,
    'u.occupation': occupation100k,
    'u.user': user100k,
    'u.item': item100k,
    'u.data': data100k,
    ...overrides,
  });
}

function write1m(overrides: Record<string, string | Uint8Array> = {}): Promise<string> {
  return writeDataset({ 'users.dat': users1m, 'movies.dat': movies1m, 'ratings.dat': ratings1m, ...overrides }, 'ml-1m');
}

async function loadError(dataset: string, dir = root): Promise<DatasetError> {
  try {
    await loadMovieLens(dir, dataset);
  } catch (error) {
    if (error instanceof DatasetError) return error;
    throw error;
  }
  throw new Error(`loading ${dataset} from ${dir} succeeded, but an error was expected`);
}

async function expectLineError(dataset: string, file: string, line: number, code: DatasetErrorCode, fragments: string[]) {
  const error = await loadError(dataset);
  expect(error.code, error.message).toBe(code);
  expect(error.file).toBe(file);
  expect(error.line).toBe(line);
  expect(error.message.startsWith(`${file}:${line}: `), error.message).toBe(true);
  for (const fragment of fragments) expect(error.message).toContain(fragment);
}

describe('loadMovieLens on small files', () => {
  it('parses a valid ml-100k folder', async () => {
    await write100k();
    const data = await loadMovieLens(root, 'ml-100k');
    expect(data.users.map((user) => user.id)).toEqual([1, 2]);
    expect(data.movies.map((movie) => movie.id)).toEqual([10, 20]);
    expect(Array.from(data.movies[0]!.genres)).toEqual([0, 1, 0]);
    expect(Array.from(data.ratings.users)).toEqual([0, 1, 1]);
    expect(Array.from(data.ratings.movies)).toEqual([0, 1, 0]);
    expect(Array.from(data.ratings.values)).toEqual([4, 5, 1]);
    expect(data.genreNames).toEqual(['unknown', 'Action', 'Drama']);
    expect(data.occupationNames).toEqual(['artist', 'other', 'writer']);
  });

  it('parses a valid ml-1m folder', async () => {
    await write1m();
    const data = await loadMovieLens(root, 'ml-1m');
    expect(data.users[0]).toEqual({ id: 1, age: 1, gender: 'F', occupation: 'K-12 student' });
    expect(data.movies[0]!.title).toBe('First Film (1990)');
    expect(data.genreNames.filter((_, g) => data.movies[0]!.genres[g] === 1)).toEqual(['Action', "Children's"]);
    expect(Array.from(data.ratings.users)).toEqual([0, 1, 1]);
    expect(Array.from(data.ratings.movies)).toEqual([0, 1, 0]);
    expect(Array.from(data.ratings.values)).toEqual([5, 3, 2]);
  });

  it('accepts the dataset folder itself', async () => {
    const dir = await write100k();
    const data = await loadMovieLens(dir, 'ml-100k');
    expect(data.ratings.values.length).toBe(3);
  });

  it('decodes Latin-1 bytes and CRLF line endings', async () => {
    const title = Buffer.from('Mis\xe9rables, Les (1995)', 'latin1');
    const line = Buffer.concat([Buffer.from('9::'), title, Buffer.from('::Drama\r\n')]);
    await write1m({ 'movies.dat': Buffer.concat([Buffer.from("5::First Film (1990)::Action\r\n"), line]) });
    const data = await loadMovieLens(root, 'ml-1m');
    expect(data.movies[1]!.title).toBe('Misérables, Les (1995)');
    expect(data.movies[1]!.genres[7]).toBe(1);
  });
});

describe('loadMovieLens malformed lines', () => {
  it('rejects a u.data line with too few fields', async () => {
    const dir = await write100k({ 'u.data': '1\t10\t4\t881250949\n2\t20\t5\n' });
    await expectLineError('ml-100k', join(dir, 'u.data'), 2, 'MALFORMED_LINE', ['"2\\t20\\t5"', '3 fields', 'Expected 4 fields']);
  });

  it('rejects a rating outside 1 to 5', async () => {
    const dir = await write100k({ 'u.data': '1\t10\t4\t881250949\n\n2\t20\t7\t1\n' });
    await expectLineError('ml-100k', join(dir, 'u.data'), 3, 'MALFORMED_LINE', ['invalid rating 7', 'a rating from 1 to 5']);
  });

  it('rejects a non-numeric id', async () => {
    const dir = await write100k({ 'u.data': 'x1\t10\t4\t881250949\n' });
    await expectLineError('ml-100k', join(dir, 'u.data'), 1, 'MALFORMED_LINE', ['invalid user id "x1"', 'to be an integer']);
  });

  it('rejects a rating of an unknown user', async () => {
    const dir = await write100k({ 'u.data': '1\t10\t4\t881250949\n3\t10\t4\t881250949\n' });
    await expectLineError('ml-100k', join(dir, 'u.data'), 2, 'UNKNOWN_ID', ['user id 3', join(dir, 'u.user')]);
  });

  it('rejects a rating of an unknown movie', async () => {
    const dir = await write1m({ 'ratings.dat': '1::5::5::0\n2::6::3::0\n' });
    await expectLineError('ml-1m', join(dir, 'ratings.dat'), 2, 'UNKNOWN_ID', ['movie id 6', join(dir, 'movies.dat')]);
  });

  it('rejects an unknown occupation', async () => {
    const dir = await write100k({ 'u.user': '1|24|M|writer|85711\n2|53|F|pilot|94043\n' });
    await expectLineError('ml-100k', join(dir, 'u.user'), 2, 'MALFORMED_LINE', ['unknown occupation "pilot"']);
  });

  it('rejects an invalid genre flag', async () => {
    const dir = await write100k({ 'u.item': '10|First Film (1990)|01-Jan-1990||http://example.test/1|0|2|0\n' });
    await expectLineError('ml-100k', join(dir, 'u.item'), 1, 'MALFORMED_LINE', ['invalid genre flag "2"', 'to be 0 or 1']);
  });

  it('rejects a u.item line without all genre flags', async () => {
    const dir = await write100k({ 'u.item': '10|First Film (1990)|01-Jan-1990||http://example.test/1|0|1\n' });
    await expectLineError('ml-100k', join(dir, 'u.item'), 1, 'MALFORMED_LINE', ['found 7 fields', 'Expected at least 8 fields']);
  });

  it('rejects an invalid gender', async () => {
    const dir = await write1m({ 'users.dat': '1::X::1::10::48067\n' });
    await expectLineError('ml-1m', join(dir, 'users.dat'), 1, 'MALFORMED_LINE', ['invalid gender "X"', 'M or F']);
  });

  it('rejects an unknown ml-1m age code', async () => {
    const dir = await write1m({ 'users.dat': '1::F::1::10::48067\n2::M::20::16::70072\n' });
    await expectLineError('ml-1m', join(dir, 'users.dat'), 2, 'MALFORMED_LINE', ['invalid age code 20', '1, 18, 25, 35, 45, 50, 56']);
  });

  it('rejects an ml-1m occupation code above 20', async () => {
    const dir = await write1m({ 'users.dat': '1::F::1::21::48067\n' });
    await expectLineError('ml-1m', join(dir, 'users.dat'), 1, 'MALFORMED_LINE', ['invalid occupation code 21', 'from 0 to 20']);
  });

  it('rejects an unknown ml-1m genre', async () => {
    const dir = await write1m({ 'movies.dat': '5::First Film (1990)::Action|Space Opera\n' });
    await expectLineError('ml-1m', join(dir, 'movies.dat'), 1, 'MALFORMED_LINE', ['unknown genre "Space Opera"']);
  });

  it('rejects a duplicate movie id', async () => {
    const dir = await write1m({ 'movies.dat': '5::First Film (1990)::Action\n5::Second Film (1991)::Drama\n' });
    await expectLineError('ml-1m', join(dir, 'movies.dat'), 2, 'DUPLICATE_ID', ['duplicate movie id 5', 'first defined at line 1']);
  });

  it('rejects a ratings.dat line with a single-colon separator', async () => {
    const dir = await write1m({ 'ratings.dat': '1::5::5::0\n2:9:3:0\n' });
    await expectLineError('ml-1m', join(dir, 'ratings.dat'), 2, 'MALFORMED_LINE', ['"2:9:3:0"', 'UserID::MovieID::Rating::Timestamp']);
  });
});

describe('loadMovieLens missing data', () => {
  it('names a missing data folder', async () => {
    const missing = join(root, 'absent');
    const error = await loadError('ml-100k', missing);
    expect(error.code).toBe('ENOENT_DATASET');
    expect(error.file).toBe(missing);
    expect(error.message).toContain(missing);
    expect(error.message).toContain('u.data, u.user, u.item, u.genre, u.occupation');
    expect(error.message).toContain('--data-dir');
  });

  it('names a missing dataset folder', async () => {
    await write100k();
    const error = await loadError('ml-1m');
    expect(error.code).toBe('ENOENT_DATASET');
    expect(error.message).toContain(join(root, 'ml-1m'));
    expect(error.message).toContain('ratings.dat, users.dat, movies.dat');
    expect(error.message).toContain('--data-dir');
  });

  it('names a missing file', async () => {
    const dir = await write100k();
    await unlink(join(dir, 'u.item'));
    const error = await loadError('ml-100k');
    expect(error.code).toBe('ENOENT_DATASET');
    expect(error.file).toBe(join(dir, 'u.item'));
    expect(error.message).toContain(`not found in ${dir}: u.item.`);
    expect(error.message).toContain('u.data, u.user, u.item, u.genre, u.occupation');
  });

  it('lists the valid dataset names', async () => {
    const error = await loadError('ml-20m');
    expect(error.code).toBe('UNKNOWN_DATASET');
    expect(error.message).toContain('"ml-20m"');
    expect(error.message).toContain('ml-100k, ml-1m');
  });
});
