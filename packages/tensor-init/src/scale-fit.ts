import type { Activation } from '@nimc/activations';
import { cloneMatrix, createMatrix, createRandom, multiply, solve, type DenseMatrix } from '@nimc/linalg';
import type { NimcProblem } from '@nimc/objective';

/** Options of `fitColumnScales`. */
export interface ScaleFitOptions {
  /** Observations used by the fit, drawn without replacement when m is larger. Default 50,000. */
  samples?: number;
  /** Maximum number of Levenberg–Marquardt iterations. Default 50. */
  iterations?: number;
  /** Seed of the observation sample. Default 0. */
  seed?: number | string;
  /**
   * Range searched for the common starting scale. Its upper end also bounds |s_i| and |t_i|
   * during the refinement. Default [0.5, 5].
   */
  normRange?: readonly [number, number];
}

/** Column scales s, t such that U = Ū·diag(s) and V = V̄·diag(t) fit the observations. */
export interface ScaleFit {
  readonly uScales: Float64Array;
  readonly vScales: Float64Array;
  /** Loss (1/2S)·Σ (prediction − A)² over the S sampled observations at the start. */
  readonly initialLoss: number;
  /** The same loss at the fitted scales. */
  readonly loss: number;
  /** √(Σ (prediction − A)²) / √(Σ (A − mean A)²) over the sample at the fitted scales. */
  readonly relativeResidual: number;
  readonly iterations: number;
}

interface Sample {
  size: number;
  k: number;
  /** ūᵀx of the sampled rows (size×k). */
  p: Float64Array;
  /** v̄ᵀy of the sampled columns (size×k). */
  q: Float64Array;
  target: Float64Array;
}

function drawSample(problem: NimcProblem, Ubar: DenseMatrix, Vbar: DenseMatrix, size: number, seed: number | string): Sample {
  const { observations } = problem;
  const m = observations.values.length;
  const k = Ubar.columns;
  const projectedX = multiply(problem.X, Ubar);
  const projectedY = multiply(problem.Y, Vbar);

  // A partial Fisher–Yates shuffle picks `size` distinct observations.
  let indices: Int32Array;
  if (size >= m) {
    indices = Int32Array.from({ length: m }, (_, t) => t);
  } else {
    const random = createRandom(seed);
    const pool = Int32Array.from({ length: m }, (_, t) => t);
    for (let s = 0; s < size; s++) {
      const pick = s + random.integer(m - s);
      const swap = pool[s] as number;
      pool[s] = pool[pick] as number;
      pool[pick] = swap;
    }
    indices = pool.slice(0, size);
  }

  const count = indices.length;
  const p = new Float64Array(count * k);
  const q = new Float64Array(count * k);
  const target = new Float64Array(count);
  for (let s = 0; s < count; s++) {
    const t = indices[s] as number;
    p.set(projectedX.data.subarray((observations.rows[t] as number) * k, ((observations.rows[t] as number) + 1) * k), s * k);
    q.set(projectedY.data.subarray((observations.columns[t] as number) * k, ((observations.columns[t] as number) + 1) * k), s * k);
    target[s] = observations.values[t] as number;
  }
  return { size: count, k, p, q, target };
}

function lossAt(sample: Sample, activation: Activation, theta: Float64Array): number {
  const { size, k, p, q, target } = sample;
  let sum = 0;
  for (let s = 0; s < size; s++) {
    let prediction = 0;
    for (let i = 0; i < k; i++) {
      prediction += activation.value((theta[i] as number) * (p[s * k + i] as number)) * activation.value((theta[k + i] as number) * (q[s * k + i] as number));
    }
    const residual = prediction - (target[s] as number);
    sum += residual * residual;
  }
  return sum / (2 * size);
}

// Accumulates JᵀJ and Jᵀr for the residuals r_s = Σ_i φ(s_i·p_si)·φ(t_i·q_si) − A_s.
function normalEquations(sample: Sample, activation: Activation, theta: Float64Array): { hessian: DenseMatrix; gradient: Float64Array } {
  const { size, k, p, q, target } = sample;
  const width = 2 * k;
  const jtj = new Float64Array(width * width);
  const gradient = new Float64Array(width);
  const row = new Float64Array(width);
  for (let s = 0; s < size; s++) {
    let prediction = 0;
    for (let i = 0; i < k; i++) {
      const pi = p[s * k + i] as number;
      const qi = q[s * k + i] as number;
      const zu = (theta[i] as number) * pi;
      const zv = (theta[k + i] as number) * qi;
      const fu = activation.value(zu);
      const fv = activation.value(zv);
      prediction += fu * fv;
      row[i] = activation.derivative(zu) * pi * fv;
      row[k + i] = fu * activation.derivative(zv) * qi;
    }
    const residual = prediction - (target[s] as number);
    for (let a = 0; a < width; a++) {
      const ra = row[a] as number;
      gradient[a]! += ra * residual;
      for (let b = a; b < width; b++) jtj[a * width + b]! += ra * (row[b] as number);
    }
  }
  const hessian = createMatrix(width, width);
  for (let a = 0; a < width; a++) {
    for (let b = a; b < width; b++) {
      hessian.data[a * width + b] = jtj[a * width + b] as number;
      hessian.data[b * width + a] = jtj[a * width + b] as number;
    }
  }
  return { hessian, gradient };
}

function readPositiveInteger(name: string, value: number | undefined, fallback: number): number {
  const resolved = value ?? fallback;
  if (!Number.isInteger(resolved) || resolved < 1) {
    throw new RangeError(`invalid ${name}: expected a positive integer, received ${resolved}`);
  }
  return resolved;
}

/**
 * Fits the column scales of a model whose column directions are fixed: minimizes
 * (1/2S)·Σ_s (Σ_i φ(s_i·ū_iᵀx)·φ(t_i·v̄_iᵀy) − A)² over s, t ∈ R^k on a sample of S
 * observations. All scales start from the common value in `normRange` with the smallest
 * loss (13 log-spaced values), then Levenberg–Marquardt refines the 2k scales, with each
 * step clipped to |s_i|, |t_i| ≤ normRange[1]. Without the bound, a column whose direction is
 * wrong can drift along a flat valley of the loss (for tanh, s_i → ∞ with t_i → 0).
 * For ReLU (and the identity), only the products s_i·t_i are identified, so the result
 * is balanced to |s_i| = |t_i|.
 * @param Ubar d1×k unit column directions
 * @param Vbar d2×k unit column directions, paired with Ubar's columns
 */
export function fitColumnScales(
  problem: NimcProblem,
  activation: Activation,
  Ubar: DenseMatrix,
  Vbar: DenseMatrix,
  options: ScaleFitOptions = {},
): ScaleFit {
  const k = Ubar.columns;
  if (Vbar.columns !== k) {
    throw new RangeError(`invalid directions: Ū has ${k} columns and V̄ has ${Vbar.columns}; they must be equal`);
  }
  const samples = readPositiveInteger('samples', options.samples, 50_000);
  const maxIterations = readPositiveInteger('iterations', options.iterations, 50);
  const [low, high] = options.normRange ?? [0.5, 5];
  const sample = drawSample(problem, Ubar, Vbar, samples, options.seed ?? 0);

  // Common starting scale.
  let theta = new Float64Array(2 * k);
  let loss = Infinity;
  for (let g = 0; g < 13; g++) {
    const candidate = new Float64Array(2 * k).fill(low * (high / low) ** (g / 12));
    const value = lossAt(sample, activation, candidate);
    if (value < loss) {
      loss = value;
      theta = candidate;
    }
  }
  const initialLoss = loss;

  // Levenberg–Marquardt with the damping μ·diag(JᵀJ). It stops when a step gains less than
  // a 1e-12 fraction of the loss, or when no damping up to 4^12·μ decreases the loss.
  let damping = 1e-3;
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations && !converged) {
    const { hessian, gradient } = normalEquations(sample, activation, theta);
    let accepted = false;
    for (let attempt = 0; attempt < 12 && !accepted; attempt++) {
      const system = cloneMatrix(hessian);
      for (let a = 0; a < 2 * k; a++) system.data[a * 2 * k + a] = (hessian.data[a * 2 * k + a] as number) * (1 + damping) + 1e-12;
      const step = solve(system, Float64Array.from(gradient, (g) => -g));
      const trial = Float64Array.from(theta, (value, a) => Math.min(high, Math.max(-high, value + (step[a] as number))));
      const trialLoss = lossAt(sample, activation, trial);
      if (Number.isFinite(trialLoss) && trialLoss < loss) {
        converged = loss - trialLoss <= 1e-12 * loss;
        theta = trial;
        loss = trialLoss;
        damping = Math.max(damping / 3, 1e-9);
        accepted = true;
      } else {
        damping *= 4;
      }
    }
    iterations++;
    if (!accepted) break;
  }

  const uScales = theta.slice(0, k);
  const vScales = theta.slice(k);
  if (activation.name === 'relu' || activation.name === 'identity') {
    for (let i = 0; i < k; i++) {
      const size = Math.sqrt(Math.abs((uScales[i] as number) * (vScales[i] as number)));
      uScales[i] = Math.sign(uScales[i] as number) * size;
      vScales[i] = Math.sign(vScales[i] as number) * size;
    }
  }

  let mean = 0;
  for (let s = 0; s < sample.size; s++) mean += sample.target[s] as number;
  mean /= sample.size;
  let spread = 0;
  for (let s = 0; s < sample.size; s++) spread += ((sample.target[s] as number) - mean) ** 2;
  const relativeResidual = spread > 0 ? Math.sqrt((2 * sample.size * loss) / spread) : 0;
  return { uScales, vScales, initialLoss, loss, relativeResidual, iterations };
}
