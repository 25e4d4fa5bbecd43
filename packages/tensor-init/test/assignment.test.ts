import { createRandom, matrixFromRows, type DenseMatrix, createMatrix } from '@nimc/linalg';
import { describe, expect, it } from 'vitest';
import { solveAssignment } from '../src/index.js';

function permutations(n: number): number[][] {
  if (n === 1) return [[0]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, position) => [...p.slice(0, position), n - 1, ...p.slice(position)]));
}

function totalCost(cost: DenseMatrix, assignment: ArrayLike<number>): number {
  let sum = 0;
  for (let row = 0; row < cost.rows; row++) sum += cost.data[row * cost.columns + (assignment[row] as number)] as number;
  return sum;
}

describe('solveAssignment', () => {
  it('matches brute force on random 6x6 costs', () => {
    const random = createRandom(3);
    const all = permutations(6);
    for (let trial = 0; trial < 20; trial++) {
      const cost = createMatrix(6, 6);
      for (let t = 0; t < 36; t++) cost.data[t] = random.uniform() * 10 - 3;
      const best = Math.min(...all.map((p) => totalCost(cost, p)));
      const assignment = solveAssignment(cost);

      expect(new Set(assignment).size, 'each column used once').toBe(6);
      expect(Math.abs(totalCost(cost, assignment) - best), `trial ${trial}`).toBeLessThan(1e-12);
    }
  });

  it('finds the anti-diagonal', () => {
    const cost = matrixFromRows([
      [5, 5, 0],
      [5, 0, 5],
      [0, 5, 5],
    ]);

    expect(Array.from(solveAssignment(cost))).toEqual([2, 1, 0]);
  });

  it('rejects a non-square matrix', () => {
    expect(() => solveAssignment(createMatrix(2, 3))).toThrow('invalid cost matrix: expected a square matrix, received 2x3');
  });

  it('rejects a non-finite cost', () => {
    const cost = matrixFromRows([
      [1, Number.NaN],
      [0, 1],
    ]);
    expect(() => solveAssignment(cost)).toThrow('invalid cost matrix: entry 1 is NaN');
  });
});
