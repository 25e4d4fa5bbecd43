import { generateSynthetic } from '@nimc/datasets';
import {
  createMatrix,
  createObservations,
  createRandom,
  inverse,
  multiply,
  multiplyTransposeA,
  svd,
  type DenseMatrix,
} from '@nimc/linalg';
import type { NimcProblem } from '@nimc/objective';
import { describe, expect, it } from 'vitest';
import { estimateSubspace, removeMainEffects } from '../src/index.js';

// ‖(I − P·Pᵀ)·W‖_F / ‖W‖_F: 0 when span(W) lies in span(P), 1 when orthogonal to it.
function spanResidual(P: DenseMatrix, W: DenseMatrix): number {
  const PtW = multiplyTransposeA(P, W);
  let residual = 0;
  let total = 0;
  for (let row = 0; row < W.rows; row++) {
    for (let c = 0; c < W.columns; c++) {
      let projected = 0;
      for (let a = 0; a < P.columns; a++) projected += (P.data[row * P.columns + a] as number) * (PtW.data[a * W.columns + c] as number);
      const value = W.data[row * W.columns + c] as number;
      residual += (value - projected) ** 2;
      total += value ** 2;
    }
  }
  return Math.sqrt(residual / total);
}

function rootMeanSquare(values: Float64Array): number {
  let sum = 0;
  for (const value of values) sum += value * value;
  return Math.sqrt(sum / values.length);
}

// A problem whose features do not matter: only the observed values and their pattern are used.
function valuesProblem(n1: number, n2: number, rows: number[], columns: number[], values: number[]): NimcProblem {
  return {
    X: createMatrix(n1, 1),
    Y: createMatrix(n2, 1),
    observations: createObservations(n1, n2, Int32Array.from(rows), Int32Array.from(columns), Float64Array.from(values)),
  };
}

describe('estimateSubspace', () => {
  it('recovers the spans when n is a few times d', () => {
    const { problem, truth } = generateSynthetic({ activation: 'sigmoid', d: 30, k: 3, n: 120, m: 20_000, seed: 0 });

    const improved = estimateSubspace(problem, 3);
    const plain = estimateSubspace(problem, 3, { removeMainEffects: false, whiten: false });
    const residuals = {
      improvedU: spanResidual(improved.basisX, truth.U),
      improvedV: spanResidual(improved.basisY, truth.V),
      plainU: spanResidual(plain.basisX, truth.U),
      plainV: spanResidual(plain.basisY, truth.V),
    };

    expect(improved.whitened).toEqual({ x: true, y: true });
    expect(residuals.improvedU, JSON.stringify(residuals)).toBeLessThan(0.25);
    expect(residuals.improvedV, JSON.stringify(residuals)).toBeLessThan(0.25);
    expect(residuals.plainU, JSON.stringify(residuals)).toBeGreaterThan(0.4);
    expect(residuals.plainV, JSON.stringify(residuals)).toBeGreaterThan(0.4);
  });

  it('whitens by the covariances of the observed features', () => {
    const { problem } = generateSynthetic({ activation: 'sigmoid', d: 6, k: 2, n: 40, m: 600, seed: 2 });
    const { X, Y, observations } = problem;
    const m = observations.values.length;

    const estimate = estimateSubspace(problem, 2, { removeMainEffects: false, center: false });

    // Σx⁻¹·((1/m)·Σ_t A_t·x_i y_jᵀ)·Σy⁻¹ with every sum taken over the observations directly.
    const moment = createMatrix(6, 6);
    const covarianceX = createMatrix(6, 6);
    const covarianceY = createMatrix(6, 6);
    for (let t = 0; t < m; t++) {
      const x = X.data.subarray((observations.rows[t] as number) * 6, (observations.rows[t] as number) * 6 + 6);
      const y = Y.data.subarray((observations.columns[t] as number) * 6, (observations.columns[t] as number) * 6 + 6);
      for (let a = 0; a < 6; a++) {
        for (let b = 0; b < 6; b++) {
          moment.data[a * 6 + b]! += ((observations.values[t] as number) * (x[a] as number) * (y[b] as number)) / m;
          covarianceX.data[a * 6 + b]! += ((x[a] as number) * (x[b] as number)) / m;
          covarianceY.data[a * 6 + b]! += ((y[a] as number) * (y[b] as number)) / m;
        }
      }
    }
    const expected = svd(multiply(multiply(inverse(covarianceX), moment), inverse(covarianceY))).values;

    expect(estimate.whitened).toEqual({ x: true, y: true });
    for (let i = 0; i < 3; i++) {
      const received = estimate.singularValues[i] as number;
      const reference = expected[i] as number;
      expect(Math.abs(received - reference) / reference, `σ${i + 1}: received ${received}, expected ${reference}`).toBeLessThan(1e-6);
    }
  });

  it('skips whitening when fewer rows than features were observed', () => {
    const { problem } = generateSynthetic({ activation: 'sigmoid', d: 30, k: 3, n: 20, m: 400, seed: 1 });

    const estimate = estimateSubspace(problem, 3);

    expect(estimate.whitened).toEqual({ x: false, y: false });
    const gram = multiplyTransposeA(estimate.basisX, estimate.basisX);
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        const entry = gram.data[a * 3 + b] as number;
        expect(Math.abs(entry - (a === b ? 1 : 0)), `PᵀP[${a}][${b}] = ${entry}`).toBeLessThan(1e-9);
      }
    }
  });
});

describe('removeMainEffects', () => {
  it('removes additive row and column effects', () => {
    const random = createRandom('additive');
    const rowEffects = Array.from({ length: 40 }, () => random.gaussian());
    const columnEffects = Array.from({ length: 40 }, () => random.gaussian());
    const rows: number[] = [];
    const columns: number[] = [];
    const values: number[] = [];
    for (let t = 0; t < 8000; t++) {
      const i = random.integer(40);
      const j = random.integer(40);
      rows.push(i);
      columns.push(j);
      values.push(3 + (rowEffects[i] as number) + (columnEffects[j] as number));
    }

    const residuals = removeMainEffects(valuesProblem(40, 40, rows, columns, values));
    const before = rootMeanSquare(Float64Array.from(values, (value) => value - 3));
    const after = rootMeanSquare(residuals);

    // One pass leaves the row means' share of the sampled column effects, about 1/√200 of them.
    expect(after / before, `root mean square ${after} after, ${before} before`).toBeLessThan(0.1);
  });

  it('leaves values without row or column effects nearly unchanged', () => {
    // Independent noise with 5 observations per row and column: the raw row means vary by
    // about 1/√5 of the noise, so subtracting them unshrunk would change the values by 45%.
    const random = createRandom('noise');
    const rows: number[] = [];
    const columns: number[] = [];
    const values: number[] = [];
    for (let t = 0; t < 10_000; t++) {
      rows.push(t % 2000);
      columns.push((7 * t + Math.floor(t / 2000)) % 2000);
      values.push(random.gaussian());
    }
    const problem = valuesProblem(2000, 2000, rows, columns, values);
    const centered = Float64Array.from(values);
    const mean = centered.reduce((sum, value) => sum + value, 0) / centered.length;
    for (let t = 0; t < centered.length; t++) centered[t] = (centered[t] as number) - mean;

    const residuals = removeMainEffects(problem);
    const change = rootMeanSquare(Float64Array.from(residuals, (value, t) => value - (centered[t] as number)));

    expect(change / rootMeanSquare(centered), `root mean square change ${change}`).toBeLessThan(0.15);
  });

  it('keeps the values of a row observed once', () => {
    // Every column is observed once, so only the row effects can change the values.
    const rows = [0, ...Array.from({ length: 60 }, (_, t) => 1 + (t % 2))];
    const columns = rows.map((_, t) => t);
    const values = rows.map((row, t) => {
      if (row === 0) return 5;
      if (row === 1) return 1 + 0.1 * Math.sin(t);
      return -1 + 0.1 * Math.cos(t);
    });
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;

    const residuals = removeMainEffects(valuesProblem(3, rows.length, rows, columns, values));

    expect(residuals[0]).toBe(5 - mean);
    expect(Math.abs(residuals[1] as number), `residual of row 1: ${residuals[1]}`).toBeLessThan(0.2);
  });
});
