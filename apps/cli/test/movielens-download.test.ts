import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, strToU8, zipSync, type Zippable } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDownloadProgress } from '../src/commands/download-movielens.js';
import {
  downloadTimeoutSeconds,
  ensureMovieLensDataset,
  movieLensArchiveUrl,
  movieLensCacheFolder,
  type DownloadProgress,
} from '../src/movielens-download.js';
import { runCli } from './run-cli.js';

// A made-up ml-100k in the GroupLens file formats: 60 users, 40 movies and 20 ratings per user,
// with ratings from a rank-one pattern plus a deterministic wobble so that the models have
// something to fit.
function fakeMovieLens100k(): Record<string, string> {
  const genres = ['unknown', 'Action', 'Comedy', 'Drama'];
  const occupations = ['artist', 'engineer', 'student', 'writer'];
  const users: string[] = [];
  for (let u = 1; u <= 60; u++) {
    const age = 15 + ((u * 7) % 50);
    users.push(`${u}|${age}|${u % 3 === 0 ? 'F' : 'M'}|${occupations[u % occupations.length]}|0${u}000`);
  }
  const movies: string[] = [];
  for (let m = 1; m <= 40; m++) {
    const flags = genres.map((_, g) => (g === m % genres.length ? '1' : '0'));
    movies.push(`${m}|Invented Film ${m} (1990)|01-Jan-1990||http://127.0.0.1/film/${m}|${flags.join('|')}`);
  }
  const ratings: string[] = [];
  for (let u = 1; u <= 60; u++) {
    for (let r = 0; r < 20; r++) {
      const m = ((u * 3 + r * 7) % 40) + 1;
      const rating = Math.min(5, Math.max(1, Math.round(3 + Math.sin(u) * Math.cos(m) * 2 + ((u + m) % 3) - 1)));
      ratings.push(`${u}\t${m}\t${rating}\t${880000000 + u * 100 + r}`);
    }
  }
  return {
    'u.data': `${ratings.join('\n')}\n`,
    'u.user': `${users.join('\n')}\n`,
    'u.item': `${movies.join('\n')}\n`,
    'u.genre': `${genres.map((name, g) => `${name}|${g}`).join('\n')}\n\n`,
    'u.occupation': `${occupations.join('\n')}\n`,
  };
}

const files = fakeMovieLens100k();

function buildArchive(names: readonly string[]): Uint8Array {
  const entries: Zippable = { 'ml-100k/': {}, 'ml-100k/README': strToU8('An invented dataset for tests.\n') };
  for (const name of names) entries[`ml-100k/${name}`] = strToU8(files[name] as string);
  return zipSync(entries);
}

const archive = buildArchive(Object.keys(files));
const archiveWithoutUsers = buildArchive(Object.keys(files).filter((name) => name !== 'u.user'));

// Every route serves /<route>/ml-100k.zip, and the server records every request URL.
const routes = new Map<string, (response: ServerResponse) => void>();
const requests: string[] = [];
let server: Server;
let baseUrl: string;

function serve(route: string, status: number, body: Uint8Array): void {
  routes.set(`/${route}/ml-100k.zip`, (response) => {
    response.writeHead(status, { 'content-length': String(body.length) });
    response.end(body);
  });
}

serve('ok', 200, archive);
serve('not-found', 404, strToU8('not found'));
serve('truncated', 200, archive.subarray(0, Math.floor(archive.length / 2)));
serve('missing-file', 200, archiveWithoutUsers);
// Announces the whole archive, sends its first 100 bytes and closes the connection.
routes.set('/closed-early/ml-100k.zip', (response) => {
  response.writeHead(200, { 'content-length': String(archive.length) });
  response.write(archive.subarray(0, 100), () => response.destroy());
});

// Responses that send part of a body and then nothing, closed when the server stops.
const stalledResponses: ServerResponse[] = [];

function serveAndStall(route: string, headers: Record<string, string>, part: Uint8Array): void {
  routes.set(`/${route}/ml-100k.zip`, (response) => {
    response.writeHead(200, headers);
    response.write(part, () => stalledResponses.push(response));
  });
}

// Announces the whole archive and stops after its first 100 bytes.
serveAndStall('stalled', { 'content-length': String(archive.length) }, archive.subarray(0, 100));
// Announces 300 MiB.
serveAndStall('huge', { 'content-length': String(300 * 1024 * 1024) }, archive.subarray(0, 100));
routes.set('/html/ml-100k.zip', (response) => {
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  response.end('<!doctype html><html><body>Please sign in to use this network.</body></html>\n');
});
// Sends the archive gzip-encoded, so its Content-Length counts the encoded bytes.
routes.set('/gzip/ml-100k.zip', (response) => {
  const encoded = gzipSync(archive);
  response.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(encoded.length) });
  response.end(encoded);
});
// Sends 3000 bytes without a Content-Length.
routes.set('/unannounced/ml-100k.zip', (response) => {
  response.writeHead(200);
  for (let i = 0; i < 3; i++) response.write(new Uint8Array(1000));
  response.end();
});

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    const respond = routes.get(request.url ?? '');
    if (respond === undefined) response.writeHead(404).end();
    else respond(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const response of stalledResponses) response.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const temporaryFolders: string[] = [];
afterAll(() => {
  for (const folder of temporaryFolders) rmSync(folder, { recursive: true, force: true });
});

function temporaryCache(): string {
  const folder = mkdtempSync(join(tmpdir(), 'nimc-movielens-cache-'));
  temporaryFolders.push(folder);
  return folder;
}

function requestsTo(route: string): number {
  return requests.filter((url) => url === `/${route}/ml-100k.zip`).length;
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('movieLensCacheFolder', () => {
  it('prefers NIMC_CACHE_DIR', () => {
    expect(movieLensCacheFolder({ NIMC_CACHE_DIR: '/data/nimc', XDG_CACHE_HOME: '/xdg' })).toBe('/data/nimc/movielens');
  });

  it('falls back to XDG_CACHE_HOME', () => {
    expect(movieLensCacheFolder({ XDG_CACHE_HOME: '/xdg' })).toBe('/xdg/nimc/movielens');
  });

  it('ignores a relative XDG_CACHE_HOME', () => {
    expect(movieLensCacheFolder({ XDG_CACHE_HOME: 'relative', HOME: '/home/someone' })).toMatch(/\/\.cache\/nimc\/movielens$/);
  });
});

describe('movieLensArchiveUrl', () => {
  it('uses the GroupLens folder by default', () => {
    expect(movieLensArchiveUrl('ml-1m', {})).toBe('https://files.grouplens.org/datasets/movielens/ml-1m.zip');
  });

  it('uses NIMC_MOVIELENS_URL without a double slash', () => {
    expect(movieLensArchiveUrl('ml-100k', { NIMC_MOVIELENS_URL: 'http://127.0.0.1:9/mirror/' })).toBe('http://127.0.0.1:9/mirror/ml-100k.zip');
  });

  it('rejects a NIMC_MOVIELENS_URL that is not http', () => {
    expect(() => movieLensArchiveUrl('ml-100k', { NIMC_MOVIELENS_URL: 'ftp://127.0.0.1/x' })).toThrow(/invalid NIMC_MOVIELENS_URL "ftp:\/\/127\.0\.0\.1\/x"/);
  });
});

describe('downloadTimeoutSeconds', () => {
  it('defaults to 30 seconds', () => {
    expect(downloadTimeoutSeconds({})).toBe(30);
  });

  it('reads NIMC_DOWNLOAD_TIMEOUT_SECONDS', () => {
    expect(downloadTimeoutSeconds({ NIMC_DOWNLOAD_TIMEOUT_SECONDS: '2.5' })).toBe(2.5);
  });

  for (const value of ['0', '-1', 'soon', '1e9']) {
    it(`rejects ${value}`, () => {
      expect(() => downloadTimeoutSeconds({ NIMC_DOWNLOAD_TIMEOUT_SECONDS: value })).toThrow(`invalid NIMC_DOWNLOAD_TIMEOUT_SECONDS "${value}"`);
    });
  }
});

describe('formatDownloadProgress', () => {
  const url = 'http://127.0.0.1:9/ml-100k.zip';

  it('uses KiB below 1 MiB', () => {
    expect(formatDownloadProgress({ url, receivedBytes: 12 * 1024, totalBytes: 400 * 1024 })).toBe(`downloading ${url}: 12.0 of 400.0 KiB (3%)`);
  });

  it('uses MiB from 1 MiB', () => {
    expect(formatDownloadProgress({ url, receivedBytes: 3 * 1024 * 1024, totalBytes: 6 * 1024 * 1024 })).toBe(`downloading ${url}: 3.0 of 6.0 MiB (50%)`);
  });

  it('shows the received size without a total', () => {
    expect(formatDownloadProgress({ url, receivedBytes: 512, totalBytes: undefined })).toBe(`downloading ${url}: 0.5 KiB`);
  });
});

describe('ensureMovieLensDataset', () => {
  it('downloads once and reports progress', async () => {
    const cache = temporaryCache();
    const env = { NIMC_CACHE_DIR: cache, NIMC_MOVIELENS_URL: `${baseUrl}/ok` };
    const progress: DownloadProgress[] = [];
    const before = requestsTo('ok');

    const first = await ensureMovieLensDataset('ml-100k', { env, onProgress: (state) => progress.push(state) });

    expect(first.folder).toBe(join(cache, 'movielens', 'ml-100k'));
    expect(first.downloadedFrom).toBe(`${baseUrl}/ok/ml-100k.zip`);
    expect(requestsTo('ok') - before).toBe(1);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)?.receivedBytes).toBe(archive.length);
    expect(progress.at(-1)?.totalBytes).toBe(archive.length);
    for (const [name, content] of Object.entries(files)) {
      expect(readFileSync(join(first.folder, name), 'latin1'), name).toBe(content);
    }
    expect(readdirSync(join(cache, 'movielens'))).toEqual(['ml-100k']);

    const second = await ensureMovieLensDataset('ml-100k', { env });
    expect(second).toEqual({ folder: first.folder, downloadedFrom: undefined });
    expect(requestsTo('ok') - before).toBe(1);
  });

  it('accepts a gzip-encoded response', async () => {
    const cache = temporaryCache();
    const env = { NIMC_CACHE_DIR: cache, NIMC_MOVIELENS_URL: `${baseUrl}/gzip` };

    const result = await ensureMovieLensDataset('ml-100k', { env });

    expect(result.downloadedFrom).toBe(`${baseUrl}/gzip/ml-100k.zip`);
    expect(readFileSync(join(result.folder, 'u.data'), 'latin1')).toBe(files['u.data']);
  });

  it('rejects a body above the size limit', async () => {
    const cache = temporaryCache();
    const env = { NIMC_CACHE_DIR: cache, NIMC_MOVIELENS_URL: `${baseUrl}/unannounced` };

    const download = ensureMovieLensDataset('ml-100k', { env, maxArchiveBytes: 1500 });

    await expect(download).rejects.toThrow(/unannounced\/ml-100k\.zip rejected: the server sent more than 1500 bytes, above the limit of 1500 bytes/);
    expect(readdirSync(join(cache, 'movielens'))).toEqual([]);
  });
});

describe('nimc download-movielens', () => {
  const cache = temporaryCache();
  const env = (route: string, cacheDir = cache): NodeJS.ProcessEnv => ({ NIMC_CACHE_DIR: cacheDir, NIMC_MOVIELENS_URL: `${baseUrl}/${route}` });

  it('downloads on the first run only', async () => {
    const before = requestsTo('ok');

    const first = await runCli(['download-movielens', '--dataset', 'ml-100k', '--json'], env('ok'));
    expect(first.code, first.stderr).toBe(0);
    const report = JSON.parse(first.stdout) as { dataset: string; folder: string; downloadedFrom: string | null };
    expect(report).toEqual({ dataset: 'ml-100k', folder: join(cache, 'movielens', 'ml-100k'), downloadedFrom: `${baseUrl}/ok/ml-100k.zip` });
    expect(first.stderr).toContain('GroupLens licence');
    expect(requestsTo('ok') - before).toBe(1);

    const second = await runCli(['download-movielens', '--dataset', 'ml-100k'], env('ok'));
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toBe(`${join(cache, 'movielens', 'ml-100k')}\n`);
    expect(requestsTo('ok') - before).toBe(1);
  });

  it('movielens runs on cached files', { timeout: 300_000 }, async () => {
    await runCli(['download-movielens', '--dataset', 'ml-100k', '--quiet'], env('ok'));
    const before = requestsTo('ok');

    const run = await runCli(['movielens', '--dataset', 'ml-100k', '--splits', '1', '--rank', '2', '--json'], env('ok'));

    expect(run.code, run.stderr).toBe(0);
    expect(requestsTo('ok') - before).toBe(0);
    expect(run.stderr).toContain('GroupLens licence');
    const report = JSON.parse(run.stdout) as { dataset: string; splits: { trainUsers: number; testUsers: number }[] };
    expect(report.dataset).toBe('ml-100k');
    expect(report.splits).toHaveLength(1);
    expect((report.splits[0]?.trainUsers ?? 0) + (report.splits[0]?.testUsers ?? 0)).toBe(60);
  });

  it('prints no licence note with --quiet', async () => {
    await runCli(['download-movielens', '--dataset', 'ml-100k', '--quiet'], env('ok'));
    const run = await runCli(['download-movielens', '--dataset', 'ml-100k', '--quiet'], env('ok'));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
  });

  const failures: { route: string; messages: RegExp[] }[] = [
    { route: 'not-found', messages: [/failed to download http:\/\/127\.0\.0\.1:\d+\/not-found\/ml-100k\.zip: HTTP 404/, /--data-dir/, /NIMC_MOVIELENS_URL/] },
    { route: 'truncated', messages: [/invalid zip archive from http:\/\/127\.0\.0\.1:\d+\/truncated\/ml-100k\.zip/, /truncated or corrupt/] },
    { route: 'missing-file', messages: [/does not contain ml-100k\/u\.user:/] },
    { route: 'closed-early', messages: [/closed-early\/ml-100k\.zip (failed after|is truncated)/, /download it again/] },
  ];

  for (const { route, messages } of failures) {
    it(`rejects the ${route} archive and writes nothing`, async () => {
      const emptyCache = temporaryCache();
      const run = await runCli(['download-movielens', '--dataset', 'ml-100k'], env(route, emptyCache));

      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      for (const message of messages) expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toContain('internal error');
      expect(existsSync(join(emptyCache, 'movielens', 'ml-100k'))).toBe(false);
      expect(readdirSync(join(emptyCache, 'movielens'))).toEqual([]);
    });
  }

  it('times out on a stalled download', async () => {
    const emptyCache = temporaryCache();
    const started = Date.now();
    const run = await runCli(['download-movielens', '--dataset', 'ml-100k'], { ...env('stalled', emptyCache), NIMC_DOWNLOAD_TIMEOUT_SECONDS: '1' });
    const seconds = (Date.now() - started) / 1000;

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/download of http:\/\/127\.0\.0\.1:\d+\/stalled\/ml-100k\.zip timed out: no data for 1 s after 100 bytes/);
    expect(run.stderr).toContain('NIMC_DOWNLOAD_TIMEOUT_SECONDS');
    expect(run.stderr).toContain('--data-dir');
    expect(seconds, `the run took ${seconds} s`).toBeLessThan(20);
    expect(readdirSync(join(emptyCache, 'movielens'))).toEqual([]);
  });

  it('rejects a huge Content-Length', async () => {
    const emptyCache = temporaryCache();
    const run = await runCli(['download-movielens', '--dataset', 'ml-100k'], env('huge', emptyCache));

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/huge\/ml-100k\.zip rejected: the server announces 314572800 bytes in its Content-Length, above the limit of 200 MiB/);
    expect(readdirSync(join(emptyCache, 'movielens'))).toEqual([]);
  });

  it('reports an HTML page as archive', async () => {
    const emptyCache = temporaryCache();
    const run = await runCli(['download-movielens', '--dataset', 'ml-100k'], env('html', emptyCache));

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('the server sent an HTML page, not a zip archive');
    expect(run.stderr).not.toContain('internal error');
    expect(readdirSync(join(emptyCache, 'movielens'))).toEqual([]);
  });

  it('SIGINT removes the temporary folder', async () => {
    const emptyCache = temporaryCache();
    const movieLensFolder = join(emptyCache, 'movielens');
    const stalledBefore = stalledResponses.length;
    const launcher = fileURLToPath(new URL('../bin/nimc.mjs', import.meta.url));
    const child = spawn(process.execPath, [launcher, 'download-movielens', '--dataset', 'ml-100k'], {
      env: { ...process.env, ...env('stalled', emptyCache), NIMC_DEBUG: '' },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    // Wait until the server has sent the first bytes, which happens after the folder is made.
    let temporaryFolders: string[] = [];
    const deadline = Date.now() + 30_000;
    while (child.exitCode === null && Date.now() < deadline) {
      temporaryFolders = existsSync(movieLensFolder) ? readdirSync(movieLensFolder).filter((name) => name.startsWith('.ml-100k-download-')) : [];
      if (temporaryFolders.length > 0 && stalledResponses.length > stalledBefore) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    child.kill('SIGINT');
    const code = await exited;

    expect(temporaryFolders).toHaveLength(1);
    expect(code).toBe(130);
    expect(readdirSync(movieLensFolder)).toEqual([]);
  });

  it('reports a refused connection', async () => {
    const emptyCache = temporaryCache();
    const port = await closedPort();
    const run = await runCli(['movielens', '--dataset', 'ml-100k', '--json'], { NIMC_CACHE_DIR: emptyCache, NIMC_MOVIELENS_URL: `http://127.0.0.1:${port}` });

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`failed to download http://127.0.0.1:${port}/ml-100k.zip: connection refused (ECONNREFUSED)`);
    expect(run.stderr).toContain('--data-dir');
    expect(run.stderr).toContain('NIMC_MOVIELENS_URL');
    expect(existsSync(join(emptyCache, 'movielens', 'ml-100k'))).toBe(false);
  });

  it('downloads for movielens-ablation too', async () => {
    const emptyCache = temporaryCache();
    const before = requestsTo('not-found');
    const run = await runCli(['movielens-ablation', '--dataset', 'ml-100k', '--json'], env('not-found', emptyCache));

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/not-found\/ml-100k\.zip: HTTP 404/);
    expect(requestsTo('not-found') - before).toBe(1);
  });

  it('reports a cache folder that cannot be written', async () => {
    const parent = temporaryCache();
    const blocker = join(parent, 'not-a-folder');
    writeFileSync(blocker, 'a file where the cache folder should be\n');
    const run = await runCli(['download-movielens', '--dataset', 'ml-100k'], env('ok', blocker));

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot write the MovieLens cache folder ${join(blocker, 'movielens')}`);
    expect(run.stderr).toContain('NIMC_CACHE_DIR');
  });
});
