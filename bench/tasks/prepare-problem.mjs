// Builds one benchmark problem and a parameter point and writes them to a problem file
// (see lib/problem-file.mjs).
//
//   node bench/tasks/prepare-problem.mjs --source movielens --dataset ml-1m --out FILE
//   node bench/tasks/prepare-problem.mjs --source synthetic --activation sigmoid \
//     --d 100 --k 50 --n 100000 --m 10000000 --out FILE
//
// MovieLens: the training users of the split with seed 0 (80% of the users) and their 29
// features (occupation, age range, gender). The movie features come from the training
// ratings: genre flags plus 20 right singular vectors scaled by √(number of movies).
// Synthetic: `generateSynthetic` with the given sizes and seed.
// The point (U, V) has independent N(0, 1/d) entries (d = d1 for U, d2 for V), seed 1.
import { parseOptions } from '../lib/arguments.mjs';
import { datasets, linalg } from '../lib/packages.mjs';
import { writeProblemFile } from '../lib/problem-file.mjs';

const options = parseOptions(process.argv.slice(2), {
  source: 'synthetic',
  dataset: 'ml-1m',
  'data-dir': '../shared/data/movielens',
  activation: 'relu',
  d: 100,
  k: 50,
  n: 100000,
  m: 10000000,
  seed: 0,
  l2: 0,
  out: '',
});
if (options.out === '') throw new Error('missing --out FILE');

async function movieLensProblem() {
  const data = await datasets.loadMovieLens(options['data-dir'], options.dataset);
  const userFeatures = datasets.buildUserFeatures(data).matrix;
  const { trainUsers } = datasets.splitUsers(data.users.length, { seed: 0, testFraction: 0.2 });
  const selected = datasets.selectRatingsByUsers(data.ratings, trainUsers);
  const movieFeatures = datasets.buildMovieFeatures(data, selected, { singularVectors: 20, scale: 'sqrt-n', seed: 0 }).matrix;
  const observations = linalg.createObservations(
    trainUsers.length,
    movieFeatures.rows,
    selected.users,
    selected.movies,
    Float64Array.from(selected.values),
  );
  return {
    problem: { X: linalg.selectRows(userFeatures, trainUsers), Y: movieFeatures, observations },
    description: `${options.dataset} training users of the seed-0 split (${trainUsers.length} of ${data.users.length} users)`,
  };
}

function syntheticProblem() {
  const { problem } = datasets.generateSynthetic({
    activation: options.activation,
    d: options.d,
    k: options.k,
    n: options.n,
    m: options.m,
    seed: options.seed,
  });
  return { problem, description: `synthetic, Gaussian features and ground truth, seed ${options.seed}` };
}

function gaussianPoint(d1, d2, k) {
  const random = linalg.createRandom(1);
  const draw = (d) => {
    const matrix = random.gaussianMatrix(d, k);
    for (let t = 0; t < matrix.data.length; t++) matrix.data[t] /= Math.sqrt(d);
    return matrix;
  };
  return { U: draw(d1), V: draw(d2) };
}

const started = performance.now();
const { problem, description } = options.source === 'movielens' ? await movieLensProblem() : syntheticProblem();
const point = gaussianPoint(problem.X.columns, problem.Y.columns, options.k);
const header = writeProblemFile(options.out, problem, point, {
  activation: options.activation,
  k: options.k,
  l2: options.l2,
  description,
});
const summary = Object.fromEntries(Object.entries(header).filter(([key]) => key !== 'arrays'));
console.log(JSON.stringify({ ...summary, seconds: (performance.now() - started) / 1000 }));
