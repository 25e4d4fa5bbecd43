// Checks of a packed package: publint, @arethetypeswrong/cli (attw), the manifest and the
// file list of the tarball.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readPackedManifest, repositoryRoot } from './workspace.mjs';

// The Node range that every package and the root package.json state. CI runs Node 20.
export const expectedEngines = '>=20.9';

// Paths that belong to the repository, not to the published package.
const forbiddenPaths = [
  { pattern: /^(src|test|tests|scripts|bench)\//, reason: 'source, test or script folder' },
  { pattern: /\.(test|spec)\.[cm]?[jt]sx?$/, reason: 'test file' },
  { pattern: /(^|\/)[^/]+(?<!\.d)\.[cm]?tsx?$/, reason: 'TypeScript source (only .d.ts and .d.cts belong in a package)' },
  { pattern: /(^|\/)(tsconfig[^/]*\.json|tsup\.config\.[cm]?[jt]s|vitest\.config\.[cm]?[jt]s)$/, reason: 'build configuration' },
  { pattern: /(^|\/)\.vitest-report\.json$|(^|\/)\.turbo\//, reason: 'tool output' },
];

const bin = (name) => join(repositoryRoot, 'node_modules', '.bin', name);

/**
 * Returns the problems of the `exports` map of a library package, one string each. Every
 * entry point other than ./package.json needs an `import` and a `require` condition, each
 * with `types` first, and every file it names must be in the tarball.
 */
export function checkExportsMap(manifest, files) {
  const problems = [];
  const exportsMap = manifest.exports;
  if (exportsMap === undefined || typeof exportsMap !== 'object' || exportsMap['.'] === undefined) {
    return ['missing exports["."]: a library package needs an import and a require entry'];
  }
  if (exportsMap['./package.json'] !== './package.json') {
    problems.push('missing export "./package.json": tools read the manifest through it');
  }
  for (const [subpath, target] of Object.entries(exportsMap)) {
    if (subpath === './package.json') continue;
    if (target === null || typeof target !== 'object') {
      problems.push(`invalid exports["${subpath}"]: expected { import, require } conditions, received ${JSON.stringify(target)}`);
      continue;
    }
    for (const condition of ['import', 'require']) {
      const entry = target[condition];
      if (entry === undefined || entry === null || typeof entry !== 'object') {
        problems.push(`missing exports["${subpath}"].${condition}: expected { types, default }`);
        continue;
      }
      const keys = Object.keys(entry);
      if (keys[0] !== 'types') {
        problems.push(`invalid exports["${subpath}"].${condition}: "types" must be the first condition, received ${keys.join(', ')}`);
      }
      const typesExtension = condition === 'import' ? '.d.ts' : '.d.cts';
      if (typeof entry.types !== 'string' || !entry.types.endsWith(typesExtension)) {
        problems.push(`invalid exports["${subpath}"].${condition}.types: expected a ${typesExtension} file, received ${entry.types}`);
      }
      for (const file of [entry.types, entry.default]) {
        if (typeof file === 'string' && !files.includes(file.replace(/^\.\//, ''))) {
          problems.push(`missing file ${file}, named in exports["${subpath}"].${condition}: run pnpm build first`);
        }
      }
    }
  }
  return problems;
}

/** Returns the problems of a bin-only package, one string each. */
export function checkBinPackage(manifest, files, tarball) {
  const problems = [];
  if (manifest.type !== 'module') problems.push(`invalid "type": the bin is ESM, expected "module", received ${manifest.type}`);
  for (const [command, target] of Object.entries(manifest.bin ?? {})) {
    const path = target.replace(/^\.\//, '');
    if (!files.includes(path)) {
      problems.push(`missing file ${target} of bin "${command}": run pnpm build first`);
      continue;
    }
    const head = spawnSync('tar', ['-xzOf', tarball, `package/${path}`], { encoding: 'utf8' }).stdout ?? '';
    if (!head.startsWith('#!/usr/bin/env node\n')) {
      problems.push(`invalid bin "${command}": ${target} must start with "#!/usr/bin/env node"`);
    }
  }
  return problems;
}

/**
 * Returns the problems shared by every package kind: the file list (no sources or tests, a
 * README and a changelog), engines and dependency ranges.
 */
export function checkCommon(manifest, files) {
  const problems = [];
  for (const file of files) {
    const forbidden = forbiddenPaths.find(({ pattern }) => pattern.test(file));
    if (forbidden !== undefined) problems.push(`unexpected file ${file} in the tarball: ${forbidden.reason}`);
  }
  if (!files.includes('README.md')) problems.push('missing README.md in the tarball');
  if (!files.includes('CHANGELOG.md')) problems.push('missing CHANGELOG.md in the tarball: list it in "files"');
  if (manifest.engines?.node !== expectedEngines) {
    problems.push(`invalid engines.node: expected "${expectedEngines}", received ${JSON.stringify(manifest.engines?.node)}`);
  }
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      if (range.startsWith('workspace:')) problems.push(`unreplaced ${field} range ${name}@${range} in the packed manifest`);
    }
  }
  return problems;
}

function runPublint(tarball) {
  const result = spawnSync(bin('publint'), ['run', tarball, '--strict'], { encoding: 'utf8' });
  const output = `${result.stdout}${result.stderr}`.trim();
  return result.status === 0 ? [] : [`publint failed:\n${output}`];
}

function runAttw(tarball) {
  const result = spawnSync(bin('attw'), [tarball, '--format', 'json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  let report;
  try {
    report = JSON.parse(result.stdout);
  } catch {
    return [`attw failed with exit code ${result.status}:\n${result.stdout}${result.stderr}`];
  }
  const problems = Object.values(report.problems ?? {}).flat();
  if (problems.length === 0 && result.status === 0) return [];
  const lines = problems.map((problem) => `  ${problem.kind} (${problem.entrypoint ?? ''} ${problem.resolutionKind ?? ''})`.trimEnd());
  return [`attw found ${problems.length} problem(s) (exit code ${result.status}):\n${lines.join('\n')}`];
}

/**
 * Checks a tarball made by `pnpm pack` whose file list is `files` and returns
 * { problems, notes }: an empty `problems` means the package is ready to publish.
 */
export function checkTarball(tarball, files) {
  const manifest = readPackedManifest(tarball);
  const isBinOnly = manifest.bin !== undefined && manifest.exports === undefined && manifest.main === undefined;
  const problems = checkCommon(manifest, files);
  const notes = [];
  if (isBinOnly) {
    problems.push(...checkBinPackage(manifest, files, tarball));
    // attw resolves the types of importable entry points. A bin-only package has none, so
    // attw can only report "This package does not contain types".
    notes.push('attw skipped: bin-only package with no importable entry point');
  } else {
    problems.push(...checkExportsMap(manifest, files));
  }
  problems.push(...runPublint(tarball));
  if (!isBinOnly) problems.push(...runAttw(tarball));
  return { problems, notes };
}
