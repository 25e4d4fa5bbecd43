export * from './errors.js';
export * from './movielens/index.js';
export * from './features.js';
export * from './baselines.js';
export * from './split.js';
export * from './synthetic.js';
export * from './tabular/index.js';
