// Runs a benchmark command in a child process and measures its wall time and peak RSS.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
const timeTool = '/usr/bin/time';

/**
 * Runs `command` (an argument array) from the repository root. Returns the wall seconds,
 * and from /usr/bin/time the peak RSS in MiB and the user plus system CPU seconds (both
 * null without it), stdout and stderr. `env` replaces the environment. `timeoutSeconds`
 * kills the command, and then `timedOut` is true.
 */
export async function timedRun(command, { env = process.env, timeoutSeconds } = {}) {
  const measured = existsSync(timeTool);
  const argv = measured ? [timeTool, '-f', 'BENCH %e %M %U %S', ...command] : command;
  const started = performance.now();
  try {
    const { stdout, stderr } = await run(argv[0], argv.slice(1), {
      cwd: repositoryRoot,
      env: { ...env, TURBO_TELEMETRY_DISABLED: '1' },
      maxBuffer: 256 * 1024 * 1024,
      timeout: timeoutSeconds === undefined ? 0 : timeoutSeconds * 1000,
      killSignal: 'SIGKILL',
    });
    return { ...parseMeasurement(stderr, started, measured), stdout, stderr, timedOut: false };
  } catch (error) {
    if (error.killed && timeoutSeconds !== undefined) {
      const wallSeconds = (performance.now() - started) / 1000;
      return { wallSeconds, peakRssMiB: null, cpuSeconds: null, stdout: error.stdout ?? '', stderr: error.stderr ?? '', timedOut: true };
    }
    const tail = `${error.stderr ?? ''}`.trim().split('\n').slice(-5).join('\n');
    throw new Error(`command failed (${command.join(' ')}): ${tail || error.message}`);
  }
}

// /usr/bin/time -f "BENCH %e %M %U %S" prints the wall seconds, the peak RSS in KiB and
// the user and system CPU seconds.
function parseMeasurement(stderr, started, measured) {
  const line = measured ? stderr.split('\n').find((text) => text.startsWith('BENCH ')) : undefined;
  if (line === undefined) return { wallSeconds: (performance.now() - started) / 1000, peakRssMiB: null, cpuSeconds: null };
  const [, seconds, kib, user, system] = line.split(' ');
  return { wallSeconds: Number(seconds), peakRssMiB: Number(kib) / 1024, cpuSeconds: Number(user) + Number(system) };
}

/** Parses the last non-empty line of `stdout` as JSON. */
export function lastJsonLine(stdout) {
  const line = stdout.trim().split('\n').at(-1);
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(`expected a JSON line on stdout, received ${JSON.stringify(line?.slice(0, 200))}`);
  }
}
