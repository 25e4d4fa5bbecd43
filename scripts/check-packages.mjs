// Checks every publishable workspace package the way a registry user meets it: packs it
// with `pnpm pack`, then runs publint and @arethetypeswrong/cli (attw) on the tarball and
// checks the manifest and the file list. It builds nothing, so run `pnpm build` first.
//
// Usage: node scripts/check-packages.mjs [package-name ...]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkTarball } from './lib/package-checks.mjs';
import { listPublishablePackages, packPackage } from './lib/workspace.mjs';

const requested = process.argv.slice(2);
const packages = listPublishablePackages().filter((pkg) => requested.length === 0 || requested.includes(pkg.name));
if (requested.length > 0 && packages.length !== requested.length) {
  const known = listPublishablePackages().map((pkg) => pkg.name);
  console.error(`unknown package in ${requested.join(', ')}: publishable packages are ${known.join(', ')}`);
  process.exit(2);
}

const destination = mkdtempSync(join(tmpdir(), 'nimc-check-packages-'));
let failures = 0;
try {
  for (const pkg of packages) {
    const { tarball, files } = packPackage(pkg, destination);
    const { problems, notes } = checkTarball(tarball, files);
    const detail = [`${files.length} files`, ...notes].join('; ');
    if (problems.length === 0) {
      console.log(`ok   ${pkg.name}@${pkg.version} (${detail})`);
    } else {
      failures++;
      console.log(`FAIL ${pkg.name}@${pkg.version} (${detail})`);
      for (const problem of problems) console.log(`  - ${problem.replaceAll('\n', '\n    ')}`);
    }
  }
} finally {
  rmSync(destination, { recursive: true, force: true });
}

if (failures > 0) {
  console.log(`check:packages: FAIL, ${failures} of ${packages.length} packages have problems`);
  process.exit(1);
}
console.log(`check:packages: PASS, ${packages.length} packages pass publint, attw and the manifest checks`);
