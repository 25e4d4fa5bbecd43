import { createRandom } from '@nimc/linalg';
import { describe, expect, it } from 'vitest';
import { gaussNewton, type GaussNewtonFunction, type IterationInfo } from '../src/index.js';
import { expectVectorClose } from './helpers.js';

// f(x) = ½(x − 3)², a one-dimensional linear least-squares loss with G = 1 and ∇f = x − 3.
const shiftedSquare: GaussNewtonFunction = {
  evaluate: (x, gradient) => {
    const residual = (x[0] as number) - 3;
    gradient[0] = residual;
    return 0.5 * residual * residual;
  },
  gaussNewtonTimes: (_x, v, out) => {
    out[0] = v[0] as number;
  },
};

/** f(x) = 1/(2m)‖Ax − b‖² with Gaussian A (m×d) and b = A·minimizer + noise. */
function linearLeastSquares(m: number, minimizer: number[], noise: number): GaussNewtonFunction {
  const d = minimizer.length;
  const random = createRandom(3);
  const A = random.gaussianMatrix(m, d).data;
  const b = new Float64Array(m);
  for (let t = 0; t < m; t++) {
    for (let j = 0; j < d; j++) b[t]! += (A[t * d + j] as number) * (minimizer[j] as number);
    b[t]! += noise * random.gaussian();
  }
  const residuals = new Float64Array(m);
  return {
    evaluate: (x, gradient) => {
      gradient.fill(0);
      let sum = 0;
      for (let t = 0; t < m; t++) {
        let r = -(b[t] as number);
        for (let j = 0; j < d; j++) r += (A[t * d + j] as number) * (x[j] as number);
        sum += r * r;
        for (let j = 0; j < d; j++) gradient[j]! += (r * (A[t * d + j] as number)) / m;
      }
      return sum / (2 * m);
    },
    gaussNewtonTimes: (_x, v, out) => {
      for (let t = 0; t < m; t++) {
        let r = 0;
        for (let j = 0; j < d; j++) r += (A[t * d + j] as number) * (v[j] as number);
        residuals[t] = r;
      }
      out.fill(0);
      for (let t = 0; t < m; t++) {
        for (let j = 0; j < d; j++) out[j]! += ((residuals[t] as number) * (A[t * d + j] as number)) / m;
      }
    },
  };
}

// Rosenbrock's function as ½‖r‖² with r = (1 − u, 10(v − u²)), J = [[−1, 0], [−20u, 10]].
const rosenbrockResiduals: GaussNewtonFunction = {
  evaluate: (x, gradient) => {
    const u = x[0] as number;
    const v = x[1] as number;
    const r1 = 1 - u;
    const r2 = 10 * (v - u * u);
    gradient[0] = -r1 - 20 * u * r2;
    gradient[1] = 10 * r2;
    return 0.5 * (r1 * r1 + r2 * r2);
  },
  gaussNewtonTimes: (x, v, out) => {
    const u = x[0] as number;
    const jv1 = -(v[0] as number);
    const jv2 = -20 * u * (v[0] as number) + 10 * (v[1] as number);
    out[0] = -jv1 - 20 * u * jv2;
    out[1] = 10 * jv2;
  },
};

describe('gaussNewton', () => {
  it('takes the damped step and lowers the damping after a perfect prediction', () => {
    const steps: number[] = [];
    const result = gaussNewton(shiftedSquare, Float64Array.of(0), {
      initialDamping: 1,
      maxIterations: 1,
      onIteration: (info) => {
        steps.push(info.step);
      },
    });

    // g = −3 and (G + μ)p = (1 + 1)p = 3 gives p = 1.5 after one CG product. f(1.5) = 1.125.
    // Predicted decrease −gp − ½p·G·p = 4.5 − 1.125 = 3.375 equals the actual 4.5 − 1.125,
    // so ρ = 1 and μ ← 1·max(1/3, 1 − (2 − 1)³) = 1/3.
    expect(Array.from(result.x)).toEqual([1.5]);
    expect(result.loss).toBe(1.125);
    expect(steps).toEqual([1.5]);
    expect(result.damping).toBeCloseTo(1 / 3, 15);
    expect(result.evaluations).toBe(2);
    expect(result.productEvaluations).toBe(1);
    expect(result.history).toEqual([4.5, 1.125]);
    expect(result.stopReason).toBe('max-iterations');
  });

  it('doubles the damping after a rejected trial', () => {
    let calls = 0;
    const failingOnce: GaussNewtonFunction = {
      evaluate: (x, gradient) => {
        calls++;
        const loss = shiftedSquare.evaluate(x, gradient);
        return calls === 2 ? Number.NaN : loss;
      },
      gaussNewtonTimes: shiftedSquare.gaussNewtonTimes,
    };

    const result = gaussNewton(failingOnce, Float64Array.of(0), { initialDamping: 1, maxIterations: 1 });

    // The NaN trial is rejected and μ becomes 2. Then (1 + 2)p = 3 gives p = 1, f(1) = 2,
    // and predicted = 3 − 0.5 = 2.5 = actual, so ρ = 1 and μ ← 2/3.
    expect(Array.from(result.x)).toEqual([1]);
    expect(result.damping).toBeCloseTo(2 / 3, 15);
    expect(result.evaluations).toBe(3);
    expect(result.productEvaluations).toBe(2);
  });

  it('solves a linear least-squares problem to machine precision', () => {
    const minimizer = [1, -2, 0.5, 3, -1];
    const f = linearLeastSquares(40, minimizer, 0);

    const result = gaussNewton(f, new Float64Array(5), { gradientTolerance: 1e-12 });

    expect(result.stopReason).toBe('gradient-tolerance');
    expectVectorClose(result.x, Float64Array.from(minimizer), 1e-10);
    expect(result.iterations).toBeLessThan(15);
  });

  it('reaches the noisy least-squares minimum and stops on the relative tolerance', () => {
    const f = linearLeastSquares(60, [0.3, -1, 2], 0.5);

    const result = gaussNewton(f, new Float64Array(3), { relativeTolerance: 1e-14, maxIterations: 200 });
    const gradient = new Float64Array(3);
    f.evaluate(result.x, gradient);

    expect(['relative-tolerance', 'gradient-tolerance']).toContain(result.stopReason);
    expect(Math.hypot(...gradient), `gradient ${Array.from(gradient)}`).toBeLessThan(1e-8);
  });

  it('converges on the Rosenbrock residuals from (−1.2, 1)', () => {
    const result = gaussNewton(rosenbrockResiduals, Float64Array.of(-1.2, 1), {
      gradientTolerance: 1e-10,
      maxIterations: 200,
    });

    expect(result.stopReason).toBe('gradient-tolerance');
    expectVectorClose(result.x, Float64Array.of(1, 1), 1e-8);
  });

  it('counts one gradient evaluation per trial and reports them to onIteration', () => {
    const infos: IterationInfo[] = [];
    const result = gaussNewton(rosenbrockResiduals, Float64Array.of(-1.2, 1), {
      maxIterations: 5,
      onIteration: (info) => {
        infos.push({ ...info });
      },
    });

    expect(infos.map((info) => info.iteration)).toEqual([1, 2, 3, 4, 5]);
    expect(infos[4]?.evaluations).toBe(result.evaluations);
    expect(result.history.length).toBe(6);
    for (let i = 1; i < result.history.length; i++) {
      expect(result.history[i]).toBeLessThanOrEqual(result.history[i - 1] as number);
    }
  });

  it('stops when onIteration returns false', () => {
    const result = gaussNewton(rosenbrockResiduals, Float64Array.of(-1.2, 1), { onIteration: () => false });

    expect(result.stopReason).toBe('callback');
    expect(result.iterations).toBe(1);
  });

  it('stops before the first iteration on an aborted signal', () => {
    const controller = new AbortController();
    controller.abort();

    const result = gaussNewton(rosenbrockResiduals, Float64Array.of(-1.2, 1), { signal: controller.signal });

    expect(result.stopReason).toBe('callback');
    expect(result.iterations).toBe(0);
    expect(Array.from(result.x)).toEqual([-1.2, 1]);
  });

  it('stops with line-search-failed when no damped step decreases f', () => {
    // The reported gradient points the wrong way, so every step −(G + μI)⁻¹g increases f.
    const misleading: GaussNewtonFunction = {
      evaluate: (x, gradient) => {
        gradient[0] = -2 * (x[0] as number);
        return (x[0] as number) ** 2;
      },
      gaussNewtonTimes: (_x, v, out) => {
        out[0] = 2 * (v[0] as number);
      },
    };

    const result = gaussNewton(misleading, Float64Array.of(1), { maxRejections: 5 });

    expect(result.stopReason).toBe('line-search-failed');
    expect(Array.from(result.x)).toEqual([1]);
    expect(result.evaluations).toBe(6);
  });

  it('stops with diverged when every trial is non-finite', () => {
    let calls = 0;
    const f: GaussNewtonFunction = {
      evaluate: (x, gradient) => {
        calls++;
        const loss = shiftedSquare.evaluate(x, gradient);
        return calls > 1 ? Number.NaN : loss;
      },
      gaussNewtonTimes: shiftedSquare.gaussNewtonTimes,
    };

    const result = gaussNewton(f, Float64Array.of(0), { maxRejections: 3 });

    expect(result.stopReason).toBe('diverged');
    expect(Array.from(result.x)).toEqual([0]);
  });

  it('rejects an object without gaussNewtonTimes', () => {
    const f = { evaluate: shiftedSquare.evaluate } as unknown as GaussNewtonFunction;
    expect(() => gaussNewton(f, Float64Array.of(0))).toThrow(
      'invalid f.gaussNewtonTimes: expected a function, received undefined',
    );
  });

  it('rejects a CG tolerance outside (0, 1)', () => {
    expect(() => gaussNewton(shiftedSquare, Float64Array.of(0), { cgTolerance: 1.5 })).toThrow(
      'invalid cgTolerance: expected a number in (0, 1), received 1.5',
    );
  });

  it('rejects a non-positive initial damping', () => {
    expect(() => gaussNewton(shiftedSquare, Float64Array.of(0), { initialDamping: 0 })).toThrow(
      'invalid initialDamping: expected a finite positive number, received 0',
    );
  });
});
