import { activationNames, getActivation } from '@nimc/activations';
import { describe, expect, it } from 'vitest';
import { compressObservations, createObjective, mergeIdenticalRows, type NimcObjective } from '../src/index.js';
import { plainEvaluate, randomProblem, randomTheta, relativeError } from './plain-objective.js';

function evaluateWith(objective: NimcObjective, theta: Float64Array) {
  const gradient = new Float64Array(objective.dimension);
  const loss = objective.evaluate(theta, gradient);
  return { loss, gradient };
}

function firstMismatch(a: Float64Array, b: Float64Array): string {
  for (let t = 0; t < a.length; t++) {
    if (!Object.is(a[t], b[t])) return `entry ${t}: ${a[t]} against ${b[t]}`;
  }
  return 'none';
}

describe('objective kernels', () => {
  const cases = [
    { label: 'Gaussian features', sizes: { n1: 40, n2: 30, d1: 6, d2: 5, m: 400 } },
    { label: 'one-hot features with merged rows', sizes: { n1: 60, n2: 50, d1: 7, d2: 6, m: 900, categories: 4 } },
  ];

  for (const { label, sizes } of cases) {
    for (const name of activationNames) {
      it(`match the plain loops and each other for ${name}, ${label}`, () => {
        const problem = randomProblem(11, sizes);
        const activation = getActivation(name);
        const k = 5;
        const wasm = createObjective(problem, activation, k, { l2: 0.05, backend: 'wasm-simd' });
        const typescript = createObjective(problem, activation, k, { l2: 0.05, backend: 'typescript' });
        const theta = randomTheta(12, wasm.dimension);

        const fast = evaluateWith(wasm, theta);
        const fallback = evaluateWith(typescript, theta);
        const plain = plainEvaluate(problem, activation, k, theta, 0.05);

        expect(wasm.backend).toBe('wasm-simd');
        expect(typescript.backend).toBe('typescript');
        expect(fast.loss, 'loss of the two backends').toBe(fallback.loss);
        expect(firstMismatch(fast.gradient, fallback.gradient), 'gradient of the two backends').toBe('none');
        expect(wasm.loss(theta), 'loss() against evaluate()').toBe(fast.loss);
        const lossError = Math.abs(fast.loss - plain.loss) / plain.loss;
        const gradientError = relativeError(fast.gradient, plain.gradient);
        expect(lossError, `loss ${fast.loss} against ${plain.loss}`).toBeLessThan(1e-12);
        expect(gradientError, `gradient relative error ${gradientError}`).toBeLessThan(1e-12);
      });
    }
  }

  it('tile the pairs of many columns and still match the plain loops', () => {
    // k = 256 makes a column block 1024 rows of Q wide, so 3000 columns give three blocks.
    const problem = randomProblem(21, { n1: 400, n2: 3000, d1: 3, d2: 4, m: 6000 });
    const activation = getActivation('tanh');
    const k = 256;
    const objective = createObjective(problem, activation, k);
    const fallback = createObjective(problem, activation, k, { backend: 'typescript' });
    const theta = randomTheta(22, objective.dimension, 0.2);

    const fast = evaluateWith(objective, theta);
    const plain = plainEvaluate(problem, activation, k, theta, 0);

    expect(fast.loss).toBe(evaluateWith(fallback, theta).loss);
    expect(Math.abs(fast.loss - plain.loss) / plain.loss, `loss ${fast.loss} against ${plain.loss}`).toBeLessThan(1e-12);
    expect(relativeError(fast.gradient, plain.gradient)).toBeLessThan(1e-12);
  });

  it('give the same result with float32 storage of integer values', () => {
    const problem = randomProblem(31, { n1: 30, n2: 20, d1: 4, d2: 4, m: 300, integerValues: true });
    const activation = getActivation('relu');
    const wide = createObjective(problem, activation, 3);
    const narrow = createObjective(problem, activation, 3, { valueType: 'float32' });
    const theta = randomTheta(32, wide.dimension);

    const a = evaluateWith(wide, theta);
    const b = evaluateWith(narrow, theta);

    expect(b.loss).toBe(a.loss);
    expect(firstMismatch(b.gradient, a.gradient)).toBe('none');
  });

  it('keep float64 means for merged pairs under float32 storage', () => {
    const problem = randomProblem(33, { n1: 40, n2: 30, d1: 4, d2: 4, m: 500, categories: 3, integerValues: true });
    const activation = getActivation('relu');
    const wide = createObjective(problem, activation, 3);
    const narrow = createObjective(problem, activation, 3, { valueType: 'float32' });
    const theta = randomTheta(34, wide.dimension);

    expect(narrow.loss(theta)).toBe(wide.loss(theta));
  });

  it('agree with and without row merging', () => {
    const problem = randomProblem(41, { n1: 50, n2: 40, d1: 5, d2: 5, m: 700, categories: 3 });
    const activation = getActivation('sigmoid');
    const merged = createObjective(problem, activation, 4);
    const unmerged = createObjective(problem, activation, 4, { mergeIdenticalRows: false });
    const theta = randomTheta(42, merged.dimension);

    const a = evaluateWith(merged, theta);
    const b = evaluateWith(unmerged, theta);

    expect(Math.abs(a.loss - b.loss) / b.loss, `${a.loss} against ${b.loss}`).toBeLessThan(1e-12);
    expect(relativeError(a.gradient, b.gradient)).toBeLessThan(1e-12);
  });

  it('reject an invalid valueType', () => {
    const problem = randomProblem(1, { n1: 3, n2: 3, d1: 2, d2: 2, m: 4 });
    expect(() => createObjective(problem, getActivation('relu'), 1, { valueType: 'int8' as never })).toThrow(
      `invalid valueType "int8": expected 'float64' or 'float32'`,
    );
  });
});

describe('mergeIdenticalRows', () => {
  it('treats −0 as 0 and NaN as NaN and keeps the first row of each group', () => {
    const features = { rows: 5, columns: 2, data: Float64Array.from([0, 1, -0, 1, Number.NaN, 2, Number.NaN, 2, 0, 2]) };

    const merged = mergeIdenticalRows(features);

    expect(Array.from(merged.groupOf)).toEqual([0, 0, 1, 1, 2]);
    expect(merged.features.rows).toBe(3);
    expect(Array.from(merged.features.data)).toEqual([0, 1, Number.NaN, 2, 0, 2]);
  });

  it('returns the input itself when no row repeats', () => {
    const features = { rows: 3, columns: 2, data: Float64Array.from([1, 2, 3, 4, 5, 6]) };

    const merged = mergeIdenticalRows(features);

    expect(merged.features).toBe(features);
    expect(Array.from(merged.groupOf)).toEqual([0, 1, 2]);
  });

  it('leaves the observations uncopied and without counts when nothing merges', () => {
    const problem = randomProblem(5, { n1: 10, n2: 8, d1: 3, d2: 3, m: 30 });

    const compressed = compressObservations(problem.X, problem.Y, problem.observations);

    expect(compressed.counts).toBeUndefined();
    expect(compressed.rows).toBe(problem.observations.rows);
    expect(compressed.means).toBe(problem.observations.values);
  });
});
