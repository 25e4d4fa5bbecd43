// Browser test of the built site: serves .vitepress/dist on 127.0.0.1, visits every page that
// internal links reach from the home page in Debian's Chromium, and fails on a console error,
// a page error, a failed request, a broken internal link or anchor, or an image that did not
// load. Then it trains a small problem in the playground and checks the stop button.
// Build the site first: pnpm --filter @nimc/docs build
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startStaticServer } from '../scripts/static-server.mjs';

const docsRoot = fileURLToPath(new URL('..', import.meta.url));
const siteRoot = join(docsRoot, '.vitepress', 'dist');
const screenshotFolder = join(docsRoot, 'test-results', 'screenshots');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Chromium flags for a closed network: no background traffic, and every host name except
// 127.0.0.1 fails to resolve, so the site cannot reach anything but the local server.
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

function screenshotName(pathname) {
  const name = pathname.replace(/^\/|\.html$/g, '').replace(/[^a-zA-Z0-9._-]+/g, '_');
  return `${name === '' ? 'index' : name}.png`;
}

// The same page under "/a", "/a.html" and "/a/index.html" is visited once.
function pageKey(url) {
  let path = url.pathname.replace(/\/index\.html$/, '/').replace(/\.html$/, '');
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return path;
}

let server;
let origin;
let context;
let userDataDir;

before(async () => {
  assert.ok(existsSync(join(siteRoot, 'index.html')), `missing ${siteRoot}/index.html: build the site first with "pnpm --filter @nimc/docs build"`);
  assert.ok(existsSync(chromiumPath), `missing ${chromiumPath}: install Debian's Chromium with "apt-get install -y chromium"`);
  server = await startStaticServer(siteRoot);
  origin = `http://127.0.0.1:${server.address().port}`;
  rmSync(screenshotFolder, { recursive: true, force: true });
  mkdirSync(screenshotFolder, { recursive: true });
  userDataDir = mkdtempSync(join(tmpdir(), 'nimc-docs-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    viewport: { width: 1280, height: 900 },
  });
  console.log(`serving ${siteRoot} at ${origin}; screenshots go to ${screenshotFolder}`);
});

after(async () => {
  await context?.close();
  await new Promise((resolvePromise) => (server ? server.close(resolvePromise) : resolvePromise()));
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

// Opens a tab that records console errors, uncaught errors and failed requests.
async function openPage() {
  const page = await context.newPage();
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  // A request cancelled by the next navigation (such as a prefetch of a linked page) reports
  // net::ERR_ABORTED. That is not a fault of the site, so only other failures count.
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText;
    if (reason !== 'net::ERR_ABORTED') problems.push(`request failed: ${request.url()} (${reason})`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.url()}`);
  });
  return { page, problems };
}

// VitePress mounts its Vue app on #app once the page's scripts have run.
async function waitForHydration(page) {
  await page.waitForFunction(() => document.querySelector('#app')?.__vue_app__ !== undefined, undefined, { timeout: 15_000 });
}

// Tabs that load pages at the same time during the crawl.
const crawlTabs = 4;

// The generated API pages are long and alike, so they get a screenshot of the first screen
// only. Every other page gets a full-page screenshot.
const isApiPage = (pathname) => pathname.startsWith('/reference/api/');

// Loads one page in `tab` and returns what the crawl checks: status, ids, links and problems.
async function inspectPage(tab, url) {
  tab.problems.length = 0;
  const response = await tab.page.goto(url.href, { waitUntil: 'load' });
  await waitForHydration(tab.page);
  const found = await tab.page.evaluate(() => ({
    links: Array.from(document.querySelectorAll('a[href]'), (a) => a.href),
    ids: Array.from(document.querySelectorAll('[id]'), (element) => element.id),
    brokenImages: Array.from(document.images)
      .filter((image) => !image.complete || image.naturalWidth === 0)
      .map((image) => image.currentSrc || image.src),
  }));
  await tab.page.screenshot({ path: join(screenshotFolder, screenshotName(url.pathname)), fullPage: !isApiPage(url.pathname) });
  return { status: response?.status() ?? 0, ...found, problems: [...tab.problems] };
}

test('site pages and links work', { timeout: 150_000 }, async () => {
  const tabs = await Promise.all(Array.from({ length: crawlTabs }, () => openPage()));
  const start = new URL('/', origin);
  const queue = [start];
  const linkSources = new Map([[pageKey(start), 'the start']]);
  const visited = new Map();
  const anchorLinks = [];
  const failures = [];

  const visit = async (tab, url) => {
    const key = pageKey(url);
    const result = await inspectPage(tab, url);
    visited.set(key, { ids: new Set(result.ids), status: result.status });
    if (result.status !== 200) failures.push(`${url.pathname} (linked from ${linkSources.get(key)}): HTTP ${result.status}`);
    for (const image of result.brokenImages) failures.push(`${url.pathname}: image did not load: ${image}`);
    for (const problem of result.problems) failures.push(`${url.pathname}: ${problem}`);

    for (const href of result.links) {
      const target = new URL(href);
      if (target.origin !== origin) continue;
      const targetKey = pageKey(target);
      if (target.hash.length > 1) anchorLinks.push({ from: url.pathname, key: targetKey, hash: decodeURIComponent(target.hash.slice(1)) });
      if (linkSources.has(targetKey)) continue;
      linkSources.set(targetKey, url.pathname);
      queue.push(new URL(target.pathname, origin));
    }
  };

  // Each tab takes the next queued page until the queue is empty and no tab can add to it.
  let busy = 0;
  await Promise.all(
    tabs.map(async (tab) => {
      for (;;) {
        const url = queue.shift();
        if (url === undefined) {
          if (busy === 0) return;
          await new Promise((resolveWait) => setTimeout(resolveWait, 20));
          continue;
        }
        busy++;
        try {
          await visit(tab, url);
        } finally {
          busy--;
        }
      }
    }),
  );
  await Promise.all(tabs.map((tab) => tab.page.close()));

  for (const anchor of anchorLinks) {
    const target = visited.get(anchor.key);
    if (target?.status === 200 && !target.ids.has(anchor.hash)) {
      failures.push(`${anchor.from}: link to ${anchor.key}#${anchor.hash}, but that page has no element with that id`);
    }
  }

  console.log(`visited ${visited.size} pages; screenshots in ${screenshotFolder}`);
  assert.ok(visited.size >= 10, `expected at least 10 pages reachable from the home page, found ${visited.size}`);
  for (const required of ['/guide/what-is-nimc', '/reference/cli', '/reference/api', '/experiments/movielens', '/playground']) {
    assert.ok(visited.has(required), `page ${required} is not reachable by links from the home page`);
  }
  assert.deepEqual(failures, [], `${failures.length} problems:\n${failures.join('\n')}`);
});

async function readPlayground(page) {
  return page.$eval('[data-testid=playground]', (element) => ({
    state: element.dataset.state,
    initialLoss: Number(element.dataset.initialLoss),
    loss: Number(element.dataset.loss),
    testError: Number(element.dataset.testError),
    iteration: Number(element.dataset.iteration),
    shownTestError: element.querySelector('[data-testid=test-error]')?.textContent?.trim(),
    message: element.querySelector('[data-testid=message]')?.textContent?.trim(),
  }));
}

async function fill(page, settings) {
  for (const [name, value] of Object.entries(settings)) {
    const selector = `[data-testid=playground] [name=${name}]`;
    if (typeof value === 'string' && Number.isNaN(Number(value))) await page.selectOption(selector, value);
    else await page.fill(selector, String(value));
  }
}

test('playground training lowers the loss', { timeout: 90_000 }, async () => {
  const { page, problems } = await openPage();
  await page.goto(new URL('/playground.html', origin).href, { waitUntil: 'load' });
  await waitForHydration(page);
  await page.waitForSelector('[data-testid=playground]');

  await fill(page, { activation: 'sigmoid', d: 6, k: 2, n: 60, m: 600, maxIterations: 2000, seed: 0 });
  await page.click('[data-testid=playground] button.train');

  await page.waitForFunction(
    () => {
      const element = document.querySelector('[data-testid=playground]');
      const ratio = Number(element?.dataset.initialLoss) / Number(element?.dataset.loss);
      return ratio >= 10 && Number.isFinite(Number(element?.dataset.testError));
    },
    undefined,
    { timeout: 60_000 },
  );
  const progress = await readPlayground(page);
  await page.waitForFunction(() => document.querySelector('[data-testid=playground]')?.dataset.state !== 'running', undefined, { timeout: 60_000 });
  const final = await readPlayground(page);
  await page.screenshot({ path: join(screenshotFolder, 'playground-trained.png'), fullPage: true });
  await page.close();

  console.log(`playground: loss ${progress.initialLoss} -> ${progress.loss} at iteration ${progress.iteration}; final state ${final.state}, test error ${final.testError}, ${final.message}`);
  assert.ok(progress.initialLoss / progress.loss >= 10, `loss fell only from ${progress.initialLoss} to ${progress.loss}`);
  assert.match(progress.shownTestError ?? '', /\d/, `the relative test error is not shown: ${JSON.stringify(progress)}`);
  assert.equal(final.state, 'done', `training did not finish: ${JSON.stringify(final)}`);
  assert.ok(final.testError <= 1e-3, `relative test error ${final.testError} after training, expected ≤ 1e-3`);
  assert.deepEqual(problems, []);
});

test('playground stop button ends a run', { timeout: 60_000 }, async () => {
  const { page, problems } = await openPage();
  await page.goto(new URL('/playground.html', origin).href, { waitUntil: 'load' });
  await waitForHydration(page);
  await page.waitForSelector('[data-testid=playground]');

  // Adam with a tiny step runs for the whole iteration limit, so only the button can end it.
  await fill(page, { activation: 'relu', d: 10, k: 3, n: 200, m: 2000, optimizer: 'adam', maxIterations: 1_000_000 });
  await fill(page, { learningRate: 0.00001 });
  await page.click('[data-testid=playground] button.train');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=playground]')?.dataset.iteration) >= 50, undefined, { timeout: 30_000 });

  // A timer on the page's main thread must fire on time while the worker trains.
  const timerDelay = await page.evaluate(
    () =>
      new Promise((resolveDelay) => {
        const started = performance.now();
        setTimeout(() => resolveDelay(performance.now() - started - 20), 20);
      }),
  );
  await page.click('[data-testid=playground] button.stop');
  const stopped = await readPlayground(page);
  await page.waitForTimeout(300);
  const later = await readPlayground(page);
  await page.close();

  console.log(`stop: state ${stopped.state} at iteration ${stopped.iteration}; main-thread timer late by ${timerDelay.toFixed(1)} ms`);
  assert.ok(timerDelay < 250, `a 20 ms timer fired ${timerDelay} ms late during training`);
  assert.equal(stopped.state, 'stopped', `state after stop: ${JSON.stringify(stopped)}`);
  assert.equal(later.iteration, stopped.iteration, `iterations went on after stop: ${stopped.iteration} -> ${later.iteration}`);
  assert.deepEqual(problems, []);
});
