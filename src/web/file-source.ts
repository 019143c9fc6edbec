// The page's byte sources: the File objects a user dropped or picked, by their relative paths (a dropped
// folder keeps its tree). Reads are ranges of the File (`Blob.slice`) read synchronously with
// FileReaderSync, which exists only in Web Workers: the HDF5 library reads through this interface from
// inside WebAssembly, which cannot wait. A multi-GB file is never copied whole, only the ranges asked for.
// Each FileReaderSync call costs a round trip to the browser's blob store (milliseconds), and HDF5 asks for
// many small, clustered ranges (object headers, B-tree nodes, heaps): small reads are served from aligned
// 64 KiB blocks kept in a small cache (at most 4 MiB per drop).
import type { ByteSource } from '../io/byte-source.js';
import { dirName, joinPath } from '../io/paths.js';

/** Reads a whole Blob synchronously (in a Worker: FileReaderSync). */
export type SyncBlobReader = (blob: Blob) => ArrayBuffer;

/** Counts what was read from the Files, for the progress line and the benchmark ("ranges only"). */
export interface ReadStats {
  reads: number;
  bytes: number;
}

const BLOCK = 64 * 1024;
const CACHED_BLOCKS = 64;

/** Recently read blocks of the dropped files, shared by the sources of one drop (least recently used out first). */
export class BlockCache {
  private readonly blocks = new Map<string, Uint8Array>();

  constructor(
    private readonly readSync: SyncBlobReader,
    readonly stats: ReadStats = { reads: 0, bytes: 0 },
    private readonly onRead?: (stats: ReadStats) => void,
  ) {}

  /** Bytes [start, end) of a blob (end within its size). */
  read(path: string, blob: Blob, start: number, end: number): Uint8Array {
    if (end - start > BLOCK) return this.fetch(blob, start, end);
    const first = Math.floor(start / BLOCK);
    const last = Math.floor((end - 1) / BLOCK);
    if (first === last) return this.block(path, blob, first).subarray(start - first * BLOCK, end - first * BLOCK);
    const out = new Uint8Array(end - start);
    for (let b = first; b <= last; b++) {
      const bytes = this.block(path, blob, b);
      const from = Math.max(start, b * BLOCK);
      const to = Math.min(end, b * BLOCK + bytes.length);
      out.set(bytes.subarray(from - b * BLOCK, to - b * BLOCK), from - start);
    }
    return out;
  }

  private block(path: string, blob: Blob, b: number): Uint8Array {
    const key = `${b}\u0000${path}`;
    let bytes = this.blocks.get(key);
    if (bytes) this.blocks.delete(key);
    else {
      bytes = this.fetch(blob, b * BLOCK, Math.min(blob.size, (b + 1) * BLOCK));
      if (this.blocks.size >= CACHED_BLOCKS) this.blocks.delete(this.blocks.keys().next().value!);
    }
    this.blocks.set(key, bytes);
    return bytes;
  }

  private fetch(blob: Blob, start: number, end: number): Uint8Array {
    const bytes = new Uint8Array(this.readSync(blob.slice(start, end)));
    this.stats.reads++;
    this.stats.bytes += bytes.length;
    this.onRead?.(this.stats);
    return bytes;
  }
}

export function fileReaderSync(): SyncBlobReader {
  const Reader = (globalThis as unknown as { FileReaderSync?: new () => { readAsArrayBuffer(b: Blob): ArrayBuffer } }).FileReaderSync;
  if (!Reader) throw new Error('FileReaderSync is only available in a Web Worker');
  const reader = new Reader();
  return (blob) => reader.readAsArrayBuffer(blob);
}

/** `a/./b//c` → `a/b/c`; backslashes as separators. */
export function normalisePath(p: string): string {
  return joinPath(p.replace(/\\/g, '/'));
}

export class FileSource implements ByteSource {
  readonly size: number;
  private closed = false;

  /**
   * @param files every dropped file by its relative path (`/` separators)
   * @param name the path of this source within `files`: a file, or a folder of them
   * @param cache reads the files (by blocks), shared by all sources of one drop
   * @param root the folder siblings must stay in (default: this source's folder)
   */
  constructor(
    private readonly files: ReadonlyMap<string, Blob>,
    readonly name: string,
    private readonly cache: BlockCache,
    private readonly root = normalisePath(dirName(name)),
  ) {
    this.size = files.get(normalisePath(name))?.size ?? 0;
  }

  read(offset: number, length: number): Uint8Array {
    if (this.closed) throw new Error(`${this.name} is closed`);
    const blob = this.files.get(normalisePath(this.name));
    if (!blob) return new Uint8Array(0);
    const start = Math.max(0, Math.min(offset, blob.size));
    const end = Math.min(blob.size, start + Math.max(0, length));
    if (end <= start) return new Uint8Array(0);
    // A copy: callers may keep what they get, and the cache reuses its blocks.
    return this.cache.read(normalisePath(this.name), blob, start, end).slice();
  }

  sibling(relPath: string): ByteSource | null {
    if (/^([a-z][a-z0-9+.-]*:|\/|\\)/i.test(relPath)) return null;
    // A folder's entries are its siblings (as for a folder on disk); a file's are beside it.
    const base = this.files.has(normalisePath(this.name)) ? dirName(this.name) : this.name;
    const target = joinPath(base, relPath);
    const key = normalisePath(target);
    // The second fence (callers check paths first): nothing outside the first input's folder.
    const inside = this.root === '.' ? key !== '..' && !key.startsWith('../') : key.startsWith(`${this.root}/`);
    if (!inside || (!this.files.has(key) && !this.isFolder(key))) return null;
    return new FileSource(this.files, target, this.cache, this.root);
  }

  private isFolder(key: string): boolean {
    const prefix = key === '.' ? '' : `${key}/`;
    for (const k of this.files.keys()) if (k.startsWith(prefix)) return true;
    return false;
  }

  list(): string[] | null {
    const self = normalisePath(this.name);
    if (this.files.has(self)) return null;
    const prefix = self === '.' ? '' : `${self}/`;
    const names = new Set<string>();
    for (const key of this.files.keys()) if (key.startsWith(prefix)) names.add(key.slice(prefix.length).split('/')[0]!);
    return names.size ? [...names].sort() : null;
  }

  close(): void {
    this.closed = true;
  }
}
