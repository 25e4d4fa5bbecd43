// Runs `changeset status` against the main branch, in the form that fits where HEAD is:
// - HEAD on main's commit (CI on a fresh clone of main): no package differs from main. The
//   check reads every pending changeset, fails when one names a package that is not in the
//   workspace or when the config is invalid, and prints the release plan.
// - HEAD elsewhere (a feature branch): `--since=<base>` counts only the changesets added
//   since the branch left main. A branch that changes a published package without adding a
//   changeset fails.
// The base is the local `main` branch, else `origin/main`; CHANGESET_BASE overrides both.
//
// Usage: node scripts/changeset-status.mjs [extra changeset status options]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const changesetBin = join(fileURLToPath(new URL('..', import.meta.url)), 'node_modules', '@changesets', 'cli', 'bin.js');

function git(...args) {
  const result = spawnSync('git', args, { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

const candidates = process.env.CHANGESET_BASE ? [process.env.CHANGESET_BASE] : ['main', 'origin/main'];
const base = candidates.find((ref) => git('rev-parse', '--verify', '--quiet', `${ref}^{commit}`) !== undefined);
if (base === undefined) {
  console.error(`changeset status: FAIL, no base branch: none of ${candidates.join(', ')} exists; fetch main or set CHANGESET_BASE`);
  process.exit(1);
}

const onBase = git('rev-parse', 'HEAD') === git('rev-parse', `${base}^{commit}`);
const args = ['status', '--verbose', ...(onBase ? [] : [`--since=${base}`]), ...process.argv.slice(2)];
console.log(`changeset ${args.join(' ')} (HEAD ${onBase ? 'is' : 'is not'} ${base})`);
const result = spawnSync(process.execPath, [changesetBin, ...args], { stdio: 'inherit' });
const passed = result.status === 0;
console.log(`changeset status: ${passed ? 'PASS' : 'FAIL'}`);
process.exit(passed ? 0 : 1);
