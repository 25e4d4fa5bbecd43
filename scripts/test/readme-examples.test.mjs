// Runs the TypeScript examples of the root README and of every published package's README
// against the built packages (see scripts/lib/readme-examples.mjs for the markers), and
// checks that each package README mentions every name its entry points export.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { declaredExports, extractBlocks, runReadme } from '../lib/readme-examples.mjs';
import { listWorkspacePackages, repositoryRoot } from '../lib/workspace.mjs';

const packages = listWorkspacePackages();
const packagesByName = new Map(packages.map((pkg) => [pkg.name, pkg]));
const readmes = [
  { label: 'root', path: 'README.md', pkg: undefined },
  ...packages
    .filter((pkg) => pkg.manifest.private !== true)
    .map((pkg) => ({ label: pkg.name, path: relative(repositoryRoot, join(pkg.dir, 'README.md')), pkg })),
];

/** Lists the declaration files of every entry point of a package's `exports` map. */
function declarationFiles(pkg) {
  return Object.entries(pkg.manifest.exports ?? {})
    .filter(([subpath]) => subpath !== './package.json')
    .map(([, target]) => target?.import?.types)
    .filter((types) => typeof types === 'string')
    .map((types) => join(pkg.dir, types));
}

for (const readme of readmes) {
  describe(`${readme.label} README`, () => {
    const absolutePath = join(repositoryRoot, readme.path);
    const present = existsSync(absolutePath);
    it('exists', () => {
      expect(present, `${readme.path} is missing: every published package documents its exports there`).toBe(true);
    });
    if (!present) return;
    const markdown = readFileSync(absolutePath, 'utf8');
    const blocks = extractBlocks(markdown);
    const absent = blocks.filter((block) => block.requires !== undefined && !existsSync(join(repositoryRoot, block.requires)));
    if (absent.length > 0) {
      const paths = [...new Set(absent.map((block) => block.requires))].join(', ');
      console.warn(`${readme.path}: skipping ${absent.length} examples because ${paths} is absent`);
    }

    let results = [];
    beforeAll(async () => {
      results = await runReadme(readme.path, packagesByName);
    });

    for (const block of blocks) {
      if (block.skip) continue;
      const name = `${block.hidden ? 'setup' : 'example'} at line ${block.line}`;
      if (absent.includes(block)) {
        it.skip(`${name} (needs ${block.requires})`, () => {});
        continue;
      }
      it(name, () => {
        const result = results.find((candidate) => candidate.line === block.line);
        if (result?.status !== 'passed') {
          expect.fail(`${readme.path}:${block.line} ${result?.status ?? 'has no result'}: ${result?.message ?? ''}`);
        }
      });
    }

    if (readme.pkg !== undefined && readme.pkg.manifest.exports !== undefined) {
      it('mentions every export', () => {
        const files = declarationFiles(readme.pkg);
        for (const file of files) expect(existsSync(file), `${file} is missing: run pnpm build first`).toBe(true);
        const names = [...new Set(files.flatMap((file) => declaredExports(readFileSync(file, 'utf8'))))];
        expect(names.length, `no exports found in ${files.join(', ')}`).toBeGreaterThan(0);
        const missing = names.filter((name) => !new RegExp(`\\b${name}\\b`).test(markdown));
        expect(missing, `${readme.path} does not mention these exports`).toEqual([]);
      });
    }
  });
}
