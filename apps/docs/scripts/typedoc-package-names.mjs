// TypeDoc plugin that names each module after its package, so the API reference lists
// "@nimc/linalg" instead of the entry point's path "linalg/src".
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Converter, ReflectionKind } from 'typedoc';

const packagesFolder = fileURLToPath(new URL('../../../packages/', import.meta.url));

function packageName(folder) {
  const manifest = JSON.parse(readFileSync(`${packagesFolder}${folder}/package.json`, 'utf8'));
  return manifest.name;
}

export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.getChildrenByKind(ReflectionKind.Module)) {
      const match = /^([^/]+)\/src$/.exec(module.name);
      if (match !== null) module.name = packageName(match[1]);
    }
  });
}
