// Installs the packed packages into a new project outside the workspace, with no network,
// and uses them the way a registry user would. The checks are a small fit through `import`
// and through `require`, the export names of every entry point in both formats,
// @nimc/objective/parallel on two threads, a TypeScript check of the consumer code under
// node16 module resolution, and the `nimc` command.
//
// Offline install: every publishable package is packed with `pnpm pack`. Every third-party
// package they need at run time (ml-matrix, seedrandom, commander and their own
// dependencies) is packed with `npm pack` from its installed copy in this workspace's
// node_modules, which `pnpm install` fills from the pnpm store. The consumer's
// package.json names the @nimc tarballs as dependencies and maps every package name to
// its tarball through `overrides`, so `npm install --offline` resolves nothing from a
// registry. npm runs with an empty cache in the temporary folder and a registry address
// that refuses connections, so a hidden network request fails the test.
//
// Usage: node scripts/pack-install-test.mjs [--keep]   (--keep leaves the folder in place)
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { listPublishablePackages, packPackage, readPackedManifest, repositoryRoot, runChecked } from './lib/workspace.mjs';

const keep = process.argv.includes('--keep');
const fixtureDir = join(repositoryRoot, 'scripts', 'pack-install');
const commandTimeoutMs = 300_000;

/** Finds the installed copy of `name` that Node would load from `fromDir`, following links. */
function findInstalled(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(candidate)) return dirname(realpathSync(candidate));
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Collects the third-party packages that the publishable packages load at run time, with
 * their own dependencies, as a map from name to { version, dir }.
 */
function collectThirdParty(packages) {
  const workspaceNames = new Set(packages.map((pkg) => pkg.name));
  const found = new Map();
  const pending = packages.map((pkg) => ({ manifest: pkg.manifest, dir: pkg.dir }));
  while (pending.length > 0) {
    const { manifest, dir } = pending.pop();
    const optional = manifest.optionalDependencies ?? {};
    for (const name of Object.keys({ ...manifest.dependencies, ...optional })) {
      if (workspaceNames.has(name)) continue;
      const installedDir = findInstalled(name, dir);
      if (installedDir === undefined) {
        if (name in optional) continue;
        throw new Error(`missing dependency ${name} of ${manifest.name}: run pnpm install first`);
      }
      const installed = JSON.parse(readFileSync(join(installedDir, 'package.json'), 'utf8'));
      const previous = found.get(name);
      if (previous !== undefined) {
        if (previous.version !== installed.version) {
          throw new Error(
            `unsupported dependency tree: ${name} is installed as ${previous.version} and ${installed.version}, ` +
              'and one override can only map a name to one tarball',
          );
        }
        continue;
      }
      found.set(name, { version: installed.version, dir: installedDir });
      pending.push({ manifest: installed, dir: installedDir });
    }
  }
  return found;
}

function run(command, args, cwd) {
  return runChecked(command, args, { cwd, timeout: commandTimeoutMs, env: { ...process.env, NO_COLOR: '1' } });
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** Packs everything into `tarballDir` and returns the spec map for `overrides`. */
function packAll(packages, tarballDir) {
  const specs = {};
  for (const pkg of packages) {
    const { tarball } = packPackage(pkg, tarballDir);
    specs[pkg.name] = `file:${tarball}`;
  }
  const thirdParty = collectThirdParty(packages);
  for (const [name, { dir }] of thirdParty) {
    // --ignore-scripts: an installed package keeps its prepack script (ml-matrix builds in
    // it), and its files are already the published ones.
    const result = run('npm', ['pack', dir, '--pack-destination', tarballDir, '--ignore-scripts', '--json'], tarballDir);
    const [report] = JSON.parse(result.stdout);
    specs[name] = `file:${join(tarballDir, report.filename)}`;
  }
  return { specs, thirdParty };
}

/** Lists the import specifiers of every entry point of the packed library packages. */
function entryPoints(packages, tarballs) {
  const specifiers = [];
  for (const pkg of packages) {
    const manifest = readPackedManifest(tarballs[pkg.name].slice('file:'.length));
    if (manifest.exports === undefined) continue;
    for (const subpath of Object.keys(manifest.exports)) {
      if (subpath === './package.json') continue;
      specifiers.push(subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`);
    }
  }
  return specifiers;
}

function installConsumer(consumerDir, packages, specs) {
  mkdirSync(consumerDir);
  const dependencies = Object.fromEntries(packages.map((pkg) => [pkg.name, specs[pkg.name]]));
  const manifest = { name: 'nimc-consumer', version: '0.0.0', private: true, dependencies, overrides: specs };
  writeFileSync(join(consumerDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const npmCache = join(consumerDir, '..', 'npm-cache');
  run(
    'npm',
    [
      'install',
      '--offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--cache',
      npmCache,
      '--registry',
      'http://127.0.0.1:9/',
    ],
    consumerDir,
  );
}

function checkInstalledVersions(consumerDir, packages, thirdParty) {
  const expected = [...packages.map((pkg) => [pkg.name, pkg.version]), ...[...thirdParty].map(([name, { version }]) => [name, version])];
  for (const [name, version] of expected) {
    const path = join(consumerDir, 'node_modules', name, 'package.json');
    check(existsSync(path), `${name} is not installed in the consumer project`);
    const installed = JSON.parse(readFileSync(path, 'utf8')).version;
    check(installed === version, `${name}: expected version ${version} in the consumer project, received ${installed}`);
  }
  return expected.length;
}

function checkFit(consumerDir) {
  const esm = JSON.parse(run('node', ['fit.mjs'], consumerDir).stdout);
  const cjs = JSON.parse(run('node', ['fit.cjs'], consumerDir).stdout);
  check(Number.isFinite(esm.finalLoss), `ESM fit ended with a non-finite loss: ${JSON.stringify(esm)}`);
  check(esm.finalLoss < esm.initialLoss, `ESM fit did not lower the loss: ${JSON.stringify(esm)}`);
  check(esm.iterations > 0, `ESM fit ran no iteration: ${JSON.stringify(esm)}`);
  check(esm.predictions.length === 5 && esm.predictions.every(Number.isFinite), `ESM predictions are not 5 finite numbers: ${esm.predictions}`);
  check(Number.isFinite(esm.testError), `ESM relative test error is not finite: ${esm.testError}`);
  // Both builds come from one source, run the same arithmetic and draw from the same seeds.
  check(JSON.stringify(esm) === JSON.stringify(cjs), `ESM and CJS fits differ:\n  esm ${JSON.stringify(esm)}\n  cjs ${JSON.stringify(cjs)}`);
  return esm;
}

const parallelEntry = '@nimc/objective/parallel';

/**
 * Evaluates the loss on two threads through each build of @nimc/objective/parallel, which
 * starts its worker from a file of the installed package, and compares it with the
 * single-threaded loss. The two differ only by the order of the sums, so 1e-12 is loose.
 */
function checkParallel(consumerDir) {
  const results = ['parallel.mjs', 'parallel.cjs'].map((file) => [file, JSON.parse(run('node', [file], consumerDir).stdout)]);
  for (const [file, result] of results) {
    check(result.threads === 2, `${file}: expected 2 threads, received ${result.threads}`);
    check(result.lossRelativeDifference <= 1e-12, `${file}: parallel and serial loss differ: ${JSON.stringify(result)}`);
    check(result.gradientRelativeDifference <= 1e-12, `${file}: parallel and serial gradient differ: ${JSON.stringify(result)}`);
  }
  return results.map(([, result]) => result);
}

function checkExports(consumerDir, specifiers) {
  const report = JSON.parse(run('node', ['exports.cjs', ...specifiers], consumerDir).stdout);
  for (const specifier of specifiers) {
    const { require: requiredNames, import: importedNames } = report[specifier];
    check(requiredNames.length > 0, `${specifier}: require() returned no exports`);
    const missingFromCjs = importedNames.filter((name) => !requiredNames.includes(name));
    const missingFromEsm = requiredNames.filter((name) => !importedNames.includes(name));
    check(
      missingFromCjs.length === 0 && missingFromEsm.length === 0,
      `${specifier}: the builds export different names; only in ESM: ${missingFromCjs.join(', ') || 'none'}; only in CJS: ${missingFromEsm.join(', ') || 'none'}`,
    );
  }
  const resolved = run('node', ['-e', `for (const s of ${JSON.stringify(specifiers)}) console.log(require.resolve(s))`], consumerDir);
  for (const path of resolved.stdout.trim().split('\n')) {
    check(path.startsWith(join(consumerDir, 'node_modules')), `resolved outside the consumer project: ${path}`);
  }
}

/**
 * Type-checks the consumer files and one namespace import per entry point with node16
 * resolution, as a browser project without @types/node would (lib es2022 and dom).
 */
function checkTypes(consumerDir, specifiers, consumerFiles) {
  const namespaceImports = specifiers
    .map((specifier, i) => `import * as entry${i} from '${specifier}';\nexport const names${i} = Object.keys(entry${i});\n`)
    .join('');
  writeFileSync(join(consumerDir, 'entry-points.mts'), namespaceImports);
  writeFileSync(join(consumerDir, 'entry-points.cts'), namespaceImports);
  const tsconfig = {
    compilerOptions: {
      module: 'node16',
      moduleResolution: 'node16',
      target: 'es2022',
      lib: ['es2022', 'dom'],
      types: [],
      strict: true,
      noEmit: true,
      allowJs: true,
      checkJs: true,
      skipLibCheck: false,
    },
    files: [...consumerFiles, 'entry-points.mts', 'entry-points.cts'],
  };
  writeFileSync(join(consumerDir, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  run('node', [join(repositoryRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], consumerDir);
}

function checkCli(consumerDir, cli) {
  const nimc = join(consumerDir, 'node_modules', '.bin', 'nimc');
  const version = run(nimc, ['--version'], consumerDir).stdout.trim();
  check(version === cli.version, `nimc --version: expected ${cli.version}, received ${version}`);
  const args = ['synthetic', '--d', '5', '--k', '2', '--n', '200', '--m', '2000', '--max-iterations', '50', '--json', '--quiet'];
  const output = run(nimc, args, consumerDir).stdout;
  let result;
  try {
    result = JSON.parse(output);
  } catch {
    throw new Error(`nimc ${args.join(' ')} did not print JSON:\n${output}`);
  }
  return result;
}

const packages = listPublishablePackages();
const libraries = packages.filter((pkg) => pkg.manifest.exports !== undefined);
const cli = packages.find((pkg) => pkg.manifest.bin !== undefined && pkg.manifest.exports === undefined);
const workDir = mkdtempSync(join(tmpdir(), 'nimc-pack-install-'));
const tarballDir = join(workDir, 'tarballs');
const consumerDir = join(workDir, 'consumer');
let step = 'pack';
try {
  check(relative(repositoryRoot, workDir).startsWith('..'), `the consumer folder ${workDir} lies inside the workspace`);
  mkdirSync(tarballDir);
  const { specs, thirdParty } = packAll(packages, tarballDir);

  step = 'npm install --offline';
  installConsumer(consumerDir, packages, specs);
  const installedCount = checkInstalledVersions(consumerDir, packages, thirdParty);
  const specifiers = entryPoints(libraries, specs);
  const hasParallel = specifiers.includes(parallelEntry);
  const consumerFiles = ['fit.mjs', 'fit.cjs', ...(hasParallel ? ['parallel.mjs', 'parallel.cjs'] : [])];
  for (const file of [...consumerFiles, 'exports.cjs']) copyFileSync(join(fixtureDir, file), join(consumerDir, file));

  step = 'fit through import and require';
  const fit = checkFit(consumerDir);
  step = 'export names of every entry point';
  checkExports(consumerDir, specifiers);
  let parallelSummary = `no ${parallelEntry} entry`;
  if (hasParallel) {
    step = `${parallelEntry} through import and require`;
    const [esm] = checkParallel(consumerDir);
    parallelSummary = `${parallelEntry} matches the serial loss to ${esm.lossRelativeDifference.toExponential(1)} on ${esm.threads} threads in ESM and CJS`;
  }
  step = 'TypeScript check with node16 resolution';
  // parallel.* use Node.js globals, which the browser-style check below has no types for.
  checkTypes(consumerDir, specifiers, ['fit.mjs', 'fit.cjs']);
  let cliSummary = 'no bin package';
  if (cli !== undefined) {
    step = 'nimc command';
    const result = checkCli(consumerDir, cli);
    cliSummary = `nimc synthetic --json printed ${Object.keys(result).length} fields`;
  }

  console.log(
    `pack-install: PASS, ${packages.length} packages and ${thirdParty.size} third-party dependencies installed offline ` +
      `(${installedCount} checked); ${specifiers.length} entry points load with import and require; ` +
      `fit loss ${fit.initialLoss.toPrecision(4)} -> ${fit.finalLoss.toPrecision(4)} in ${fit.iterations} iterations, ` +
      `identical in ESM and CJS; ${parallelSummary}; types check under node16; ${cliSummary}`,
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  console.log(`pack-install: FAIL at step "${step}" (folder ${keep ? workDir : 'removed; rerun with --keep to inspect it'})`);
  process.exitCode = 1;
} finally {
  if (!keep) rmSync(workDir, { recursive: true, force: true });
}
