// Bounded access to an HDF5 file's bytes through a ByteSource, and a cursor that decodes little-endian
// fields from a block that was read once. Every position and length is checked against the file's size
// before the source is asked for it; every field is checked against the block it is decoded from.
import type { ByteSource } from '../io/byte-source.js';
import { type Budgets, DEFAULT_BUDGETS } from '../model/budgets.js';
import { Hdf5Damaged, Hdf5Unsupported } from './errors.js';

/** The "undefined address" (all bits set). */
export const UNDEF = -1;

/**
 * An address at or past 2^53: past the end of any file this reader can be given. HDF5 decodes any 64-bit
 * address and refuses it only where it is used (reading there fails); so does this reader, through this value,
 * which no read accepts (see Bytes.get) and which stays past any end in comparisons.
 */
export const FAR = Number.POSITIVE_INFINITY;

/**
 * The reference HDF5 build (h5wasm) is 32-bit WebAssembly: a field HDF5 decodes into a C `size_t` keeps only
 * its low 32 bits there, where the format (and HDF5 on a 64-bit host) reads all 64. Such a field at or above
 * this limit cannot be read as the reference reads it, so this reader declines the file (see `sizeT`).
 */
export const SIZE_T_LIMIT = 2 ** 32;

/**
 * A `size_t` value as this reader and the reference HDF5 build read it (see SIZE_T_LIMIT): below 2^32 the same.
 * At or above it, the reference keeps `low` (the low 32 bits): declined when the reference would accept that
 * (`accepts`, the caller's own check; always when not given), else returned whole for the caller to refuse as
 * the reference refuses its truncated value.
 */
export function checkSizeT(v: number, what: string, at: number | null, low = v % SIZE_T_LIMIT, accepts?: (low: number) => boolean): number {
  if (v >= SIZE_T_LIMIT && (!accepts || accepts(low)))
    throw new Hdf5Unsupported(`${what}: an 8-byte offset/length above 2^32, which the reference HDF5 build reads truncated`, at);
  return v;
}

/**
 * The largest block the reader reads, or a size it meets, before it declines the file: a quarter of the
 * reference reader's memory budget (`wasmHeapBytes`). HDF5 allocates a structure's declared size before it
 * reads it, and h5wasm refuses the file when that passes its budget (which the heap it already holds counts
 * towards): past this size the reference's outcome depends on its memory, not on the bytes.
 */
export const allocationLimit = (budgets: Budgets = DEFAULT_BUDGETS): number => budgets.wasmHeapBytes / 4;

/** Declines a size HDF5 would allocate that passes `limit` (allocationLimit of the load's budgets). */
export function checkAllocation(n: number, what: string, at: number | null = null, limit = allocationLimit()): void {
  if (n > limit)
    throw new Hdf5Unsupported(`${what} declares ${n} bytes, which the reference reader would allocate (its memory budget decides)`, at);
}

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
  /**
   * Where reads must end: the file's size, then (once the superblock is read) its end-of-file address, past
   * which HDF5 reads nothing ("addr overflow").
   */
  end: number;

  constructor(
    private readonly src: ByteSource,
    readonly size: number = src.size,
    /** The largest block read or size met before the file is declined (see allocationLimit). */
    readonly maxAllocation: number = allocationLimit(),
  ) {
    this.end = size;
  }

  /** `len` bytes at absolute position `at`; a range outside the file (or past its end-of-file address) is damage. */
  get(at: number, len: number, what: string): Uint8Array {
    checkAllocation(len, what, Number.isSafeInteger(at) ? at : null, this.maxAllocation); // HDF5 allocates a block before it reads it
    if (!Number.isSafeInteger(at) || !Number.isSafeInteger(len) || at < 0 || len < 0 || at + len > this.end) {
      const where = Number.isSafeInteger(at) ? `at ${at}` : 'at an address past 2^53';
      throw new Hdf5Damaged(
        `${what} lies outside the file (${len} bytes ${where} of a ${this.size}-byte file)`,
        Number.isSafeInteger(at) && at >= 0 ? at : null,
      );
    }
    const w = Math.floor(at / READ_WINDOW);
    const start = w * READ_WINDOW;
    if (at + len > start + READ_WINDOW) return this.fetch(at, len, what); // larger, or across a boundary
    let win = this.windows.get(w);
    if (win) {
      this.windows.delete(w); // most recently used goes last
    } else {
      win = this.fetch(start, Math.min(READ_WINDOW, this.end - start), what);
      if (this.windows.size >= WINDOWS) this.windows.delete(this.windows.keys().next().value!);
    }
    this.windows.set(w, win);
    return win.subarray(at - start, at - start + len);
  }

  /** Tells the source which object headers will be read next (a group's members): a remote source batches them. */
  hint(positions: readonly number[]): void {
    if (!this.src.prefetch || positions.length < 2) return;
    // HDF5 allocates a group's metadata close together: a member's header, and the headers and heaps it
    // points to, lie within a few KiB around it (before it too, when they were allocated first).
    this.src.prefetch(
      positions.filter((p) => Number.isSafeInteger(p) && p >= 0 && p < this.end).map((p) => [Math.max(0, p - 2048), 4096] as const),
    );
  }

  /**
   * `len` bytes at `at` as HDF5 reads a block it has first placed inside its end-of-file address (a driver
   * information block): past the end of the file, zeros (the POSIX driver's end of file); at or past 2^53,
   * where the reference build's file system reads nothing, damage ("file read failed").
   */
  zeroFilled(at: number, len: number, what: string): Uint8Array {
    if (!Number.isSafeInteger(at + len) || at < 0 || len < 0) throw new Hdf5Damaged(`${what}: file read failed (at an address past 2^53)`);
    const out = new Uint8Array(len);
    if (at < this.size) out.set(this.fetch(at, Math.min(len, this.size - at), what));
    return out;
  }

  /**
   * `len` bytes at `at`. A source that holds fewer than its size says (an archive member whose recorded size
   * is too large) gives zeros past its end, as HDF5's POSIX driver does at the end of a file (H5FD__sec2_read):
   * both readers then see the same bytes.
   */
  private fetch(at: number, len: number, _what: string): Uint8Array {
    const b = this.src.read(at, len);
    this.reads++;
    this.bytesRead += b.length;
    if (b.length === len) return b;
    const filled = new Uint8Array(len);
    filled.set(b.subarray(0, len));
    return filled;
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
    const at = this.pos + this.p;
    const undef = allOnesUndef && this.allOnes(n);
    const v = this.raw(n);
    if (undef) return UNDEF;
    if (!Number.isSafeInteger(v)) throw new Hdf5Damaged(`${this.what}: a ${n}-byte value beyond 2^53`, at);
    return v;
  }

  /** An unsigned integer of `n` bytes (0–8), unchecked: exact below 2^53, approximate (and at least 2^53) above. */
  raw(n: number): number {
    this.need(n);
    let v = 0;
    for (let i = n - 1; i >= 0; i--) v = v * 256 + this.b[this.p + i]!;
    this.p += n;
    return v;
  }

  /** Whether the next `n` bytes (n ≥ 1) are all ones. */
  private allOnes(n: number): boolean {
    this.need(n);
    for (let i = 0; i < n; i++) if (this.b[this.p + i] !== 0xff) return false;
    return n > 0;
  }

  /** A file address (offset size); UNDEF for the undefined address, FAR for one at or past 2^53. */
  addr(): number {
    if (this.allOnes(this.o)) {
      this.p += this.o;
      return UNDEF;
    }
    const v = this.raw(this.o);
    return Number.isSafeInteger(v) ? v : FAR;
  }

  /**
   * A length (length size) that HDF5 decodes into a C `size_t`: at or above 2^32, declined when the reference
   * HDF5 build would accept its truncated value (`accepts`; always when not given), see checkSizeT.
   */
  sizeT(accepts?: (low: number) => boolean): number {
    const at = this.pos + this.p;
    const low = this.l >= 4 ? this.le32(this.p) : 0;
    return checkSizeT(this.raw(this.l), this.what, at, low, accepts);
  }

  /** The 4 bytes at `p` of the block, little-endian (unchecked). */
  private le32(p: number): number {
    const b = this.b;
    return ((b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16)) >>> 0) + b[p + 3]! * 0x1000000;
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

  /** A NUL-terminated string, the NUL consumed; `name`: text h5wasm hands over as a string (see utf8Name). */
  cstr(name = false): string {
    const end = this.b.indexOf(0, this.p);
    if (end < 0) throw new Hdf5Damaged(`${this.what}: unterminated string`, this.pos + this.p);
    const b = this.b.subarray(this.p, end);
    const s = name ? utf8Name(b, this.pos + this.p) : utf8(b);
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

/** Bytes up to the first NUL (or all), as UTF-8; `name`: see utf8Name. */
export function cString(b: Uint8Array, name = false): string {
  const part = b.indexOf(0) >= 0 ? b.subarray(0, b.indexOf(0)) : b;
  return name ? utf8Name(part) : utf8(part);
}

const strict = new TextDecoder('utf-8', { fatal: true });
/**
 * Text the reference reader (h5wasm) hands over as a JavaScript string through Emscripten: names of links and
 * attributes, link targets, filter names, variable-length strings. Valid UTF-8 reads the same in both readers;
 * other bytes are declined: Emscripten decodes a short invalid string its own way (not as TextDecoder does).
 */
export function utf8Name(b: Uint8Array, at: number | null = null): string {
  if (b.length <= 64) {
    let s = '';
    for (let i = 0; i < b.length; i++) {
      const c = b[i]!;
      if (c >= 0x80) return strictUtf8(b, at);
      s += String.fromCharCode(c);
    }
    return s;
  }
  return strictUtf8(b, at);
}

function strictUtf8(b: Uint8Array, at: number | null): string {
  try {
    return strict.decode(b);
  } catch {
    throw new Hdf5Unsupported('a name or string that is not valid UTF-8, which the reference HDF5 reader decodes its own way', at);
  }
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

/** Bytes HDF5 uses to encode a number up to `n`: floor(log2(n)) / 8 + 1. */
export function limitEncSize(n: number): number {
  let bits = 0;
  while (n >= 2) {
    n = Math.floor(n / 2);
    bits++;
  }
  return Math.floor(bits / 8) + 1;
}
