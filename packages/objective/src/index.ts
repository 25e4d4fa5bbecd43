export * from './model.js';
export * from './compress.js';
export * from './objective.js';
export * from './gauss-newton-objective.js';
export { hessian } from './hessian.js';
export * from './hessian-vector.js';
export * from './eigen.js';
export * from './constrained.js';
export type { EvaluationOptions } from './evaluation/plan.js';
