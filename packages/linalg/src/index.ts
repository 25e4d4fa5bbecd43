export * from './dense.js';
export * from './products.js';
export * from './sparse.js';
export * from './random.js';
export * from './numpy-random.js';
export * from './decompositions.js';
export * from './svd.js';
export * from './kernels/index.js';
