import { getActivation } from '@nimc/activations';
import { ageRangeIndex, type MovieLensData, type RatingTriples } from '@nimc/datasets';
import { cholesky, choleskySolve, createMatrix, createObservations, createRandom, type DenseMatrix } from '@nimc/linalg';
import { predictObserved, type NimcModel } from '@nimc/objective';

/**
 * The three demographic attributes of a MovieLens user. Each attribute splits the users
 * into groups: 21 occupations, 7 age ranges, 2 genders.
 */
export const demographicAttributes = ['occupation', 'age', 'gender'] as const;
export type DemographicAttribute = (typeof demographicAttributes)[number];

/**
 * Group index of every user for each attribute, the number of groups per attribute, and the
 * genre flags of every movie (movies × genres).
 */
export interface UserGroups {
  groups: Record<DemographicAttribute, Int32Array>;
  sizes: Record<DemographicAttribute, number>;
  genres: DenseMatrix;
}

/**
 * Target of the shrinkage of a movie's mean rating: the global mean rating, or a prior
 * fitted to the movies' mean ratings from their popularity log(1 + count) and genre flags.
 */
export type MoviePrior = 'global-mean' | 'popularity-genre';

/** Shrinkage of the movie features, as `buildGroupOffsetFeatures` applies it. */
export interface GroupShrinkage {
  prior: MoviePrior;
  /** β₀: pulls a movie's mean rating towards its prior. */
  movie: number;
  /** β: pulls a movie's mean rating within one group towards the movie's shrunk mean. */
  group: number;
}

/**
 * Weight of a movie with `count` ratings in the least-squares fit of the popularity-genre
 * prior: count/(count + 5), so that a mean of few ratings counts less.
 */
const priorWeightHalfCount = 5;

/**
 * Movie features built from ratings: per movie, the shrunk mean rating
 * m_j = (Σ r + β₀·p_j)/(count + β₀) with p_j the movie's prior (see `MoviePrior`), and for
 * every group v of every attribute the offset o_jv = (Σ_v r + β·m_j)/(count_v + β) − m_j of
 * the movie's mean rating among that group's users. A movie without ratings gets m_j = p_j
 * and offsets 0.
 */
export interface GroupOffsetFeatures {
  shrunkMean: Float64Array;
  /** Row-major movies × groups, one matrix per attribute. */
  offsets: Record<DemographicAttribute, Float64Array>;
}

/** The weights of the prediction w₀ + w₁·m_j + Σ_a w_a·o_{j, a(u)}. */
export interface GroupOffsetWeights {
  intercept: number;
  shrunkMean: number;
  offsets: Record<DemographicAttribute, number>;
}

/** Returns each user's occupation, age range and gender group, and the movies' genre flags. */
export function userGroups(data: MovieLensData): UserGroups {
  const occupationIndex = new Map(data.occupationNames.map((name, c) => [name, c]));
  const n = data.users.length;
  const groups = {
    occupation: new Int32Array(n),
    age: new Int32Array(n),
    gender: new Int32Array(n),
  };
  data.users.forEach((user, i) => {
    const occupation = occupationIndex.get(user.occupation);
    if (occupation === undefined) {
      throw new RangeError(`invalid user ${user.id}: occupation "${user.occupation}" is not in occupationNames`);
    }
    groups.occupation[i] = occupation;
    groups.age[i] = ageRangeIndex(user.age);
    groups.gender[i] = user.gender === 'F' ? 1 : 0;
  });
  const genres = createMatrix(data.movies.length, data.genreNames.length);
  data.movies.forEach((movie, j) => movie.genres.forEach((flag, g) => (genres.data[j * genres.columns + g] = flag)));
  return { groups, sizes: { occupation: data.occupationNames.length, age: 7, gender: 2 }, genres };
}

/**
 * Fits the popularity-genre prior: weighted least squares of the movies' mean ratings on
 * [1, log(1 + count), genre flags], each movie weighted by count/(count + 5). Returns the
 * prior of every movie, including those without ratings.
 */
export function popularityGenrePrior(sums: Float64Array, counts: Float64Array, genres: DenseMatrix): Float64Array {
  const nMovies = counts.length;
  const p = 2 + genres.columns;
  const gram = new Float64Array(p * p);
  const rhs = new Float64Array(p);
  const row = new Float64Array(p);
  const fillRow = (j: number): void => {
    row[0] = 1;
    row[1] = Math.log1p(counts[j] as number);
    for (let g = 0; g < genres.columns; g++) row[2 + g] = genres.data[j * genres.columns + g] as number;
  };
  for (let j = 0; j < nMovies; j++) {
    const count = counts[j] as number;
    if (count === 0) continue;
    const weight = count / (count + priorWeightHalfCount);
    const mean = (sums[j] as number) / count;
    fillRow(j);
    for (let a = 0; a < p; a++) {
      rhs[a]! += weight * (row[a] as number) * mean;
      for (let b = 0; b < p; b++) gram[a * p + b]! += weight * (row[a] as number) * (row[b] as number);
    }
  }
  // A genre without rated movies leaves its row and column zero. A unit diagonal entry
  // there gives it coefficient 0 and leaves the other coefficients exact.
  for (let a = 0; a < p; a++) if (gram[a * p + a] === 0) gram[a * p + a] = 1;
  const coefficients = solveNormalEquations(gram, rhs, p);
  const prior = new Float64Array(nMovies);
  for (let j = 0; j < nMovies; j++) {
    fillRow(j);
    let value = 0;
    for (let a = 0; a < p; a++) value += (coefficients[a] as number) * (row[a] as number);
    prior[j] = value;
  }
  return prior;
}

/** Builds the shrunk mean rating and the group offsets of every movie from `ratings`. */
export function buildGroupOffsetFeatures(
  nMovies: number,
  ratings: RatingTriples,
  users: UserGroups,
  shrinkage: GroupShrinkage,
): GroupOffsetFeatures {
  const sums = new Float64Array(nMovies);
  const counts = new Float64Array(nMovies);
  let total = 0;
  for (let t = 0; t < ratings.values.length; t++) {
    sums[ratings.movies[t] as number]! += ratings.values[t] as number;
    counts[ratings.movies[t] as number]! += 1;
    total += ratings.values[t] as number;
  }
  const globalMean = ratings.values.length === 0 ? 0 : total / ratings.values.length;
  const prior =
    shrinkage.prior === 'popularity-genre' ? popularityGenrePrior(sums, counts, users.genres) : new Float64Array(nMovies).fill(globalMean);
  const shrunkMean = new Float64Array(nMovies);
  for (let j = 0; j < nMovies; j++) {
    shrunkMean[j] = ((sums[j] as number) + shrinkage.movie * (prior[j] as number)) / ((counts[j] as number) + shrinkage.movie);
  }

  const offsets = {} as Record<DemographicAttribute, Float64Array>;
  for (const attribute of demographicAttributes) {
    const size = users.sizes[attribute];
    const group = users.groups[attribute];
    const groupSums = new Float64Array(nMovies * size);
    const groupCounts = new Float64Array(nMovies * size);
    for (let t = 0; t < ratings.values.length; t++) {
      const cell = (ratings.movies[t] as number) * size + (group[ratings.users[t] as number] as number);
      groupSums[cell]! += ratings.values[t] as number;
      groupCounts[cell]! += 1;
    }
    const out = new Float64Array(nMovies * size);
    for (let cell = 0; cell < out.length; cell++) {
      const mean = shrunkMean[Math.floor(cell / size)] as number;
      out[cell] = ((groupSums[cell] as number) + shrinkage.group * mean) / ((groupCounts[cell] as number) + shrinkage.group) - mean;
    }
    offsets[attribute] = out;
  }
  return { shrunkMean, offsets };
}

// The five regressors of rating t: 1, m_j and the three offsets of the user's groups.
function regressors(features: GroupOffsetFeatures, users: UserGroups, user: number, movie: number, out: Float64Array): void {
  out[0] = 1;
  out[1] = features.shrunkMean[movie] as number;
  demographicAttributes.forEach((attribute, a) => {
    const size = users.sizes[attribute];
    out[2 + a] = features.offsets[attribute][movie * size + (users.groups[attribute][user] as number)] as number;
  });
}

// Solves the symmetric positive definite p×p system A w = b, with A stored row-major.
function solveNormalEquations(gram: Float64Array, rhs: Float64Array, p: number): Float64Array {
  const lower = cholesky(createMatrix(p, p, gram));
  if (lower === null) {
    throw new RangeError('singular normal equations: the regressors are linearly dependent on these ratings, so their weights are not determined');
  }
  return choleskySolve(lower, rhs);
}

/** Flags of the regressors a fit may use. A regressor left out keeps weight 0. */
export type RegressorMask = readonly boolean[];

/** The mask that uses all five regressors. */
export const allRegressors: RegressorMask = [true, true, true, true, true];

/** Result of `crossFitWeights`. */
export interface CrossFitResult {
  weights: GroupOffsetWeights;
  /** RMSE of the out-of-fold predictions with `weights`, over every training rating. */
  outOfFoldRmse: number;
}

/**
 * Deals the distinct users of `ratings` into `folds` folds with a seeded permutation and
 * returns the fold of every rating.
 */
export function foldsByUser(ratings: RatingTriples, folds: number, seed: string): Int32Array {
  if (!Number.isInteger(folds) || folds < 2) throw new RangeError(`invalid folds: expected an integer of at least 2, received ${folds}`);
  const distinct = Int32Array.from(new Set(ratings.users)).sort();
  const order = createRandom(seed).permutation(distinct.length);
  const foldOf = new Map<number, number>();
  for (let r = 0; r < distinct.length; r++) foldOf.set(distinct[order[r] as number] as number, r % folds);
  return Int32Array.from(ratings.users, (user) => foldOf.get(user) as number);
}

/**
 * Returns the five regressors 1, m_j, o_{j,occupation(u)}, o_{j,age(u)}, o_{j,gender(u)} of
 * every rating (row-major, ratings × 5), each built from the ratings of the other folds.
 */
export function outOfFoldRegressors(
  nMovies: number,
  ratings: RatingTriples,
  users: UserGroups,
  shrinkage: GroupShrinkage,
  ratingFold: Int32Array,
): Float64Array {
  const folds = ratingFold.reduce((max, fold) => Math.max(max, fold + 1), 0);
  const design = new Float64Array(ratings.values.length * 5);
  const row = new Float64Array(5);
  for (let fold = 0; fold < folds; fold++) {
    const outside = ratingsWhere(ratings, (t) => ratingFold[t] !== fold);
    const features = buildGroupOffsetFeatures(nMovies, outside, users, shrinkage);
    for (let t = 0; t < ratings.values.length; t++) {
      if (ratingFold[t] !== fold) continue;
      regressors(features, users, ratings.users[t] as number, ratings.movies[t] as number, row);
      design.set(row, 5 * t);
    }
  }
  return design;
}

/**
 * Fits the weights by least squares on out-of-fold features. Rating t belongs to fold
 * `ratingFold[t]`, and all ratings of one user share a fold. The ratings of each fold are
 * described by features built from the other folds' ratings only, as a new user's ratings
 * are at test time. Fitting on in-sample features would reward offsets that already contain
 * the rating being predicted.
 */
export function crossFitWeights(
  nMovies: number,
  ratings: RatingTriples,
  users: UserGroups,
  shrinkage: GroupShrinkage,
  ratingFold: Int32Array,
  mask: RegressorMask = allRegressors,
): CrossFitResult {
  const active = mask.flatMap((used, r) => (used ? [r] : []));
  const p = active.length;

  const design = outOfFoldRegressors(nMovies, ratings, users, shrinkage, ratingFold);

  const gram = new Float64Array(p * p);
  const rhs = new Float64Array(p);
  for (let t = 0; t < ratings.values.length; t++) {
    for (let a = 0; a < p; a++) {
      const xa = design[5 * t + (active[a] as number)] as number;
      rhs[a]! += xa * (ratings.values[t] as number);
      for (let b = 0; b < p; b++) gram[a * p + b]! += xa * (design[5 * t + (active[b] as number)] as number);
    }
  }
  const solved = solveNormalEquations(gram, rhs, p);
  const full = new Float64Array(5);
  active.forEach((r, a) => (full[r] = solved[a] as number));

  let squares = 0;
  for (let t = 0; t < ratings.values.length; t++) {
    let prediction = 0;
    for (let r = 0; r < 5; r++) prediction += (full[r] as number) * (design[5 * t + r] as number);
    squares += (prediction - (ratings.values[t] as number)) ** 2;
  }
  return {
    weights: {
      intercept: full[0] as number,
      shrunkMean: full[1] as number,
      offsets: { occupation: full[2] as number, age: full[3] as number, gender: full[4] as number },
    },
    outOfFoldRmse: Math.sqrt(squares / Math.max(1, ratings.values.length)),
  };
}

function ratingsWhere(ratings: RatingTriples, keep: (t: number) => boolean): RatingTriples {
  const kept: number[] = [];
  for (let t = 0; t < ratings.values.length; t++) if (keep(t)) kept.push(t);
  return {
    users: Int32Array.from(kept, (t) => ratings.users[t] as number),
    movies: Int32Array.from(kept, (t) => ratings.movies[t] as number),
    values: Float64Array.from(kept, (t) => ratings.values[t] as number),
  };
}

/**
 * Writes the group-offset predictor as a linear IMC model (identity φ), so that it scores,
 * saves and recommends like any other nimc model. The user features are
 * x = [1, one-hot occupation, one-hot age range, one-hot gender] and the movie features
 * y = [1, m_j, o_j·(occupation), o_j·(age), o_j·(gender)]; U is the identity and V maps the
 * constant and every group indicator of x to its weighted movie feature, so that
 * φ(Uᵀx)ᵀφ(Vᵀy) = w₀ + w₁·m_j + Σ_a w_a·o_{j, a(u)}.
 */
export function groupOffsetModel(users: UserGroups, weights: GroupOffsetWeights): NimcModel {
  const groupCount = demographicAttributes.reduce((sum, attribute) => sum + users.sizes[attribute], 0);
  const k = 1 + groupCount;
  const U = createMatrix(k, k);
  for (let c = 0; c < k; c++) U.data[c * k + c] = 1;
  const V = createMatrix(2 + groupCount, k);
  V.data[0 * k + 0] = weights.intercept;
  V.data[1 * k + 0] = weights.shrunkMean;
  let column = 1;
  for (const attribute of demographicAttributes) {
    for (let v = 0; v < users.sizes[attribute]; v++, column++) V.data[(1 + column) * k + column] = weights.offsets[attribute];
  }
  return { U, V, activation: getActivation('identity') };
}

/** User feature matrix x of `groupOffsetModel` for the given users. */
export function groupUserFeatures(users: UserGroups, userIndices: Int32Array): DenseMatrix {
  const groupCount = demographicAttributes.reduce((sum, attribute) => sum + users.sizes[attribute], 0);
  const d = 1 + groupCount;
  const X = createMatrix(userIndices.length, d);
  for (let r = 0; r < userIndices.length; r++) {
    const user = userIndices[r] as number;
    X.data[r * d] = 1;
    let start = 1;
    for (const attribute of demographicAttributes) {
      X.data[r * d + start + (users.groups[attribute][user] as number)] = 1;
      start += users.sizes[attribute];
    }
  }
  return X;
}

/** Movie feature matrix y of `groupOffsetModel`. */
export function groupMovieFeatures(features: GroupOffsetFeatures, users: UserGroups): DenseMatrix {
  const nMovies = features.shrunkMean.length;
  const groupCount = demographicAttributes.reduce((sum, attribute) => sum + users.sizes[attribute], 0);
  const d = 2 + groupCount;
  const Y = createMatrix(nMovies, d);
  for (let j = 0; j < nMovies; j++) {
    Y.data[j * d] = 1;
    Y.data[j * d + 1] = features.shrunkMean[j] as number;
    let start = 2;
    for (const attribute of demographicAttributes) {
      const size = users.sizes[attribute];
      for (let v = 0; v < size; v++) Y.data[j * d + start + v] = features.offsets[attribute][j * size + v] as number;
      start += size;
    }
  }
  return Y;
}

/** Predicts `ratings` (global user and movie indices) with a group-offset model. */
export function predictWithGroupModel(
  model: NimcModel,
  users: UserGroups,
  features: GroupOffsetFeatures,
  ratings: RatingTriples,
): Float64Array {
  const userList = Int32Array.from(new Set(ratings.users)).sort();
  const local = new Map<number, number>();
  userList.forEach((user, r) => local.set(user, r));
  const X = groupUserFeatures(users, userList);
  const Y = groupMovieFeatures(features, users);
  const observations = createObservations(
    userList.length,
    Y.rows,
    Int32Array.from(ratings.users, (user) => local.get(user) as number),
    ratings.movies,
    ratings.values,
  );
  return predictObserved(model, { X, Y, observations });
}

/** Lists the priors and shrinkage strengths that `fitGroupOffsetMethod` compares. */
export function shrinkageGrid(priors: readonly MoviePrior[]): GroupShrinkage[] {
  return priors.flatMap((prior) => [2, 5, 10, 20].flatMap((movie) => [25, 50, 100].map((group) => ({ prior, movie, group }))));
}

/** Every movie prior, in the order `fitGroupOffsetMethod` tries them. */
export const moviePriors: readonly MoviePrior[] = ['global-mean', 'popularity-genre'];

/** Number of folds of the training users in `fitGroupOffsetMethod`. */
export const crossFitFolds = 5;

/** The fitted group-offset method of one split. */
export interface GroupOffsetMethod {
  shrinkage: GroupShrinkage;
  weights: GroupOffsetWeights;
  /** Out-of-fold RMSE on the training users of every candidate in `shrinkageGrid`. */
  candidates: { shrinkage: GroupShrinkage; outOfFoldRmse: number }[];
  /** Features from every training rating, for scoring new users. */
  features: GroupOffsetFeatures;
  model: NimcModel;
}

/**
 * Chooses the prior and the shrinkage by out-of-fold RMSE on the training users, fits the weights with
 * it, and builds the movie features from all training ratings. Only training ratings are read.
 */
export function fitGroupOffsetMethod(
  nMovies: number,
  trainRatings: RatingTriples,
  users: UserGroups,
  seed: number,
  mask: RegressorMask = allRegressors,
  priors: readonly MoviePrior[] = moviePriors,
): GroupOffsetMethod {
  let best: { shrinkage: GroupShrinkage; fit: CrossFitResult } | undefined;
  const candidates: GroupOffsetMethod['candidates'] = [];
  const ratingFold = foldsByUser(trainRatings, crossFitFolds, `${seed}:folds`);
  for (const shrinkage of shrinkageGrid(priors)) {
    const fit = crossFitWeights(nMovies, trainRatings, users, shrinkage, ratingFold, mask);
    candidates.push({ shrinkage, outOfFoldRmse: fit.outOfFoldRmse });
    if (best === undefined || fit.outOfFoldRmse < best.fit.outOfFoldRmse) best = { shrinkage, fit };
  }
  const chosen = best as { shrinkage: GroupShrinkage; fit: CrossFitResult };
  return {
    shrinkage: chosen.shrinkage,
    weights: chosen.fit.weights,
    candidates,
    features: buildGroupOffsetFeatures(nMovies, trainRatings, users, chosen.shrinkage),
    model: groupOffsetModel(users, chosen.fit.weights),
  };
}

/**
 * Variants of the group-offset method that the ablation of `nimc movielens --config best`
 * scores. The last one is nimc-best.
 */
export const groupOffsetAblation: readonly { name: string; mask: RegressorMask; priors: readonly MoviePrior[] }[] = [
  { name: 'movie mean shrunk towards the global mean', mask: [true, true, false, false, false], priors: ['global-mean'] },
  { name: 'all group offsets, movie mean shrunk towards the global mean', mask: allRegressors, priors: ['global-mean'] },
  { name: 'movie mean shrunk towards the popularity-genre prior', mask: [true, true, false, false, false], priors: ['popularity-genre'] },
  { name: '+ gender offsets', mask: [true, true, false, false, true], priors: ['popularity-genre'] },
  { name: '+ gender and age offsets', mask: [true, true, false, true, true], priors: ['popularity-genre'] },
  { name: 'all group offsets, prior chosen out of fold (nimc-best)', mask: allRegressors, priors: moviePriors },
];
