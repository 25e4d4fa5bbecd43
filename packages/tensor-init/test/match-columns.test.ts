import { createRandom, type DenseMatrix, createMatrix } from '@nimc/linalg';
import { describe, expect, it } from 'vitest';
import { matchColumns } from '../src/index.js';

// Column i of the result is sign[i]·scale[i]^power·(column order[i] of a).
function transform(a: DenseMatrix, order: number[], signs: number[], scales: number[], power: number): DenseMatrix {
  const k = a.columns;
  const out = createMatrix(a.rows, k);
  for (let row = 0; row < a.rows; row++) {
    for (let i = 0; i < k; i++) {
      out.data[row * k + i] = (signs[i] as number) * (scales[i] as number) ** power * (a.data[row * k + (order[i] as number)] as number);
    }
  }
  return out;
}

describe('matchColumns', () => {
  const random = createRandom(8);
  const U = random.gaussianMatrix(7, 4);
  const V = random.gaussianMatrix(5, 4);
  const order = [2, 0, 3, 1];

  it('undoes a column permutation', () => {
    const match = matchColumns(transform(U, order, [1, 1, 1, 1], [1, 1, 1, 1], 1), transform(V, order, [1, 1, 1, 1], [1, 1, 1, 1], 1), U, V);

    expect(match.distance).toBeLessThan(1e-15);
    // True column 2 sits in estimated column 0.
    expect(match.permutation[2]).toBe(0);
  });

  it('undoes joint sign flips for tanh but not for sigmoid', () => {
    const signs = [-1, 1, -1, 1];
    const Uest = transform(U, order, signs, [1, 1, 1, 1], 1);
    const Vest = transform(V, order, signs, [1, 1, 1, 1], 1);

    expect(matchColumns(Uest, Vest, U, V, { activation: 'tanh' }).distance).toBeLessThan(1e-15);
    expect(matchColumns(Uest, Vest, U, V, { activation: 'sigmoid' }).distance).toBeGreaterThan(0.3);
  });

  it('undoes positive rescaling (c·u, v/c) for ReLU', () => {
    const scales = [0.5, 2, 3, 0.25];
    const Uest = transform(U, order, [1, 1, 1, 1], scales, 1);
    const Vest = transform(V, order, [1, 1, 1, 1], scales, -1);

    const match = matchColumns(Uest, Vest, U, V, { activation: 'relu' });
    expect(match.distance, `distance ${match.distance}`).toBeLessThan(1e-9);
    expect(matchColumns(Uest, Vest, U, V).distance).toBeGreaterThan(0.3);
  });

  it('reports the distance of a perturbed estimate', () => {
    const Uest = transform(U, [0, 1, 2, 3], [1, 1, 1, 1], [1.1, 1.1, 1.1, 1.1], 1);
    const match = matchColumns(Uest, V, U, V);
    const normU2 = U.data.reduce((s, x) => s + x * x, 0);
    const normV2 = V.data.reduce((s, x) => s + x * x, 0);

    expect(Math.abs(match.distanceU - 0.1)).toBeLessThan(1e-12);
    expect(match.distanceV).toBe(0);
    expect(Math.abs(match.distance - 0.1 * Math.sqrt(normU2 / (normU2 + normV2)))).toBeLessThan(1e-12);
  });

  it('rejects mismatched shapes', () => {
    expect(() => matchColumns(createMatrix(6, 4), V, U, V)).toThrow('invalid factors');
  });
});
