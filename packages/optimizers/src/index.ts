export type * from './types.js';
export { gradientDescent } from './gradient-descent.js';
export { adam } from './adam.js';
export { minibatchAdam } from './minibatch-adam.js';
export { l2Norm } from './vector.js';
export * from './gauss-newton.js';
