// How the core reads input: a named run of bytes with random access, and a way to open the files beside
// it. The Node adapter (src/node/) serves files through descriptors; the browser page serves dropped
// File objects; tests serve bytes in memory (MemorySource below). Reads are synchronous on purpose: the
// HDF5 library reads through this interface from inside WebAssembly, which cannot wait for a promise
// (in a browser Worker, FileReaderSync gives synchronous reads of a File).

import { dirName, joinPath } from './paths.js';

export interface ByteSource {
  /** The path or name as the user gave it: shown in messages and reports. */
  readonly name: string;
  /** Size in bytes. */
  readonly size: number;
  /** Up to `length` bytes starting at `offset` (fewer at the end of the input, none past it). */
  read(offset: number, length: number): Uint8Array;
  /**
   * Another input in the same folder tree, by a relative path with `/` separators (`group1-shard1of1.bin`,
   * `arch_weights.h5`, `sub/config.json`), or null when there is none. Never resolves outside the folder
   * the first input lies in: callers still check paths, this is the second fence.
   */
  sibling(relPath: string): ByteSource | null;
  /**
   * True when `relPath`, resolved the way the host resolves it (symbolic links followed), lands outside the
   * folder the first input lies in. Hosts without links (memory, a browser) leave it out.
   */
  escapes?(relPath: string): boolean;
  /** The names directly inside this input when it is a folder, else null. */
  list?(): string[] | null;
  /**
   * A hint: these ranges ([offset, length]) will probably be read soon (an HDF5 group's members). A source
   * whose reads are costly round trips (HTTP) fetches them together with its next read; others leave it out.
   */
  prefetch?(ranges: readonly (readonly [number, number])[]): void;
  /** Releases what the source holds open (descriptors). Reading after close is an error. */
  close(): void;
}

/** Reads the whole source (for JSON documents that are bounded by a budget first). */
export function readAll(src: ByteSource): Uint8Array {
  return src.read(0, src.size);
}

/** A folder of byte arrays by relative path (`/` separators): the in-memory source tests and the page use. */
export class MemorySource implements ByteSource {
  readonly size: number;
  private closed = false;

  /**
   * @param files every file of the folder tree, by relative path
   * @param name the path of this source within `files` (its folder is where siblings are looked up)
   */
  constructor(
    private readonly files: ReadonlyMap<string, Uint8Array>,
    readonly name: string,
  ) {
    this.size = files.get(normalise(name))?.length ?? 0;
  }

  /** A source over one in-memory file. */
  static of(name: string, bytes: Uint8Array): MemorySource {
    return new MemorySource(new Map([[normalise(name), bytes]]), name);
  }

  read(offset: number, length: number): Uint8Array {
    if (this.closed) throw new Error(`${this.name} is closed`);
    const bytes = this.files.get(normalise(this.name));
    if (!bytes) return new Uint8Array(0);
    const start = Math.max(0, Math.min(offset, bytes.length));
    return bytes.subarray(start, Math.min(bytes.length, start + Math.max(0, length)));
  }

  sibling(relPath: string): ByteSource | null {
    if (/^([a-z][a-z0-9+.-]*:|\/|\\)/i.test(relPath)) return null;
    // A folder's entries are its siblings (as for a folder on disk); a file's are beside it.
    const base = this.files.has(normalise(this.name)) ? dirName(this.name) : this.name;
    const target = joinPath(base, relPath);
    if (!this.files.has(normalise(target))) return null;
    return new MemorySource(this.files, target);
  }

  list(): string[] | null {
    const self = normalise(this.name);
    if (this.files.has(self)) return null;
    const prefix = self === '.' ? '' : `${self}/`;
    const names = new Set<string>();
    for (const key of this.files.keys()) {
      if (key.startsWith(prefix)) names.add(key.slice(prefix.length).split('/')[0]!);
    }
    return names.size ? [...names].sort() : null;
  }

  close(): void {
    this.closed = true;
  }
}

function normalise(p: string): string {
  return joinPath(p.replace(/\\/g, '/'));
}

/** A byte range of another source seen as a whole input (an uncompressed member of a zip archive). */
export class SliceSource implements ByteSource {
  constructor(
    private readonly parent: ByteSource,
    private readonly offset: number,
    readonly size: number,
    readonly name: string,
  ) {}

  read(offset: number, length: number): Uint8Array {
    const start = Math.max(0, Math.min(offset, this.size));
    return this.parent.read(this.offset + start, Math.max(0, Math.min(length, this.size - start)));
  }

  sibling(): ByteSource | null {
    return null;
  }

  prefetch(ranges: readonly (readonly [number, number])[]): void {
    this.parent.prefetch?.(
      ranges.filter(([s]) => s >= 0 && s < this.size).map(([s, n]) => [this.offset + s, Math.min(n, this.size - s)] as const),
    );
  }

  close(): void {
    /* the parent owns the bytes */
  }
}

/** Decodes bytes as UTF-8 text, dropping a byte-order mark. */
export function utf8(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
}
