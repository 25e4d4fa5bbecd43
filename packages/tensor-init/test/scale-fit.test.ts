import { getActivation, type ActivationName } from '@nimc/activations';
import { generateSynthetic } from '@nimc/datasets';
import { createMatrix, createRandom, type DenseMatrix } from '@nimc/linalg';
import { describe, expect, it } from 'vitest';
import { fitColumnScales } from '../src/index.js';
import { modelWithNorms, sampleProblem } from './helpers.js';

function unit(a: DenseMatrix): DenseMatrix {
  const out = createMatrix(a.rows, a.columns, Float64Array.from(a.data));
  for (let i = 0; i < a.columns; i++) {
    let norm = 0;
    for (let row = 0; row < a.rows; row++) norm += (a.data[row * a.columns + i] as number) ** 2;
    for (let row = 0; row < a.rows; row++) out.data[row * a.columns + i] = (a.data[row * a.columns + i] as number) / Math.sqrt(norm);
  }
  return out;
}

describe('fitColumnScales', () => {
  it.each(['sigmoid', 'tanh'] as ActivationName[])('recovers the norms of noiseless %s data', (name) => {
    const normsU = [0.8, 1.5, 2.5];
    const normsV = [2, 1.2, 0.9];
    const truth = modelWithNorms(getActivation(name), 6, 5, normsU, normsV, `scales-${name}`);
    const problem = sampleProblem(truth, 800, 800, 20000, 1);

    const fit = fitColumnScales(problem, getActivation(name), unit(truth.U), unit(truth.V), { samples: 5000 });

    for (let i = 0; i < 3; i++) {
      // tanh is odd, so (−s, −t) fits equally well.
      const sign = name === 'tanh' ? Math.sign(fit.uScales[i] as number) : 1;
      expect(Math.abs(sign * (fit.uScales[i] as number) - (normsU[i] as number)), `u ${i}: ${fit.uScales[i]}`).toBeLessThan(1e-6);
      expect(Math.abs(sign * (fit.vScales[i] as number) - (normsV[i] as number)), `v ${i}: ${fit.vScales[i]}`).toBeLessThan(1e-6);
    }
    expect(fit.relativeResidual).toBeLessThan(1e-6);
    expect(fit.loss).toBeLessThan(fit.initialLoss);
  }, 30_000);

  it('recovers balanced products for ReLU', () => {
    const normsU = [0.5, 2];
    const normsV = [2, 1.5];
    const truth = modelWithNorms(getActivation('relu'), 5, 5, normsU, normsV, 'scales-relu');
    const problem = sampleProblem(truth, 500, 500, 10000, 2);

    const fit = fitColumnScales(problem, getActivation('relu'), unit(truth.U), unit(truth.V), { samples: 4000 });

    for (let i = 0; i < 2; i++) {
      const product = (normsU[i] as number) * (normsV[i] as number);
      expect(Math.abs((fit.uScales[i] as number) - Math.sqrt(product)), `u ${i}: ${fit.uScales[i]}`).toBeLessThan(1e-6);
      expect(fit.vScales[i]).toBe(fit.uScales[i]);
    }
  });

  it('bounds the scales of wrong tanh directions', () => {
    // With directions unrelated to the truth, the unbounded fit reached |s_i| = 6.9 here.
    const { problem } = generateSynthetic({ activation: 'tanh', d: 10, k: 3, n: 300, m: 3000, seed: 1 });
    const random = createRandom('dirs1');
    const Ubar = unit(random.gaussianMatrix(10, 3));
    const Vbar = unit(random.gaussianMatrix(10, 3));

    const fit = fitColumnScales(problem, getActivation('tanh'), Ubar, Vbar, { seed: 1 });

    for (const scale of [...fit.uScales, ...fit.vScales]) expect(Math.abs(scale), `scale ${scale}`).toBeLessThanOrEqual(5);
    expect(fit.loss).toBeLessThan(fit.initialLoss);
  });

  it('rejects a sample size of 0', () => {
    const truth = modelWithNorms(getActivation('relu'), 3, 3, [1], [1], 0);
    const problem = sampleProblem(truth, 10, 10, 50, 0);
    expect(() => fitColumnScales(problem, getActivation('relu'), truth.U, truth.V, { samples: 0 })).toThrow(
      'invalid samples: expected a positive integer, received 0',
    );
  });
});
