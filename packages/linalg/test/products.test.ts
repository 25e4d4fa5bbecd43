import { describe, expect, it } from 'vitest';
import {
  createMatrix,
  createObservations,
  matrixFromRows,
  multiply,
  multiplyTransposeA,
  multiplyTransposeB,
  sparseMultiply,
  sparseTransposeMultiply,
} from '../src/index.js';
import { reference, relativeDifference, toMatrix } from './reference.js';

describe('dense products', () => {
  const a = toMatrix(reference.a);

  it('A·B matches numpy', () => {
    const product = multiply(a, toMatrix(reference.b));
    expect([product.rows, product.columns]).toEqual([7, 6]);
    expect(relativeDifference(product.data, reference.aTimesB.data)).toBeLessThan(1e-14);
  });

  it('Aᵀ·C matches numpy', () => {
    const product = multiplyTransposeA(a, toMatrix(reference.c));
    expect([product.rows, product.columns]).toEqual([5, 6]);
    expect(relativeDifference(product.data, reference.aTransposeTimesC.data)).toBeLessThan(1e-14);
  });

  it('A·Dᵀ matches numpy', () => {
    const product = multiplyTransposeB(a, toMatrix(reference.d));
    expect([product.rows, product.columns]).toEqual([7, 4]);
    expect(relativeDifference(product.data, reference.aTimesDTranspose.data)).toBeLessThan(1e-14);
  });

  it('overwrites a given output', () => {
    const out = createMatrix(2, 2);
    out.data.fill(99);

    multiply(matrixFromRows([[1, 2], [3, 4]]), matrixFromRows([[1, 0], [0, 1]]), out);

    expect(Array.from(out.data)).toEqual([1, 2, 3, 4]);
  });

  it('rejects mismatched shapes with both shapes in the message', () => {
    expect(() => multiply(createMatrix(2, 3), createMatrix(2, 3))).toThrow('cannot multiply 2x3 by 2x3');
    expect(() => multiply(createMatrix(2, 3), createMatrix(3, 2), createMatrix(3, 3))).toThrow(
      'expected a 2x2 matrix, received 3x3',
    );
  });
});

describe('sparse products', () => {
  const s = reference.sparse;
  const observations = createObservations(
    s.n1,
    s.n2,
    Int32Array.from(s.rows),
    Int32Array.from(s.columns),
    Float64Array.from(s.values),
  );

  it('R·Q matches numpy, with repeated pairs added up', () => {
    const product = sparseMultiply(observations, observations.values, toMatrix(s.q));
    expect(relativeDifference(product.data, s.rTimesQ.data)).toBeLessThan(1e-14);
  });

  it('Rᵀ·P matches numpy', () => {
    const product = sparseTransposeMultiply(observations, observations.values, toMatrix(s.p));
    expect(relativeDifference(product.data, s.rTransposeTimesP.data)).toBeLessThan(1e-14);
  });

  it('rejects indices outside n1×n2 and non-finite values', () => {
    const one = (value: number) => Int32Array.from([value]);

    expect(() => createObservations(2, 2, one(2), one(0), Float64Array.from([1]))).toThrow(
      'invalid observation 0: index (2, 0) lies outside 2x2',
    );
    expect(() => createObservations(2, 2, one(0), one(0), Float64Array.from([Number.NaN]))).toThrow(
      'value NaN at (0, 0) is not finite',
    );
  });
});
