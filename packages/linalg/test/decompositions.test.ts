import { describe, expect, it } from 'vitest';
import {
  cholesky,
  choleskySolve,
  cloneMatrix,
  createMatrix,
  generalEigen,
  identityMatrix,
  inverse,
  matrixFromRows,
  multiply,
  multiplyTransposeA,
  multiplyTransposeB,
  qr,
  solve,
  svd,
  symmetricEigen,
  type DenseMatrix,
} from '../src/index.js';
import { alignedColumnDifference, decompositionReference as fixture, relativeDifference, toMatrix } from './reference.js';

// ‖actual − expected‖_F / ‖expected‖_F for two matrices of the same shape.
function matrixDifference(actual: DenseMatrix, expected: DenseMatrix): number {
  expect([actual.rows, actual.columns], 'shape').toEqual([expected.rows, expected.columns]);
  return relativeDifference(actual.data, expected.data);
}

// ‖Aᵀ·A − I‖_F: zero when the columns of A are orthonormal.
function orthonormalityError(a: DenseMatrix): number {
  const gram = multiplyTransposeA(a, a);
  let sum = 0;
  for (let i = 0; i < gram.rows; i++) {
    for (let j = 0; j < gram.columns; j++) sum += ((gram.data[i * gram.columns + j] as number) - (i === j ? 1 : 0)) ** 2;
  }
  return Math.sqrt(sum);
}

function scaleColumns(a: DenseMatrix, scales: Float64Array): DenseMatrix {
  const out = cloneMatrix(a);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < a.columns; j++) out.data[i * a.columns + j] = (a.data[i * a.columns + j] as number) * (scales[j] as number);
  }
  return out;
}

function columnOf(a: DenseMatrix, j: number): Float64Array {
  return Float64Array.from({ length: a.rows }, (_, i) => a.data[i * a.columns + j] as number);
}

function sortedAscending(values: ArrayLike<number>): number[] {
  return Array.from(values).sort((x, y) => x - y);
}

describe('symmetricEigen', () => {
  it('matches numpy eigh', () => {
    const { values, vectors } = symmetricEigen(toMatrix(fixture.symmetric));

    expect(relativeDifference(values, fixture.symmetricValues), `values ${values}`).toBeLessThan(1e-13);
    expect(alignedColumnDifference(vectors, toMatrix(fixture.symmetricVectors))).toBeLessThan(1e-12);
  });

  it('returns ascending values and orthonormal vectors', () => {
    const a = toMatrix(fixture.symmetric);
    const { values, vectors } = symmetricEigen(a);

    expect(Array.from(values)).toEqual(sortedAscending(values));
    expect(orthonormalityError(vectors)).toBeLessThan(1e-13);
    expect(matrixDifference(multiply(a, vectors), scaleColumns(vectors, values))).toBeLessThan(1e-13);
  });

  it('reads only the lower triangle', () => {
    const a = toMatrix(fixture.symmetric);
    const changed = cloneMatrix(a);
    for (let i = 0; i < a.rows; i++) {
      for (let j = i + 1; j < a.columns; j++) changed.data[i * a.columns + j] = 1e6;
    }

    expect(Array.from(symmetricEigen(changed).values)).toEqual(Array.from(symmetricEigen(a).values));
  });

  it('decomposes a 1x1 matrix', () => {
    const { values, vectors } = symmetricEigen(matrixFromRows([[-4]]));

    expect(Array.from(values)).toEqual([-4]);
    expect(Math.abs(vectors.data[0] as number)).toBe(1);
  });

  it('rejects a non-square matrix', () => {
    expect(() => symmetricEigen(createMatrix(2, 3))).toThrow('invalid matrix: expected a square matrix, received 2x3');
  });

  it('rejects an empty matrix', () => {
    expect(() => symmetricEigen(createMatrix(0, 0))).toThrow('invalid matrix: expected a non-empty matrix, received 0x0');
  });

  it('rejects a NaN entry', () => {
    const a = matrixFromRows([[1, 0], [Number.NaN, 1]]);

    expect(() => symmetricEigen(a)).toThrow('invalid matrix: expected finite entries, received NaN at (1, 0)');
  });
});

describe('generalEigen', () => {
  it('finds a real spectrum with its eigenvectors', () => {
    const a = toMatrix(fixture.generalReal);
    const { real, imaginary, vectors } = generalEigen(a);

    expect(relativeDifference(sortedAscending(real), sortedAscending(fixture.generalRealValues)), `values ${real}`).toBeLessThan(1e-12);
    expect(Array.from(imaginary)).toEqual([0, 0, 0, 0, 0]);
    for (let j = 0; j < a.rows; j++) {
      const v = columnOf(vectors, j);
      const image = multiply(a, createMatrix(a.rows, 1, v)).data;
      const expected = v.map((value) => (real[j] as number) * value);
      expect(relativeDifference(image, expected), `A·v = λ·v for λ = ${real[j]}`).toBeLessThan(1e-12);
    }
  });

  it('stores a complex pair as real and imaginary parts', () => {
    const a = toMatrix(fixture.generalComplex);
    const { real, imaginary, vectors } = generalEigen(a);
    const j = Array.from(imaginary).findIndex((value) => value > 0);

    expect(j, `imaginary parts ${imaginary}`).toBeGreaterThanOrEqual(0);
    expect(imaginary[j + 1]).toBe(-(imaginary[j] as number));
    expect(real[j + 1]).toBe(real[j]);
    expect(relativeDifference(sortedAscending(real), sortedAscending(fixture.generalComplexReal))).toBeLessThan(1e-12);
    expect(relativeDifference(sortedAscending(imaginary), sortedAscending(fixture.generalComplexImaginary))).toBeLessThan(1e-12);

    // A·(x + iy) = (λ + iμ)·(x + iy) splits into A·x = λ·x − μ·y and A·y = μ·x + λ·y.
    const lambda = real[j] as number;
    const mu = imaginary[j] as number;
    const x = columnOf(vectors, j);
    const y = columnOf(vectors, j + 1);
    const ax = multiply(a, createMatrix(a.rows, 1, x)).data;
    const ay = multiply(a, createMatrix(a.rows, 1, y)).data;
    expect(relativeDifference(ax, x.map((value, i) => lambda * value - mu * (y[i] as number)))).toBeLessThan(1e-12);
    expect(relativeDifference(ay, x.map((value, i) => mu * value + lambda * (y[i] as number)))).toBeLessThan(1e-12);
  });

  it('rejects an infinite entry', () => {
    const a = matrixFromRows([[1, Number.POSITIVE_INFINITY], [0, 1]]);

    expect(() => generalEigen(a)).toThrow('invalid matrix: expected finite entries, received Infinity at (0, 1)');
  });
});

describe('svd', () => {
  it.each([
    ['tall', 'tallSvd'],
    ['wide', 'wideSvd'],
  ])('matches numpy on a %s matrix', (_, name) => {
    const a = toMatrix(fixture[name]);
    const { u, values, v } = svd(a);
    const p = Math.min(a.rows, a.columns);

    expect([u.rows, u.columns, v.rows, v.columns]).toEqual([a.rows, p, a.columns, p]);
    expect(relativeDifference(values, fixture[`${name}Values`]), `values ${values}`).toBeLessThan(1e-13);
    expect(alignedColumnDifference(u, toMatrix(fixture[`${name}U`]))).toBeLessThan(1e-12);
    expect(alignedColumnDifference(v, toMatrix(fixture[`${name}V`]))).toBeLessThan(1e-12);
    expect(orthonormalityError(u)).toBeLessThan(1e-13);
    expect(orthonormalityError(v)).toBeLessThan(1e-13);
    expect(matrixDifference(multiplyTransposeB(scaleColumns(u, values), v), a)).toBeLessThan(1e-13);
  });
});

describe('qr', () => {
  it('matches numpy up to column signs', () => {
    const a = toMatrix(fixture.qrInput);
    const { q, r } = qr(a);
    const expectedR = toMatrix(fixture.qrR);

    expect([q.rows, q.columns, r.rows, r.columns]).toEqual([6, 3, 3, 3]);
    expect(alignedColumnDifference(q, toMatrix(fixture.qrQ))).toBeLessThan(1e-13);
    for (let i = 0; i < 3; i++) {
      const received = Math.abs(r.data[i * 3 + i] as number);
      const expected = Math.abs(expectedR.data[i * 3 + i] as number);
      expect(Math.abs(received - expected) / expected, `|R(${i}, ${i})|: received ${received}, expected ${expected}`).toBeLessThan(1e-13);
    }
  });

  it('returns orthonormal Q and upper triangular R', () => {
    const a = toMatrix(fixture.qrInput);
    const { q, r } = qr(a);

    expect(orthonormalityError(q)).toBeLessThan(1e-13);
    expect(matrixDifference(multiply(q, r), a)).toBeLessThan(1e-13);
    for (let i = 1; i < 3; i++) {
      for (let j = 0; j < i; j++) expect(r.data[i * 3 + j], `R(${i}, ${j})`).toBe(0);
    }
  });

  it('rejects a wide matrix', () => {
    expect(() => qr(createMatrix(2, 3))).toThrow('invalid matrix: expected at least as many rows as columns, received 2x3');
  });
});

describe('solve', () => {
  it('matches numpy for a matrix right-hand side', () => {
    const x = solve(toMatrix(fixture.square), toMatrix(fixture.rightMatrix));

    expect(matrixDifference(x, toMatrix(fixture.solveMatrix))).toBeLessThan(1e-12);
  });

  it('returns a vector for a vector right-hand side', () => {
    const x = solve(toMatrix(fixture.square), Float64Array.from(fixture.rightVector));

    expect(x).toBeInstanceOf(Float64Array);
    expect(relativeDifference(x, fixture.solveVector)).toBeLessThan(1e-12);
  });

  it('rejects an exactly singular matrix', () => {
    const a = matrixFromRows([[1, 2], [2, 4]]);

    expect(() => solve(a, Float64Array.from([1, 1]))).toThrow('singular matrix: the 2x2 matrix has an exactly zero pivot');
  });

  it('rejects a right-hand side of the wrong length', () => {
    expect(() => solve(identityMatrix(3), new Float64Array(2))).toThrow('invalid right-hand side: expected 3 rows, received 2');
  });

  it('rejects matrix data of the wrong length', () => {
    const a = { rows: 2, columns: 2, data: Float64Array.from([1, 0, 1]) };

    expect(() => solve(a, Float64Array.from([1, 1]))).toThrow('invalid matrix: a 2x2 matrix needs 4 values, received 3');
  });

  it('rejects right-hand side data of the wrong length', () => {
    const b = { rows: 2, columns: 2, data: Float64Array.from([1, 1, 1]) };

    expect(() => solve(identityMatrix(2), b)).toThrow('invalid right-hand side: a 2x2 matrix needs 4 values, received 3');
  });

  it('rejects a non-square matrix', () => {
    expect(() => solve(createMatrix(2, 3), new Float64Array(2))).toThrow('invalid matrix: expected a square matrix, received 2x3');
  });

  it('rejects a NaN matrix entry', () => {
    const a = matrixFromRows([[1, 0], [NaN, 1]]);

    expect(() => solve(a, Float64Array.from([1, 1]))).toThrow('invalid matrix: expected finite entries, received NaN at (1, 0)');
  });

  it('rejects an infinite matrix entry', () => {
    const a = matrixFromRows([[1, -Infinity], [0, 1]]);

    expect(() => solve(a, Float64Array.from([1, 1]))).toThrow('invalid matrix: expected finite entries, received -Infinity at (0, 1)');
  });

  it('rejects a non-finite vector entry', () => {
    expect(() => solve(identityMatrix(2), Float64Array.from([1, Infinity]))).toThrow(
      'invalid right-hand side: expected finite entries, received Infinity at (1, 0)',
    );
  });

  it('rejects a non-finite right-hand side matrix entry', () => {
    const b = matrixFromRows([[1, 2], [3, NaN]]);

    expect(() => solve(identityMatrix(2), b)).toThrow('invalid right-hand side: expected finite entries, received NaN at (1, 1)');
  });
});

describe('inverse', () => {
  it('matches numpy', () => {
    const a = toMatrix(fixture.square);
    const inverted = inverse(a);

    expect(matrixDifference(inverted, toMatrix(fixture.squareInverse))).toBeLessThan(1e-12);
    expect(matrixDifference(multiply(a, inverted), identityMatrix(5))).toBeLessThan(1e-13);
  });

  it('rejects an exactly singular matrix', () => {
    expect(() => inverse(createMatrix(2, 2))).toThrow('singular matrix');
  });

  it('rejects matrix data of the wrong length', () => {
    const a = { rows: 2, columns: 2, data: Float64Array.from([1, 0, 0, 1, 5]) };

    expect(() => inverse(a)).toThrow('invalid matrix: a 2x2 matrix needs 4 values, received 5');
  });

  it('rejects a NaN entry', () => {
    expect(() => inverse(matrixFromRows([[1, NaN], [0, 1]]))).toThrow('invalid matrix: expected finite entries, received NaN at (0, 1)');
  });

  it('rejects an infinite entry', () => {
    expect(() => inverse(matrixFromRows([[1, 0], [0, Infinity]]))).toThrow(
      'invalid matrix: expected finite entries, received Infinity at (1, 1)',
    );
  });

  it('rejects an inverse that overflows', () => {
    // The only pivot, 1e-320, is nonzero, but its reciprocal exceeds the largest float64.
    const a = matrixFromRows([[1e-320]]);

    expect(() => inverse(a)).toThrow(RangeError);
    expect(() => inverse(a)).toThrow('numerically singular matrix: the inverse of the 1x1 matrix has the non-finite entry Infinity at (0, 0)');
    expect(() => inverse(a)).toThrow('pseudo-inverse');
  });

  it('rejects a larger overflowing inverse', () => {
    // Back substitution multiplies the overflowed entry by zero, so NaN may appear as well.
    const a = matrixFromRows([[1, 0], [0, 1e-320]]);

    expect(() => inverse(a)).toThrow('numerically singular matrix: the inverse of the 2x2 matrix has the non-finite entry');
  });
});

describe('cholesky', () => {
  it('matches numpy', () => {
    const lower = cholesky(toMatrix(fixture.positiveDefinite));

    expect(lower).not.toBeNull();
    expect(matrixDifference(lower as DenseMatrix, toMatrix(fixture.choleskyLower))).toBeLessThan(1e-13);
  });

  it('reads only the lower triangle', () => {
    const a = toMatrix(fixture.positiveDefinite);
    const changed = cloneMatrix(a);
    for (let i = 0; i < 5; i++) {
      for (let j = i + 1; j < 5; j++) changed.data[i * 5 + j] = -7;
    }

    expect(Array.from((cholesky(changed) as DenseMatrix).data)).toEqual(Array.from((cholesky(a) as DenseMatrix).data));
  });

  it('returns null for an indefinite matrix', () => {
    expect(cholesky(matrixFromRows([[1, 2], [2, 1]]))).toBeNull();
  });

  it('returns null for a singular matrix', () => {
    expect(cholesky(matrixFromRows([[1, 1], [1, 1]]))).toBeNull();
  });
});

describe('choleskySolve', () => {
  it('matches numpy for a matrix right-hand side', () => {
    const lower = cholesky(toMatrix(fixture.positiveDefinite)) as DenseMatrix;
    const x = choleskySolve(lower, toMatrix(fixture.rightMatrix));

    expect(matrixDifference(x, toMatrix(fixture.choleskySolveMatrix))).toBeLessThan(1e-12);
  });

  it('returns a vector for a vector right-hand side', () => {
    const lower = cholesky(toMatrix(fixture.positiveDefinite)) as DenseMatrix;
    const x = choleskySolve(lower, Float64Array.from(fixture.rightVector));

    expect(x).toBeInstanceOf(Float64Array);
    expect(relativeDifference(x, fixture.choleskySolveVector)).toBeLessThan(1e-12);
  });

  it('rejects a right-hand side of the wrong length', () => {
    expect(() => choleskySolve(identityMatrix(3), createMatrix(4, 1))).toThrow('invalid right-hand side: expected 3 rows, received 4');
  });

  it('rejects a vector of the wrong length', () => {
    expect(() => choleskySolve(identityMatrix(3), new Float64Array(4))).toThrow('invalid right-hand side: expected 3 rows, received 4');
  });
});
