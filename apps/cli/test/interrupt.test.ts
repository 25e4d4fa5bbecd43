import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath, runCli } from './run-cli.js';

const example = fileURLToPath(new URL('../../../examples/small/', import.meta.url));

let root: string;
let model: string;
let manyUsers: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'nimc-interrupt-'));
  model = join(root, 'model.nimc.json');
  const run = await runCli([
    'train', '--rank', '4', '--max-iterations', '20', '--quiet',
    '--ratings', join(example, 'ratings.csv'),
    '--user-features', join(example, 'users.csv'),
    '--item-features', join(example, 'items.csv'),
    '--out', model,
  ]);
  expect(run.code, run.stderr).toBe(0);

  // 40,000 users × 300 items per list is about 12 million CSV rows, so the write lasts
  // seconds, long enough to interrupt it.
  const rows = (await readFile(join(example, 'users.csv'), 'utf8')).trim().split('\n');
  const header = rows[0] as string;
  const body = rows.slice(1).map((row) => row.slice(row.indexOf(',')));
  const lines = [header];
  for (let u = 0; u < 40_000; u++) lines.push(`x${u}${body[u % body.length] as string}`);
  manyUsers = join(root, 'many-users.csv');
  await writeFile(manyUsers, `${lines.join('\n')}\n`);
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

// Starts `nimc recommend --out out`, waits until its temporary file exists, sends `signal`
// and returns the exit status and the files left in `folder`.
async function interruptRecommend(folder: string, out: string, signal: NodeJS.Signals): Promise<{ code: number | null; files: string[]; sawTemporary: boolean }> {
  const child = spawn(
    process.execPath,
    [binPath, 'recommend', '--quiet', '--model', model, '--user-features', manyUsers, '--item-features', join(example, 'items.csv'), '--top', '300', '--out', out],
    { stdio: 'ignore' },
  );
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let sawTemporary = false;
  const deadline = Date.now() + 60_000;
  while (!sawTemporary && child.exitCode === null && Date.now() < deadline) {
    sawTemporary = (await readdir(folder)).some((name) => name.endsWith('.tmp'));
    if (!sawTemporary) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  child.kill(signal);
  const code = await exited;
  return { code, files: await readdir(folder), sawTemporary };
}

describe('interrupted output', () => {
  it('SIGINT removes the temporary file', async () => {
    const folder = await mkdtemp(join(root, 'sigint-'));
    const out = join(folder, 'top.csv');

    const result = await interruptRecommend(folder, out, 'SIGINT');

    expect(result.sawTemporary).toBe(true);
    expect(result.code).toBe(130);
    expect(result.files).toEqual([]);
  });

  it('SIGTERM keeps the old target', async () => {
    const folder = await mkdtemp(join(root, 'sigterm-'));
    const out = join(folder, 'top.csv');
    await writeFile(out, 'previous\n');

    const result = await interruptRecommend(folder, out, 'SIGTERM');

    expect(result.sawTemporary).toBe(true);
    expect(result.code).toBe(143);
    expect(result.files).toEqual(['top.csv']);
    expect(await readFile(out, 'utf8')).toBe('previous\n');
  });
});
