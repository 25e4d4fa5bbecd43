// The bundle-size case: runs scripts/bundle-size.mjs and keeps the part of its JSON output
// that the benchmark report shows.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { timedRun } from './processes.mjs';

// The per-bundle fields of the report. `bundle` is a bundle with its dependencies as
// scripts/bundle-size.mjs writes it.
function bundleFields(bundle) {
  const mlMatrixBytes = bundle.thirdParty['ml-matrix'];
  return {
    minifiedBytes: bundle.minified,
    gzipBytes: bundle.gzip,
    includesMlMatrix: mlMatrixBytes !== undefined,
    mlMatrixMinifiedBytes: mlMatrixBytes ?? 0,
    mlMatrixImporters: bundle.mlMatrixImporters,
    nodeBuiltins: bundle.nodeBuiltins,
  };
}

/**
 * Measures the browser bundle of each published entry point. scripts/bundle-size.mjs writes
 * bundle-size.json and bundle-size.md into `outDir`, and this returns the report's
 * `bundleSizes`: sizes in bytes, and whether ml-matrix is inside each bundle, for the
 * entry points and for the script's import sets. `commandText` is the benchmark command
 * that the report names as the source of the numbers.
 */
export async function measureBundleSizes(benchCase, outDir, commandText) {
  const measured = await timedRun([...benchCase.command, '--out', outDir], { timeoutSeconds: benchCase.timeoutSeconds });
  if (measured.timedOut) throw new Error(`${benchCase.command.join(' ')} stopped after ${benchCase.timeoutSeconds} s without finishing`);
  const output = JSON.parse(await readFile(join(outDir, 'bundle-size.json'), 'utf8'));
  const { version: esbuildVersion } = await import('esbuild');
  return {
    date: output.date,
    command: commandText,
    tool: `esbuild ${esbuildVersion}, browser platform, ES2022, minified, every export kept; gzip level 9`,
    packages: output.entries.map(({ label, own, full }) => ({
      entryPoint: label,
      ...bundleFields(full),
      ownMinifiedBytes: own.minified,
      ownGzipBytes: own.gzip,
    })),
    importSets: output.importSets.map((set) => ({
      name: set.name,
      description: set.description,
      imports: set.imports,
      ...bundleFields(set),
    })),
  };
}
