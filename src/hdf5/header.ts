// A small, bounded reader of HDF5 object headers, straight from the file's bytes (read-only). h5wasm does
// not expose H5Pget_external_count, so external storage (the External Data Files message, type 0x0007) is
// found here by reading the dataset's own object header at the address HDF5 gives for an object reference.
// Layout per the HDF5 File Format Specification: superblock v0–v3, object headers v1 and v2 ("OHDR", with
// "OCHK" continuation blocks), local heaps ("HEAP") for the external file names. Reads through the same
// ByteSource HDF5 reads.
import type { ByteSource } from '../io/byte-source.js';

export class HeaderError extends Error {}

export interface HeaderFacts {
  /** External Data Files message: the file names it lists (empty list if the names could not be read). */
  externalFiles: string[] | null;
  /** Data Layout message class: 0 compact, 1 contiguous, 2 chunked, 3 virtual; null if absent. */
  layoutClass: number | null;
}

const MSG_EFL = 0x0007;
const MSG_LAYOUT = 0x0008;
const MSG_CONTINUATION = 0x0010;
const MAX_BLOCKS = 64;
const MAX_BLOCK_BYTES = 1 << 20;
const MAX_MESSAGES = 4096;

/** Little-endian 16-bit integer. */
function u16(buf: Uint8Array, at: number): number {
  if (at + 2 > buf.length) throw new HeaderError('truncated object header');
  return buf[at]! | (buf[at + 1]! << 8);
}

function u32(buf: Uint8Array, at: number): number {
  if (at + 4 > buf.length) throw new HeaderError('truncated object header');
  return (buf[at]! | (buf[at + 1]! << 8) | (buf[at + 2]! << 16)) + buf[at + 3]! * 0x1000000;
}

function latin1(buf: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < Math.min(to, buf.length); i++) s += String.fromCharCode(buf[i]!);
  return s;
}

/** Random access to an HDF5 file's bytes, bounded, never writing. */
export class ByteReader {
  readonly size: number;
  readonly offsetSize: number;
  readonly lengthSize: number;

  constructor(private readonly src: ByteSource) {
    this.size = src.size;
    const sb = this.read(0, 64);
    if (latin1(sb, 0, 8) !== '\x89HDF\r\n\x1a\n') throw new HeaderError('no HDF5 signature at offset 0');
    const version = sb[8]!;
    this.offsetSize = version <= 1 ? sb[13]! : sb[9]!;
    this.lengthSize = version <= 1 ? sb[14]! : sb[10]!;
    if (![2, 4, 8].includes(this.offsetSize) || ![2, 4, 8].includes(this.lengthSize)) {
      throw new HeaderError(`unsupported HDF5 address sizes (${this.offsetSize}/${this.lengthSize})`);
    }
  }

  /** `len` bytes at absolute position `pos` (short at the end of the file). */
  read(pos: number, len: number): Uint8Array {
    if (!Number.isSafeInteger(pos) || pos < 0 || pos >= this.size) throw new HeaderError(`address ${pos} is outside the file`);
    return this.src.read(pos, Math.min(len, this.size - pos));
  }

  /** An unsigned little-endian integer of 2, 4 or 8 bytes; all-ones (undefined address) gives -1. */
  uint(buf: Uint8Array, at: number, size: number): number {
    if (at + size > buf.length) throw new HeaderError('truncated object header');
    if (size === 2) return u16(buf, at);
    if (size === 4) return u32(buf, at) === 0xffffffff ? -1 : u32(buf, at);
    const lo = u32(buf, at);
    const hi = u32(buf, at + 4);
    if (lo === 0xffffffff && hi === 0xffffffff) return -1;
    if (hi >= 0x200000) throw new HeaderError('address beyond 2^53');
    return hi * 0x100000000 + lo;
  }

  /**
   * Absolute file position of a (base-relative) address. HDF5 counts addresses from where the superblock is,
   * whatever base address it records (H5F__super_read; campaign seed 2212, case 87246), and here it is at 0.
   */
  abs(addr: number): number {
    return addr;
  }
}

interface Message {
  type: number;
  data: Uint8Array;
}

/** The messages of the object header at `addr` (base-relative), continuation blocks included. */
export function headerMessages(r: ByteReader, addr: number): Message[] {
  const first = r.read(r.abs(addr), 16);
  const out: Message[] = [];
  const blocks: { pos: number; len: number; v2: boolean }[] = [];
  if (latin1(first, 0, 4) === 'OHDR') {
    const head = r.read(r.abs(addr), 32);
    const flags = head[5]!;
    let at = 6;
    if (flags & 0x20) at += 16;
    if (flags & 0x10) at += 4;
    const sizeBytes = 1 << (flags & 3);
    const len = sizeBytes === 1 ? head[at]! : r.uint(head, at, sizeBytes);
    if (len < 0) throw new HeaderError('bad object header chunk size');
    at += sizeBytes;
    blocks.push({ pos: r.abs(addr) + at, len, v2: true });
    parseBlocks(r, blocks, out, flags);
  } else if (first[0] === 1) {
    const len = u32(first, 8);
    blocks.push({ pos: r.abs(addr) + 16, len, v2: false });
    parseBlocks(r, blocks, out, 0);
  } else {
    throw new HeaderError(`unknown object header version ${first[0]}`);
  }
  return out;
}

function parseBlocks(r: ByteReader, blocks: { pos: number; len: number; v2: boolean }[], out: Message[], flags: number): void {
  let count = 0;
  for (let b = 0; b < blocks.length; b++) {
    if (b >= MAX_BLOCKS) throw new HeaderError('too many object header continuation blocks');
    const { pos, len, v2 } = blocks[b]!;
    if (len > MAX_BLOCK_BYTES) throw new HeaderError('object header block too large');
    const buf = r.read(pos, len);
    let at = 0;
    const end = v2 && b > 0 ? buf.length - 4 : buf.length; // v2 continuation blocks end in a checksum
    if (v2 && b > 0) {
      if (latin1(buf, 0, 4) !== 'OCHK') throw new HeaderError('continuation block without OCHK signature');
      at = 4;
    }
    const headLen = v2 ? 4 + (flags & 0x04 ? 2 : 0) : 8;
    while (at + headLen <= end) {
      if (++count > MAX_MESSAGES) throw new HeaderError('too many object header messages');
      const type = v2 ? buf[at]! : u16(buf, at);
      const size = v2 ? u16(buf, at + 1) : u16(buf, at + 2);
      at += headLen;
      if (at + size > end) throw new HeaderError('object header message overruns its block');
      const data = buf.subarray(at, at + size);
      at += size;
      if (type === MSG_CONTINUATION) {
        const next = r.uint(data, 0, r.offsetSize);
        const nlen = r.uint(data, r.offsetSize, r.lengthSize);
        if (next >= 0) blocks.push({ pos: r.abs(next), len: nlen, v2 });
      } else {
        out.push({ type, data });
      }
    }
  }
}

/** External storage and layout class of the dataset whose object header is at `addr`. */
export function datasetFacts(r: ByteReader, addr: number): HeaderFacts {
  let externalFiles: string[] | null = null;
  let layoutClass: number | null = null;
  for (const m of headerMessages(r, addr)) {
    if (m.type === MSG_LAYOUT && m.data.length >= 2) {
      const version = m.data[0]!;
      layoutClass = version >= 3 ? m.data[1]! : m.data.length > 2 ? m.data[2]! : null;
    } else if (m.type === MSG_EFL) {
      externalFiles = eflNames(r, m.data);
    }
  }
  return { externalFiles, layoutClass };
}

/** The file names an External Data Files message lists (from its local heap); [] where unreadable. */
function eflNames(r: ByteReader, data: Uint8Array): string[] {
  try {
    const used = u16(data, 6);
    const heapAddr = r.uint(data, 8, r.offsetSize);
    const heap = r.read(r.abs(heapAddr), 8 + 2 * r.lengthSize + r.offsetSize);
    if (latin1(heap, 0, 4) !== 'HEAP') return [];
    const segSize = r.uint(heap, 8, r.lengthSize);
    const segAddr = r.uint(heap, 8 + 2 * r.lengthSize, r.offsetSize);
    const names: string[] = [];
    const slot0 = 8 + r.offsetSize;
    const slotLen = 3 * r.lengthSize;
    for (let i = 0; i < Math.min(used, 16); i++) {
      const nameOff = r.uint(data, slot0 + i * slotLen, r.lengthSize);
      if (nameOff < 0 || nameOff >= segSize) continue;
      const raw = r.read(r.abs(segAddr) + nameOff, Math.min(1024, segSize - nameOff));
      const z = raw.indexOf(0);
      names.push(new TextDecoder().decode(raw.subarray(0, z >= 0 ? z : raw.length)));
    }
    return names;
  } catch {
    return [];
  }
}
