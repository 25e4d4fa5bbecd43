import { describe, expect, it } from 'vitest';
import { createMatrix, createObservations, topRightSingularVectors } from '../src/index.js';
import { alignedColumnDifference, reference, relativeDifference, toMatrix } from './reference.js';

describe('topRightSingularVectors', () => {
  it('matches numpy on a dense matrix', () => {
    const result = topRightSingularVectors(toMatrix(reference.tall), 4);

    expect(relativeDifference(result.values, reference.tallSingularValues)).toBeLessThan(1e-12);
    expect(alignedColumnDifference(result.vectors, toMatrix(reference.tallRightSingularVectors))).toBeLessThan(1e-10);
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
    expect(alignedColumnDifference(result.vectors, toMatrix(s.rightSingularVectors))).toBeLessThan(1e-6);
  });

  it('adds a rank-one term to an observation set', () => {
    const s = reference.sparse as { n1: number; n2: number; rows: number[]; columns: number[]; values: number[] };
    const observations = createObservations(s.n1, s.n2, Int32Array.from(s.rows), Int32Array.from(s.columns), Float64Array.from(s.values));
    const left = Float64Array.from({ length: s.n1 }, (_, i) => 1 + (i % 3));
    const right = Float64Array.from({ length: s.n2 }, (_, j) => Math.sin(j));
    const dense = createMatrix(s.n1, s.n2);
    for (let i = 0; i < s.n1; i++) for (let j = 0; j < s.n2; j++) dense.data[i * s.n2 + j] = (left[i] as number) * (right[j] as number);
    s.rows.forEach((row, t) => {
      dense.data[row * s.n2 + (s.columns[t] as number)]! += s.values[t] as number;
    });
    const exact = topRightSingularVectors(dense, 5);

    const result = topRightSingularVectors(observations, 5, { seed: 3, iterations: 200, rankOne: { left, right } });

    expect(relativeDifference(result.values, exact.values)).toBeLessThan(1e-10);
    expect(alignedColumnDifference(result.vectors, exact.vectors)).toBeLessThan(1e-6);
    // Without the term the spectrum differs, so this checks that the term was used.
    const plain = topRightSingularVectors(observations, 5, { seed: 3, iterations: 200 });
    expect(relativeDifference(plain.values, exact.values)).toBeGreaterThan(1e-2);
  });

  it('rejects an invalid rank-one term', () => {
    const observations = createObservations(3, 4, Int32Array.from([0, 2]), Int32Array.from([1, 3]), Float64Array.from([1, 2]));
    const ok = { left: new Float64Array(3).fill(1), right: new Float64Array(4).fill(1) };
    expect(() => topRightSingularVectors(observations, 2, { rankOne: { ...ok, right: new Float64Array(3) } })).toThrow(
      'invalid rankOne: expected left of length 3 and right of length 4, received 3 and 3',
    );
    expect(() => topRightSingularVectors(observations, 2, { rankOne: { ...ok, left: Float64Array.from([1, Number.NaN, 1]) } })).toThrow(
      'invalid rankOne.left[1]: expected a finite number, received NaN',
    );
    const noRight = { left: ok.left } as unknown as typeof ok;
    expect(() => topRightSingularVectors(observations, 2, { rankOne: noRight })).toThrow(
      'invalid rankOne: expected { left, right } with two Float64Arrays',
    );
    expect(() => topRightSingularVectors(toMatrix(reference.tall), 2, { rankOne: ok })).toThrow(
      'invalid rankOne: it applies to an observation set',
    );
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
