/** Exit status of a run that failed at its input or its computation. */
export const failureExitCode = 1;

/** Exit status of a command line that names an unknown command or option, or an invalid value. */
export const usageExitCode = 2;

/** A command-line usage mistake: an invalid option value or a missing option. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * An expected failure of a command whose message is complete on its own, such as a
 * non-finite result.
 */
export class CommandError extends Error {
  override readonly name = 'CommandError';
}

/** The message printed for an error and the exit status that goes with it. */
export interface ErrorReport {
  message: string;
  exitCode: number;
  /** True for an internal error, whose stack trace helps a developer. */
  internal: boolean;
}

// DatasetError is recognised by name so that this module does not load @nimc/datasets.
// RangeError is what the nimc libraries throw for an invalid argument.
function isExpected(error: Error): boolean {
  return error instanceof CommandError || error.name === 'DatasetError' || error instanceof RangeError;
}

// V8's messages for an array that cannot be allocated: a length beyond its limit, or a
// buffer the memory cannot hold.
const allocationMessages = ['Array buffer allocation failed', 'Invalid typed array length', 'Invalid array length'];

function isAllocationFailure(error: unknown): error is RangeError {
  return error instanceof RangeError && allocationMessages.some((text) => error.message.startsWith(text));
}

// Library parameters whose invalid values come straight from a command-line option, with
// that option's name. A RangeError about one of them is a usage error.
const optionOfParameter: Readonly<Record<string, string>> = {
  top: '--top',
  k: '--k',
  rank: '--rank',
  validationFraction: '--validation',
  learningRate: '--learning-rate',
  maxIterations: '--max-iterations',
  l2: '--l2',
  patience: '--patience',
  validationInterval: '--validation-interval',
};

// Returns the message with the library parameter replaced by its option, or undefined.
function asOptionMessage(error: RangeError): string | undefined {
  const match = /^invalid ([A-Za-z0-9]+):/.exec(error.message);
  const option = match === null ? undefined : optionOfParameter[match[1] as string];
  return option === undefined ? undefined : `invalid ${option}:${error.message.slice((match as RegExpExecArray)[0].length)}`;
}

/** Classifies an error thrown by a command. */
export function describeError(error: unknown): ErrorReport {
  if (isAllocationFailure(error)) {
    return {
      message:
        `out of memory (${error.message}): the arrays of this run need more memory than is available; ` +
        'use smaller sizes, such as a smaller --rank, --m, --n or --d, or fewer ratings or features',
      exitCode: failureExitCode,
      internal: false,
    };
  }
  if (error instanceof UsageError) {
    return { message: error.message, exitCode: usageExitCode, internal: false };
  }
  const optionMessage = error instanceof RangeError ? asOptionMessage(error) : undefined;
  if (optionMessage !== undefined) return { message: optionMessage, exitCode: usageExitCode, internal: false };
  if (error instanceof Error && isExpected(error)) {
    return { message: error.message, exitCode: failureExitCode, internal: false };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { message: `internal error: ${message}`, exitCode: failureExitCode, internal: true };
}
