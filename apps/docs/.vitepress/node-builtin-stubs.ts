import { builtinModules } from 'node:module';
import type { UserConfig } from 'vitepress';

// The Vite plugin type of the Vite that VitePress bundles, which is older than the
// workspace's own Vite.
type Plugin = Extract<NonNullable<NonNullable<UserConfig['vite']>['plugins']>[number], { name: string }>;

// @nimc/datasets re-exports its file loaders from the package entry, so its bundle imports
// Node built-ins such as fs/promises and path even when only the synthetic generator is used.
// In the browser each such import resolves to a stand-in module with the same export names.
// Strings, numbers and booleans (such as path.sep) keep their Node value, and every other
// export becomes a function that throws when called.
const stubPrefix = '\0nimc-node-stub:';

// Only the built workspace packages (packages/<name>/dist) get the stand-ins, and only in the
// client bundle, so VitePress's own server-side code keeps the real modules.
const workspacePackageBuild = /[\\/]packages[\\/][^\\/]+[\\/]dist[\\/]/;

function builtinName(source: string): string | undefined {
  const name = source.startsWith('node:') ? source.slice('node:'.length) : source;
  return builtinModules.includes(name) ? name : undefined;
}

async function stubSource(name: string): Promise<string> {
  const real = (await import(`node:${name}`)) as Record<string, unknown>;
  const lines = [
    `const unavailable = (member) => () => { throw new Error(\`\${member} from node:${name} is not available in the browser: use the nimc CLI in Node.js for file input\`); };`,
  ];
  const names = Object.keys(real).filter((key) => key !== 'default' && /^[A-Za-z_$][\w$]*$/.test(key));
  for (const key of names) {
    const value = real[key];
    const literal = ['string', 'number', 'boolean'].includes(typeof value) ? JSON.stringify(value) : `unavailable(${JSON.stringify(key)})`;
    lines.push(`export const ${key} = ${literal};`);
  }
  lines.push(`export default { ${names.join(', ')} };`);
  return lines.join('\n');
}

/** Vite plugin that resolves Node built-ins imported by workspace packages to browser stand-ins. */
export function nodeBuiltinStubs(): Plugin {
  return {
    name: 'nimc-node-builtin-stubs',
    enforce: 'pre',
    resolveId(source, importer, options) {
      if (options?.ssr === true || importer === undefined || !workspacePackageBuild.test(importer)) return null;
      const name = builtinName(source);
      return name === undefined ? null : `${stubPrefix}${name}`;
    },
    load(id) {
      return id.startsWith(stubPrefix) ? stubSource(id.slice(stubPrefix.length)) : null;
    },
  };
}
