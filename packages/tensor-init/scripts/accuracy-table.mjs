// Measures the relative error of the tensor initializer against the number of observed
// entries m on synthetic problems from generateSynthetic (Gaussian features, ground truth
// scaled to σk = 1). The error is matchColumns' distance
// √(‖U0 − U*‖²_F + ‖V0 − V*‖²_F)/√(‖U*‖²_F + ‖V*‖²_F) after the best column permutation,
// joint sign flips for tanh and positive rescaling for ReLU.
//
// Run from the repository root after building this package and its dependencies
// (pnpm --filter @nimc/tensor-init... build):
//   node packages/tensor-init/scripts/accuracy-table.mjs --d 20 --k 5 --n 20000 \
//     --ms 10000,100000,1000000 --seeds 3
// Prints one line per run and a Markdown table of the mean and largest error per setting.
import { parseArgs } from 'node:util';
import { generateSynthetic } from '@nimc/datasets';
import { matchColumns, tensorInit } from '../dist/index.js';

const { values } = parseArgs({
  options: {
    activations: { type: 'string', default: 'sigmoid,tanh,relu' },
    d: { type: 'string', default: '20' },
    k: { type: 'string', default: '5' },
    n: { type: 'string', default: '20000' },
    ms: { type: 'string', default: '10000,100000,1000000' },
    seeds: { type: 'string', default: '3' },
  },
});
const activations = values.activations.split(',');
const ms = values.ms.split(',').map(Number);
const [d, k, n, seeds] = ['d', 'k', 'n', 'seeds'].map((key) => Number(values[key]));

const results = new Map();
for (const activation of activations) {
  for (const m of ms) {
    for (let seed = 0; seed < seeds; seed++) {
      const { problem, truth } = generateSynthetic({ activation, d, k, n, m, seed });
      const began = Date.now();
      const { U, V, diagnostics } = tensorInit(problem, activation, k, { seed });
      const seconds = (Date.now() - began) / 1000;
      const match = matchColumns(U, V, truth.U, truth.V, { activation });
      const row = {
        activation,
        m,
        seed,
        distance: match.distance,
        distanceU: match.distanceU,
        distanceV: match.distanceV,
        subspaceGap: diagnostics.subspaceGap,
        residualX: diagnostics.residual.x,
        residualY: diagnostics.residual.y,
        seconds,
      };
      console.log(JSON.stringify(row));
      const key = `${activation}:${m}`;
      results.set(key, [...(results.get(key) ?? []), row]);
    }
  }
}

console.log(`\nd = ${d}, k = ${k}, n1 = n2 = ${n}, ${seeds} seeds per cell; mean (largest) relative error of (U0, V0)\n`);
console.log(`| activation | ${ms.map((m) => `m = ${m.toExponential(0)}`).join(' | ')} |`);
console.log(`|---|${ms.map(() => '---').join('|')}|`);
for (const activation of activations) {
  const cells = ms.map((m) => {
    const rows = results.get(`${activation}:${m}`);
    const mean = rows.reduce((sum, row) => sum + row.distance, 0) / rows.length;
    const worst = Math.max(...rows.map((row) => row.distance));
    return `${mean.toFixed(3)} (${worst.toFixed(3)})`;
  });
  console.log(`| ${activation} | ${cells.join(' | ')} |`);
}
