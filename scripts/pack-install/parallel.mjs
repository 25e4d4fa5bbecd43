// Evaluates the loss with @nimc/objective/parallel (two threads, so one worker started from
// the installed package) through the ESM build and prints the relative difference from the
// single-threaded loss and gradient.
import { getActivation } from '@nimc/activations';
import { generateSynthetic } from '@nimc/datasets';
import { createObjective } from '@nimc/objective';
import { createParallelObjective } from '@nimc/objective/parallel';

const k = 3;
const { problem, truth } = generateSynthetic({ activation: 'relu', d: 6, k, n: 300, m: 3000, seed: 2 });
const activation = getActivation('relu');
const serial = createObjective(problem, activation, k);
const parallel = await createParallelObjective(problem, activation, k, { threads: 2 });
try {
  const theta = serial.pack(truth.U, truth.V).map((value, i) => value + 0.1 * Math.sin(i));
  const serialGradient = new Float64Array(theta.length);
  const parallelGradient = new Float64Array(theta.length);
  const serialLoss = serial.evaluate(theta, serialGradient);
  const parallelLoss = parallel.evaluate(theta, parallelGradient);
  let gradientDifference = 0;
  let gradientNorm = 0;
  for (let i = 0; i < theta.length; i++) {
    gradientDifference += (serialGradient[i] - parallelGradient[i]) ** 2;
    gradientNorm += serialGradient[i] ** 2;
  }
  console.log(
    JSON.stringify({
      threads: parallel.threads,
      serialLoss,
      parallelLoss,
      lossRelativeDifference: Math.abs(serialLoss - parallelLoss) / Math.abs(serialLoss),
      gradientRelativeDifference: Math.sqrt(gradientDifference / gradientNorm),
    }),
  );
} finally {
  await parallel.close();
}
