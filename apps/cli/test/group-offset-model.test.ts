import { readFileSync } from 'node:fs';
import { createMatrix } from '@nimc/linalg';
import { describe, expect, it } from 'vitest';
import {
  buildGroupOffsetFeatures,
  crossFitWeights,
  demographicAttributes,
  fitGroupOffsetMethod,
  foldsByUser,
  moviePriors,
  shrinkageGrid,
  groupOffsetModel,
  outOfFoldRegressors,
  popularityGenrePrior,
  predictWithGroupModel,
  type GroupOffsetWeights,
  type UserGroups,
} from '../src/experiments/group-offset-model.js';

interface Fixture {
  sizes: Record<string, number>;
  groups: Record<string, number[]>;
  ratings: { users: number[]; movies: number[]; values: number[] };
  nMovies: number;
  ratingFold: number[];
  shrinkage: { prior: 'popularity-genre'; movie: number; group: number };
  genres: number[][];
  shrunkMean: number[];
  globalPriorShrunkMean: number[];
  offsets: Record<string, number[]>;
  weights: number[];
  outOfFoldRmse: number;
  genderOnlyWeights: number[];
}

// Written by scripts/group_offset_fixture.py with numpy.
const fixture = JSON.parse(readFileSync(new URL('./fixtures/group-offset.json', import.meta.url), 'utf8')) as Fixture;

const users: UserGroups = {
  groups: {
    occupation: Int32Array.from(fixture.groups.occupation as number[]),
    age: Int32Array.from(fixture.groups.age as number[]),
    gender: Int32Array.from(fixture.groups.gender as number[]),
  },
  sizes: { occupation: fixture.sizes.occupation as number, age: fixture.sizes.age as number, gender: fixture.sizes.gender as number },
  genres: createMatrix(fixture.genres.length, (fixture.genres[0] as number[]).length, Float64Array.from(fixture.genres.flat())),
};
const ratings = {
  users: Int32Array.from(fixture.ratings.users),
  movies: Int32Array.from(fixture.ratings.movies),
  values: Float64Array.from(fixture.ratings.values),
};

function expectClose(received: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, label: string): void {
  expect(received.length, label).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const scale = Math.max(1, Math.abs(expected[i] as number));
    worst = Math.max(worst, Math.abs((received[i] as number) - (expected[i] as number)) / scale);
  }
  expect(worst, `${label}: largest relative difference`).toBeLessThan(tolerance);
}

function weightVector(weights: GroupOffsetWeights): number[] {
  return [weights.intercept, weights.shrunkMean, ...demographicAttributes.map((attribute) => weights.offsets[attribute])];
}

describe('group-offset movie features', () => {
  it('match the numpy computation with the popularity-genre prior', () => {
    const features = buildGroupOffsetFeatures(fixture.nMovies, ratings, users, fixture.shrinkage);
    expectClose(features.shrunkMean, fixture.shrunkMean, 1e-10, 'shrunk mean');
    for (const attribute of demographicAttributes) {
      expectClose(features.offsets[attribute], fixture.offsets[attribute] as number[], 1e-10, `${attribute} offsets`);
    }
  });

  it('fit the prior when a genre has no rated movie', () => {
    const sums = Float64Array.from([8, 3, 10, 0]);
    const counts = Float64Array.from([2, 1, 5, 0]);
    // Genre 1 belongs to the unrated movie only. Three rated movies and three coefficients
    // (constant, popularity, genre 0) make the fit pass through the means 4, 3 and 2.
    const genres = createMatrix(4, 2, Float64Array.from([1, 0, 0, 0, 1, 0, 0, 1]));
    const prior = popularityGenrePrior(sums, counts, genres);
    [4, 3, 2].forEach((mean, j) => {
      expect(Math.abs((prior[j] as number) - mean), `prior ${Array.from(prior)}`).toBeLessThan(1e-9);
    });
    expect(Number.isFinite(prior[3]), `prior ${Array.from(prior)}`).toBe(true);
  });

  it('shrink towards the global mean', () => {
    const features = buildGroupOffsetFeatures(fixture.nMovies, ratings, users, { ...fixture.shrinkage, prior: 'global-mean' });
    expectClose(features.shrunkMean, fixture.globalPriorShrunkMean, 1e-12, 'shrunk mean');
    const globalMean = fixture.ratings.values.reduce((sum, value) => sum + value, 0) / fixture.ratings.values.length;
    const unrated = features.shrunkMean[fixture.nMovies - 1] as number;
    expect(Math.abs(unrated - globalMean), `unrated movie ${unrated}, global mean ${globalMean}`).toBeLessThan(1e-12);
  });
});

describe('out-of-fold weights', () => {
  it('match numpy least squares on out-of-fold features', () => {
    const fit = crossFitWeights(fixture.nMovies, ratings, users, fixture.shrinkage, Int32Array.from(fixture.ratingFold));
    expectClose(weightVector(fit.weights), fixture.weights, 1e-9, 'weights');
    expect(Math.abs(fit.outOfFoldRmse - fixture.outOfFoldRmse), `RMSE ${fit.outOfFoldRmse} vs ${fixture.outOfFoldRmse}`).toBeLessThan(1e-12);
  });

  it('leave the regressors outside the mask at weight 0', () => {
    const mask = [true, true, false, false, true];
    const fit = crossFitWeights(fixture.nMovies, ratings, users, fixture.shrinkage, Int32Array.from(fixture.ratingFold), mask);
    const [intercept, shrunkMean, gender] = fixture.genderOnlyWeights as [number, number, number];
    expectClose(weightVector(fit.weights), [intercept, shrunkMean, 0, 0, gender], 1e-9, 'masked weights');
  });

  it('never describe a rating by features that contain it', () => {
    // One user rates movie 0 with 5 and is the only one to rate it; out of fold, movie 0 looks unrated.
    const single = {
      users: Int32Array.from([0, 1, 1, 2, 2, 3]),
      movies: Int32Array.from([0, 1, 2, 1, 2, 1]),
      values: Float64Array.from([5, 1, 2, 2, 1, 3]),
    };
    const groups: UserGroups = {
      groups: { occupation: Int32Array.from([0, 1, 0, 1]), age: Int32Array.from([0, 0, 1, 1]), gender: Int32Array.from([0, 1, 1, 0]) },
      sizes: { occupation: 2, age: 2, gender: 2 },
      genres: createMatrix(3, 1),
    };
    const folds = Int32Array.from([0, 1, 1, 1, 1, 1]);
    const design = outOfFoldRegressors(3, single, groups, { prior: 'global-mean', movie: 1, group: 1 }, folds);
    // Fold 1 contains the ratings 1, 2, 2, 1, 3 (mean 1.8) and none of movie 0, so the shrunk
    // mean of movie 0 is 1.8 and its offsets are 0.
    expectClose(design.subarray(0, 5), [1, 1.8, 0, 0, 0], 1e-12, 'regressors of the rating 5');
    const inSample = buildGroupOffsetFeatures(3, single, groups, { prior: 'global-mean', movie: 1, group: 1 });
    expect(inSample.shrunkMean[0], 'in-sample, movie 0 carries the rating 5').toBeGreaterThan(2.4);
  });

  it('deal every user into one fold, reproducibly', () => {
    const first = foldsByUser(ratings, 5, 'seed');
    expect(Array.from(first)).toEqual(Array.from(foldsByUser(ratings, 5, 'seed')));
    const foldOfUser = new Map<number, number>();
    first.forEach((fold, t) => {
      const user = ratings.users[t] as number;
      expect(foldOfUser.get(user) ?? fold, `user ${user} in two folds`).toBe(fold);
      foldOfUser.set(user, fold);
    });
    expect(new Set(first).size).toBe(5);
    expect(() => foldsByUser(ratings, 1, 'seed')).toThrow(/invalid folds: expected an integer of at least 2, received 1/);
  });
});

describe('choosing the prior and shrinkage', () => {
  it('keeps the candidate with the lowest out-of-fold RMSE', () => {
    const method = fitGroupOffsetMethod(fixture.nMovies, ratings, users, 3);
    expect(method.candidates).toHaveLength(shrinkageGrid(moviePriors).length);
    expect(new Set(method.candidates.map((candidate) => candidate.shrinkage.prior))).toEqual(new Set(moviePriors));
    const lowest = Math.min(...method.candidates.map((candidate) => candidate.outOfFoldRmse));
    const chosen = method.candidates.find((candidate) => candidate.shrinkage === method.shrinkage);
    expect(chosen?.outOfFoldRmse).toBe(lowest);
  });

  it('tries only the priors it is given', () => {
    const method = fitGroupOffsetMethod(fixture.nMovies, ratings, users, 3, undefined, ['global-mean']);
    expect(method.candidates.every((candidate) => candidate.shrinkage.prior === 'global-mean')).toBe(true);
    expect(method.shrinkage.prior).toBe('global-mean');
  });
});

describe('the group-offset model as a linear IMC model', () => {
  it('predicts w0 + w1·m + Σ w_a·o for every rating', () => {
    const features = buildGroupOffsetFeatures(fixture.nMovies, ratings, users, fixture.shrinkage);
    const weights: GroupOffsetWeights = { intercept: 0.3, shrunkMean: 0.9, offsets: { occupation: 0.4, age: 0.7, gender: 1.3 } };
    const model = groupOffsetModel(users, weights);
    expect(model.activation.name).toBe('identity');
    const predictions = predictWithGroupModel(model, users, features, ratings);
    const expected = Array.from(ratings.values, (_, t) => {
      const user = ratings.users[t] as number;
      const movie = ratings.movies[t] as number;
      let value = weights.intercept + weights.shrunkMean * (features.shrunkMean[movie] as number);
      for (const attribute of demographicAttributes) {
        const size = users.sizes[attribute];
        value += weights.offsets[attribute] * (features.offsets[attribute][movie * size + (users.groups[attribute][user] as number)] as number);
      }
      return value;
    });
    expectClose(predictions, expected, 1e-12, 'predictions');
  });
});
