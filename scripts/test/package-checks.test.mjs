// Tests of the package checks behind `pnpm check:packages`: each rule on small manifests,
// and publint and attw on tarballs made from the built @nimc/activations.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCommon, checkExportsMap, checkTarball, expectedEngines } from '../lib/package-checks.mjs';
import { repositoryRoot } from '../lib/workspace.mjs';

const goodExports = {
  '.': {
    import: { types: './dist/index.d.ts', default: './dist/index.js' },
    require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
  },
  './package.json': './package.json',
};
const goodFiles = ['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts', 'package.json', 'README.md', 'CHANGELOG.md'];
const goodManifest = { name: '@nimc/example', version: '1.0.0', engines: { node: expectedEngines }, exports: goodExports };

describe('checkExportsMap', () => {
  it('accepts a dual map with types first', () => {
    expect(checkExportsMap(goodManifest, goodFiles)).toEqual([]);
  });

  it('rejects default before types', () => {
    const exports = { ...goodExports, '.': { ...goodExports['.'], import: { default: './dist/index.js', types: './dist/index.d.ts' } } };
    const problems = checkExportsMap({ exports }, goodFiles);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('"types" must be the first condition');
  });

  it('rejects ESM types for require', () => {
    const exports = { ...goodExports, '.': { ...goodExports['.'], require: { types: './dist/index.d.ts', default: './dist/index.cjs' } } };
    const problems = checkExportsMap({ exports }, goodFiles);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('expected a .d.cts file');
  });

  it('requires the ./package.json export', () => {
    const exports = { '.': goodExports['.'] };
    expect(checkExportsMap({ exports }, goodFiles)).toEqual(['missing export "./package.json": tools read the manifest through it']);
  });

  it('reports files missing from the tarball', () => {
    const problems = checkExportsMap(goodManifest, goodFiles.filter((file) => file !== 'dist/index.d.cts'));
    expect(problems).toEqual(['missing file ./dist/index.d.cts, named in exports["."].require: run pnpm build first']);
  });

  it('checks every subpath entry', () => {
    const exports = { ...goodExports, './parallel': { import: { types: './dist/parallel.d.ts', default: './dist/parallel.js' } } };
    const files = [...goodFiles, 'dist/parallel.d.ts', 'dist/parallel.js'];
    expect(checkExportsMap({ exports }, files)).toEqual(['missing exports["./parallel"].require: expected { types, default }']);
  });
});

describe('checkCommon', () => {
  it('accepts a clean package', () => {
    expect(checkCommon(goodManifest, goodFiles)).toEqual([]);
  });

  it('rejects sources, tests and build configuration', () => {
    const files = [...goodFiles, 'src/index.ts', 'dist/index.test.js', 'tsconfig.json', 'test/fixtures/a.json'];
    const problems = checkCommon(goodManifest, files);
    expect(problems.map((problem) => problem.split(' in the tarball')[0])).toEqual([
      'unexpected file src/index.ts',
      'unexpected file dist/index.test.js',
      'unexpected file tsconfig.json',
      'unexpected file test/fixtures/a.json',
    ]);
  });

  it('requires the tested Node range', () => {
    const problems = checkCommon({ ...goodManifest, engines: { node: '>=18' } }, goodFiles);
    expect(problems).toEqual([`invalid engines.node: expected "${expectedEngines}", received ">=18"`]);
  });

  it('rejects unreplaced workspace ranges', () => {
    const problems = checkCommon({ ...goodManifest, dependencies: { '@nimc/linalg': 'workspace:^' } }, goodFiles);
    expect(problems).toEqual(['unreplaced dependencies range @nimc/linalg@workspace:^ in the packed manifest']);
  });

  it('requires a README', () => {
    expect(checkCommon(goodManifest, goodFiles.filter((file) => file !== 'README.md'))).toEqual(['missing README.md in the tarball']);
  });

  it('requires a changelog', () => {
    const problems = checkCommon(goodManifest, goodFiles.filter((file) => file !== 'CHANGELOG.md'));
    expect(problems).toEqual(['missing CHANGELOG.md in the tarball: list it in "files"']);
  });
});

describe('checkTarball', () => {
  const source = join(repositoryRoot, 'packages', 'activations');
  const workDir = mkdtempSync(join(tmpdir(), 'nimc-package-checks-'));
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  /** Packs the built activations package with `manifest` changed by `edit`. */
  function makeTarball(name, edit) {
    const packageDir = join(workDir, name, 'package');
    mkdirSync(packageDir, { recursive: true });
    cpSync(join(source, 'dist'), join(packageDir, 'dist'), { recursive: true });
    cpSync(join(source, 'README.md'), join(packageDir, 'README.md'));
    cpSync(join(source, 'CHANGELOG.md'), join(packageDir, 'CHANGELOG.md'));
    const manifest = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8'));
    delete manifest.scripts;
    delete manifest.devDependencies;
    writeFileSync(join(packageDir, 'package.json'), JSON.stringify(edit(manifest), null, 2));
    const tarball = join(workDir, `${name}.tgz`);
    const result = spawnSync('tar', ['-czf', tarball, '-C', join(workDir, name), 'package']);
    expect(result.status, String(result.stderr)).toBe(0);
    const files = readdirSync(packageDir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(packageDir, join(entry.parentPath, entry.name)));
    return { tarball, files };
  }

  it('passes the built activations package', () => {
    const { tarball, files } = makeTarball('good', (manifest) => manifest);
    const { problems } = checkTarball(tarball, files);
    expect(problems).toEqual([]);
  });

  it('reports attw problems for ESM types under require', () => {
    const { tarball, files } = makeTarball('false-esm', (manifest) => {
      manifest.exports['.'].require.types = './dist/index.d.ts';
      return manifest;
    });
    const { problems } = checkTarball(tarball, files);
    const attw = problems.find((problem) => problem.startsWith('attw found'));
    expect(attw, problems.join('\n')).toBeDefined();
    expect(attw).toContain('FalseESM');
  });

  it('reports publint errors for a missing main file', () => {
    const { tarball, files } = makeTarball('missing-main', (manifest) => ({ ...manifest, main: './dist/missing.cjs' }));
    const { problems } = checkTarball(tarball, files);
    const publint = problems.find((problem) => problem.startsWith('publint failed'));
    expect(publint, problems.join('\n')).toBeDefined();
    expect(publint).toContain('dist/missing.cjs');
  });
});
