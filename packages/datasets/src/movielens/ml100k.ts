import { join } from 'node:path';
import {
  dataLines,
  IdIndex,
  malformedLine,
  parseGenderField,
  parseIdField,
  parseIntegerField,
  parseRatingField,
  RatingCollector,
  readLatin1,
  splitFields,
  type SourceLine,
} from './read.js';
import type { MovieLensData, MovieLensMovie, MovieLensUser } from './types.js';

// u.item fields after the title and before the genre flags: release date, video release date, URL.
const itemFieldsAfterTitle = 3;

function parseGenreNames(file: string, content: string): string[] {
  const names: string[] = [];
  for (const at of dataLines(file, content)) {
    const [name, position] = splitFields(at, '|', 2, 'genre name|genre index');
    const index = parseIntegerField(at, position as string, 'genre index');
    if (index !== names.length) {
      throw malformedLine(at, `genre index ${index} out of order`, `genre index ${names.length}`);
    }
    names.push(name as string);
  }
  return names;
}

function parseOccupationNames(file: string, content: string): string[] {
  return Array.from(dataLines(file, content), (at) => at.text.trim());
}

function parseUsers(file: string, content: string, occupationNames: string[]): { users: MovieLensUser[]; ids: IdIndex } {
  const occupations = new Set(occupationNames);
  const ids = new IdIndex('user', file);
  const users: MovieLensUser[] = [];
  for (const at of dataLines(file, content)) {
    const fields = splitFields(at, '|', 5, 'user id|age|gender|occupation|zip code');
    const id = parseIdField(at, fields[0] as string, 'user id');
    const age = parseIntegerField(at, fields[1] as string, 'age');
    if (age < 0) throw malformedLine(at, `invalid age ${age}`, 'a non-negative age');
    const gender = parseGenderField(at, fields[2] as string);
    const occupation = (fields[3] as string).trim();
    if (!occupations.has(occupation)) {
      throw malformedLine(at, `unknown occupation ${JSON.stringify(occupation)}`, `one of the occupations of u.occupation`);
    }
    ids.add(at, id);
    users.push({ id, age, gender, occupation });
  }
  return { users, ids };
}

function parseGenreFlags(at: SourceLine, fields: string[], count: number): Uint8Array {
  const flags = new Uint8Array(count);
  const offset = fields.length - count;
  for (let g = 0; g < count; g++) {
    const value = (fields[offset + g] as string).trim();
    if (value !== '0' && value !== '1') {
      throw malformedLine(at, `invalid genre flag ${JSON.stringify(value)} in field ${offset + g + 1}`, `the last ${count} fields to be 0 or 1`);
    }
    flags[g] = value === '1' ? 1 : 0;
  }
  return flags;
}

function parseMovies(file: string, content: string, genreCount: number): { movies: MovieLensMovie[]; ids: IdIndex } {
  const ids = new IdIndex('movie', file);
  const movies: MovieLensMovie[] = [];
  const minimumFields = 2 + itemFieldsAfterTitle + genreCount;
  for (const at of dataLines(file, content)) {
    const fields = at.text.split('|');
    if (fields.length < minimumFields) {
      throw malformedLine(
        at,
        `found ${fields.length} fields separated by "|"`,
        `at least ${minimumFields} fields: movie id|title|release date|video release date|IMDb URL|${genreCount} genre flags`,
      );
    }
    const id = parseIdField(at, fields[0] as string, 'movie id');
    // A title that contains "|" spans several fields, so the title is everything between the id
    // and the fixed trailing fields.
    const title = fields.slice(1, fields.length - itemFieldsAfterTitle - genreCount).join('|');
    const genres = parseGenreFlags(at, fields, genreCount);
    ids.add(at, id);
    movies.push({ id, title, genres });
  }
  return { movies, ids };
}

function parseRatings(file: string, content: string, userIds: IdIndex, movieIds: IdIndex): MovieLensData['ratings'] {
  const collector = new RatingCollector(userIds, movieIds);
  for (const at of dataLines(file, content)) {
    const fields = splitFields(at, '\t', 4, 'user id, item id, rating, timestamp (tab-separated)');
    const userId = parseIdField(at, fields[0] as string, 'user id');
    const movieId = parseIdField(at, fields[1] as string, 'item id');
    const rating = parseRatingField(at, fields[2] as string);
    parseIntegerField(at, fields[3] as string, 'timestamp');
    collector.add(at, userId, movieId, rating);
  }
  return collector.finish();
}

/** Reads ml-100k from a folder that contains u.data, u.user, u.item, u.genre and u.occupation. */
export async function loadMovieLens100k(folder: string): Promise<MovieLensData> {
  const path = (name: string): string => join(folder, name);

  const genreNames = parseGenreNames(path('u.genre'), await readLatin1(path('u.genre'), 'ml-100k'));
  const occupationNames = parseOccupationNames(path('u.occupation'), await readLatin1(path('u.occupation'), 'ml-100k'));
  const { users, ids: userIds } = parseUsers(path('u.user'), await readLatin1(path('u.user'), 'ml-100k'), occupationNames);
  const { movies, ids: movieIds } = parseMovies(path('u.item'), await readLatin1(path('u.item'), 'ml-100k'), genreNames.length);
  const ratings = parseRatings(path('u.data'), await readLatin1(path('u.data'), 'ml-100k'), userIds, movieIds);

  return { dataset: 'ml-100k', users, movies, genreNames, occupationNames, ratings };
}
