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
