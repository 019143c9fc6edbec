// The Node adapter's byte sources: files read through descriptors (opened on first read, so a source asked
// only for its size holds nothing open), and folders that list their entries.
import fs from 'node:fs';
import path from 'node:path';
import type { ByteSource } from '../io/byte-source.js';
import { InputError } from '../model/errors.js';

export class FileSource implements ByteSource {
  private fd: number | null = null;
  private closed = false;

  constructor(
    readonly name: string,
    readonly size: number,
  ) {}

  /** An existing regular file, or null. */
  static at(file: string): FileSource | null {
    try {
      const st = fs.statSync(file);
      return st.isFile() ? new FileSource(file, st.size) : null;
    } catch {
      return null;
    }
  }

  read(offset: number, length: number): Uint8Array {
    if (this.closed) throw new Error(`${this.name} is closed`);
    this.fd ??= fs.openSync(this.name, 'r');
    const start = Math.max(0, Math.min(offset, this.size));
    const n = Math.max(0, Math.min(length, this.size - start));
    const buf = new Uint8Array(n);
    let got = 0;
    while (got < n) {
      const k = fs.readSync(this.fd, buf, got, n - got, start + got);
      if (k === 0) break;
      got += k;
    }
    return got === n ? buf : buf.subarray(0, got);
  }

  sibling(relPath: string): ByteSource | null {
    if (path.isAbsolute(relPath) || /^[a-z][a-z0-9+.-]*:/i.test(relPath)) return null;
    return FileSource.at(path.join(path.dirname(this.name), relPath)) ?? DirSource.at(path.join(path.dirname(this.name), relPath));
  }

  list(): null {
    return null;
  }

  /** Opens the descriptor now (a scratch copy is unlinked right after, while this keeps it readable). */
  hold(): this {
    this.fd ??= fs.openSync(this.name, 'r');
    return this;
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
    this.closed = true;
  }
}

/** A folder given as the input: no bytes of its own, its entries are its siblings. */
export class DirSource implements ByteSource {
  readonly size = 0;

  constructor(readonly name: string) {}

  static at(dir: string): DirSource | null {
    try {
      return fs.statSync(dir).isDirectory() ? new DirSource(dir) : null;
    } catch {
      return null;
    }
  }

  read(): Uint8Array {
    return new Uint8Array(0);
  }

  sibling(relPath: string): ByteSource | null {
    if (path.isAbsolute(relPath) || /^[a-z][a-z0-9+.-]*:/i.test(relPath)) return null;
    const p = path.join(this.name, relPath);
    return FileSource.at(p) ?? DirSource.at(p);
  }

  list(): string[] {
    return fs.readdirSync(this.name).sort();
  }

  close(): void {
    /* nothing held */
  }
}

/** The source for a path the user gave: a file or a folder; a missing path is an InputError. */
export function openPath(file: string): ByteSource {
  const src = FileSource.at(file) ?? DirSource.at(file);
  if (!src) throw new InputError(file, 'no such file');
  return src;
}
