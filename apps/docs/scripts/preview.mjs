// Serves the built site (.vitepress/dist) on http://127.0.0.1:4173 until interrupted.
//
// Usage: node scripts/preview.mjs [--port N]
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from './static-server.mjs';

const siteRoot = fileURLToPath(new URL('../.vitepress/dist', import.meta.url));
const portIndex = process.argv.indexOf('--port');
const port = portIndex === -1 ? 4173 : Number(process.argv[portIndex + 1]);

if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`preview: invalid --port: expected an integer from 0 to 65535, received ${process.argv[portIndex + 1]}`);
  process.exit(2);
}
if (!existsSync(`${siteRoot}/index.html`)) {
  console.error(`preview: missing ${siteRoot}/index.html: build the site first with "pnpm --filter @nimc/docs build"`);
  process.exit(1);
}
const server = await startStaticServer(siteRoot, port);
console.log(`serving ${siteRoot} at http://127.0.0.1:${server.address().port}/ (Ctrl+C stops)`);
