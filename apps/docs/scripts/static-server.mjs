// A static file server for the built site, bound to 127.0.0.1 only. `vitepress preview`
// (1.6.4) ignores --host and listens on every interface, so the preview script and the
// browser test use this server instead.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const contentTypes = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Maps a URL path to a file under `root` the way a static host serves a VitePress build: the
 * file itself, then "<path>.html", then "<path>/index.html". Returns undefined when none
 * exists or the path leaves `root`.
 */
export function resolveSiteFile(root, urlPath) {
  const relative = normalize(decodeURIComponent(urlPath)).replace(/^([/\\])+/, '');
  const base = resolve(root, relative);
  if (base !== root && !base.startsWith(root + sep)) return undefined;
  for (const candidate of [base, `${base}.html`, join(base, 'index.html')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/**
 * Serves the files of `root` on 127.0.0.1:`port` (0 picks a free port) and resolves to the
 * listening server. Unknown paths get `root`/404.html with status 404.
 */
export function startStaticServer(root, port = 0) {
  const siteRoot = resolve(root);
  const notFound = join(siteRoot, '404.html');
  const server = createServer((request, response) => {
    let file;
    try {
      file = resolveSiteFile(siteRoot, new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    } catch {
      file = undefined;
    }
    if (file === undefined) {
      response.writeHead(404, { 'content-type': contentTypes['.html'] });
      response.end(existsSync(notFound) ? readFileSync(notFound) : 'not found');
      return;
    }
    response.writeHead(200, {
      'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
    });
    response.end(readFileSync(file));
  });
  return new Promise((resolveServer, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolveServer(server));
  });
}
