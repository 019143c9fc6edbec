// The two ways the pure-TypeScript HDF5 reader gives up. Callers treat them differently:
// - Hdf5Unsupported: the file may well be valid, but it uses a structure this reader does not follow (a
//   message version, a huge fractal-heap object, a shared message, …). Fall back to the HDF5 library.
// - Hdf5Damaged: the bytes contradict the format (an offset past the end, a bad signature or checksum, a walk
//   that would not end). Report it as one line; the HDF5 library would most likely fail too.

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
