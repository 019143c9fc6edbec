// The two ways the pure-TypeScript HDF5 reader gives up; either is one InputError about the file (`damaged`):
// - Hdf5Unsupported: the file may be valid, but it uses a structure this reader does not follow (a message
//   version, a shared message, a field the reference HDF5 build reads truncated, …). The HDF5 library, chosen
//   explicitly (`--hdf5 h5wasm`), may read it; there is no automatic fallback.
// - Hdf5Damaged: the bytes contradict the format (an offset past the end, a bad signature or checksum, a walk
//   that would not end).

import { InputError } from '../model/errors.js';
import { thousands } from '../model/text.js';

export abstract class Hdf5Error extends Error {
  /** Where in the file (absolute byte position), when known. */
  readonly at: number | null;
  constructor(reason: string, at: number | null = null) {
    super(at === null ? reason : `${reason} (at byte ${at})`);
    this.at = at;
  }
}

export class Hdf5Unsupported extends Hdf5Error {
  override readonly name = 'Hdf5Unsupported';
}

export class Hdf5Damaged extends Hdf5Error {
  override readonly name = 'Hdf5Damaged';
}

/**
 * A name lookup HDF5 fails (not "absent": its search met damage on the way, which stays on its error stack).
 * h5wasm then calls the object absent when asked what it is, and unreadable when asked for its attributes.
 */
export class Hdf5LookupFailed extends Hdf5Damaged {}

/** A file shorter than the end-of-file address its superblock records. */
export class Hdf5Truncated extends Hdf5Damaged {
  constructor(
    readonly actual: number,
    readonly expected: number,
  ) {
    super(`truncated file: the superblock records ${expected} bytes, ${actual} are there`);
  }
}

/** An `Hdf5Damaged` or `Hdf5Unsupported` as the one-line error about the file; anything else unchanged. */
export function damaged(label: string, e: unknown): unknown {
  if (e instanceof Hdf5Truncated) return new InputError(label, truncatedText(e.actual, e.expected));
  if (e instanceof Hdf5Unsupported)
    return new InputError(
      label,
      `an HDF5 structure kerascope's reader does not follow: ${e.message} (the HDF5 library may read it: --hdf5 h5wasm)`,
    );
  return e instanceof Hdf5Damaged ? new InputError(label, `not a readable HDF5 file (${e.message})`) : e;
}

function truncatedText(actual: number, expected: number): string {
  return `truncated: the file is ${thousands(actual)} bytes, its header says ${thousands(expected)}`;
}

/**
 * HDF5's reason for refusing a file, said in words: a truncation (`truncated file: eof = 197572, …,
 * stored_eof = 395144`) becomes "truncated: the file is 197,572 bytes, its header says 395,144".
 */
export function hdf5OpenProblem(reason: string): string {
  const t = /truncated file: eof = (\d+).*stored_eof = (\d+)/.exec(reason);
  if (t) return truncatedText(Number(t[1]), Number(t[2]));
  return `not a readable HDF5 file (${reason})`;
}
