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
} from './read.js';
import type { MovieLensData, MovieLensMovie, MovieLensUser } from './types.js';

/** The 18 ml-1m genres, in the order of the ml-1m README. */
export const movieLens1mGenres: readonly string[] = [
  'Action',
  'Adventure',
  'Animation',
  "Children's",
  'Comedy',
  'Crime',
  'Documentary',
  'Drama',
  'Fantasy',
  'Film-Noir',
  'Horror',
  'Musical',
  'Mystery',
  'Romance',
  'Sci-Fi',
  'Thriller',
  'War',
  'Western',
];

/** The ml-1m occupations; entry c is the name of occupation code c (0 to 20). */
export const movieLens1mOccupations: readonly string[] = [
  'other',
  'academic/educator',
  'artist',
  'clerical/admin',
  'college/grad student',
  'customer service',
  'doctor/health care',
  'executive/managerial',
  'farmer',
  'homemaker',
  'K-12 student',
  'lawyer',
  'programmer',
  'retired',
  'sales/marketing',
  'scientist',
  'self-employed',
  'technician/engineer',
  'tradesman/craftsman',
  'unemployed',
  'writer',
];

/** The ml-1m age codes; each is the lower end of its age range (1 stands for "under 18"). */
export const movieLens1mAgeCodes: readonly number[] = [1, 18, 25, 35, 45, 50, 56];

function parseUsers(file: string, content: string): { users: MovieLensUser[]; ids: IdIndex } {
  const ids = new IdIndex('user', file);
  const users: MovieLensUser[] = [];
  for (const at of dataLines(file, content)) {
    const fields = splitFields(at, '::', 5, 'UserID::Gender::Age::Occupation::Zip-code');
    const id = parseIdField(at, fields[0] as string, 'UserID');
    const gender = parseGenderField(at, fields[1] as string);
    const age = parseIntegerField(at, fields[2] as string, 'Age');
    if (!movieLens1mAgeCodes.includes(age)) {
      throw malformedLine(at, `invalid age code ${age}`, `an age code among ${movieLens1mAgeCodes.join(', ')}`);
    }
    const code = parseIntegerField(at, fields[3] as string, 'Occupation');
    const occupation = movieLens1mOccupations[code];
    if (occupation === undefined) {
      throw malformedLine(at, `invalid occupation code ${code}`, `an occupation code from 0 to ${movieLens1mOccupations.length - 1}`);
    }
    ids.add(at, id);
    users.push({ id, age, gender, occupation });
  }
  return { users, ids };
}

function parseMovies(file: string, content: string): { movies: MovieLensMovie[]; ids: IdIndex } {
  const genreIndex = new Map(movieLens1mGenres.map((name, g) => [name, g]));
  const ids = new IdIndex('movie', file);
  const movies: MovieLensMovie[] = [];
  for (const at of dataLines(file, content)) {
    const fields = at.text.split('::');
    if (fields.length < 3) {
      throw malformedLine(at, `found ${fields.length} fields separated by "::"`, 'at least 3 fields: MovieID::Title::Genres');
    }
    const id = parseIdField(at, fields[0] as string, 'MovieID');
    // A title that contains "::" spans several fields, so the title is everything between the
    // id and the genre field.
    const title = fields.slice(1, -1).join('::');
    const genres = new Uint8Array(movieLens1mGenres.length);
    for (const name of (fields[fields.length - 1] as string).split('|')) {
      const g = genreIndex.get(name.trim());
      if (g === undefined) {
        throw malformedLine(at, `unknown genre ${JSON.stringify(name)}`, `"|"-separated genres among ${movieLens1mGenres.join(', ')}`);
      }
      genres[g] = 1;
    }
    ids.add(at, id);
    movies.push({ id, title, genres });
  }
  return { movies, ids };
}

function parseRatings(file: string, content: string, userIds: IdIndex, movieIds: IdIndex): MovieLensData['ratings'] {
  const collector = new RatingCollector(userIds, movieIds);
  for (const at of dataLines(file, content)) {
    const fields = splitFields(at, '::', 4, 'UserID::MovieID::Rating::Timestamp');
    const userId = parseIdField(at, fields[0] as string, 'UserID');
    const movieId = parseIdField(at, fields[1] as string, 'MovieID');
    const rating = parseRatingField(at, fields[2] as string);
    parseIntegerField(at, fields[3] as string, 'Timestamp');
    collector.add(at, userId, movieId, rating);
  }
  return collector.finish();
}

/** Reads ml-1m from a folder that contains ratings.dat, users.dat and movies.dat. */
export async function loadMovieLens1m(folder: string): Promise<MovieLensData> {
  const path = (name: string): string => join(folder, name);

  const { users, ids: userIds } = parseUsers(path('users.dat'), await readLatin1(path('users.dat'), 'ml-1m'));
  const { movies, ids: movieIds } = parseMovies(path('movies.dat'), await readLatin1(path('movies.dat'), 'ml-1m'));
  const ratings = parseRatings(path('ratings.dat'), await readLatin1(path('ratings.dat'), 'ml-1m'), userIds, movieIds);

  return {
    dataset: 'ml-1m',
    users,
    movies,
    genreNames: [...movieLens1mGenres],
    occupationNames: [...movieLens1mOccupations],
    ratings,
  };
}
