import { main } from './cli.js';
import { exitCleanlyOnSignals } from './interrupt.js';

// A reader that closes the pipe early (`nimc --help | head`) is not an error: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

exitCleanlyOnSignals();

process.exitCode = await main(process.argv);
