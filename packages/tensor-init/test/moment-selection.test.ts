import { describe, expect, it } from 'vitest';
import {
  DegenerateMomentError,
  momentLabel,
  normalizedMomentCoefficient,
  scoreMoment,
  selectAuxiliaryMoment,
  selectTensorMoment,
} from '../src/index.js';

describe('normalizedMomentCoefficient', () => {
  it('gives 1/(2√π) for ReLU E[A·He2(x)⊗y] at every norm', () => {
    // a_2 = σ/√(2π), a_1 = σ/2 and E[relu(σz)²] = σ²/2, so the ratio is 1/(2√π).
    for (const sigma of [0.3, 1, 7]) {
      const value = normalizedMomentCoefficient('relu', { x: 2, y: 1 }, sigma, sigma);
      expect(Math.abs(value - 1 / (2 * Math.sqrt(Math.PI))), `σ = ${sigma}: ${value}`).toBeLessThan(1e-14);
    }
  });

  it('vanishes where the Hermite component vanishes', () => {
    expect(normalizedMomentCoefficient('relu', { x: 3, y: 0 }, 1, 1)).toBe(0);
    expect(normalizedMomentCoefficient('tanh', { x: 3, y: 0 }, 1, 1)).toBe(0);
    expect(normalizedMomentCoefficient('sigmoid', { x: 2, y: 1 }, 1, 1)).toBe(0);
    expect(normalizedMomentCoefficient('identity', { x: 3, y: 1 }, 1, 1)).toBe(0);
  });
});

describe('selectTensorMoment', () => {
  it('picks E[A·He3(x)] for sigmoid, E[A·He2(x)⊗y] for ReLU and E[A·He3(x)⊗y] for tanh', () => {
    expect(selectTensorMoment('sigmoid', 'x').label).toBe('E[A·He3(x)]');
    expect(selectTensorMoment('relu', 'x').label).toBe('E[A·He2(x)⊗y]');
    expect(selectTensorMoment('tanh', 'x').label).toBe('E[A·He3(x)⊗y]');
    expect(selectTensorMoment('tanh', 'y').label).toBe('E[A·x⊗He3(y)]');
  });

  it('lists every candidate with its score', () => {
    const choice = selectTensorMoment('relu', 'y');

    expect(choice.candidates.map((c) => c.label)).toEqual(['E[A·He3(y)]', 'E[A·x⊗He2(y)]', 'E[A·He4(y)]', 'E[A·x⊗He3(y)]']);
    expect(choice.candidates[0]?.score).toBe(0);
    expect(choice.score).toBe(Math.max(...choice.candidates.map((c) => c.score)));
  });

  it('raises for every moment of the identity', () => {
    expect(() => selectTensorMoment('identity', 'x')).toThrow(DegenerateMomentError);
    expect(() => selectTensorMoment('identity', 'x')).toThrow(
      /degenerate moments for activation identity: every tensor moment for the x directions has a normalized coefficient below 0.001/,
    );
  });

  it('raises for the third-order moment of ReLU', () => {
    let error: unknown;
    try {
      selectTensorMoment('relu', 'x', { x: 3, y: 0 });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DegenerateMomentError);
    expect((error as DegenerateMomentError).message).toMatch(/degenerate moment E\[A·He3\(x\)\] for activation relu: its normalized coefficient is 0/);
    expect((error as DegenerateMomentError).activation).toBe('relu');
  });

  it('raises for moments of x alone under tanh', () => {
    expect(() => selectTensorMoment('tanh', 'x', { x: 3, y: 0 })).toThrow(DegenerateMomentError);
    expect(() => selectTensorMoment('tanh', 'x', { x: 4, y: 0 })).toThrow(DegenerateMomentError);
  });

  it('accepts a valid explicit request', () => {
    expect(selectTensorMoment('relu', 'x', { x: 4, y: 0 }).label).toBe('E[A·He4(x)]');
  });

  it('rejects an order that cannot give the directions', () => {
    expect(() => selectTensorMoment('relu', 'x', { x: 1, y: 2 })).toThrow('invalid moment (1, 2) for side x');
  });

  it('rejects an empty norm range', () => {
    expect(() => selectTensorMoment('relu', 'x', 'auto', { normRange: [2, 1] })).toThrow(
      'invalid normRange: expected 0 < σmin ≤ σmax < ∞, received [2, 1]',
    );
  });
});

describe('selectAuxiliaryMoment', () => {
  it('keeps E[A·x] for sigmoid and drops it for tanh', () => {
    expect(selectAuxiliaryMoment('sigmoid', { x: 1, y: 0 }, 'signs', false)?.sign).toBe(1);
    expect(selectAuxiliaryMoment('tanh', { x: 1, y: 0 }, 'signs', false)).toBeUndefined();
  });

  it('raises when a required moment vanishes', () => {
    expect(() => selectAuxiliaryMoment('tanh', { x: 1, y: 0 }, 'the signs of U', true)).toThrow(
      /degenerate moment E\[A·x\] for activation tanh: .* so it cannot serve for the signs of U/,
    );
  });
});

describe('scoreMoment', () => {
  it('reports the range and sign over the grid', () => {
    const score = scoreMoment('sigmoid', { x: 3, y: 0 }, [0.5, 5]);

    expect(score.label).toBe(momentLabel({ x: 3, y: 0 }));
    expect(score.score).toBeGreaterThan(0);
    expect(score.maxScore).toBeGreaterThan(score.score);
    // a_3 < 0 for sigmoid and a_0 = 1/2.
    expect(score.sign).toBe(-1);
  });
});
