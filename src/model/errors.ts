/**
 * The one error type that leaves the library for bad input: it names the file and says what is wrong in one
 * sentence. The CLI prints `kerascope: <file>: <message>` and exits 2. Anything else escaping is a bug.
 */
export class InputError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'InputError';
  }
}

/** Why an inspection was stopped before it answered. */
export type StopCause = 'time' | 'memory' | 'aborted';

/**
 * An inspection stopped before it answered: past its time budget (kind `time`), over its memory (`memory`), or
 * because the caller's AbortSignal fired (`aborted`). An InputError, so a front end reports it as it reports
 * any input it could not read.
 */
export class InspectionStopped extends InputError {
  constructor(
    file: string,
    message: string,
    readonly kind: StopCause,
  ) {
    super(file, message);
    this.name = 'InspectionStopped';
  }
}
