// Sums the vitest JSON reports that `pnpm test:all` leaves in each workspace package and in
// the repository root (the scripts and README example tests), and prints one closing line
// "N passed, N failed, N skipped".
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const reportName = '.vitest-report.json';

async function reportPaths() {
  const paths = [join(root, reportName)];
  for (const group of ['packages', 'apps']) {
    for (const entry of await readdir(join(root, group), { withFileTypes: true })) {
      if (entry.isDirectory()) paths.push(join(root, group, entry.name, reportName));
    }
  }
  return paths;
}

let passed = 0;
let failed = 0;
let skipped = 0;
let reports = 0;
for (const path of await reportPaths()) {
  let report;
  try {
    report = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    if (error.code === 'ENOENT') continue;
    throw error;
  }
  reports++;
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}
if (reports === 0) {
  console.error('no vitest reports found: run the tests first');
  process.exit(1);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
