// Workspace helpers shared by the packaging scripts: the package list, `pnpm pack` and the
// manifest inside a tarball.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Lists the packages of pnpm-workspace.yaml as { name, version, dir, manifest }. Only
 * globs of the form `folder/*` occur in this repository, so only those are expanded.
 */
export function listWorkspacePackages() {
  const workspaceFile = readFileSync(join(repositoryRoot, 'pnpm-workspace.yaml'), 'utf8');
  const globs = [];
  let inPackages = false;
  for (const line of workspaceFile.split('\n')) {
    if (/^packages:\s*$/.test(line)) {
      inPackages = true;
      continue;
    }
    if (inPackages && /^\s+-\s+/.test(line)) {
      globs.push(line.replace(/^\s+-\s+/, '').replace(/["']/g, '').trim());
    } else if (inPackages && /^\S/.test(line)) {
      inPackages = false;
    }
  }
  const packages = [];
  for (const glob of globs) {
    if (!glob.endsWith('/*') || glob.slice(0, -2).includes('*')) {
      throw new Error(`unsupported workspace glob "${glob}": expected the form folder/*`);
    }
    const parent = join(repositoryRoot, glob.slice(0, -2));
    for (const entry of readdirSync(parent, { withFileTypes: true })) {
      const manifestPath = join(parent, entry.name, 'package.json');
      if (!entry.isDirectory() || !existsSync(manifestPath)) continue;
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
      packages.push({ name: manifest.name, version: manifest.version, dir: join(parent, entry.name), manifest });
    }
  }
  return packages.sort((a, b) => a.name.localeCompare(b.name));
}

/** Lists the workspace packages that are published: those without `"private": true`. */
export function listPublishablePackages() {
  return listWorkspacePackages().filter((pkg) => pkg.manifest.private !== true);
}

/** Runs a command and returns its result, throwing with its output when it exits non-zero. */
export function runChecked(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed with exit code ${result.status} in ${options.cwd ?? process.cwd()}\n` +
        `${result.stdout ?? ''}${result.stderr ?? ''}`,
    );
  }
  return result;
}

/**
 * Packs a package with `pnpm pack` into `destination` and returns the tarball path and its
 * file list. pnpm replaces `workspace:` ranges with the versions they point to, as
 * `pnpm publish` does.
 */
export function packPackage(pkg, destination) {
  const result = runChecked('pnpm', ['pack', '--json', '--pack-destination', destination], { cwd: pkg.dir });
  const report = JSON.parse(result.stdout.slice(result.stdout.indexOf('{')));
  return { tarball: report.filename, files: report.files.map((file) => file.path) };
}

/** Reads `package/package.json` out of a tarball. */
export function readPackedManifest(tarball) {
  const result = runChecked('tar', ['-xzOf', tarball, 'package/package.json']);
  return JSON.parse(result.stdout);
}
