import { describe, expect, it } from 'vitest';
import { createObservations, topRightSingularVectors, type DenseMatrix } from '../src/index.js';
import { reference, relativeDifference, toMatrix } from './reference.js';

// numpy's singular vectors carry arbitrary signs; flip each expected column to agree with
// the computed one before comparing.
function alignedDifference(actual: DenseMatrix, expected: DenseMatrix): number {
  let worst = 0;
  for (let c = 0; c < expected.columns; c++) {
    const a: number[] = [];
    const e: number[] = [];
    for (let i = 0; i < expected.rows; i++) {
      a.push(actual.data[i * actual.columns + c] as number);
      e.push(expected.data[i * expected.columns + c] as number);
    }
    const sign = a.reduce((sum, value, i) => sum + value * (e[i] as number), 0) < 0 ? -1 : 1;
    worst = Math.max(worst, relativeDifference(a, e.map((value) => sign * value)));
  }
  return worst;
}

describe('topRightSingularVectors', () => {
  it('matches numpy on a dense matrix', () => {
    const result = topRightSingularVectors(toMatrix(reference.tall), 4);

    expect(relativeDifference(result.values, reference.tallSingularValues)).toBeLessThan(1e-12);
    expect(alignedDifference(result.vectors, toMatrix(reference.tallRightSingularVectors))).toBeLessThan(1e-10);
  });

  it('matches numpy on an observation set without forming the matrix', () => {
    const s = reference.sparse;
    const observations = createObservations(
      s.n1,
      s.n2,
      Int32Array.from(s.rows),
      Int32Array.from(s.columns),
      Float64Array.from(s.values),
    );

    const result = topRightSingularVectors(observations, 5, { seed: 3, iterations: 200 });

    expect(relativeDifference(result.values, s.singularValues)).toBeLessThan(1e-10);
    expect(alignedDifference(result.vectors, toMatrix(s.rightSingularVectors))).toBeLessThan(1e-6);
  });

  it('returns each vector with its largest entry positive', () => {
    const { vectors } = topRightSingularVectors(toMatrix(reference.tall), 4);

    for (let c = 0; c < 4; c++) {
      let largest = 0;
      for (let i = 0; i < vectors.rows; i++) {
        const value = vectors.data[i * 4 + c] as number;
        if (Math.abs(value) > Math.abs(largest)) largest = value;
      }
      expect(largest).toBeGreaterThan(0);
    }
  });

  it('rejects a rank above min(rows, columns)', () => {
    expect(() => topRightSingularVectors(toMatrix(reference.tall), 13)).toThrow(
      'invalid rank 13: expected an integer from 1 to 12 for a 60x12 matrix',
    );
  });
});
