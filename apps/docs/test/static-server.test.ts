import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveSiteFile, startStaticServer } from '../scripts/static-server.mjs';

const root = mkdtempSync(join(tmpdir(), 'nimc-docs-site-'));
mkdirSync(join(root, 'guide'));
writeFileSync(join(root, 'index.html'), 'home');
writeFileSync(join(root, '404.html'), 'missing');
writeFileSync(join(root, 'guide', 'first-run.html'), 'first run');
writeFileSync(join(root, 'guide', 'index.html'), 'guide');

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('resolveSiteFile', () => {
  it.each([
    ['/', 'index.html'],
    ['/guide/first-run.html', 'guide/first-run.html'],
    ['/guide/first-run', 'guide/first-run.html'],
    ['/guide/', 'guide/index.html'],
  ])('maps %s to %s', (path, file) => {
    expect(resolveSiteFile(root, path)).toBe(join(root, file));
  });

  it('rejects paths outside the site', () => {
    expect(resolveSiteFile(root, '/../../etc/passwd')).toBeUndefined();
    expect(resolveSiteFile(root, '/%2e%2e/%2e%2e/etc/passwd')).toBeUndefined();
  });
});

describe('startStaticServer', () => {
  it('serves pages on 127.0.0.1 and 404.html for unknown paths', async () => {
    const server = await startStaticServer(root);
    const { address, port } = server.address() as { address: string; port: number };
    try {
      const page = await fetch(`http://127.0.0.1:${port}/guide/first-run`);
      const missing = await fetch(`http://127.0.0.1:${port}/nowhere`);

      expect(address).toBe('127.0.0.1');
      expect(page.status).toBe(200);
      expect(await page.text()).toBe('first run');
      expect(missing.status).toBe(404);
      expect(await missing.text()).toBe('missing');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
