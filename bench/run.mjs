// Runs nimc's benchmark cases and writes a Markdown and a JSON report.
//
//   pnpm bench                      every case
//   pnpm bench -- --case movielens-ml-1m --repeats 1
//
// Each case runs in a child process so that its peak RSS is its own. The report records
// the machine (CPU model, cores, Node version), each case's median and spread of wall
// time over the repeats, and the peak RSS.
import { execFile } from 'node:child_process';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { benchCases } from './cases.mjs';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));

function parseArguments(argv) {
  const options = { cases: [], repeats: undefined, out: join(root, 'bench', 'results') };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--') continue;
    if (flag === '--case') {
      options.cases.push(value);
    } else if (flag === '--repeats') {
      options.repeats = Number(value);
    } else if (flag === '--out') {
      options.out = value;
    } else {
      throw new Error(`unknown option ${flag}: expected --case NAME, --repeats N or --out DIR`);
    }
    i++;
  }
  return options;
}

async function timeOnce(benchCase) {
  // /usr/bin/time -f "%e %M" prints the wall seconds and the peak RSS in KiB on stderr.
  const { stdout, stderr } = await run('/usr/bin/time', ['-f', 'BENCH %e %M', ...benchCase.command], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
  });
  const line = stderr.split('\n').find((text) => text.startsWith('BENCH '));
  if (line === undefined) throw new Error(`case ${benchCase.name}: /usr/bin/time printed no measurement`);
  const [, seconds, kib] = line.split(' ');
  return { seconds: Number(seconds), peakRssMiB: Number(kib) / 1024, stdout };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function writeAtomically(path, text) {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}

const options = parseArguments(process.argv.slice(2));
const selected = options.cases.length === 0 ? benchCases : benchCases.filter((c) => options.cases.includes(c.name));
if (selected.length === 0) {
  throw new Error(`no case matches ${options.cases.join(', ')}: expected one of ${benchCases.map((c) => c.name).join(', ')}`);
}

const machine = {
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  platform: `${os.platform()} ${os.arch()}`,
};
const results = [];
for (const benchCase of selected) {
  const repeats = options.repeats ?? benchCase.repeats;
  const runs = [];
  for (let r = 0; r < repeats; r++) {
    process.stderr.write(`bench: ${benchCase.name} run ${r + 1}/${repeats}\n`);
    runs.push(await timeOnce(benchCase));
  }
  const seconds = runs.map((entry) => entry.seconds);
  results.push({
    name: benchCase.name,
    description: benchCase.description,
    command: benchCase.command.join(' '),
    repeats,
    medianSeconds: median(seconds),
    minSeconds: Math.min(...seconds),
    maxSeconds: Math.max(...seconds),
    peakRssMiB: Math.max(...runs.map((entry) => entry.peakRssMiB)),
    output: benchCase.summarize?.(runs[runs.length - 1].stdout),
  });
}

const report = { date: new Date().toISOString(), machine, results };
const lines = [
  '# nimc benchmark report',
  '',
  `Measured ${report.date} on ${machine.cpu} (${machine.cores} cores, ${machine.memoryGiB} GiB), Node ${machine.node}, ${machine.platform}.`,
  '',
  '| case | median (s) | min–max (s) | runs | peak RSS (MiB) | command |',
  '|---|---|---|---|---|---|',
  ...results.map(
    (r) =>
      `| ${r.name} | ${r.medianSeconds.toFixed(2)} | ${r.minSeconds.toFixed(2)}–${r.maxSeconds.toFixed(2)} | ${r.repeats} | ${r.peakRssMiB.toFixed(0)} | \`${r.command}\` |`,
  ),
  '',
];
for (const r of results) {
  if (r.output !== undefined) lines.push(`## ${r.name}`, '', r.description, '', '```', r.output, '```', '');
}
await writeAtomically(join(options.out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
await writeAtomically(join(options.out, 'report.md'), lines.join('\n'));
console.log(lines.join('\n'));
