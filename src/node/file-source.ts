// The Node adapter's byte sources: files read through descriptors (opened on first read, so a source asked
// only for its size holds nothing open), and folders that list their entries.
import fs from 'node:fs';
import path from 'node:path';
import type { ByteSource } from '../io/byte-source.js';
import { InputError } from '../model/errors.js';

// realpath(3) in one call (the JavaScript realpathSync lstat()s every component: 100,000 shard paths took seconds).
const real = (p: string) => {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return path.resolve(p);
  }
};

/** The folders' real paths, once per folder (every shard path is checked against the same ones). */
const realFolders = new Map<string, string>();
const realFolder = (p: string) => {
  let r = realFolders.get(p);
  if (r === undefined) {
    r = real(p);
    if (realFolders.size > 1000) realFolders.clear();
    realFolders.set(p, r);
  }
  return r;
};

/** lstat, or null for a path that cannot name a file here (missing, too long, through a non-folder, a loop). */
const lstatOrNull = (p: string) => {
  try {
    return fs.lstatSync(p, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null;
  }
};

const inside = (root: string, target: string) => {
  if (target.startsWith(root.endsWith(path.sep) ? root : `${root}${path.sep}`)) return true; // the common case, without path.relative
  const rel = path.relative(root, target);
  return !(rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel));
};

/**
 * Whether `target`, symbolic links followed, lies outside the folder of the first input: outside both the
 * folder as named (links in it followed) and the folder the first input really is in (a model.json that is
 * itself a link, as in a Hugging Face cache, has its shards beside its target). A target that does not
 * exist is judged by its path alone.
 */
export function leavesFolder(root: string, target: string, first?: string): boolean {
  // A target that does not exist (a missing shard) has no link to follow: its path decides, without the cost of a
  // failing realpath per missing file.
  if (!lstatOrNull(target)) return !inside(path.resolve(root), path.resolve(target));
  const t = real(target);
  if (inside(realFolder(root), t)) return false;
  return !(first !== undefined && inside(realFolder(path.dirname(realFolder(first))), t));
}

export class FileSource implements ByteSource {
  private fd: number | null = null;
  private closed = false;

  constructor(
    readonly name: string,
    readonly size: number,
    /** The folder of the first input: siblings never resolve outside it. */
    readonly root: string = path.dirname(name),
    /** The first input itself (whose real folder also counts as inside). */
    readonly first: string = name,
  ) {}

  /** An existing regular file, or null. */
  static at(file: string, root?: string, first?: string): FileSource | null {
    try {
      const st = fs.statSync(file, { throwIfNoEntry: false });
      return st?.isFile() ? new FileSource(file, st.size, root, first) : null;
    } catch {
      return null;
    }
  }

  /** Answers per relative path (a manifest names each shard for the check and again to open it). */
  private escaping: Map<string, boolean> | null = null;
  /** The size of each plain-named regular file the check found beside this one, for `sibling` to open without another stat. */
  private besides: Map<string, number> | null = null;

  escapes(relPath: string): boolean {
    // (Both maps are made on first use: most sources, a model's shards among them, never ask.)
    this.escaping ??= new Map();
    let e = this.escaping.get(relPath);
    if (e === undefined) {
      e = path.isAbsolute(relPath) || this.leaves(relPath);
      if (this.escaping.size > 100_000) {
        this.escaping.clear();
        this.besides?.clear();
      }
      this.escaping.set(relPath, e);
    }
    return e;
  }

  /** `path.join(folder of this file, name)` for a bare name (no separator, not `.` or `..`), else null. */
  private besidePath(relPath: string): string | null {
    if (relPath === '' || relPath === '.' || relPath === '..' || /[\\/]/.test(relPath)) return null;
    // path.join normalizes the folder, then adds the name: the folder's part is the same for every name.
    this.joinPrefix ??= path.join(path.dirname(this.name), '_').slice(0, -1);
    return this.joinPrefix + relPath;
  }

  private joinPrefix: string | undefined;

  private leaves(relPath: string): boolean {
    const beside = this.besidePath(relPath);
    // The common case, a shard named by its bare name beside a model.json in the checked folder: when it is a
    // regular file (no link), it is really in that folder, so no realpath is needed.
    if (beside !== null && path.dirname(this.name) === this.root) {
      const st = lstatOrNull(beside);
      if (st?.isFile()) {
        this.besides ??= new Map();
        this.besides.set(relPath, st.size);
        return false;
      }
    }
    return leavesFolder(this.root, beside ?? path.join(path.dirname(this.name), relPath), this.first);
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
    if (/^[a-z][a-z0-9+.-]*:/i.test(relPath) || this.escapes(relPath)) return null;
    const p = this.besidePath(relPath) ?? path.join(path.dirname(this.name), relPath);
    const size = this.besides?.get(relPath);
    if (size !== undefined) return new FileSource(p, size, this.root, this.first);
    return FileSource.at(p, this.root, this.first) ?? DirSource.at(p, this.root);
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

  constructor(
    readonly name: string,
    readonly root: string = name,
  ) {}

  static at(dir: string, root?: string): DirSource | null {
    try {
      return fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory() ? new DirSource(dir, root) : null;
    } catch {
      return null;
    }
  }

  escapes(relPath: string): boolean {
    return path.isAbsolute(relPath) || leavesFolder(this.root, path.join(this.name, relPath));
  }

  read(): Uint8Array {
    return new Uint8Array(0);
  }

  sibling(relPath: string): ByteSource | null {
    if (/^[a-z][a-z0-9+.-]*:/i.test(relPath) || this.escapes(relPath)) return null;
    const p = path.join(this.name, relPath);
    return FileSource.at(p, this.root) ?? DirSource.at(p, this.root);
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
