// Object headers (HDF5 File Format Specification, section IV.A): version 1, and version 2 ("OHDR", checksummed)
// with its "OCHK" continuation blocks, each read once with its declared size; the messages they hold, with the
// flag checks HDF5 makes as it loads them. Message bodies are decoded by the modules in ../messages/.
import { checkSizeT, checkSum, Cur, UNDEF } from '../bytes.js';
import { Hdf5Damaged, Hdf5Unsupported } from '../errors.js';
import { MSG } from '../messages/codes.js';
import { checkModificationTime } from '../messages/object-info.js';
import { LIMITS, type ReadContext } from './context.js';

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

/** Bytes read at an object header's address before its size is known. */
const HEADER_PROBE = 512;

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

/** A shared message lives elsewhere (a committed datatype or the shared message heap): declined here. */
export function shareless(m: { flags: number; pos: number }, what: string): void {
  if (m.flags & 0x02) throw new Hdf5Unsupported(`shared ${what} message`, m.pos);
}

/** The object headers of one file, each parsed once. */
export class ObjectHeaders {
  private readonly headers = new Map<number, ObjectHeader>();

  constructor(private readonly s: ReadContext) {}

  get(addr: number): ObjectHeader {
    let h = this.headers.get(addr);
    if (!h) {
      h = this.readHeader(addr);
      this.headers.set(addr, h);
    }
    return h;
  }

  private readHeader(addr: number): ObjectHeader {
    const pos = this.s.abs(addr, 'object header');
    // One read usually holds the whole first chunk; a larger chunk is read again at its declared size.
    const probe = this.s.f.get(pos, Math.min(HEADER_PROBE, this.s.f.end - Math.max(0, pos)), 'object header');
    const within = (at: number, len: number) =>
      at + len <= probe.length ? probe.subarray(at, at + len) : this.s.f.get(pos + at, len, 'object header');
    const msgs: Message[] = [];
    const chunks: { pos: number; len: number }[] = [];
    let v2 = false;
    let flags = 0;
    if (probe.length >= 4 && probe[0] === 0x4f && probe[1] === 0x48 && probe[2] === 0x44 && probe[3] === 0x52) {
      // Version 2: "OHDR", version, flags, [times], [attribute phase change], chunk 0 size, messages, checksum.
      v2 = true;
      this.s.count('OHDR');
      const c = new Cur(probe, pos, this.s.sb.o, this.s.sb.l, 'object header');
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
      this.s.count('header-v1');
      const c = new Cur(probe, pos, this.s.sb.o, this.s.sb.l, 'object header');
      c.skip(2);
      const nmesgs = c.u16();
      c.skip(4);
      const size = c.u32();
      // As H5O__prefix_deserialize: messages need a chunk that holds a message header, none need none.
      if ((nmesgs > 0 && size < 8) || (nmesgs === 0 && size > 0)) throw new Hdf5Damaged('bad object header chunk size', pos);
      const block = within(16, size);
      // HDF5 (H5O__cache_deserialize) refuses a first chunk holding more messages, of any type, than the prefix
      // counts; fewer is allowed (old libraries miscounted).
      if (this.messages(block, 0, size, pos + 16, false, 0, msgs, chunks) > nmesgs)
        throw new Hdf5Damaged('bad object header message count', pos);
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
      const block = this.s.f.get(cpos, len, 'object header continuation block');
      this.s.count('continuation');
      if (v2) {
        const c = new Cur(block, cpos, this.s.sb.o, this.s.sb.l, 'object header continuation block');
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

  /** Decodes one chunk's messages into `out` (continuations into `chunks`); returns how many it held, of any type. */
  private messages(
    b: Uint8Array,
    start: number,
    end: number,
    pos: number,
    v2: boolean,
    flags: number,
    out: Message[],
    chunks: { pos: number; len: number }[],
  ): number {
    const headLen = v2 ? 4 + (flags & 0x04 ? 2 : 0) : 8;
    let at = start;
    let nulls = 0;
    let count = 0;
    while (at + headLen <= end) {
      count++;
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
        const c = new Cur(data, pos + at, this.s.sb.o, this.s.sb.l, 'continuation message');
        const addr = c.addr();
        const len = c.sizeT(); // a C size_t in HDF5 (H5O__cont_decode)
        // HDF5 2.0 refuses an empty continuation as it decodes one (campaign seed 2216, case 141994).
        if (len === 0) throw new Hdf5Damaged('invalid continuation chunk size (0)', pos + at);
        if (addr !== UNDEF) chunks.push({ pos: this.s.abs(addr, 'continuation'), len });
      } else if (type !== MSG.NIL) {
        // A reference count message is decoded as the header loads (H5O__chunk_deserialize).
        if (type === MSG.REFCOUNT) {
          if (!v2) throw new Hdf5Damaged('object header version does not support reference count message', pos + at);
          if (size < 1 || data[0] !== 0) throw new Hdf5Damaged('reference count message: bad version number for message', pos + at);
          if (size < 5) throw new Hdf5Damaged('reference count message: ran off end of input buffer while decoding', pos + at);
        }
        // So are modification times, every one of either kind (campaign seed 2212, case 73783): a bad one makes
        // the object, and every path through it, unreadable in HDF5.
        if (type === MSG.MTIME_OLD || type === MSG.MTIME)
          checkModificationTime(new Cur(data, pos + at, this.s.sb.o, this.s.sb.l, 'modification time message'), type === MSG.MTIME_OLD);
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
    return count;
  }
}
