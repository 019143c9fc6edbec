// Bounded access to an HDF5 file's bytes through a ByteSource, and a cursor that decodes little-endian
// fields from a block that was read once. Every position and length is checked against the file's size
// before the source is asked for it; every field is checked against the block it is decoded from.
import type { ByteSource } from '../io/byte-source.js';
import { Hdf5Damaged } from './errors.js';

/** The "undefined address" (all bits set). */
export const UNDEF = -1;

/** No single structure this reader asks for is larger than this (a heap, a B-tree node, a header chunk). */
export const MAX_BLOCK = 256 * 1024 * 1024;

/** Bytes fetched per source read when a small structure is asked for: HDF5 packs metadata together. */
export const READ_WINDOW = 8192;
/** Windows kept (least recently used dropped first). */
const WINDOWS = 64;

/**
 * Reads from the source, bounds-checked, counting what it reads. Small reads are served from aligned windows
 * of READ_WINDOW bytes, the last WINDOWS of them kept: neighbouring headers, heaps and B-tree nodes then cost
 * one read. Returned arrays may share memory with a window: callers never write to them.
 */
export class Bytes {
  /** Bytes handed out by the source so far. */
  bytesRead = 0;
  /** Calls to the source so far. */
  reads = 0;
  private readonly windows = new Map<number, Uint8Array>();

  constructor(
    private readonly src: ByteSource,
    readonly size: number = src.size,
  ) {}

  /** `len` bytes at absolute position `at`; a range outside the file is damage. */
  get(at: number, len: number, what: string): Uint8Array {
    if (!Number.isSafeInteger(at) || !Number.isSafeInteger(len) || at < 0 || len < 0 || at + len > this.size) {
      throw new Hdf5Damaged(`${what} lies outside the file (${len} bytes at ${at} of a ${this.size}-byte file)`, at >= 0 ? at : null);
    }
    if (len > MAX_BLOCK) throw new Hdf5Damaged(`${what} declares ${len} bytes`, at);
    const w = Math.floor(at / READ_WINDOW);
    const start = w * READ_WINDOW;
    if (at + len > start + READ_WINDOW) return this.fetch(at, len, what); // larger, or across a boundary
    let win = this.windows.get(w);
    if (win) {
      this.windows.delete(w); // most recently used goes last
    } else {
      win = this.fetch(start, Math.min(READ_WINDOW, this.size - start), what);
      if (this.windows.size >= WINDOWS) this.windows.delete(this.windows.keys().next().value!);
    }
    this.windows.set(w, win);
    return win.subarray(at - start, at - start + len);
  }

  private fetch(at: number, len: number, what: string): Uint8Array {
    const b = this.src.read(at, len);
    this.reads++;
    this.bytesRead += b.length;
    if (b.length !== len) throw new Hdf5Damaged(`short read of ${what}`, at);
    return b;
  }
}

/** A cursor over one block: `pos` absolute file position of `b[0]`, `o`/`l` the file's offset/length sizes. */
export class Cur {
  p = 0;
  constructor(
    readonly b: Uint8Array,
    readonly pos: number,
    readonly o: number,
    readonly l: number,
    readonly what: string,
  ) {}

  get left(): number {
    return this.b.length - this.p;
  }

  need(n: number): void {
    if (n < 0 || this.p + n > this.b.length) throw new Hdf5Damaged(`${this.what} is truncated`, this.pos + this.p);
  }

  skip(n: number): this {
    this.need(n);
    this.p += n;
    return this;
  }

  u8(): number {
    this.need(1);
    return this.b[this.p++]!;
  }

  u16(): number {
    this.need(2);
    const v = this.b[this.p]! | (this.b[this.p + 1]! << 8);
    this.p += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const b = this.b;
    const v = (b[this.p]! | (b[this.p + 1]! << 8) | (b[this.p + 2]! << 16)) + b[this.p + 3]! * 0x1000000;
    this.p += 4;
    return v;
  }

  /** An unsigned integer of `n` bytes (0–8); all-ones gives UNDEF when `allOnesUndef`. Above 2^53 is damage. */
  uint(n: number, allOnesUndef = false): number {
    this.need(n);
    let v = 0;
    let ones = n > 0;
    for (let i = n - 1; i >= 0; i--) {
      const byte = this.b[this.p + i]!;
      if (byte !== 0xff) ones = false;
      v = v * 256 + byte;
    }
    const at = this.pos + this.p;
    this.p += n;
    if (ones && allOnesUndef) return UNDEF;
    if (!Number.isSafeInteger(v)) throw new Hdf5Damaged(`${this.what}: a ${n}-byte value beyond 2^53`, at);
    return v;
  }

  /** A file address (offset size); UNDEF for the undefined address. */
  addr(): number {
    return this.uint(this.o, true);
  }

  /** A length (length size); all-ones is UNDEF too (some fields use it as "none"). */
  len(): number {
    return this.uint(this.l, true);
  }

  bytes(n: number): Uint8Array {
    this.need(n);
    const v = this.b.subarray(this.p, this.p + n);
    this.p += n;
    return v;
  }

  /** Checks a 4-byte ASCII signature. */
  sig(s: string): void {
    this.need(4);
    for (let i = 0; i < 4; i++) {
      if (this.b[this.p + i] !== s.charCodeAt(i)) throw new Hdf5Damaged(`${this.what}: no ${s} signature`, this.pos + this.p);
    }
    this.p += 4;
  }

  /** A NUL-terminated string, the NUL consumed. */
  cstr(): string {
    const end = this.b.indexOf(0, this.p);
    if (end < 0) throw new Hdf5Damaged(`${this.what}: unterminated string`, this.pos + this.p);
    const s = utf8(this.b.subarray(this.p, end));
    this.p = end + 1;
    return s;
  }

  /** Moves to the next multiple of `n` relative to the block start. */
  align(n: number): void {
    const r = this.p % n;
    if (r) this.skip(n - r);
  }
}

const decoder = new TextDecoder('utf-8');
/** UTF-8 text (invalid sequences replaced); short ASCII names, the common case, without the decoder. */
export function utf8(b: Uint8Array): string {
  if (b.length <= 64) {
    let s = '';
    for (let i = 0; i < b.length; i++) {
      const c = b[i]!;
      if (c >= 0x80) return decoder.decode(b);
      s += String.fromCharCode(c);
    }
    return s;
  }
  return decoder.decode(b);
}

/** Bytes up to the first NUL (or all), as UTF-8. */
export function cString(b: Uint8Array): string {
  const end = b.indexOf(0);
  return utf8(end >= 0 ? b.subarray(0, end) : b);
}

/** Bob Jenkins' lookup3 `hashlittle`, as HDF5 uses it for metadata checksums (initial value 0). */
export function lookup3(k: Uint8Array, start = 0, end = k.length, initval = 0): number {
  let length = end - start;
  let a = (0xdeadbeef + length + initval) | 0;
  let b = a;
  let c = a;
  let i = start;
  const rot = (x: number, r: number) => (x << r) | (x >>> (32 - r));
  while (length > 12) {
    a = (a + (k[i]! | (k[i + 1]! << 8) | (k[i + 2]! << 16) | (k[i + 3]! << 24))) | 0;
    b = (b + (k[i + 4]! | (k[i + 5]! << 8) | (k[i + 6]! << 16) | (k[i + 7]! << 24))) | 0;
    c = (c + (k[i + 8]! | (k[i + 9]! << 8) | (k[i + 10]! << 16) | (k[i + 11]! << 24))) | 0;
    a = (a - c) | 0;
    a ^= rot(c, 4);
    c = (c + b) | 0;
    b = (b - a) | 0;
    b ^= rot(a, 6);
    a = (a + c) | 0;
    c = (c - b) | 0;
    c ^= rot(b, 8);
    b = (b + a) | 0;
    a = (a - c) | 0;
    a ^= rot(c, 16);
    c = (c + b) | 0;
    b = (b - a) | 0;
    b ^= rot(a, 19);
    a = (a + c) | 0;
    c = (c - b) | 0;
    c ^= rot(b, 4);
    b = (b + a) | 0;
    length -= 12;
    i += 12;
  }
  if (length === 0) return c >>> 0;
  // The last 1–12 bytes, zero-padded.
  const t = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (let j = 0; j < length; j++) t[j] = k[i + j]!;
  a = (a + (t[0]! | (t[1]! << 8) | (t[2]! << 16) | (t[3]! << 24))) | 0;
  b = (b + (t[4]! | (t[5]! << 8) | (t[6]! << 16) | (t[7]! << 24))) | 0;
  c = (c + (t[8]! | (t[9]! << 8) | (t[10]! << 16) | (t[11]! << 24))) | 0;
  c ^= b;
  c = (c - rot(b, 14)) | 0;
  a ^= c;
  a = (a - rot(c, 11)) | 0;
  b ^= a;
  b = (b - rot(a, 25)) | 0;
  c ^= b;
  c = (c - rot(b, 16)) | 0;
  a ^= c;
  a = (a - rot(c, 4)) | 0;
  b ^= a;
  b = (b - rot(a, 14)) | 0;
  c ^= b;
  c = (c - rot(b, 24)) | 0;
  return c >>> 0;
}

/** Checks the 4-byte checksum stored right after `b[start..end)`. */
export function checkSum(b: Uint8Array, start: number, end: number, pos: number, what: string): void {
  if (end + 4 > b.length) throw new Hdf5Damaged(`${what}: checksum missing`, pos + end);
  const stored = (b[end]! | (b[end + 1]! << 8) | (b[end + 2]! << 16) | (b[end + 3]! << 24)) >>> 0;
  if (stored !== lookup3(b, start, end)) throw new Hdf5Damaged(`${what}: checksum mismatch`, pos + start);
}
