import { createRequire } from 'node:module';
import corePackage from '../package.json' with { type: 'json' };

/** The packages whose versions a model file records. */
const recordedPackages = ['@nimc/activations', '@nimc/datasets', '@nimc/linalg', '@nimc/objective', '@nimc/optimizers', '@nimc/tensor-init'] as const;

let cached: Record<string, string> | undefined;

/** Version of this package. */
export const coreVersion: string = corePackage.version;

/**
 * Returns the versions of @nimc/core and the nimc packages it trains with, read from their
 * package.json files. A package that cannot be resolved is recorded as "unknown".
 */
export function packageVersions(): Record<string, string> {
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  const versions: Record<string, string> = { '@nimc/core': coreVersion };
  for (const name of recordedPackages) {
    try {
      versions[name] = (require(`${name}/package.json`) as { version: string }).version;
    } catch {
      versions[name] = 'unknown';
    }
  }
  cached = versions;
  return versions;
}
