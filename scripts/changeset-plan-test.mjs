// Checks the release plans of changesets on copies of the workspace manifests, each in a
// new git repository outside the workspace.
// Scenario "patch": on main with no pending changeset, scripts/changeset-status.mjs passes,
// and it fails for a changeset that names an unknown package. A branch that changes
// @nimc/activations fails it until the branch adds a patch changeset. The plan then
// releases @nimc/activations and a patch of every published package that reaches it through
// `dependencies` or `peerDependencies`, even though 0.1.1 stays inside their ^0.1.0 range:
// .changeset/config.json sets updateInternalDependents to "always", so a dependent's next
// tarball records the new dependency version.
// Scenario "minor": 0.2.0 leaves ^0.1.0, and the plan is the same set of packages.
// In both, `changeset version` applies the plan: new versions, a CHANGELOG.md entry for each
// released package, and no change to any other package.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { listWorkspacePackages, repositoryRoot, runChecked } from './lib/workspace.mjs';

const changedPackage = '@nimc/activations';
const changesetBin = join(repositoryRoot, 'node_modules', '@changesets', 'cli', 'bin.js');
const statusScript = join(repositoryRoot, 'scripts', 'changeset-status.mjs');

function check(condition, message) {
  if (!condition) throw new Error(message);
}

/**
 * Returns the published packages that reach `name` through `dependencies` or
 * `peerDependencies`, directly or through other packages.
 */
function dependentsOf(packages, config, name) {
  const skipped = (pkg) => config.ignore.includes(pkg.name) || pkg.manifest.private === true;
  const reached = new Set([name]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const pkg of packages) {
      if (reached.has(pkg.name) || skipped(pkg)) continue;
      const runtime = { ...pkg.manifest.dependencies, ...pkg.manifest.peerDependencies };
      if (Object.keys(runtime).some((dependency) => reached.has(dependency))) {
        reached.add(pkg.name);
        grew = true;
      }
    }
  }
  reached.delete(name);
  return [...reached].sort();
}

/** Copies what changesets reads (manifests, changelogs, config) into a new git repository. */
function createRepository(dir, packages) {
  for (const file of ['package.json', 'pnpm-workspace.yaml', '.changeset/config.json']) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    cpSync(join(repositoryRoot, file), join(dir, file));
  }
  for (const pkg of packages) {
    const target = join(dir, relative(repositoryRoot, pkg.dir));
    mkdirSync(target, { recursive: true });
    for (const file of ['package.json', 'CHANGELOG.md']) {
      if (existsSync(join(pkg.dir, file))) cpSync(join(pkg.dir, file), join(target, file));
    }
  }
  // `changeset version` loads the changelog generator named in config.json from here.
  symlinkSync(join(repositoryRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, '.gitignore'), 'node_modules\n');
  const git = (...args) => runChecked('git', args, { cwd: dir });
  git('init', '--quiet', '--initial-branch=main');
  git('config', 'user.email', 'release-test@example.invalid');
  git('config', 'user.name', 'release test');
  git('config', 'commit.gpgsign', 'false');
  git('add', '--all');
  git('commit', '--quiet', '--message', 'Release the current versions');
  return git;
}

function runStatusScript(dir) {
  const env = { ...process.env, NO_COLOR: '1' };
  delete env.CHANGESET_BASE;
  const result = spawnSync(process.execPath, [statusScript], { cwd: dir, encoding: 'utf8', env });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function incrementVersion(version, bump) {
  const [major, minor, patch] = version.split('.').map(Number);
  if (bump === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

/** Commits a change to the changed package on a new branch, optionally with a changeset. */
function commitChange(dir, git, changedPath, changeset) {
  git('checkout', '--quiet', '-b', 'change-activations');
  mkdirSync(join(dir, changedPath, 'src'), { recursive: true });
  writeFileSync(join(dir, changedPath, 'src', 'change.ts'), 'export const changed = true;\n');
  git('add', '--all');
  git('commit', '--quiet', '--message', 'Change the activations package');
  if (changeset === undefined) return;
  writeFileSync(join(dir, '.changeset', 'change-activations.md'), changeset);
  git('add', '--all');
  git('commit', '--quiet', '--message', 'Add a changeset');
}

/** Checks that `changeset version` applied `releases` and left every other package alone. */
function checkVersionResult(dir, packages, releases, summary) {
  for (const pkg of packages) {
    const path = relative(repositoryRoot, pkg.dir);
    const manifest = readJson(join(dir, path, 'package.json'));
    const release = releases.find((candidate) => candidate.name === pkg.name);
    const changelogPath = join(dir, path, 'CHANGELOG.md');
    const before = existsSync(join(pkg.dir, 'CHANGELOG.md')) ? readFileSync(join(pkg.dir, 'CHANGELOG.md'), 'utf8') : undefined;
    const after = existsSync(changelogPath) ? readFileSync(changelogPath, 'utf8') : undefined;
    if (release === undefined) {
      check(manifest.version === pkg.version, `changeset version changed ${pkg.name} from ${pkg.version} to ${manifest.version}`);
      check(after === before, `changeset version changed the CHANGELOG.md of ${pkg.name}, which it does not release`);
      continue;
    }
    check(manifest.version === release.newVersion, `changeset version: expected ${pkg.name}@${release.newVersion}, received ${manifest.version}`);
    const kind = release.type === 'minor' ? 'Minor' : 'Patch';
    const heading = `# ${pkg.name}\n\n## ${release.newVersion}\n\n### ${kind} Changes\n`;
    check(after?.startsWith(heading), `CHANGELOG.md of ${pkg.name} does not start with the ${release.newVersion} entry:\n${after}`);
    const entry = pkg.name === changedPackage ? summary : 'Updated dependencies';
    check(after.includes(entry), `CHANGELOG.md of ${pkg.name} lacks "${entry}":\n${after}`);
    const range = manifest.dependencies?.[changedPackage];
    if (range !== undefined) {
      check(range.startsWith('workspace:'), `changeset version replaced the workspace range of ${changedPackage} in ${pkg.name}: ${range}`);
    }
  }
  check(!existsSync(join(dir, '.changeset', 'change-activations.md')), 'changeset version left the applied changeset in .changeset');
}

/**
 * Runs one scenario in a new repository: a `bump` changeset for the changed package must
 * produce a plan that releases exactly `expected` ({ name: type }) and a matching version.
 */
function runScenario(packages, bump, expected, { checkStatusGate }) {
  const dir = mkdtempSync(join(tmpdir(), `nimc-changeset-${bump}-`));
  let step = 'create the repository';
  try {
    const git = createRepository(dir, packages);
    const changedPath = relative(repositoryRoot, packages.find((pkg) => pkg.name === changedPackage).dir);
    const summary = `Change the activations package (${bump}).`;
    const changeset = `---\n"${changedPackage}": ${bump}\n---\n\n${summary}\n`;

    if (checkStatusGate) {
      step = 'status on main without changesets';
      const clean = runStatusScript(dir);
      check(clean.status === 0, `changeset-status.mjs failed on main with no changes:\n${clean.output}`);

      step = 'status on main with a changeset for an unknown package';
      const unknownPath = join(dir, '.changeset', 'unknown-package.md');
      writeFileSync(unknownPath, '---\n"@nimc/no-such-package": patch\n---\n\nChange a package that does not exist.\n');
      const unknown = runStatusScript(dir);
      check(unknown.status !== 0, `changeset-status.mjs passed with a changeset for an unknown package:\n${unknown.output}`);
      rmSync(unknownPath);

      step = 'status on a branch that lacks a changeset';
      commitChange(dir, git, changedPath, undefined);
      const missing = runStatusScript(dir);
      check(missing.status !== 0, `changeset-status.mjs passed on a branch that changes ${changedPackage} without a changeset:\n${missing.output}`);
      writeFileSync(join(dir, '.changeset', 'change-activations.md'), changeset);
      git('add', '--all');
      git('commit', '--quiet', '--message', 'Add a changeset');
    } else {
      commitChange(dir, git, changedPath, changeset);
    }

    step = 'status with the changeset';
    const withChangeset = runStatusScript(dir);
    check(withChangeset.status === 0, `changeset-status.mjs failed on a branch with a changeset:\n${withChangeset.output}`);

    step = 'release plan';
    runChecked(process.execPath, [changesetBin, 'status', '--since=main', '--output', 'plan.json'], { cwd: dir });
    // Ignored and private packages appear with type "none": their versions stay.
    const releases = readJson(join(dir, 'plan.json')).releases.filter((release) => release.type !== 'none');
    const planned = Object.fromEntries(releases.map((release) => [release.name, release.type]).sort());
    check(
      JSON.stringify(planned) === JSON.stringify(expected),
      `release plan of a ${bump} changeset: expected ${JSON.stringify(expected)}, received ${JSON.stringify(planned)}`,
    );
    for (const release of releases) {
      const pkg = packages.find((candidate) => candidate.name === release.name);
      const newVersion = incrementVersion(pkg.version, release.type);
      check(release.newVersion === newVersion, `release plan: expected ${release.name}@${newVersion}, received ${release.newVersion}`);
    }

    step = 'changeset version';
    rmSync(join(dir, 'plan.json'));
    runChecked(process.execPath, [changesetBin, 'version'], { cwd: dir });
    checkVersionResult(dir, packages, releases, summary);
    return releases;
  } catch (error) {
    throw new Error(`scenario "${bump}", step "${step}": ${error instanceof Error ? error.message : error}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const packages = listWorkspacePackages();
const config = readJson(join(repositoryRoot, '.changeset', 'config.json'));
const dependents = dependentsOf(packages, config, changedPackage);
try {
  const internalRanges = packages.flatMap((pkg) =>
    Object.entries({ ...pkg.manifest.dependencies, ...pkg.manifest.peerDependencies }).filter(([name]) => name === changedPackage),
  );
  for (const [, range] of internalRanges) {
    // The expected plans below assume caret ranges: ^0.1.0 admits 0.1.1 but not 0.2.0.
    check(range === 'workspace:^', `unexpected range ${range} for ${changedPackage}: this test expects workspace:^`);
  }
  check(dependents.length > 0, `no published package depends on ${changedPackage}, so the minor scenario tests nothing`);

  const expectedPlan = (bump) =>
    Object.fromEntries(
      [[changedPackage, bump], ...dependents.map((name) => [name, 'patch'])].sort(([a], [b]) => a.localeCompare(b)),
    );
  runScenario(packages, 'patch', expectedPlan('patch'), { checkStatusGate: true });
  runScenario(packages, 'minor', expectedPlan('minor'), { checkStatusGate: false });

  const untouched = packages.filter((pkg) => pkg.name !== changedPackage && !dependents.includes(pkg.name)).map((pkg) => pkg.name);
  console.log(
    `changeset plan: PASS; a patch or minor changeset for ${changedPackage} releases it and patch releases of ` +
      `${dependents.join(', ')}; neither touches ${untouched.join(', ')}; the status check fails for a branch without a ` +
      'changeset and for a changeset that names an unknown package',
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  console.log('changeset plan: FAIL');
  process.exitCode = 1;
}
