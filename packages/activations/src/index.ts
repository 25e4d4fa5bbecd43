export type { Activation, ActivationName } from './activation.js';
export { identity, relu, sigmoid, tanh } from './functions.js';
export { activationNames, getActivation, isActivationName } from './registry.js';
export {
  absoluteNormalMoment,
  gaussianMeanSquare,
  gaussianMoment,
  gaussianMoments,
  maxMomentOrder,
  standardNormalMoment,
} from './moments.js';
export { hermiteCoefficients, hermiteExpectations, hermiteMonomialCoefficients, hermitePolynomial } from './hermite.js';
export { gaussHermiteRule, gaussLaguerreRule, gaussRuleFromJacobi, tridiagonalEigen, type QuadratureRule } from './quadrature.js';
