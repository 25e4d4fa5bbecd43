/** The MovieLens releases that `loadMovieLens` reads. */
export type MovieLensDataset = 'ml-100k' | 'ml-1m';

/** The supported MovieLens dataset names, in a stable order. */
export const movieLensDatasets: readonly MovieLensDataset[] = ['ml-100k', 'ml-1m'];

/** Returns true when `name` is one of `movieLensDatasets`. */
export function isMovieLensDataset(name: string): name is MovieLensDataset {
  return (movieLensDatasets as readonly string[]).includes(name);
}

/** The files each dataset folder must contain. */
export const movieLensFiles: Readonly<Record<MovieLensDataset, readonly string[]>> = {
  'ml-100k': ['u.data', 'u.user', 'u.item', 'u.genre', 'u.occupation'],
  'ml-1m': ['ratings.dat', 'users.dat', 'movies.dat'],
};

/** One user. Its position in `MovieLensData.users` is its dense user index. */
export interface MovieLensUser {
  /** The user id of the data files. */
  id: number;
  /**
   * The age field of the user file: the exact age in ml-100k, and the age-range code
   * 1, 18, 25, 35, 45, 50 or 56 (the lower end of the range) in ml-1m.
   */
  age: number;
  gender: 'M' | 'F';
  /** One of `MovieLensData.occupationNames`. */
  occupation: string;
}

/** One movie. Its position in `MovieLensData.movies` is its dense movie index. */
export interface MovieLensMovie {
  /** The movie id of the data files. */
  id: number;
  title: string;
  /** One 0/1 flag per entry of `MovieLensData.genreNames`. */
  genres: Uint8Array;
}

/**
 * Ratings in coordinate form: rating t is `values[t]`, given by user `users[t]` to movie
 * `movies[t]`, where the indices are positions in the user and movie arrays they refer to.
 */
export interface RatingTriples {
  users: Int32Array;
  movies: Int32Array;
  values: Float64Array;
}

/** A MovieLens release with dense user and movie indices. */
export interface MovieLensData {
  dataset: MovieLensDataset;
  /** Users in the order of the user file. */
  users: MovieLensUser[];
  /** Movies in the order of the movie file, including movies without ratings. */
  movies: MovieLensMovie[];
  /** 19 genres for ml-100k (the order of `u.genre`), 18 for ml-1m (the order of its README). */
  genreNames: string[];
  /** 21 occupations: `u.occupation` for ml-100k, the codes 0 to 20 for ml-1m. */
  occupationNames: string[];
  /** Every rating, in file order, with dense indices into `users` and `movies`. */
  ratings: RatingTriples;
}
