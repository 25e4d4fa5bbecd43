import type { Activation } from '@nimc/activations';
import { createMatrix, type DenseMatrix } from '@nimc/linalg';
import { checkParameterLength } from './embedding-cache.js';
import { extremeEigenvalues, type EigenOptions, type ExtremeEigenpairs } from './eigen.js';
import { createCurvature, type Curvature } from './hessian-vector.js';
import type { NimcModel, NimcProblem } from './model.js';
import type { ObjectiveOptions } from './objective.js';

/** The sizes that fix the layout of θ = [vec(U); vec(V)]. */
export interface ParameterShape {
  readonly d1: number;
  readonly d2: number;
  readonly k: number;
}

function splitTheta(shape: ParameterShape, theta: Float64Array): { U: DenseMatrix; V: DenseMatrix } {
  const { d1, d2, k } = shape;
  checkParameterLength('θ', theta, (d1 + d2) * k);
  return { U: createMatrix(d1, k, theta.subarray(0, d1 * k)), V: createMatrix(d2, k, theta.subarray(d1 * k)) };
}

/**
 * Returns the k tangent directions at θ of the scaling orbit (U·D, V·D⁻¹), D positive
 * diagonal: direction c is (U·diag(e_c), −V·diag(e_c)), that is u_c in column c of U and
 * −v_c in column c of V, zero elsewhere. Every positively homogeneous φ (ReLU, identity)
 * leaves the model unchanged along this orbit.
 */
export function scalingSymmetryDirections(shape: ParameterShape, theta: Float64Array): Float64Array[] {
  const { d1, d2, k } = shape;
  const { U, V } = splitTheta(shape, theta);
  const sizeU = d1 * k;
  const directions: Float64Array[] = [];
  for (let c = 0; c < k; c++) {
    const w = new Float64Array(sizeU + d2 * k);
    for (let a = 0; a < d1; a++) w[a * k + c] = U.data[a * k + c] as number;
    for (let b = 0; b < d2; b++) w[sizeU + b * k + c] = -(V.data[b * k + c] as number);
    directions.push(w);
  }
  return directions;
}

/**
 * Returns the k² tangent directions at θ of the orbit (U·R, V·R⁻ᵀ), R invertible k×k,
 * along which the identity activation leaves the model unchanged. The derivative at
 * R = I + εE_ab is (U·E_ab, −V·E_abᵀ): u_a in column b of U and −v_b in column a of V.
 * Directions are listed with a as the outer index.
 */
export function linearSymmetryDirections(shape: ParameterShape, theta: Float64Array): Float64Array[] {
  const { d1, d2, k } = shape;
  const { U, V } = splitTheta(shape, theta);
  const sizeU = d1 * k;
  const directions: Float64Array[] = [];
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      const w = new Float64Array(sizeU + d2 * k);
      for (let row = 0; row < d1; row++) w[row * k + b] = U.data[row * k + a] as number;
      for (let row = 0; row < d2; row++) w[sizeU + row * k + a] = -(V.data[row * k + b] as number);
      directions.push(w);
    }
  }
  return directions;
}

/**
 * Returns the k normal directions at θ of the constraint set {‖v_c‖ = constant for every c}:
 * direction c is v_c in column c of V and zero elsewhere. Their orthogonal complement is
 * the tangent space of that set.
 */
export function unitNormConstraintNormals(shape: ParameterShape, theta: Float64Array): Float64Array[] {
  const { d1, d2, k } = shape;
  const { V } = splitTheta(shape, theta);
  const sizeU = d1 * k;
  const directions: Float64Array[] = [];
  for (let c = 0; c < k; c++) {
    const w = new Float64Array(sizeU + d2 * k);
    for (let b = 0; b < d2; b++) w[sizeU + b * k + c] = V.data[b * k + c] as number;
    directions.push(w);
  }
  return directions;
}

/** Options of `constrainedExtremeEigenvalues`. */
export interface ConstrainedEigenOptions extends Omit<EigenOptions, 'excludedDirections'> {
  /**
   * Subspace the Hessian is restricted to. 'scaling' (default): the orthogonal
   * complement of `scalingSymmetryDirections`. 'unit-norm': the tangent space of
   * {‖v_c‖ = constant}, the complement of `unitNormConstraintNormals`.
   */
  subspace?: 'scaling' | 'unit-norm';
}

/**
 * Computes the extreme eigenvalues of the Hessian restricted to a complement of the
 * scaling symmetry: BᵀHB, where the columns of B are an orthonormal basis of the chosen
 * subspace. For ReLU at a zero-residual point H·s = 0 for every scaling direction s, so
 * this removes the k zero eigenvalues the symmetry forces.
 *
 * NOTE: at a point where ∇f ≠ 0, the Hessian of the loss on the sphere {‖v_c‖ = 1} adds
 * −(v_cᵀ∇_{v_c}f)·I on each column of V to the 'unit-norm' restriction. That term is not
 * included, so the 'unit-norm' values equal that Riemannian Hessian only at critical points.
 */
export function constrainedExtremeEigenvalues(
  curvature: Curvature,
  theta: Float64Array,
  options: ConstrainedEigenOptions = {},
): ExtremeEigenpairs {
  const subspace = options.subspace ?? 'scaling';
  if (subspace !== 'scaling' && subspace !== 'unit-norm') {
    throw new RangeError(`invalid subspace: expected 'scaling' or 'unit-norm', received ${String(subspace)}`);
  }
  const excludedDirections =
    subspace === 'scaling' ? scalingSymmetryDirections(curvature, theta) : unitNormConstraintNormals(curvature, theta);
  return extremeEigenvalues(curvature, theta, { ...options, excludedDirections });
}

/**
 * The NIMC loss in the unit-norm parametrization θ' = [vec(U); vec(W)] with
 * V = W·diag(1/‖w_1‖, …, 1/‖w_k‖): every column of V has unit norm and the scale of each
 * column pair is carried by U. For positively homogeneous φ (ReLU) every model (U, V)
 * with non-zero columns of V has such a representation, and the scaling symmetry
 * (U·D, V·D⁻¹) is removed. The loss is g(θ') = f(U, V(W)), penalty included. The penalty
 * on V is the constant λk/2, so nothing fixes the column norms of W.
 */
export interface NormalizedObjective {
  readonly d1: number;
  readonly d2: number;
  readonly k: number;
  /** Length of θ': (d1 + d2)·k. */
  readonly dimension: number;
  /** Number of observations m. */
  readonly size: number;
  readonly activation: Activation;
  /** Writes ∇g(θ') into `gradient` and returns g(θ'). */
  evaluate(theta: Float64Array, gradient: Float64Array): number;
  /** Returns g(θ'). */
  loss(theta: Float64Array): number;
  /**
   * Computes the Gauss–Newton matrix of g times v: Tᵀ(JᵀJ/m)T·v + λ·[dU; 0], where T is
   * the Jacobian of θ' ↦ θ and J the Jacobian of the predictions in θ.
   */
  gaussNewtonTimes(theta: Float64Array, v: Float64Array, out?: Float64Array): Float64Array;
  /** Returns θ = [vec(U); vec(V(W))], whose V has unit columns. */
  toFactors(theta: Float64Array): Float64Array;
  /**
   * Returns θ' = [vec(U·diag(‖v_c‖)); vec(V·diag(1/‖v_c‖))] for θ = [vec(U); vec(V)]. For
   * ReLU both describe the same model.
   */
  fromFactors(theta: Float64Array): Float64Array;
  /** Returns the model (U, V(W)) of θ' in a new buffer. */
  toModel(theta: Float64Array): NimcModel;
}

/**
 * Creates the loss of `problem` in the unit-norm parametrization V = W·diag(1/‖w_c‖), for
 * training with the optimizers while the scaling symmetry of ReLU is removed.
 * Column c of ∇_W g is (I − v_c v_cᵀ)·∇_{v_c}f / ‖w_c‖, so a zero column of W is invalid.
 */
export function createNormalizedObjective(
  problem: NimcProblem,
  activation: Activation,
  k: number,
  options: ObjectiveOptions = {},
): NormalizedObjective {
  const curvature = createCurvature(problem, activation, k, options);
  const { d1, d2, dimension } = curvature;
  const sizeU = d1 * k;
  const l2 = curvature.l2;
  const theta = new Float64Array(dimension);
  const direction = new Float64Array(dimension);
  const predictionChange = new Float64Array(curvature.size);
  const columnNorms = new Float64Array(k);

  // θ = [U; W·diag(1/‖w_c‖)] into `theta`, and ‖w_c‖ into `columnNorms`.
  const mapToFactors = (parameters: Float64Array): void => {
    checkParameterLength("θ'", parameters, dimension);
    theta.set(parameters);
    columnNorms.fill(0);
    for (let b = 0; b < d2; b++) {
      for (let c = 0; c < k; c++) columnNorms[c]! += (parameters[sizeU + b * k + c] as number) ** 2;
    }
    for (let c = 0; c < k; c++) {
      const size = Math.sqrt(columnNorms[c] as number);
      if (!(size > 0 && Number.isFinite(size))) {
        throw new RangeError(`invalid θ': column ${c} of W has norm ${size}, but every column needs a finite non-zero norm`);
      }
      columnNorms[c] = size;
    }
    for (let b = 0; b < d2; b++) {
      for (let c = 0; c < k; c++) theta[sizeU + b * k + c]! /= columnNorms[c] as number;
    }
  };

  // Applies T (equal to Tᵀ): the U block is unchanged and column c of the V block becomes
  // (I − v_c v_cᵀ)·x_c / ‖w_c‖. Needs `mapToFactors` first.
  const applyTangentMap = (source: Float64Array, out: Float64Array): void => {
    out.set(source.subarray(0, sizeU), 0);
    for (let c = 0; c < k; c++) {
      let projection = 0;
      for (let b = 0; b < d2; b++) projection += (theta[sizeU + b * k + c] as number) * (source[sizeU + b * k + c] as number);
      const scale = columnNorms[c] as number;
      for (let b = 0; b < d2; b++) {
        const index = sizeU + b * k + c;
        out[index] = ((source[index] as number) - projection * (theta[index] as number)) / scale;
      }
    }
  };

  const evaluate = (parameters: Float64Array, gradient: Float64Array): number => {
    checkParameterLength('gradient', gradient, dimension);
    mapToFactors(parameters);
    const value = curvature.evaluate(theta, direction);
    applyTangentMap(direction, gradient);
    return value;
  };

  const loss = (parameters: Float64Array): number => {
    mapToFactors(parameters);
    return curvature.loss(theta);
  };

  const gaussNewtonTimes = (parameters: Float64Array, v: Float64Array, out?: Float64Array): Float64Array => {
    checkParameterLength('v', v, dimension);
    const result = out ?? new Float64Array(dimension);
    checkParameterLength('output', result, dimension);
    mapToFactors(parameters);
    applyTangentMap(v, direction);
    curvature.jacobianTimes(theta, direction, predictionChange);
    for (let t = 0; t < predictionChange.length; t++) predictionChange[t]! /= curvature.size;
    curvature.jacobianTransposeTimes(theta, predictionChange, direction);
    applyTangentMap(direction, result);
    if (l2 !== 0) {
      for (let t = 0; t < sizeU; t++) result[t]! += l2 * (v[t] as number);
    }
    return result;
  };

  const toFactors = (parameters: Float64Array): Float64Array => {
    mapToFactors(parameters);
    return Float64Array.from(theta);
  };

  const fromFactors = (factors: Float64Array): Float64Array => {
    checkParameterLength('θ', factors, dimension);
    const out = Float64Array.from(factors);
    for (let c = 0; c < k; c++) {
      let sum = 0;
      for (let b = 0; b < d2; b++) sum += (factors[sizeU + b * k + c] as number) ** 2;
      const size = Math.sqrt(sum);
      if (!(size > 0 && Number.isFinite(size))) {
        throw new RangeError(`invalid θ: column ${c} of V has norm ${size}, but every column needs a finite non-zero norm`);
      }
      for (let a = 0; a < d1; a++) out[a * k + c]! *= size;
      for (let b = 0; b < d2; b++) out[sizeU + b * k + c]! /= size;
    }
    return out;
  };

  const toModel = (parameters: Float64Array): NimcModel => {
    const factors = toFactors(parameters);
    return {
      U: createMatrix(d1, k, factors.subarray(0, sizeU)),
      V: createMatrix(d2, k, factors.subarray(sizeU)),
      activation,
    };
  };

  return {
    d1,
    d2,
    k,
    dimension,
    size: curvature.size,
    activation,
    evaluate,
    loss,
    gaussNewtonTimes,
    toFactors,
    fromFactors,
    toModel,
  };
}
