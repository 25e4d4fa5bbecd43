/* eslint-disable @typescript-eslint/no-require-imports -- this file loads the CommonJS builds through require() */
// Runs the check of parallel.mjs through the CommonJS builds, whose worker path comes from
// the import.meta.url shim of the CommonJS build.
const { getActivation } = require('@nimc/activations');
const { generateSynthetic } = require('@nimc/datasets');
const { createObjective } = require('@nimc/objective');
const { createParallelObjective } = require('@nimc/objective/parallel');

async function main() {
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
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
