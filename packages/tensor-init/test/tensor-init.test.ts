import { generateSynthetic } from '@nimc/datasets';
import type { ActivationName } from '@nimc/activations';
import { describe, expect, it } from 'vitest';
import { DegenerateMomentError, matchColumns, tensorInit, type TensorInitStage } from '../src/index.js';

describe('tensorInit', () => {
  it.each([
    ['sigmoid', 'E[A·He3(x)]'],
    ['tanh', 'E[A·He3(x)⊗y]'],
    ['relu', 'E[A·He2(x)⊗y]'],
  ] as Array<[ActivationName, string]>)('recovers %s factors at d = 20, k = 5', (name, label) => {
    const { problem, truth } = generateSynthetic({ activation: name, d: 20, k: 5, n: 10_000, m: 200_000, seed: 3 });

    const result = tensorInit(problem, name, 5, { seed: 1 });
    const match = matchColumns(result.U, result.V, truth.U, truth.V, { activation: name });

    expect(result.diagnostics.moments.x.label).toBe(label);
    expect(match.distanceU, `relative error of U0: ${match.distanceU}`).toBeLessThan(0.3);
    expect(match.distanceV, `relative error of V0: ${match.distanceV}`).toBeLessThan(0.3);
    expect(result.diagnostics.subspaceGap).toBeGreaterThan(0.5);
    expect(result.diagnostics.residual.x).toBeLessThan(0.5);
    expect(result.diagnostics.residual.y).toBeLessThan(0.5);
  }, 60_000);

  it('reports diagnostics and progress', () => {
    const { problem } = generateSynthetic({ activation: 'sigmoid', d: 8, k: 3, n: 2000, m: 20_000, seed: 1 });
    const stages: TensorInitStage[] = [];

    const result = tensorInit(problem, 'sigmoid', 3, { onProgress: (event) => stages.push(event.stage) });
    const { diagnostics } = result;

    expect(stages).toEqual(['selection', 'subspace', 'moments', 'decomposition', 'pairing', 'scales']);
    expect(diagnostics.moments.x.coefficients.length).toBe(3);
    expect(diagnostics.moments.pairing.label).toBe('E[A·x⊗y]');
    expect(diagnostics.moments.signs?.label).toBe('E[A·x]');
    expect(diagnostics.singularValues.length).toBe(4);
    expect(diagnostics.norms.u.length).toBe(3);
    // sigmoid a_3 < 0 and a_0 = 1/2, so the coefficient of E[A·He3(x)] is negative for every column.
    for (const value of diagnostics.moments.x.coefficients) expect(value).toBeLessThan(0);
  });

  it('leaves the signs of U to the pairing for tanh', () => {
    const { problem } = generateSynthetic({ activation: 'tanh', d: 6, k: 2, n: 1000, m: 10_000, seed: 1 });

    expect(tensorInit(problem, 'tanh', 2).diagnostics.moments.signs).toBeNull();
  });

  it('is reproducible from the seed', () => {
    const { problem } = generateSynthetic({ activation: 'relu', d: 6, k: 2, n: 1000, m: 10_000, seed: 2 });
    const first = tensorInit(problem, 'relu', 2, { seed: 'same' });
    const second = tensorInit(problem, 'relu', 2, { seed: 'same' });

    expect(Array.from(first.U.data)).toEqual(Array.from(second.U.data));
    expect(Array.from(first.V.data)).toEqual(Array.from(second.V.data));
  });

  it('raises a degenerate-moment error for the identity', () => {
    const { problem } = generateSynthetic({ activation: 'identity', d: 6, k: 2, n: 200, m: 1000, seed: 0 });

    expect(() => tensorInit(problem, 'identity', 2)).toThrow(DegenerateMomentError);
    expect(() => tensorInit(problem, 'identity', 2)).toThrow(/degenerate moments for activation identity/);
  });

  it('raises a degenerate-moment error for the third-order moment of ReLU', () => {
    const { problem } = generateSynthetic({ activation: 'relu', d: 6, k: 2, n: 200, m: 1000, seed: 0 });

    expect(() => tensorInit(problem, 'relu', 2, { moments: { x: { x: 3, y: 0 } } })).toThrow(
      /degenerate moment E\[A·He3\(x\)\] for activation relu/,
    );
  });

  it('rejects a rank above min(d1, d2)', () => {
    const { problem } = generateSynthetic({ activation: 'relu', d: 4, k: 2, n: 50, m: 100, seed: 0 });

    expect(() => tensorInit(problem, 'relu', 5)).toThrow('invalid rank k: expected an integer from 1 to min(d1, d2) = 4, received 5');
  });
});
