// The machine a benchmark runs on, its load, and the Python reference's availability.
import { execFile } from 'node:child_process';
import os from 'node:os';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** CPU model, cores, memory, Node version and platform. */
export function describeMachine() {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
  };
}

/** Returns the 1-, 5- and 15-minute load averages, rounded to two decimals. */
export function loadAverage() {
  return os.loadavg().map((value) => Math.round(value * 100) / 100);
}

/**
 * Checks that python3 imports numpy and scipy. Returns { available, python, numpy, scipy }
 * or { available: false, reason }.
 */
export async function probePythonReference() {
  const script = 'import json, sys, numpy, scipy; print(json.dumps({"python": sys.version.split()[0], "numpy": numpy.__version__, "scipy": scipy.__version__}))';
  try {
    const { stdout } = await run('python3', ['-c', script]);
    return { available: true, ...JSON.parse(stdout) };
  } catch (error) {
    const reason = error.code === 'ENOENT' ? 'python3 not found' : `python3 cannot import numpy and scipy (${error.stderr?.trim().split('\n').at(-1) ?? error.message})`;
    return { available: false, reason };
  }
}

/** Environment variables that OpenBLAS reads, with the values this process has. */
export function openBlasEnvironment() {
  const names = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE', 'OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS'];
  return Object.fromEntries(names.filter((name) => process.env[name] !== undefined).map((name) => [name, process.env[name]]));
}
