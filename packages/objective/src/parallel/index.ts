export { createParallelObjective, type ParallelObjective, type ParallelObjectiveOptions } from './parallel-objective.js';
export { createWorkerPool, type WorkerPool, type WorkerPoolOptions } from './pool.js';
