/** The stream progress and notes go to: process.stderr, or a stand-in in tests. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/** Reports progress on stderr. */
export interface Progress {
  /** Replaces the progress line. Does nothing when progress is off. */
  update(text: string): void;
  /** Prints a one-line note, above the progress line when one is shown. */
  note(message: string): void;
  /** Erases the progress line, so later output starts on a clean line. */
  clear(): void;
}

/** Options of `createProgress`. */
export interface ProgressOptions {
  /** Hides the progress line and the notes. */
  quiet: boolean;
  /** Default process.stderr. */
  stream?: ProgressStream;
  /** Minimum time between two redraws of the progress line, in milliseconds. Default 100. */
  intervalMs?: number;
}

// ANSI "erase the whole line", after a carriage return that moves to its start.
const eraseLine = '\r\x1b[2K';

/**
 * Creates the progress reporter of a command. The progress line is drawn only when the
 * stream is a terminal and `quiet` is off, so redirected or piped runs see notes and
 * errors only.
 */
export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const showLine = stream.isTTY === true && !options.quiet;
  const intervalMs = options.intervalMs ?? 100;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let lineShown = false;

  const clear = (): void => {
    if (!lineShown) return;
    stream.write(eraseLine);
    lineShown = false;
  };

  const update = (text: string): void => {
    if (!showLine) return;
    const now = Date.now();
    if (now - lastDraw < intervalMs) return;
    lastDraw = now;
    // A terminal that reports no size (columns 0 or undefined) is taken as 80 columns wide.
    const columns = stream.columns !== undefined && stream.columns > 0 ? stream.columns : 80;
    const width = Math.max(20, columns - 1);
    const line = text.length > width ? `${text.slice(0, width - 1)}…` : text;
    stream.write(`${eraseLine}${line}`);
    lineShown = true;
  };

  const note = (message: string): void => {
    if (options.quiet) return;
    clear();
    stream.write(`nimc: note: ${message}\n`);
  };

  return { update, note, clear };
}
