// Measures what each published library package costs in a browser bundle: esbuild bundles
// the package's built ESM entry points, minified, for the browser, and gzip (level 9)
// compresses the result.
// - "own code": every import of another package stays external.
// - "with dependencies": the @nimc packages and third-party packages it imports are
//   bundled in; Node built-ins stay external and are listed, because a browser cannot load
//   them.
// Every export of the entry point is kept, so these are upper bounds for an application
// that imports a few names. A second table bundles named import sets (the docs site's
// in-browser playground, a training loop, the synthetic generator) to show what tree shaking
// leaves. The report lists, per bundle, the third-party packages inside it (ml-matrix in
// particular) and which @nimc files import them.
//
// Usage: node scripts/bundle-size.mjs [--out DIR]   (default bench/results; builds nothing)
import { mkdirSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { listPublishablePackages, repositoryRoot } from './lib/workspace.mjs';

const outIndex = process.argv.indexOf('--out');
const outDir = outIndex === -1 ? join(repositoryRoot, 'bench', 'results') : process.argv[outIndex + 1];
const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

const importSets = [
  {
    name: 'playground',
    description: 'the imports of apps/docs/.vitepress/theme/playground (training worker and component)',
    imports: {
      '@nimc/activations': ['activationNames'],
      '@nimc/datasets': ['generateSynthetic', 'relativeTestError'],
      '@nimc/linalg': ['createRandom'],
      '@nimc/objective': ['createObjective'],
      '@nimc/optimizers': ['adam', 'gradientDescent'],
      '@nimc/tensor-init': ['perturbedInit'],
    },
  },
  {
    name: 'training loop',
    description: 'training on data the application already has, and predicting',
    imports: {
      '@nimc/activations': ['getActivation'],
      '@nimc/linalg': ['createObservations', 'createRandom'],
      '@nimc/objective': ['createObjective', 'predictPairs'],
      '@nimc/optimizers': ['gradientDescent'],
      '@nimc/tensor-init': ['randomInit'],
    },
  },
  {
    name: 'synthetic generator',
    description: 'the synthetic problem generator alone',
    imports: { '@nimc/datasets': ['generateSynthetic'] },
  },
];

const packages = listPublishablePackages().filter((pkg) => pkg.manifest.exports !== undefined);
const packagesByName = new Map(packages.map((pkg) => [pkg.name, pkg]));

/** Resolves `@nimc/<name>[/subpath]` to the built ESM file of that workspace package. */
const workspaceResolver = {
  name: 'nimc-workspace',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^@nimc\// }, (args) => {
      const [scope, name, ...rest] = args.path.split('/');
      const pkg = packagesByName.get(`${scope}/${name}`);
      if (pkg === undefined) return undefined;
      const subpath = rest.length === 0 ? '.' : `./${rest.join('/')}`;
      const target = pkg.manifest.exports[subpath]?.import?.default;
      if (target === undefined) return { errors: [{ text: `${args.path}: no "${subpath}" import entry in ${pkg.name}` }] };
      return { path: join(pkg.dir, target) };
    });
  },
};

/**
 * Leaves a Node built-in external unless the importing package maps it for browsers (as
 * seedrandom's `"browser": { "crypto": false }` does), so the report lists only built-ins
 * that a browser bundle would really need.
 */
const nodeBuiltinResolver = {
  name: 'node-builtins',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /.*/ }, async (args) => {
      if (!nodeBuiltins.includes(args.path) || args.pluginData?.retry === true) return undefined;
      const { kind, resolveDir, importer } = args;
      const resolved = await pluginBuild.resolve(args.path, { kind, resolveDir, importer, pluginData: { retry: true } });
      if (resolved.errors.length > 0) return { path: args.path, external: true };
      // esbuild marks a module disabled by a `browser` map with an empty namespace.
      if (resolved.namespace === '') return { path: args.path, namespace: 'browser-disabled' };
      return resolved;
    });
    pluginBuild.onLoad({ filter: /.*/, namespace: 'browser-disabled' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

/** Returns the package name of a bundled input path, or undefined for workspace files. */
function thirdPartyName(inputPath) {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(inputPath);
  return match?.[1];
}

async function measure({ entry, contents, bundleDependencies }) {
  const result = await build({
    ...(contents === undefined ? { entryPoints: [entry] } : { stdin: { contents, resolveDir: repositoryRoot, loader: 'js' } }),
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
    ...(bundleDependencies ? { plugins: [nodeBuiltinResolver, workspaceResolver] } : { packages: 'external' }),
  });
  const output = result.outputFiles[0].contents;
  const [meta] = Object.values(result.metafile.outputs);
  const thirdParty = new Map();
  for (const [path, { bytesInOutput }] of Object.entries(meta.inputs)) {
    const name = thirdPartyName(path);
    if (name !== undefined) thirdParty.set(name, (thirdParty.get(name) ?? 0) + bytesInOutput);
  }
  const importersOf = (name) =>
    Object.entries(result.metafile.inputs)
      .filter(([path, input]) => thirdPartyName(path) === undefined && input.imports.some((imported) => thirdPartyName(imported.path) === name))
      .map(([path]) => relative(repositoryRoot, join(repositoryRoot, path)));
  const builtins = [...new Set(meta.imports.filter((imported) => imported.external && nodeBuiltins.includes(imported.path)).map((imported) => imported.path))];
  return {
    minified: output.length,
    gzip: gzipSync(output, { level: 9 }).length,
    thirdParty: Object.fromEntries([...thirdParty].sort(([, a], [, b]) => b - a)),
    mlMatrixImporters: thirdParty.has('ml-matrix') ? importersOf('ml-matrix') : [],
    nodeBuiltins: builtins.sort(),
  };
}

const kilobytes = (bytes) => `${(bytes / 1024).toFixed(1)}`;

const rows = [];
for (const pkg of packages) {
  for (const [subpath, target] of Object.entries(pkg.manifest.exports)) {
    if (subpath === './package.json') continue;
    const entry = join(pkg.dir, target.import.default);
    const label = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
    const own = await measure({ entry, bundleDependencies: false });
    const full = await measure({ entry, bundleDependencies: true });
    rows.push({ label, own, full });
  }
}
const sets = [];
for (const set of importSets) {
  const contents = Object.entries(set.imports)
    .map(([source, names]) => `export { ${names.join(', ')} } from '${source}';`)
    .join('\n');
  sets.push({ ...set, ...(await measure({ contents, bundleDependencies: true })) });
}

const describeThirdParty = (report) =>
  Object.entries(report.thirdParty)
    .map(([name, bytes]) => `${name} ${kilobytes(bytes)}`)
    .join(', ') || 'none';
const lines = [
  '# Bundle size',
  '',
  `Measured ${new Date().toISOString()} with esbuild ${(await import('esbuild')).version} by \`node scripts/bundle-size.mjs\`:`,
  'each entry point bundled from its built ESM file for the browser (ES2022, minified), every export',
  'kept; gzip level 9. Sizes in KiB. "Own" leaves every imported package external; "with',
  'dependencies" bundles the @nimc and third-party packages it imports. Third-party columns give',
  'the minified KiB each package contributes to the "with dependencies" bundle.',
  '',
  '| entry point | own min | own gzip | with deps min | with deps gzip | third-party inside (min KiB) | Node built-ins imported |',
  '|---|---|---|---|---|---|---|',
  ...rows.map(
    ({ label, own, full }) =>
      `| ${label} | ${kilobytes(own.minified)} | ${kilobytes(own.gzip)} | ${kilobytes(full.minified)} | ${kilobytes(full.gzip)} | ${describeThirdParty(full)} | ${full.nodeBuiltins.join(', ') || 'none'} |`,
  ),
  '',
  '## Tree-shaken import sets',
  '',
  'Each set bundles only the names listed, with its dependencies, for the browser.',
  '',
  '| import set | min | gzip | third-party inside (min KiB) | Node built-ins imported | names |',
  '|---|---|---|---|---|---|',
  ...sets.map(
    (set) =>
      `| ${set.name}: ${set.description} | ${kilobytes(set.minified)} | ${kilobytes(set.gzip)} | ${describeThirdParty(set)} | ${set.nodeBuiltins.join(', ') || 'none'} | ${Object.entries(set.imports).map(([source, names]) => `${names.join(', ')} (${source})`).join('; ')} |`,
  ),
  '',
  '## Files that import ml-matrix',
  '',
  ...[...rows.map(({ label, full }) => [label, full]), ...sets.map((set) => [set.name, set])].map(
    ([label, report]) => `- ${label}: ${report.mlMatrixImporters.length === 0 ? 'no ml-matrix' : report.mlMatrixImporters.join(', ')}`,
  ),
  '',
];
const report = { date: new Date().toISOString(), entries: rows, importSets: sets };

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'bundle-size.json'), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(join(outDir, 'bundle-size.md'), lines.join('\n'));
console.log(lines.join('\n'));
