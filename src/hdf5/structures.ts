// The HDF5 file structures the metadata reader walks (HDF5 File Format Specification, sections II–III):
// superblock v0–v3, object headers v1/v2 with continuation blocks, local heaps, the global heap, v1 B-trees of
// group nodes with their symbol table nodes, fractal heaps and v2 B-trees. Every structure is read once with
// its declared size, bounds-checked, and cached by address; every walk is bounded and refuses to revisit.
import { type Bytes, checkSizeT, checkSum, Cur, lookup3, SIZE_T_LIMIT, UNDEF } from './bytes.js';
import { Hdf5Damaged, Hdf5LookupFailed, Hdf5Truncated, Hdf5Unsupported } from './errors.js';
import { limitEncSize, MSG } from './messages.js';

export const LIMITS = {
  /** Object header chunks (the first one and its continuations) per object. */
  maxHeaderChunks: 256,
  /** Messages per object header. */
  maxMessages: 65536,
  /** Members of one group. */
  maxMembers: 1_000_000,
  /** Attributes of one object. */
  maxAttributes: 100_000,
  /** B-tree levels. */
  maxTreeDepth: 32,
  /** Nodes one B-tree walk may visit. */
  maxTreeNodes: 1_000_000,
};

export interface Superblock {
  version: number;
  /** Sizes of offsets and lengths. */
  o: number;
  l: number;
  /** Absolute position that addresses are relative to. */
  base: number;
  rootAddr: number;
  /** The end-of-file address the superblock records (base-relative). */
  eoa: number;
  /** A version 2/3 superblock's extension (an object header), else UNDEF. */
  ext?: number;
  /**
   * Old-style groups' node ranks: K of a symbol table node (it holds up to 2K entries) and of a group B-tree
   * node (up to 2K children). HDF5 reads every such node at its full size for that rank.
   */
  leafK: number;
  groupK: number;
}

/** The end of a local heap's free list (H5HL_FREE_NULL: HDF5 writes 1, not the undefined address). */
const FREE_NULL = 1;

/** Bytes read at an object header's address before its size is known. */
const HEADER_PROBE = 512;

import { HDF5_SIGNATURE as SIGNATURE } from './signature.js';

export function superblock(f: Bytes): Superblock {
  // The superblock is at 0, or after a user block at 512, 1024, 2048, …
  let at = -1;
  for (let p = 0; p + 8 <= f.size; p = p === 0 ? 512 : p * 2) {
    const sig = f.get(p, 8, 'superblock signature');
    if (SIGNATURE.every((b, i) => sig[i] === b)) {
      at = p;
      break;
    }
  }
  if (at < 0) throw new Hdf5Damaged('no HDF5 signature');
  const head = f.get(at, Math.min(f.size - at, 12), 'superblock');
  if (head.length < 12) throw new Hdf5Damaged('superblock truncated', at);
  const version = head[8]!;
  if (version > 3) throw new Hdf5Unsupported(`superblock version ${version}`, at);
  if (version <= 1) {
    const b = f.get(at, Math.min(f.size - at, 32), 'superblock');
    const l = b[14]!;
    checkSizes(b[13]!, l, at);
    checkOldFields(b, at);
    const start = version === 0 ? 24 : 28;
    const len = start + 4 * b[13]! + (2 * b[13]! + 24);
    const c = new Cur(f.get(at, len, 'superblock'), at, b[13]!, l, 'superblock');
    c.skip(start);
    const base = address64(c);
    // The "free-space info" address is where HDF5 keeps a superblock extension, which only versions 2+ have.
    if (c.addr() !== UNDEF) throw new Hdf5Damaged('invalid superblock - extension message should not be defined for version < 2', at);
    const eoa = endOfFile(base, address64(c), at, f.size);
    f.end = at + eoa;
    driverInfo(f, c.addr(), at, b[13]!);
    c.addr(); // root: link name offset
    const rootAddr = c.addr();
    if (rootAddr === UNDEF) throw new Hdf5Damaged('no root group address', at);
    if (c.u32() > 2) throw new Hdf5Damaged('unknown symbol table entry cache type', at); // as HDF5's H5G__ent_decode
    const leafK = b[16]! | (b[17]! << 8);
    const groupK = b[18]! | (b[19]! << 8);
    return { version, o: b[13]!, l, base: at, rootAddr, eoa, leafK, groupK };
  }
  const o = head[9]!;
  const l = head[10]!;
  checkSizes(o, l, at);
  const len = 12 + 4 * o + 4;
  const b = f.get(at, len, 'superblock');
  checkSum(b, 0, len - 4, at, 'superblock');
  if (b[11]! & ~SUPER_ALL_FLAGS) throw new Hdf5Damaged('bad flag value for superblock', at);
  const c = new Cur(b, at, o, l, 'superblock');
  c.skip(12);
  const base = address64(c);
  const ext = c.addr(); // superblock extension: checked by the caller (it is an object header)
  const eoa = endOfFile(base, address64(c), at, f.size);
  f.end = at + eoa;
  const rootAddr = c.addr();
  if (rootAddr === UNDEF) throw new Hdf5Damaged('no root group address', at);
  // B-tree ranks other than HDF5's defaults would be in the superblock extension (declined by the caller).
  return { version, o, l, base: at, rootAddr, eoa, ext, leafK: 4, groupK: 16 };
}

/** An address field as HDF5 holds it (haddr_t): 64 bits, all-ones bytes the undefined address (2^64 - 1). */
function address64(c: Cur): bigint {
  const b = c.bytes(c.o);
  if (b.every((x) => x === 0xff)) return 2n ** 64n - 1n;
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = v * 256n + BigInt(b[i]!);
  return v;
}

/**
 * The end-of-file address as HDF5 checks it (H5F__super_read): a base address other than where the superblock
 * is moves the stored end by the difference (in 64-bit unsigned arithmetic, so it may wrap), and a file shorter
 * than that end is truncated; the undefined address is such an end too. Returns it base-relative.
 */
function endOfFile(base: bigint, stored: bigint, at: number, size: number): number {
  const eof = base === BigInt(at) ? stored : BigInt.asUintN(64, stored - (base - BigInt(at)));
  if (BigInt(at) + eof > BigInt(size)) throw new Hdf5Truncated(size - at, Number(eof));
  return Number(eof);
}

/**
 * A version 0/1 superblock's driver information block, as HDF5 reads it when its address is defined (H5F__super_read,
 * H5FD_sb_load): it moves the end-of-file address over the block first, so past the end of the file the block
 * reads as zeros (seen from h5wasm: any address below 2^53 passes); version 0, not the family or multi driver's
 * (which the reference does not open with). Otherwise HDF5 ignores it, and so does this reader.
 */
function driverInfo(f: Bytes, addr: number, at: number, o: number): void {
  if (addr === UNDEF) return;
  const what = 'driver information block';
  const head = new Cur(f.zeroFilled(at + addr, 16, what), at + addr, o, o, what);
  if (head.u8() !== 0) throw new Hdf5Damaged('bad driver information block version number', at + addr);
  head.skip(3);
  const size = head.u32();
  const name = String.fromCharCode(...head.bytes(8));
  if (!Number.isSafeInteger(at + addr + 16 + size)) throw new Hdf5Damaged(`${what}: file read failed (at an address past 2^53)`);
  if (name === 'NCSAfami' || name === 'NCSAmult') throw new Hdf5Damaged(`driver information block of the ${name} driver`, at + addr);
}

/** The superblock status flags HDF5 knows: write access, file OK, SWMR write access. */
const SUPER_ALL_FLAGS = 0x07;

/** The checks HDF5 makes on a version 0/1 superblock's fixed fields (H5F__cache_superblock_deserialize). */
function checkOldFields(b: Uint8Array, at: number): void {
  if (b.length < 24) throw new Hdf5Damaged('superblock truncated', at);
  const bad = (why: string) => new Hdf5Damaged(why, at);
  if (b[9] !== 0) throw bad('bad free space version number');
  if (b[10] !== 0) throw bad('bad object directory version number');
  if (b[12] !== 0) throw bad('bad shared-header format version number');
  if ((b[16]! | (b[17]! << 8)) === 0) throw bad('bad symbol table leaf node 1/2 rank');
  if ((b[18]! | (b[19]! << 8)) === 0) throw bad('bad 1/2 rank for btree internal nodes');
  // A 4-byte field, of which HDF5 keeps one byte.
  if (b[21]! | b[22]! | b[23]!) throw bad('bad superblock status flags');
  if (b[20]! & ~SUPER_ALL_FLAGS) throw bad('bad flag value for superblock');
}

function checkSizes(o: number, l: number, at: number): void {
  if (![2, 4, 8].includes(o) || ![2, 4, 8].includes(l)) throw new Hdf5Unsupported(`offset/length sizes ${o}/${l}`, at);
}

/** Message classes HDF5 may share (dataspace, datatype, both fill values, filter pipeline, attribute). */
const SHAREABLE = new Set([1, 3, 4, 5, 11, 12]);
/** Message classes this HDF5 knows (0 … 24, but for the debugging-only "bogus" message 9). */
const KNOWN_CLASS = (type: number) => type <= 24 && type !== 9;

/** The message flag checks HDF5 makes when it loads an object header (H5O__chunk_deserialize). */
function checkMessageFlags(type: number, flags: number, at: number): void {
  const bad = (why: string) => new Hdf5Damaged(`object header message (type ${type}): ${why}`, at);
  if (flags & 0x02 && flags & 0x04) throw bad('bad flag combination for message (shared and not shareable)');
  if (flags & 0x20 && flags & 0x08) throw bad('bad flag combination for message (was unknown, fail if unknown)');
  if (flags & 0x20 && !(flags & 0x10)) throw bad('bad flag combination for message (was unknown, not marked)');
  // Shared (0x02) or shareable (0x40): HDF5 refuses either on a class it never shares.
  if (flags & 0x42 && KNOWN_CLASS(type) && !SHAREABLE.has(type)) throw bad('message of unshareable class flagged as shareable');
}

/** Reads and parses structures of one file, caching each by address. */
export class Structures {
  /** How many of each structure were parsed (by signature or name): shows which paths a file exercised. */
  readonly counts: Record<string, number> = {};

  count(what: string): void {
    this.counts[what] = (this.counts[what] ?? 0) + 1;
  }

  constructor(
    readonly f: Bytes,
    readonly sb: Superblock,
  ) {}

  /** Absolute position of a (base-relative) address; the undefined address is damage here. */
  abs(addr: number, what: string): number {
    if (addr === UNDEF) throw new Hdf5Damaged(`${what}: undefined address`);
    return this.sb.base + addr;
  }

  cur(addr: number, len: number, what: string): Cur {
    const pos = this.abs(addr, what);
    return new Cur(this.f.get(pos, len, what), pos, this.sb.o, this.sb.l, what);
  }

  // ---- object headers ----

  private readonly headers = new Map<number, ObjectHeader>();

  header(addr: number): ObjectHeader {
    let h = this.headers.get(addr);
    if (!h) {
      h = this.readHeader(addr);
      this.headers.set(addr, h);
    }
    return h;
  }

  private readHeader(addr: number): ObjectHeader {
    const pos = this.abs(addr, 'object header');
    // One read usually holds the whole first chunk; a larger chunk is read again at its declared size.
    const probe = this.f.get(pos, Math.min(HEADER_PROBE, this.f.end - Math.max(0, pos)), 'object header');
    const within = (at: number, len: number) =>
      at + len <= probe.length ? probe.subarray(at, at + len) : this.f.get(pos + at, len, 'object header');
    const msgs: Message[] = [];
    const chunks: { pos: number; len: number }[] = [];
    let v2 = false;
    let flags = 0;
    if (probe.length >= 4 && probe[0] === 0x4f && probe[1] === 0x48 && probe[2] === 0x44 && probe[3] === 0x52) {
      // Version 2: "OHDR", version, flags, [times], [attribute phase change], chunk 0 size, messages, checksum.
      v2 = true;
      this.count('OHDR');
      const c = new Cur(probe, pos, this.sb.o, this.sb.l, 'object header');
      c.sig('OHDR');
      const version = c.u8();
      if (version !== 2) throw new Hdf5Unsupported(`object header version ${version}`, pos);
      flags = c.u8();
      // The prefix checks of H5O__prefix_deserialize.
      if (flags & ~0x3f) throw new Hdf5Damaged('unknown object header status flag(s)', pos);
      if (flags & 0x20) c.skip(16);
      if (flags & 0x10) {
        const maxCompact = c.u16();
        const minDense = c.u16();
        if (maxCompact < minDense) throw new Hdf5Damaged('bad object header attribute phase change values', pos);
      }
      // Chunk 0's size: a C size_t in HDF5 (see checkSizeT).
      const size = checkSizeT(c.raw(1 << (flags & 3)), 'object header chunk 0 size', c.pos + c.p);
      if (size > 0 && size < (flags & 0x04 ? 6 : 4)) throw new Hdf5Damaged('bad object header chunk size', pos);
      const prefix = c.p;
      const block = within(0, prefix + size + 4);
      checkSum(block, 0, prefix + size, pos, 'object header');
      this.messages(block, prefix, prefix + size, pos, true, flags, msgs, chunks);
    } else if (probe.length >= 16 && probe[0] === 1) {
      this.count('header-v1');
      const c = new Cur(probe, pos, this.sb.o, this.sb.l, 'object header');
      c.skip(2);
      const nmesgs = c.u16();
      c.skip(4);
      const size = c.u32();
      // As H5O__prefix_deserialize: messages need a chunk that holds a message header, none need none.
      if ((nmesgs > 0 && size < 8) || (nmesgs === 0 && size > 0)) throw new Hdf5Damaged('bad object header chunk size', pos);
      const block = within(16, size);
      this.messages(block, 0, size, pos + 16, false, 0, msgs, chunks);
    } else {
      throw new Hdf5Damaged(`no object header (version byte ${probe[0]})`, pos);
    }
    // Continuation blocks, each at most once.
    const seen = new Set<number>([pos]);
    for (let i = 0; i < chunks.length; i++) {
      if (i + 1 >= LIMITS.maxHeaderChunks)
        throw new Hdf5Damaged(`more than ${LIMITS.maxHeaderChunks} object header continuation blocks`, pos);
      const { pos: cpos, len } = chunks[i]!;
      if (seen.has(cpos)) throw new Hdf5Damaged('object header continuation loops back', cpos);
      seen.add(cpos);
      const block = this.f.get(cpos, len, 'object header continuation block');
      this.count('continuation');
      if (v2) {
        const c = new Cur(block, cpos, this.sb.o, this.sb.l, 'object header continuation block');
        c.sig('OCHK');
        if (len < 8) throw new Hdf5Damaged('object header continuation block too small', cpos);
        checkSum(block, 0, len - 4, cpos, 'object header continuation block');
        this.messages(block, 4, len - 4, cpos, true, flags, msgs, chunks);
      } else {
        this.messages(block, 0, len, cpos, false, 0, msgs, chunks);
      }
    }
    return { addr, msgs, v2 };
  }

  private messages(
    b: Uint8Array,
    start: number,
    end: number,
    pos: number,
    v2: boolean,
    flags: number,
    out: Message[],
    chunks: { pos: number; len: number }[],
  ): void {
    const headLen = v2 ? 4 + (flags & 0x04 ? 2 : 0) : 8;
    let at = start;
    let nulls = 0;
    while (at + headLen <= end) {
      if (out.length >= LIMITS.maxMessages) throw new Hdf5Damaged('too many object header messages', pos + at);
      const type = v2 ? b[at]! : b[at]! | (b[at + 1]! << 8);
      const size = v2 ? b[at + 1]! | (b[at + 2]! << 8) : b[at + 2]! | (b[at + 3]! << 8);
      const mflags = v2 ? b[at + 3]! : b[at + 4]!;
      const corder = v2 && flags & 0x04 ? b[at + 4]! | (b[at + 5]! << 8) : null;
      at += headLen;
      checkMessageFlags(type, mflags, pos + at);
      if (at + size > end) throw new Hdf5Damaged(`object header message (type ${type}) overruns its block`, pos + at);
      const data = b.subarray(at, at + size);
      if (type === MSG.CONTINUATION) {
        const c = new Cur(data, pos + at, this.sb.o, this.sb.l, 'continuation message');
        const addr = c.addr();
        const len = c.sizeT(); // a C size_t in HDF5 (H5O__cont_decode)
        if (addr !== UNDEF) chunks.push({ pos: this.abs(addr, 'continuation'), len });
      } else if (type !== MSG.NIL) {
        // A reference count message is decoded as the header loads (H5O__chunk_deserialize).
        if (type === MSG.REFCOUNT) {
          if (!v2) throw new Hdf5Damaged('object header version does not support reference count message', pos + at);
          if (size < 1 || data[0] !== 0) throw new Hdf5Damaged('reference count message: bad version number for message', pos + at);
          if (size < 5) throw new Hdf5Damaged('reference count message: ran off end of input buffer while decoding', pos + at);
        }
        out.push({ type, flags: mflags, corder, data, pos: pos + at });
      } else {
        nulls++;
      }
      at += size;
      // Fewer bytes left than a message header: a gap, which HDF5 (H5O__chunk_deserialize) allows only in a
      // version 2 chunk without null messages.
      const gap = end - at;
      if (gap > 0 && gap < headLen) {
        if (!v2) throw new Hdf5Damaged('gap found in early version of file format', pos + at);
        if (nulls > 0) throw new Hdf5Damaged('gap in chunk with no null messages', pos + at);
        at = end;
      }
    }
  }

  // ---- local heap ----

  private readonly localHeaps = new Map<number, Uint8Array>();

  /** The data segment of the local heap at `addr`. */
  localHeap(addr: number): Uint8Array {
    let seg = this.localHeaps.get(addr);
    if (!seg) {
      const c = this.cur(addr, 8 + 2 * this.sb.l + this.sb.o, 'local heap');
      c.sig('HEAP');
      this.count('HEAP');
      const version = c.u8();
      if (version !== 0) throw new Hdf5Unsupported(`local heap version ${version}`, c.pos);
      c.skip(3);
      // As HDF5 (H5HL__hdr_deserialize): the data size and the free list's head are C size_t values, the head
      // is 1 (H5HL_FREE_NULL) or inside the data, the data's address is defined.
      const size = c.sizeT();
      const free = c.sizeT((t) => t === FREE_NULL || t < size);
      if (free !== FREE_NULL && free >= size) throw new Hdf5Damaged('bad heap free list', c.pos);
      const dataAddr = c.addr();
      if (dataAddr === UNDEF) throw new Hdf5Damaged('bad datablock address', c.pos);
      seg = this.f.get(this.abs(dataAddr, 'local heap data'), size, 'local heap data');
      this.checkFreeList(seg, free, c.pos);
      this.localHeaps.set(addr, seg);
    }
    return seg;
  }

  /**
   * The local heap's free list, checked as HDF5 builds it (H5HL__fl_deserialize): from the head, each block
   * inside the data, its next offset not 0 (its 8 bytes read whole: a 64-bit variable there), its size (a
   * size_t) not reaching past the data; the list ends at offset 1. HDF5 does not check that a block's two
   * fields lie inside the data, nor that the list ends: such a file is declined, and a loop is damage.
   */
  private checkFreeList(seg: Uint8Array, head: number, pos: number): void {
    const l = this.sb.l;
    const seen = new Set<number>();
    const c = new Cur(seg, pos, this.sb.o, l, 'local heap free list');
    for (let off = head; off !== FREE_NULL; ) {
      if (off >= seg.length) throw new Hdf5Damaged('bad heap free list', pos);
      if (off + 2 * l > seg.length)
        throw new Hdf5Unsupported('local heap free block whose fields run past the heap data, which HDF5 reads past its buffer', pos);
      if (seen.has(off)) throw new Hdf5Damaged('local heap free list loops', pos);
      seen.add(off);
      c.p = off;
      const next = c.raw(l);
      if (next === 0) throw new Hdf5Damaged('free block size is zero?', pos);
      // The size and the block's end are size_t values: past 2^32 the reference build keeps the low 32 bits
      // (the end wraps), declined where that passes the check below.
      const fits = (end: number) => end <= seg.length;
      const size = c.sizeT((t) => fits((off + t) % SIZE_T_LIMIT));
      checkSizeT(off + size, 'local heap free block end', pos + off + l, (off + size) % SIZE_T_LIMIT, fits);
      if (off + size > seg.length) throw new Hdf5Damaged('bad heap free list', pos);
      off = next;
    }
  }

  /** A NUL-terminated name at `offset` of a local heap. */
  heapString(seg: Uint8Array, offset: number, what: string): string {
    if (offset < 0 || offset >= seg.length) throw new Hdf5Damaged(`${what}: name offset ${offset} outside its local heap`);
    const c = new Cur(seg, 0, this.sb.o, this.sb.l, what);
    c.p = offset;
    return c.cstr(true);
  }

  // ---- symbol table groups: v1 B-tree of group nodes + symbol table nodes ----

  /**
   * The entry HDF5 finds for `name` in an old-style group (null: none): its lookup (H5B_find, then
   * H5G__node_found) is a binary search over the B-tree keys and the symbol table node's entries, by the names
   * they point to in the local heap. A key outside the heap makes the comparison fail, which the search takes
   * for "less"; the failure stays on HDF5's error stack, so a lookup that then finds nothing fails with it
   * (h5wasm reports "unable to offset into local heap data block", not an absent name). An entry outside the
   * heap is damage ("unable to get symbol table name"). Listing never reads the keys, so only a lookup meets them.
   */
  symbolLookup(btreeAddr: number, heapAddr: number, name: string): SymbolEntry | null {
    const heap = this.localHeap(heapAddr);
    const want = new TextEncoder().encode(name);
    const at = (off: number, what: string): Uint8Array => {
      if (off >= heap.length) throw new Hdf5Damaged(`${what}: name offset ${off} outside its local heap`);
      const end = heap.indexOf(0, off);
      return heap.subarray(off, end < 0 ? heap.length : end);
    };
    const cmp = (b: Uint8Array): number => {
      for (let i = 0; i < Math.min(want.length, b.length); i++) if (want[i] !== b[i]) return want[i]! - b[i]!;
      return want.length - b.length;
    };
    const o = this.sb.o;
    const l = this.sb.l;
    // A key: its value and (a C size_t in HDF5, H5G__node_decode_key) the low 32 bits the reference keeps.
    const raw = (c: Cur, n: number): { v: number; low: number } => {
      let v = 0;
      for (let i = n - 1; i >= 0; i--) v = v * 256 + c.b[c.p + i]!;
      const low = n >= 4 ? ((c.b[c.p]! | (c.b[c.p + 1]! << 8) | (c.b[c.p + 2]! << 16)) >>> 0) + c.b[c.p + 3]! * 0x1000000 : v;
      c.p += n;
      return { v, low };
    };
    let failed = false;
    const none = (): null => {
      if (failed) throw new Hdf5LookupFailed('unable to offset into local heap data block (a group B-tree key outside its heap)');
      return null;
    };
    let addr = btreeAddr;
    for (let depth = 0; depth <= LIMITS.maxTreeDepth + 1; depth++) {
      const head = this.cur(addr, 8 + 2 * o, 'group B-tree node');
      head.sig('TREE');
      head.u8();
      const level = head.u8();
      const used = head.u16();
      const c = this.groupNode(addr, used);
      const keys: { v: number; low: number }[] = [];
      const children: number[] = [];
      for (let i = 0; i < used; i++) {
        keys.push(raw(c, l));
        children.push(c.addr());
      }
      keys.push(raw(c, l));
      // A key the search compares at or above 2^32: declined when its low 32 bits (what the reference
      // compares) point into the heap; else both take the comparison for failed.
      const key = (i: number): number => checkSizeT(keys[i]!.v, 'group B-tree key', null, keys[i]!.low, (t) => t < heap.length);
      let lt = 0;
      let rt = used;
      let r = 1;
      let idx = 0;
      while (lt < rt && r !== 0) {
        idx = (lt + rt) >> 1;
        // A key outside the heap: H5G__node_cmp3 fails, and its FAIL (-1) reads as "less" to H5B_find.
        const left = key(idx) < heap.length ? at(keys[idx]!.v, 'group B-tree key') : null;
        if (left === null) failed = true;
        if (left === null || cmp(left) <= 0) r = -1;
        else {
          const right = key(idx + 1) < heap.length ? at(keys[idx + 1]!.v, 'group B-tree key') : null;
          if (right === null) failed = true;
          r = right === null ? -1 : cmp(right) > 0 ? 1 : 0;
        }
        if (r < 0) rt = idx;
        else lt = idx + 1;
      }
      if (r !== 0) return none();
      if (level > 0) {
        addr = children[idx]!;
        continue;
      }
      const sn = this.cur(children[idx]!, 8, 'symbol table node');
      sn.sig('SNOD');
      sn.skip(2);
      const n = sn.u16();
      const e = this.symbolNodeBlock(children[idx]!, n);
      lt = 0;
      rt = n;
      r = 1;
      let i = 0;
      while (lt < rt && r !== 0) {
        i = (lt + rt) >> 1;
        e.p = 8 + i * (l + o + 24);
        r = cmp(
          at(
            e.sizeT((t) => t < heap.length),
            'symbol table entry',
          ),
        );
        if (r < 0) rt = i;
        else lt = i + 1;
      }
      if (r !== 0) return none();
      // The entry found (of several of that name, the one the search met), as H5G__ent_to_link reads it.
      e.p = 8 + i * (l + o + 24);
      const found = this.symbolEntry(e, heap);
      return found;
    }
    throw new Hdf5Damaged('group B-tree deeper than its levels allow');
  }

  /**
   * A group B-tree node read as HDF5 reads it (H5B__cache_deserialize): whole, at the size its rank (the
   * superblock's group internal node K) gives, up to 2K children. The cursor is past the node's header.
   */
  private groupNode(addr: number, used: number): Cur {
    const { o, l, groupK } = this.sb;
    if (used > 2 * groupK) throw new Hdf5Damaged('group B-tree node: number of children is greater than maximum', this.sb.base + addr);
    const c = this.cur(addr, 8 + 2 * o + 2 * groupK * o + (2 * groupK + 1) * l, 'group B-tree node');
    c.skip(8 + 2 * o);
    return c;
  }

  /**
   * A symbol table node read as HDF5 reads it (H5G__cache_node_deserialize): whole, at the size its rank (the
   * superblock's group leaf node K) gives, holding up to 2K entries.
   */
  private symbolNodeBlock(addr: number, n: number): Cur {
    const { o, l, leafK } = this.sb;
    const c = this.cur(addr, 8 + 2 * leafK * (l + o + 24), 'symbol table node');
    if (n > 2 * leafK) throw new Hdf5Damaged('symbol table node: ran off end of input buffer while decoding', c.pos);
    return c;
  }

  /**
   * Entries of an old-style group in the B-tree's order (children left to right, a node's entries in order):
   * the order HDF5 lists them in (H5G__stab_iterate walks the tree, it does not sort).
   */
  symbolTable(btreeAddr: number, heapAddr: number): SymbolEntry[] {
    const heap = this.localHeap(heapAddr);
    const out: SymbolEntry[] = [];
    const o = this.sb.o;
    const l = this.sb.l;
    const stack: number[] = [btreeAddr];
    const seen = new Set<number>();
    let nodes = 0;
    while (stack.length) {
      const addr = stack.pop()!;
      if (seen.has(addr)) throw new Hdf5Damaged('group B-tree visits a node twice', this.sb.base + addr);
      seen.add(addr);
      if (++nodes > LIMITS.maxTreeNodes) throw new Hdf5Damaged('group B-tree too large');
      const head = this.cur(addr, 8 + 2 * o, 'group B-tree node');
      head.sig('TREE');
      this.count('TREE');
      const type = head.u8();
      const nodeLevel = head.u8();
      const used = head.u16();
      if (type !== 0) throw new Hdf5Damaged(`group B-tree node of type ${type}`, head.pos);
      // As H5B__iterate_helper: a node's own level says what its children are (no order between levels is
      // checked); the walk is bounded by the nodes it may visit, each once.
      const c = this.groupNode(addr, used);
      const inner: number[] = [];
      for (let i = 0; i < used; i++) {
        // Key: heap offset of the largest name to the left. Listing never reads it (HDF5 neither: it uses keys
        // only to look a name up), so a damaged key is not checked here.
        c.skip(l);
        const child = c.addr();
        if (nodeLevel > 0) inner.push(child);
        else this.symbolNode(child, heap, out, seen);
      }
      // Depth first, leftmost child first.
      for (let i = inner.length - 1; i >= 0; i--) stack.push(inner[i]!);
      if (out.length > LIMITS.maxMembers) throw new Hdf5Damaged(`group of more than ${LIMITS.maxMembers} members`);
    }
    return out;
  }

  private symbolNode(addr: number, heap: Uint8Array, out: SymbolEntry[], seen: Set<number>): void {
    if (seen.has(addr)) throw new Hdf5Damaged('symbol table node referenced twice', this.sb.base + addr);
    seen.add(addr);
    const head = this.cur(addr, 8, 'symbol table node');
    head.sig('SNOD');
    this.count('SNOD');
    const version = head.u8();
    if (version !== 1) throw new Hdf5Unsupported(`symbol table node version ${version}`, head.pos);
    head.u8();
    const n = head.u16();
    // An entry (H5G__ent_decode): the name's heap offset (a length-sized C size_t), the object's address,
    // the cache type, 4 reserved bytes, 16 bytes of scratch pad.
    const c = this.symbolNodeBlock(addr, n);
    c.skip(8);
    for (let i = 0; i < n; i++) out.push(this.symbolEntry(c, heap));
  }

  /**
   * A symbol table entry at the cursor (H5G__ent_decode): its name from the local heap (up to a NUL), a hard
   * link to its object or (cache type 2) a soft link.
   */
  private symbolEntry(c: Cur, heap: Uint8Array): SymbolEntry {
    const nameOff = c.sizeT((t) => t < heap.length);
    const objAddr = c.addr();
    const cache = c.u32();
    if (cache > 2) throw new Hdf5Damaged('unknown symbol table entry cache type', c.pos); // as H5G__ent_decode
    c.skip(4);
    const scratch = c.bytes(16);
    const name = this.heapString(heap, nameOff, 'symbol table entry');
    // HDF5 refuses, listing an old-style group, an empty name or one with a '/' (not so a link message's).
    if (name === '' || name.includes('/')) throw new Hdf5Damaged('invalid link name', c.pos);
    if (cache === 2) {
      const valueOff = scratch[0]! | (scratch[1]! << 8) | (scratch[2]! << 16) | (scratch[3]! * 0x1000000);
      return { name, soft: this.heapString(heap, valueOff, `soft link ${name}`), addr: UNDEF };
    }
    if (objAddr === UNDEF) throw new Hdf5Damaged(`symbol table entry ${name} has no object`, c.pos);
    return { name, soft: null, addr: objAddr };
  }

  // ---- global heap ----

  private readonly collections = new Map<number, Map<number, Uint8Array>>();

  /** Object `index` of the global heap collection at `addr`. */
  globalObject(addr: number, index: number): Uint8Array {
    let objs = this.collections.get(addr);
    if (!objs) {
      const l = this.sb.l;
      const head = this.cur(addr, 8 + l, 'global heap collection');
      head.sig('GCOL');
      this.count('GCOL');
      const version = head.u8();
      if (version !== 1) throw new Hdf5Unsupported(`global heap version ${version}`, head.pos);
      head.skip(3);
      const size = this.unlessEndless(addr, () => head.sizeT()); // sizes in a collection are C size_t values in HDF5 (H5HG__hdr_deserialize)
      if (size < 8 + l) throw new Hdf5Damaged('global heap collection too small', head.pos);
      const c = this.cur(addr, size, 'global heap collection');
      c.skip(8 + l);
      objs = this.unlessEndless(addr, () => this.collectionObjects(c, size));
      this.collections.set(addr, objs);
    }
    const data = objs.get(index);
    if (!data) throw new Hdf5Damaged(`global heap object ${index} not found`, this.sb.base + addr);
    return data;
  }

  /**
   * `read()`, unless it declines a size the reference reads truncated (its 32-bit size_t) and the reference,
   * walking the collection with such sizes, would never reach its end: then no answer will come from there, and
   * the collection is damage here (the CLI would otherwise wait for its watchdog; campaign cases 27242, 29321).
   */
  private unlessEndless<T>(addr: number, read: () => T): T {
    try {
      return read();
    } catch (e) {
      if (e instanceof Hdf5Unsupported && !this.collectionWalkEnds32(addr))
        throw new Hdf5Damaged(
          'global heap collection whose objects never reach its end (the HDF5 library reads it for ever)',
          this.sb.base + addr,
        );
      throw e;
    }
  }

  /**
   * Whether HDF5's walk of the collection at `addr` ends when its sizes are read as 32-bit size_t values, as
   * h5wasm reads them (H5HG__cache_heap_deserialize): object after object (header, then the size rounded up to
   * 8; free space, index 0, by its size alone), a tail too small for a header taken as free space. A step of 0
   * (free space of size 0, as in zeros) never moves on.
   */
  private collectionWalkEnds32(addr: number): boolean {
    const l = this.sb.l;
    const header = 8 + l;
    const low32 = (b: Uint8Array, p: number) => {
      let v = 0;
      for (let i = Math.min(l, 4) - 1; i >= 0; i--) v = v * 256 + (b[p + i] ?? 0);
      return v;
    };
    const first = this.cur(addr, header, 'global heap collection').b;
    const size = low32(first, 8);
    const b = this.cur(addr, size, 'global heap collection').b;
    for (let p = header; p < size; ) {
      if (p + header > size) return true;
      const idx = (b[p] ?? 0) | ((b[p + 1] ?? 0) << 8);
      const n = low32(b, p + 8);
      const step = idx > 0 ? (header + n + ((8 - (n % 8)) % 8)) % 2 ** 32 : n;
      if (step === 0) return false;
      p += step;
    }
    return true;
  }

  /** The objects of a global heap collection, by index (`c` at its first object). */
  private collectionObjects(c: Cur, size: number): Map<number, Uint8Array> {
    const l = this.sb.l;
    const objs = new Map<number, Uint8Array>();
    // As HDF5 walks a collection: object after object to its declared end, past the free space too (its
    // size counts its header and is not padded); a tail too small for an object header is free space; an
    // object, free space included, running past the end is damage ("ran off end of input buffer").
    while (c.left >= 8 + l) {
      const begin = c.p;
      const idx = c.u16();
      c.skip(6); // reference count, reserved
      if (idx === 0) {
        const n = c.sizeT((t) => t <= size - begin && t >= 8 + l);
        if (n > size - begin) throw new Hdf5Damaged('global heap free space overruns its collection', c.pos + begin);
        if (n < 8 + l) throw new Hdf5Damaged('global heap free space smaller than its header', c.pos + begin);
        c.p = begin + n;
        continue;
      }
      const n = c.sizeT((t) => t + ((8 - (t % 8)) % 8) <= c.left);
      if (n + ((8 - (n % 8)) % 8) > c.left) throw new Hdf5Damaged(`global heap object ${idx} overruns its collection`, c.pos + begin);
      const data = c.bytes(n);
      c.skip((8 - (n % 8)) % 8);
      objs.set(idx, data);
    }
    return objs;
  }

  // ---- fractal heap ----

  private readonly fheaps = new Map<number, FractalHeap>();

  fractalHeap(addr: number): FractalHeap {
    let h = this.fheaps.get(addr);
    if (!h) {
      h = new FractalHeap(this, addr);
      this.fheaps.set(addr, h);
    }
    return h;
  }

  // ---- v2 B-tree ----

  private readonly btree2s = new Map<number, Btree2 | null>();

  /** The header of the v2 B-tree at `addr` (null when it holds no records), its node geometry worked out. */
  private btree2(addr: number, expectType: number): Btree2 | null {
    if (this.btree2s.has(addr)) {
      const t = this.btree2s.get(addr)!;
      if (t && t.type !== expectType) throw new Hdf5Damaged(`v2 B-tree of type ${t.type}, expected ${expectType}`, this.sb.base + addr);
      return t;
    }
    const o = this.sb.o;
    const l = this.sb.l;
    const h = this.cur(addr, 22 + o + l, 'v2 B-tree header');
    h.sig('BTHD');
    this.count('BTHD');
    const version = h.u8();
    if (version !== 0) throw new Hdf5Unsupported(`v2 B-tree version ${version}`, h.pos);
    const type = h.u8();
    if (type !== expectType) throw new Hdf5Damaged(`v2 B-tree of type ${type}, expected ${expectType}`, h.pos);
    const nodeSize = h.u32();
    const recSize = h.u16();
    const depth = h.u16();
    h.skip(2);
    const root = h.addr();
    const rootN = h.u16();
    const total = h.raw(l);
    checkSum(h.b, 0, h.p, h.pos, 'v2 B-tree header');
    let t: Btree2 | null = null;
    if (root !== UNDEF && total !== 0) {
      if (recSize === 0 || nodeSize < 10 + recSize) throw new Hdf5Damaged('v2 B-tree node or record size', h.pos);
      if (depth > LIMITS.maxTreeDepth) throw new Hdf5Damaged(`v2 B-tree of depth ${depth}`, h.pos);
      // HDF5 sizes the table it lists a group or attributes into by this count, in a 32-bit size_t on the
      // reference build: a count past what this reader follows is declined, not judged.
      if (total > LIMITS.maxMembers)
        throw new Hdf5Unsupported(`v2 B-tree declaring ${total} records, a table the reference HDF5 build sizes in 32 bits`, h.pos);
      // Per-depth maximum record counts and the byte sizes of the counts in child pointers (H5B2 layout).
      const maxN = [Math.floor((nodeSize - 10) / recSize)];
      const cum = [maxN[0]!];
      const cumSize = [0];
      const nSize = limitEncSize(maxN[0]!);
      const ptrSize = (d: number) => o + nSize + (d > 1 ? cumSize[d - 1]! : 0);
      for (let d = 1; d <= depth; d++) {
        const n = Math.floor((nodeSize - 10 - ptrSize(d)) / (recSize + ptrSize(d)));
        if (n < 1) throw new Hdf5Damaged('v2 B-tree nodes too small for their depth', h.pos);
        maxN.push(n);
        const c = (n + 1) * cum[d - 1]! + n;
        if (!Number.isSafeInteger(c)) throw new Hdf5Unsupported('v2 B-tree too deep to index', h.pos);
        cum.push(c);
        cumSize.push(limitEncSize(c));
      }
      t = { type, recSize, depth, root, rootN, total, maxN, nSize, cumSize, ptrSize };
    }
    this.btree2s.set(addr, t);
    return t;
  }

  private readonly btree2Nodes = new Map<string, { recs: Uint8Array[]; children: { addr: number; n: number }[] }>();

  /** A v2 B-tree node: its records and (internal nodes) its children; parsed once (lookups come back to it). */
  private btree2Node(t: Btree2, a: number, n: number, d: number): { recs: Uint8Array[]; children: { addr: number; n: number }[] } {
    const key = `${a}:${n}:${d}`;
    let node = this.btree2Nodes.get(key);
    if (!node) {
      node = this.btree2NodeUncached(t, a, n, d);
      this.btree2Nodes.set(key, node);
    }
    return node;
  }

  private btree2NodeUncached(t: Btree2, a: number, n: number, d: number): { recs: Uint8Array[]; children: { addr: number; n: number }[] } {
    if (n > t.maxN[d]!) throw new Hdf5Damaged(`v2 B-tree node with ${n} records`, this.sb.base + a);
    const len = 6 + n * t.recSize + (d > 0 ? (n + 1) * t.ptrSize(d) : 0);
    const c = this.cur(a, len + 4, 'v2 B-tree node');
    c.sig(d > 0 ? 'BTIN' : 'BTLF');
    this.count(d > 0 ? 'BTIN' : 'BTLF');
    if (c.u8() !== 0) throw new Hdf5Unsupported('v2 B-tree node version', c.pos);
    if (c.u8() !== t.type) throw new Hdf5Damaged('v2 B-tree node of another type', c.pos);
    checkSum(c.b, 0, len, c.pos, 'v2 B-tree node');
    const recs: Uint8Array[] = [];
    for (let i = 0; i < n; i++) recs.push(c.bytes(t.recSize));
    const children: { addr: number; n: number }[] = [];
    if (d > 0) {
      for (let i = 0; i <= n; i++) {
        const child = c.addr();
        const cn = c.uint(t.nSize);
        if (d > 1) c.skip(t.cumSize[d - 1]!);
        children.push({ addr: child, n: cn });
      }
    }
    return { recs, children };
  }

  /** Every record of the v2 B-tree at `addr` (records of internal nodes included), in no particular order. */
  btree2Records(addr: number, expectType: number): Uint8Array[] {
    const t = this.btree2(addr, expectType);
    if (!t) return [];
    const out: Uint8Array[] = [];
    const stack = [{ addr: t.root, n: t.rootN, d: t.depth }];
    const seen = new Set<number>();
    while (stack.length) {
      const { addr: a, n, d } = stack.pop()!;
      if (seen.has(a)) throw new Hdf5Damaged('v2 B-tree visits a node twice', this.sb.base + a);
      seen.add(a);
      if (seen.size > LIMITS.maxTreeNodes) throw new Hdf5Damaged('v2 B-tree too large');
      const node = this.btree2Node(t, a, n, d);
      out.push(...node.recs);
      if (out.length > t.total) throw new Hdf5Damaged('v2 B-tree holds more records than its header says', this.sb.base + a);
      for (const ch of node.children) stack.push({ addr: ch.addr, n: ch.n, d: d - 1 });
    }
    return out;
  }

  /** Every record of the v2 B-tree at `addr` in key order (children and records interleaved, left to right). */
  btree2InOrder(addr: number, expectType: number): Uint8Array[] {
    const t = this.btree2(addr, expectType);
    if (!t) return [];
    const out: Uint8Array[] = [];
    const seen = new Set<number>();
    // A stack of nodes and of records waiting for their left subtree to be walked.
    const stack: ({ addr: number; n: number; d: number } | Uint8Array)[] = [{ addr: t.root, n: t.rootN, d: t.depth }];
    while (stack.length) {
      const top = stack.pop()!;
      if (top instanceof Uint8Array) {
        out.push(top);
        if (out.length > t.total) throw new Hdf5Damaged('v2 B-tree holds more records than its header says', this.sb.base + addr);
        continue;
      }
      if (seen.has(top.addr)) throw new Hdf5Damaged('v2 B-tree visits a node twice', this.sb.base + top.addr);
      seen.add(top.addr);
      if (seen.size > LIMITS.maxTreeNodes) throw new Hdf5Damaged('v2 B-tree too large');
      const node = this.btree2Node(t, top.addr, top.n, top.d);
      if (top.d === 0) {
        for (let i = node.recs.length - 1; i >= 0; i--) stack.push(node.recs[i]!);
        continue;
      }
      for (let i = node.recs.length; i >= 0; i--) {
        const ch = node.children[i]!;
        stack.push({ addr: ch.addr, n: ch.n, d: top.d - 1 });
        if (i > 0) stack.push(node.recs[i - 1]!);
      }
    }
    return out;
  }

  /**
   * The record of the v2 B-tree at `addr` that `compare` (the sought key against a record: < 0, 0, > 0) finds,
   * searched as HDF5 searches (H5B2_find): a binary search in each node from the root, down the child the
   * search ends at, to a leaf. Records out of order are not found, as in HDF5; null when none matches.
   */
  btree2Find(addr: number, expectType: number, compare: (rec: Uint8Array) => number): Uint8Array | null {
    const t = this.btree2(addr, expectType);
    if (!t) return null;
    let a = t.root;
    let n = t.rootN;
    for (let d = t.depth; d >= 0; d--) {
      const node = this.btree2Node(t, a, n, d);
      let lo = 0;
      let hi = n;
      let idx = 0;
      let cmp = -1;
      while (lo < hi && cmp !== 0) {
        idx = (lo + hi) >> 1;
        cmp = compare(node.recs[idx]!);
        if (cmp < 0) hi = idx;
        else lo = idx + 1;
      }
      if (cmp === 0) return node.recs[idx]!;
      if (d === 0) return null;
      const child = node.children[cmp > 0 ? idx + 1 : idx]!;
      a = child.addr;
      n = child.n;
    }
    return null;
  }
}

/** A v2 B-tree's header, with the sizes its nodes are read with. */
interface Btree2 {
  type: number;
  recSize: number;
  depth: number;
  root: number;
  rootN: number;
  total: number;
  maxN: number[];
  nSize: number;
  cumSize: number[];
  ptrSize: (d: number) => number;
}

export interface Message {
  type: number;
  flags: number;
  /** Creation order from the message's own header (v2 headers that track it). */
  corder: number | null;
  data: Uint8Array;
  /** Absolute position of the data. */
  pos: number;
}

export interface ObjectHeader {
  addr: number;
  msgs: Message[];
  v2: boolean;
}

export interface SymbolEntry {
  name: string;
  /** Soft link value, or null for a hard link. */
  soft: string | null;
  addr: number;
}

/** A fractal heap: managed objects through its doubling table, tiny objects from the id itself. */
export class FractalHeap {
  private readonly idLen: number;
  private readonly maxManaged: number;
  private readonly width: number;
  private readonly startBlock: number;
  private readonly maxDirect: number;
  private readonly maxDirectRows: number;
  private readonly rootAddr: number;
  private readonly rootRows: number;
  private readonly offSize: number;
  private readonly lenSize: number;
  private readonly checksummedDirect: boolean;
  private readonly direct = new Map<number, Uint8Array>();
  private readonly indirect = new Map<number, number[]>();
  private readonly pos: number;
  private readonly hugeBtree: number;
  private hugeIndex: Map<number, { addr: number; len: number }> | null = null;

  constructor(
    private readonly s: Structures,
    addr: number,
  ) {
    const { o, l } = s.sb;
    const c = s.cur(addr, 26 + 12 * l + 3 * o, 'fractal heap header');
    this.pos = c.pos;
    c.sig('FRHP');
    s.count('FRHP');
    const version = c.u8();
    if (version !== 0) throw new Hdf5Unsupported(`fractal heap version ${version}`, c.pos);
    this.idLen = c.u16();
    const filterLen = c.u16();
    const flags = c.u8();
    this.maxManaged = c.u32();
    c.skip(l); // next huge id
    const hugeBtree = c.addr();
    c.skip(l); // free space
    c.addr(); // free space manager
    c.skip(8 * l); // managed space, allocated, iterator, managed objects, huge size and count, tiny size and count
    this.width = c.u16();
    // Both C size_t values in HDF5 (H5HF__hdr_deserialize).
    this.startBlock = c.sizeT();
    this.maxDirect = c.sizeT();
    const maxHeapBits = c.u16();
    c.u16(); // starting rows of the root indirect block
    this.rootAddr = c.addr();
    this.rootRows = c.u16();
    this.hugeBtree = hugeBtree;
    if (filterLen > 0) throw new Hdf5Unsupported('filtered fractal heap', c.pos);
    checkSum(c.b, 0, c.p, c.pos, 'fractal heap header');
    // HDF5 does not check these: it takes their base-2 logarithms as if they were powers of 2 (H5HF__dtable_init),
    // which for other values gives rows this reader cannot reproduce. Zero has none.
    const pow2 = (n: number) => n >= 1 && Number.isSafeInteger(n) && Number.isInteger(Math.log2(n));
    if (this.width === 0 || this.startBlock === 0 || this.maxDirect === 0)
      throw new Hdf5Damaged('fractal heap doubling table parameters', c.pos);
    if (!pow2(this.width) || !pow2(this.startBlock) || !pow2(this.maxDirect) || this.maxDirect < this.startBlock)
      throw new Hdf5Unsupported(
        'fractal heap doubling table sizes that are not rising powers of 2 (HDF5 reads them as if they were)',
        c.pos,
      );
    if (maxHeapBits < 1 || maxHeapBits > 64 || this.rootRows > maxHeapBits) throw new Hdf5Damaged('fractal heap size bits', c.pos);
    this.offSize = Math.ceil(maxHeapBits / 8);
    this.lenSize = Math.min(Math.floor((Math.log2(this.maxDirect) + 7) / 8), limitEncSize(this.maxManaged));
    this.maxDirectRows = Math.log2(this.maxDirect) - Math.log2(this.startBlock) + 2;
    this.checksummedDirect = (flags & 0x02) !== 0;
  }

  /** The bytes of the object a heap id names. */
  object(id: Uint8Array): Uint8Array {
    if (id.length < 1) throw new Hdf5Damaged('empty fractal heap id', this.pos);
    const type = (id[0]! >> 4) & 3;
    if (id[0]! >> 6 !== 0) throw new Hdf5Unsupported(`fractal heap id version ${id[0]! >> 6}`, this.pos);
    if (type === 2) {
      // Tiny: the object is in the id.
      this.s.count('tiny');
      const extended = this.idLen > 18;
      const n = extended ? (((id[0]! & 0x0f) << 8) | id[1]!) + 1 : (id[0]! & 0x0f) + 1;
      const at = extended ? 2 : 1;
      if (at + n > id.length) throw new Hdf5Damaged('tiny fractal heap object overruns its id', this.pos);
      return id.subarray(at, at + n);
    }
    if (type === 1) {
      this.s.count('huge');
      return this.huge(id);
    }
    if (type !== 0) throw new Hdf5Damaged(`fractal heap id type ${type}`, this.pos);
    const c = new Cur(id, this.pos, this.s.sb.o, this.s.sb.l, 'fractal heap id');
    c.skip(1);
    const off = c.uint(this.offSize);
    const len = c.uint(this.lenSize);
    if (len === 0 || len > this.maxManaged) throw new Hdf5Damaged(`fractal heap object of ${len} bytes`, this.pos);
    const { block, blockOff } = this.locate(off);
    const at = off - blockOff;
    const hdr = 5 + this.s.sb.o + this.offSize + (this.checksummedDirect ? 4 : 0);
    if (at < hdr || at + len > block.length) throw new Hdf5Damaged('fractal heap object outside its block', this.pos);
    return block.subarray(at, at + len);
  }

  /**
   * A huge object (larger than the heap's managed blocks): stored on its own, its address and length either in
   * the id itself (when the id is large enough) or in the heap's v2 B-tree of huge objects, keyed by an id.
   */
  private huge(id: Uint8Array): Uint8Array {
    const { o, l } = this.s.sb;
    const c = new Cur(id, this.pos, o, l, 'huge fractal heap id');
    c.skip(1);
    let addr: number;
    let len: number;
    if (this.idLen - 1 >= o + l) {
      addr = c.addr();
      len = c.len();
    } else {
      const key = c.uint(Math.min(this.idLen - 1, 8));
      if (!this.hugeIndex) {
        this.hugeIndex = new Map();
        for (const rec of this.s.btree2Records(this.hugeBtree, 1)) {
          const r = new Cur(rec, this.pos, o, l, 'huge object record');
          const a = r.addr();
          const n = r.len();
          this.hugeIndex.set(r.len(), { addr: a, len: n });
        }
      }
      const found = this.hugeIndex.get(key);
      if (!found) throw new Hdf5Damaged(`huge fractal heap object ${key} not in its index`, this.pos);
      ({ addr, len } = found);
    }
    return this.s.cur(addr, len, 'huge fractal heap object').b;
  }

  private rowSize(r: number): number {
    return r === 0 ? this.startBlock : this.startBlock * 2 ** (r - 1);
  }

  private rowStart(r: number): number {
    return r === 0 ? 0 : this.width * this.startBlock * 2 ** (r - 1);
  }

  /** The direct block holding heap offset `off`, and that block's own heap offset. */
  private locate(off: number): { block: Uint8Array; blockOff: number } {
    if (this.rootAddr === UNDEF) throw new Hdf5Damaged('fractal heap has no blocks', this.pos);
    if (this.rootRows === 0) return { block: this.directBlock(this.rootAddr, this.startBlock), blockOff: 0 };
    let iaddr = this.rootAddr;
    let rows = this.rootRows;
    let base = 0;
    for (let level = 0; level < 64; level++) {
      const children = this.indirectBlock(iaddr, rows);
      const rel = off - base;
      let r = 0;
      while (r + 1 < rows && this.rowStart(r + 1) <= rel) r++;
      const col = Math.floor((rel - this.rowStart(r)) / this.rowSize(r));
      if (rel < 0 || col >= this.width) throw new Hdf5Damaged(`fractal heap offset ${off} outside the heap`, this.pos);
      const child = children[r * this.width + col];
      if (child === undefined) throw new Hdf5Damaged('fractal heap indirect block shared by blocks of different sizes', this.pos);
      if (child === UNDEF) throw new Hdf5Damaged(`fractal heap offset ${off} in an unallocated block`, this.pos);
      const childOff = base + this.rowStart(r) + col * this.rowSize(r);
      if (r < this.maxDirectRows) return { block: this.directBlock(child, this.rowSize(r)), blockOff: childOff };
      iaddr = child;
      rows = Math.log2(this.rowSize(r)) - Math.log2(this.startBlock * this.width) + 1;
      base = childOff;
    }
    throw new Hdf5Damaged('fractal heap indirect blocks nest too deep', this.pos);
  }

  private directBlock(addr: number, size: number): Uint8Array {
    let b = this.direct.get(addr);
    if (!b) {
      const c = this.s.cur(addr, size, 'fractal heap direct block');
      c.sig('FHDB');
      this.s.count('FHDB');
      if (c.u8() !== 0) throw new Hdf5Unsupported('fractal heap direct block version', c.pos);
      b = c.b;
      if (this.checksummedDirect) {
        // The checksum covers the whole block, its own field counted as zeros.
        const at = 5 + this.s.sb.o + this.offSize;
        const copy = b.slice();
        copy.fill(0, at, at + 4);
        const stored = (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
        if (stored !== lookup3(copy)) throw new Hdf5Damaged('fractal heap direct block: checksum mismatch', c.pos);
        this.s.count('FHDB-checksummed');
      }
      this.direct.set(addr, b);
    }
    return b;
  }

  private indirectBlock(addr: number, rows: number): number[] {
    let children = this.indirect.get(addr);
    if (!children) {
      const o = this.s.sb.o;
      const n = rows * this.width;
      const len = 5 + o + this.offSize + n * o;
      const c = this.s.cur(addr, len + 4, 'fractal heap indirect block');
      c.sig('FHIB');
      this.s.count('FHIB');
      if (c.u8() !== 0) throw new Hdf5Unsupported('fractal heap indirect block version', c.pos);
      c.skip(o + this.offSize);
      children = [];
      for (let i = 0; i < n; i++) children.push(c.addr());
      checkSum(c.b, 0, len, c.pos, 'fractal heap indirect block');
      this.indirect.set(addr, children);
    }
    return children;
  }
}
