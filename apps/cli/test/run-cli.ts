import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built command line, as users run it. */
export const binPath = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

/** The exit status and the output of one run of the built command line. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/bin.js ...args` without a terminal and collects its output. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [binPath, ...args],
      { env: { ...process.env, NIMC_DEBUG: '', ...env }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        let code = 0;
        if (error !== null) code = typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Returns true when `text` contains a stack-trace line such as "    at main (file.js:1:2)". */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+\(?.*:\d+:\d+\)?$/m.test(text);
}
