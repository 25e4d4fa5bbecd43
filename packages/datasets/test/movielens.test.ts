import { beforeAll, describe, expect, it } from 'vitest';
import { loadMovieLens, type MovieLensData } from '../src/index.js';
import { movieLensAvailable, movieLensDir } from './movielens-path.js';

function countDistinct(indices: Int32Array): number {
  return new Set(indices).size;
}

function histogram(values: Float64Array): number[] {
  const counts = [0, 0, 0, 0, 0];
  for (const value of values) counts[value - 1]! += 1;
  return counts;
}

function mean(values: Float64Array): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

function findMovie(data: MovieLensData, id: number) {
  const movie = data.movies.find((candidate) => candidate.id === id);
  if (movie === undefined) throw new Error(`movie ${id} not found`);
  return movie;
}

function genresOf(data: MovieLensData, flags: Uint8Array): string[] {
  return data.genreNames.filter((_, g) => flags[g] === 1);
}

describe.skipIf(!movieLensAvailable)('loadMovieLens ml-100k', () => {
  let data: MovieLensData;
  beforeAll(async () => {
    data = await loadMovieLens(movieLensDir, 'ml-100k');
  }, 60_000);

  it('counts users, movies and ratings', () => {
    expect(data.dataset).toBe('ml-100k');
    expect(data.users.length).toBe(943);
    expect(data.movies.length).toBe(1682);
    expect(data.ratings.values.length).toBe(100_000);
    expect(data.ratings.users.length).toBe(100_000);
    expect(data.ratings.movies.length).toBe(100_000);
    expect(countDistinct(data.ratings.users)).toBe(943);
    expect(countDistinct(data.ratings.movies)).toBe(1682);
  });

  it('reads genre and occupation names', () => {
    expect(data.genreNames.length).toBe(19);
    expect(data.genreNames[0]).toBe('unknown');
    expect(data.genreNames[18]).toBe('Western');
    expect(data.occupationNames.length).toBe(21);
    expect(data.occupationNames[0]).toBe('administrator');
    expect(data.occupationNames[20]).toBe('writer');
    for (const movie of data.movies) expect(movie.genres.length).toBe(19);
  });

  it('matches known lines', () => {
    expect(data.users[0]).toEqual({ id: 1, age: 24, gender: 'M', occupation: 'technician' });
    expect(data.users[1]).toEqual({ id: 2, age: 53, gender: 'F', occupation: 'other' });
    expect(data.users.filter((user) => user.gender === 'F').length).toBe(273);

    const first = { user: data.ratings.users[0] as number, movie: data.ratings.movies[0] as number };
    expect(data.users[first.user]?.id).toBe(196);
    expect(data.movies[first.movie]?.id).toBe(242);
    expect(data.ratings.values[0]).toBe(3);

    const toyStory = findMovie(data, 1);
    expect(toyStory.title).toBe('Toy Story (1995)');
    expect(genresOf(data, toyStory.genres)).toEqual(['Animation', "Children's", 'Comedy']);
  });

  it('decodes Latin-1 titles', () => {
    const movie = findMovie(data, 543);
    expect(movie.title).toBe('Misérables, Les (1995)');
    expect(genresOf(data, movie.genres)).toEqual(['Drama', 'Musical']);
  });

  it('reads every rating value', () => {
    expect(histogram(data.ratings.values)).toEqual([6110, 11370, 27145, 34174, 21201]);
    const average = mean(data.ratings.values);
    expect(Math.abs(average - 3.52986), `mean rating ${average}`).toBeLessThan(1e-12);
  });
});

describe.skipIf(!movieLensAvailable)('loadMovieLens ml-1m', () => {
  let data: MovieLensData;
  beforeAll(async () => {
    data = await loadMovieLens(movieLensDir, 'ml-1m');
  }, 120_000);

  it('counts users, movies and ratings', () => {
    expect(data.dataset).toBe('ml-1m');
    expect(data.users.length).toBe(6040);
    expect(data.movies.length).toBe(3883);
    expect(data.ratings.values.length).toBe(1_000_209);
    expect(countDistinct(data.ratings.users)).toBe(6040);
    expect(countDistinct(data.ratings.movies)).toBe(3706);
  });

  it('uses the README genre and occupation lists', () => {
    expect(data.genreNames.length).toBe(18);
    expect(data.genreNames[0]).toBe('Action');
    expect(data.genreNames[17]).toBe('Western');
    expect(data.occupationNames.length).toBe(21);
    expect(data.occupationNames[10]).toBe('K-12 student');
    for (const movie of data.movies) expect(movie.genres.length).toBe(18);
  });

  it('matches known lines', () => {
    expect(data.users[0]).toEqual({ id: 1, age: 1, gender: 'F', occupation: 'K-12 student' });
    expect(data.users[1]).toEqual({ id: 2, age: 56, gender: 'M', occupation: 'self-employed' });
    expect(data.users.filter((user) => user.gender === 'F').length).toBe(1709);

    const last = data.ratings.values.length - 1;
    expect(data.users[data.ratings.users[last] as number]?.id).toBe(6040);
    expect(data.movies[data.ratings.movies[last] as number]?.id).toBe(3819);
    expect(data.ratings.values[last]).toBe(5);

    const toyStory = findMovie(data, 1);
    expect(toyStory.title).toBe('Toy Story (1995)');
    expect(genresOf(data, toyStory.genres)).toEqual(['Animation', "Children's", 'Comedy']);
  });

  it('decodes Latin-1 titles', () => {
    expect(findMovie(data, 73).title).toBe('Misérables, Les (1995)');
    expect(findMovie(data, 1873).title).toBe('Misérables, Les (1998)');
    expect(genresOf(data, findMovie(data, 73).genres)).toEqual(['Drama', 'Musical']);
  });

  it('reads every rating value', () => {
    expect(histogram(data.ratings.values)).toEqual([56174, 107557, 261197, 348971, 226310]);
    const average = mean(data.ratings.values);
    expect(Math.abs(average - 3.581564453) / 3.581564453, `mean rating ${average}`).toBeLessThan(1e-9);
  });
});
