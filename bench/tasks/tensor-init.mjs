// Times one tensor initialization (`tensorInit` of @nimc/tensor-init) on a problem file.
//
//   node bench/tasks/tensor-init.mjs --input FILE
//
// Prints one JSON object: { available: false } when the built @nimc/tensor-init has no
// tensorInit, or the seconds it took and the stage it spent longest in.
import { parseOptions } from '../lib/arguments.mjs';
import { activations } from '../lib/packages.mjs';
import { readProblemFile } from '../lib/problem-file.mjs';

const options = parseOptions(process.argv.slice(2), { input: '' });
if (options.input === '') throw new Error('missing --input FILE');

let tensorInit;
try {
  ({ tensorInit } = await import('../../packages/tensor-init/dist/index.js'));
} catch {
  tensorInit = undefined;
}
if (typeof tensorInit !== 'function') {
  console.log(JSON.stringify({ available: false }));
} else {
  const { header, problem } = readProblemFile(options.input);
  const stages = [];
  const started = performance.now();
  tensorInit(problem, activations.getActivation(header.activation), header.k, {
    seed: 0,
    onProgress: (event) => stages.push({ stage: event.stage, at: (performance.now() - started) / 1000 }),
  });
  const seconds = (performance.now() - started) / 1000;
  const durations = stages.map((entry, s) => ({ stage: entry.stage, seconds: (stages[s + 1]?.at ?? seconds) - entry.at }));
  console.log(JSON.stringify({ available: true, seconds, stages: durations }));
}
