// Times one loss-and-gradient evaluation of nimc on a problem file (lib/problem-file.mjs).
//
//   node bench/tasks/evaluate-nimc.mjs --input FILE [--threads 1] [--repeats 5]
//     [--backend auto|wasm-simd|typescript] [--value-type float64|float32]
//     [--merge true|false] [--gradient-out FILE]
//
// Prints one JSON object: the loss, the setup seconds (building the objective: merging,
// sorting, copying), and the wall and CPU seconds of each timed evaluation after one
// untimed warm-up. CPU seconds come from process.cpuUsage and include every thread of the
// process. On Linux, `threadCpuSeconds` lists for each evaluation the CPU seconds of the
// `threads` busiest threads (10 ms resolution). With --gradient-out it writes the gradient
// as raw little-endian float64.
import { writeFileSync } from 'node:fs';
import { parseOptions } from '../lib/arguments.mjs';
import { activations, objective as objectivePackage } from '../lib/packages.mjs';
import { readProblemFile } from '../lib/problem-file.mjs';
import { busiestThreads, threadCpuSeconds } from '../lib/thread-times.mjs';

const options = parseOptions(process.argv.slice(2), {
  input: '',
  threads: 1,
  repeats: 5,
  backend: 'auto',
  'value-type': 'float64',
  merge: 'true',
  'gradient-out': '',
});
if (options.input === '') throw new Error('missing --input FILE');

const { header, problem, U, V } = readProblemFile(options.input);
const activation = activations.getActivation(header.activation);
const settings = {
  l2: header.l2,
  backend: options.backend,
  valueType: options['value-type'],
  mergeIdenticalRows: options.merge !== 'false',
};

const setupStarted = performance.now();
let objective;
if (options.threads === 1) {
  objective = objectivePackage.createObjective(problem, activation, header.k, settings);
} else {
  const { createParallelObjective } = await import('../../packages/objective/dist/parallel.js');
  objective = await createParallelObjective(problem, activation, header.k, { ...settings, threads: options.threads });
}
const setupSeconds = (performance.now() - setupStarted) / 1000;

const theta = objective.pack(U, V);
const gradient = new Float64Array(objective.dimension);
let loss = objective.evaluate(theta, gradient);
const wallSeconds = [];
const cpuSeconds = [];
const threadSeconds = [];
for (let r = 0; r < options.repeats; r++) {
  const threadsBefore = threadCpuSeconds();
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  loss = objective.evaluate(theta, gradient);
  const wall = (performance.now() - wallStart) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  threadSeconds.push(busiestThreads(threadsBefore, threadCpuSeconds(), options.threads));
  wallSeconds.push(wall);
  cpuSeconds.push((cpu.user + cpu.system) / 1e6);
}
await objective.close?.();

if (options['gradient-out'] !== '') {
  writeFileSync(options['gradient-out'], Buffer.from(gradient.buffer, gradient.byteOffset, gradient.byteLength));
}
let norm = 0;
for (const value of gradient) norm += value * value;
console.log(
  JSON.stringify({
    loss,
    gradientNorm: Math.sqrt(norm),
    threads: options.threads,
    backend: objective.backend,
    valueType: options['value-type'],
    mergeIdenticalRows: settings.mergeIdenticalRows,
    setupSeconds,
    wallSeconds,
    cpuSeconds,
    threadCpuSeconds: threadSeconds[0] === undefined ? null : threadSeconds,
  }),
);
