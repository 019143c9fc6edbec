// Decoders for the object header messages the metadata reader needs, per the HDF5 File Format Specification
// (section IV.A.2): dataspace, datatype, data layout, filter pipeline, external data files, attribute, link,
// link info, attribute info, symbol table. Each takes the message body and returns plain values; anything
// the reader cannot represent is Hdf5Unsupported, anything contradicting the format is Hdf5Damaged.
import { Cur, UNDEF, utf8Name } from './bytes.js';
import { Hdf5Damaged, Hdf5Unsupported } from './errors.js';

export const MSG = {
  NIL: 0x00,
  DATASPACE: 0x01,
  LINK_INFO: 0x02,
  DATATYPE: 0x03,
  FILL_OLD: 0x04,
  FILL: 0x05,
  LINK: 0x06,
  EFL: 0x07,
  LAYOUT: 0x08,
  BOGUS: 0x09,
  GROUP_INFO: 0x0a,
  FILTERS: 0x0b,
  ATTRIBUTE: 0x0c,
  COMMENT: 0x0d,
  MTIME_OLD: 0x0e,
  SHMESG_TABLE: 0x0f,
  CONTINUATION: 0x10,
  SYMBOL_TABLE: 0x11,
  MTIME: 0x12,
  BTREE_K: 0x13,
  DRIVER_INFO: 0x14,
  ATTR_INFO: 0x15,
  REFCOUNT: 0x16,
  FSINFO: 0x17,
  MDCI: 0x18,
} as const;

/** Message types this reader knows (it decodes some and may ignore the rest); others are unsupported. */
export const KNOWN_MESSAGES = new Set<number>(Object.values(MSG));

// ---- dataspace ----

export interface Dataspace {
  kind: 'scalar' | 'simple' | 'null';
  dims: number[];
}

const MAX_RANK = 32;

export function dataspace(c: Cur): Dataspace {
  const version = c.u8();
  const rank = c.u8();
  const flags = c.u8();
  if (rank > MAX_RANK) throw new Hdf5Damaged(`dataspace of rank ${rank}`, c.pos);
  let kind: Dataspace['kind'];
  if (version === 1) {
    c.skip(5);
    kind = rank === 0 ? 'scalar' : 'simple';
  } else if (version === 2) {
    // HDF5 (H5O__sdspace_decode) checks only that a type other than simple (1) has rank 0; a type it does not
    // know is then, like scalar (0), one element (only null, 2, has none).
    const t = c.u8();
    if (t !== 1 && rank > 0) throw new Hdf5Damaged('invalid rank for scalar or NULL dataspace', c.pos);
    kind = t === 1 ? 'simple' : t === 2 ? 'null' : 'scalar';
  } else {
    throw new Hdf5Unsupported(`dataspace message version ${version}`, c.pos);
  }
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) {
    const d = c.len();
    if (d === UNDEF) throw new Hdf5Damaged('dataspace dimension of 2^64-1', c.pos);
    dims.push(d);
  }
  // Maximum dimensions (and version 1's permutation indices) follow. HDF5 refuses, when it decodes the
  // message, a current size above a maximum that is not unlimited (all ones); a maximum past 2^53 can only
  // be above any current size, so it is read as a byte string, not a number.
  if (flags & 1) {
    for (let i = 0; i < rank; i++) {
      const at = c.pos + c.p;
      const max = c.bytes(c.l);
      if (max.every((b) => b === 0xff)) continue;
      let v = 0;
      for (let j = max.length - 1; j >= 0; j--) v = v * 256 + max[j]!;
      if (Number.isSafeInteger(v) && dims[i]! > v) {
        throw new Hdf5Damaged(`dataspace dim ${i} size of ${dims[i]} is greater than maxdim size of ${v}`, at);
      }
    }
  }
  // Version 1's permutation indices (flag 2) were never implemented: HDF5 reads none.
  return { kind, dims: kind === 'simple' ? dims : [] };
}

export function elements(s: Dataspace): number {
  if (s.kind === 'null') return 0;
  return s.dims.reduce((a, b) => a * b, 1);
}

// ---- datatype ----

export interface Datatype {
  /** HDF5 class: 0 integer, 1 float, 2 time, 3 string, 4 bitfield, 5 opaque, 6 compound, 7 reference, 8 enum, 9 vlen, 10 array. */
  cls: number;
  /** Element size in the file, in bytes. */
  size: number;
  /** Integers (and enums, through their base type): two's complement. */
  signed: boolean;
  bigEndian: boolean;
  /** A variable-length string (class 9, type 1). */
  vlenString: boolean;
  base: Datatype | null;
  /**
   * A variable-length type of a kind HDF5 does not know (neither sequence, 0, nor string, 1): it decodes it, but
   * has no way to read its values (h5wasm: "VOL connector has no 'blob put' method").
   */
  vlenUnknown?: boolean;
  /** A numeric type with many unused bits, or a type holding one (see checkUnusedBits). */
  unusedBits: boolean;
}

const MAX_TYPE_DEPTH = 16;
const MAX_MEMBERS = 65535;

/**
 * Whether HDF5 2.0 finds that a numeric type (integer, float, bitfield) of more than one byte has "an unusually
 * large # of unused bits": the bits above its offset + precision more than half of them. Seen from h5wasm on
 * patched files: of 32 bits, offset + precision 16 passes and 15 does not, whatever the split; 1-byte types pass.
 */
const manyUnusedBits = (size: number, offset: number, prec: number): boolean => size > 1 && offset + prec < 4 * size;

/**
 * A numeric type's size in bits, as the reference HDF5 build computes it (in a 32-bit size_t): for a type of
 * 2^29 bytes or more it wraps, so the checks against it are not the format's; such a type is declined.
 */
function typeBits(size: number, at: number): number {
  if (size >= 2 ** 29)
    throw new Hdf5Unsupported(`a numeric datatype of ${size} bytes, whose bit count the reference HDF5 build computes in 32 bits`, at);
  return 8 * size;
}

/**
 * HDF5 refuses a datatype message (a dataset's, an attribute's, a committed type's) whose type, or a type in
 * it (a variable-length string's characters), has many unused bits (see manyUnusedBits), but only in a file
 * whose superblock is older than
 * version 2: h5wasm was seen to make the check there and never in files with superblock 2 or 3 (the file
 * integrity checks it can relax are a property of the file).
 */
export function checkUnusedBits(t: Datatype, superblockVersion: number, at: number): void {
  if (t.unusedBits && superblockVersion < 2)
    throw new Hdf5Damaged(`datatype has unusually large # of unused bits (size = ${t.size} bytes)`, at);
}

/**
 * A floating-point type's bit fields, checked as HDF5 2.0 checks them when it decodes the type (every check
 * seen from h5wasm on patched files): fields against the type's bits (not its precision, and the bit offset
 * not at all), each inside them, none overlapping another. A type it refuses is damage here too. Returns
 * whether many bits are unused (see manyUnusedBits).
 */
function checkFloatFields(c: Cur, size: number, sign: number, at: number): boolean {
  const offset = c.u16();
  const prec = c.u16();
  const epos = c.u8();
  const esize = c.u8();
  const mpos = c.u8();
  const msize = c.u8();
  c.u32(); // exponent bias
  const bad = (why: string) => new Hdf5Damaged(`floating-point datatype: ${why}`, at);
  const bits = typeBits(size, at);
  if (esize === 0) throw bad("exponent size can't be zero");
  if (msize === 0) throw bad("mantissa size can't be zero");
  if (sign >= bits) throw bad('sign bit position out of bounds');
  if (epos >= bits) throw bad('exponent starting position out of bounds');
  if (epos + esize > bits) throw bad('exponent range out of bounds');
  if (mpos >= bits) throw bad('mantissa starting position out of bounds');
  if (mpos + msize > bits) throw bad('mantissa range out of bounds');
  if (sign >= epos && sign < epos + esize) throw bad('exponent and sign positions overlap');
  if (sign >= mpos && sign < mpos + msize) throw bad('mantissa and sign positions overlap');
  if (mpos < epos + esize && epos < mpos + msize) throw bad('mantissa and exponent positions overlap');
  return manyUnusedBits(size, offset, prec);
}

/** An integer's bit offset and precision, checked as HDF5 2.0 checks them (seen from h5wasm); whether many bits are unused. */
function checkIntegerFields(c: Cur, size: number, at: number): boolean {
  const offset = c.u16();
  const prec = c.u16();
  const bits = typeBits(size, at);
  const bad = (why: string) => new Hdf5Damaged(`integer datatype: ${why}`, at);
  if (offset >= bits) throw bad('integer offset out of bounds');
  if (prec === 0) throw bad('precision is zero');
  if (offset + prec > bits) throw bad('integer offset+precision out of bounds');
  return manyUnusedBits(size, offset, prec);
}

/** A compound or enum member's name: NUL-terminated, padded to a multiple of 8 bytes before datatype version 3. */
function memberName(c: Cur, version: number): void {
  const start = c.p;
  c.cstr();
  if (version < 3) c.skip((8 - ((c.p - start) % 8)) % 8);
}

export function datatype(c: Cur, depth = 0): Datatype {
  if (depth > MAX_TYPE_DEPTH) throw new Hdf5Damaged(`datatype nested deeper than ${MAX_TYPE_DEPTH}`, c.pos + c.p);
  const start = c.p;
  const b0 = c.u8();
  const cls = b0 & 0x0f;
  const version = b0 >> 4;
  const f0 = c.u8();
  const f1 = c.u8();
  c.u8();
  const size = c.u32();
  if (version < 1 || version > 4) throw new Hdf5Unsupported(`datatype message version ${version}`, c.pos + start);
  // As HDF5 (H5O__dtype_decode_helper), for a type and every type inside it.
  if (size === 0) throw new Hdf5Damaged('invalid datatype size', c.pos + start);
  const t: Datatype = { cls, size, signed: false, bigEndian: false, vlenString: false, base: null, unusedBits: false };
  switch (cls) {
    case 0: // fixed-point: offset, precision
      t.bigEndian = (f0 & 1) === 1;
      t.signed = (f0 & 0x08) !== 0;
      t.unusedBits = checkIntegerFields(c, size, c.pos + start);
      break;
    case 1: // floating-point: offset, precision, exponent/mantissa layout, bias
      if (f0 & 0x40) throw new Hdf5Unsupported('VAX floating-point order', c.pos + start);
      if (((f0 >> 4) & 3) === 3) throw new Hdf5Damaged('unknown floating-point normalization', c.pos + start);
      t.bigEndian = (f0 & 1) === 1;
      t.unusedBits = checkFloatFields(c, size, f1, c.pos + start);
      break;
    case 2: // time: precision
      c.skip(2);
      break;
    case 3: // string: padding and character set in the class bits
      break;
    case 4: // bitfield: offset, precision
      t.bigEndian = (f0 & 1) === 1;
      typeBits(size, c.pos + start);
      t.unusedBits = manyUnusedBits(size, c.u16(), c.u16());
      break;
    case 5: // opaque: the tag, NUL-padded to a multiple of 8
      c.skip(f0);
      break;
    case 6: {
      const n = f0 | (f1 << 8);
      if (n > MAX_MEMBERS) throw new Hdf5Damaged('compound with too many members', c.pos + start);
      for (let i = 0; i < n; i++) {
        memberName(c, version);
        if (version < 3) {
          c.skip(4); // byte offset
          if (version === 1) c.skip(1 + 3 + 4 + 4 + 16); // dimensionality, reserved, permutation, reserved, sizes
        } else {
          c.skip(limitEncSize(size));
        }
        if (datatype(c, depth + 1).unusedBits) t.unusedBits = true;
      }
      break;
    }
    case 7: // reference
      break;
    case 8: {
      const n = f0 | (f1 << 8);
      if (n > MAX_MEMBERS) throw new Hdf5Damaged('enum with too many members', c.pos + start);
      const base = datatype(c, depth + 1);
      for (let i = 0; i < n; i++) {
        memberName(c, version);
      }
      c.skip(n * base.size);
      t.base = base;
      t.signed = base.signed;
      t.bigEndian = base.bigEndian;
      t.unusedBits = base.unusedBits;
      break;
    }
    case 9: {
      const kind = f0 & 0x0f;
      t.base = datatype(c, depth + 1);
      t.vlenString = kind === 1;
      if (kind > 1) t.vlenUnknown = true;
      t.unusedBits = t.base.unusedBits;
      break;
    }
    case 10: {
      const rank = c.u8();
      if (rank > MAX_RANK) throw new Hdf5Damaged(`array datatype of rank ${rank}`, c.pos + start);
      if (version < 3) c.skip(3);
      c.skip(4 * rank);
      if (version < 3) c.skip(4 * rank);
      t.base = datatype(c, depth + 1);
      t.unusedBits = t.base.unusedBits;
      break;
    }
    default:
      throw new Hdf5Unsupported(`datatype class ${cls}`, c.pos + start);
  }
  return t;
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

/** The element size the HDF5 library reports for a type in memory (wasm32: pointers are 4 bytes). */
export function memorySize(t: Datatype): number {
  if (t.cls === 9) return t.vlenString ? 4 : 8;
  return t.size;
}

/** The numpy-style name `src/hdf5/h5wasm/reader.ts` gives a type (class as the library reports it). */
export function dtypeName(t: Datatype): string {
  const cls = reportedClass(t);
  const size = memorySize(t);
  switch (cls) {
    case 0:
      return `${t.signed ? 'int' : 'uint'}${size * 8}`;
    case 1:
      return `float${size * 8}`;
    case 3:
      return 'string';
    case 8:
      return size === 1 ? 'bool' : 'enum';
    default:
      return `h5type${cls}`;
  }
}

/** A variable-length string is a string to the library (class 3), a vlen sequence stays class 9. */
export function reportedClass(t: Datatype): number {
  return t.cls === 9 && t.vlenString ? 3 : t.cls;
}

// ---- modification time, group info ----

/**
 * Checks a modification time message as HDF5 decodes it (H5O__mtime_decode, H5O__mtime_new_decode): the old
 * one (0x0e) 16 bytes whose first 14 are the digits of YYYYMMDDhhmmss, the new one (0x12) version 1 and a
 * 4-byte time.
 */
export function checkModificationTime(c: Cur, old: boolean): void {
  const overrun = () => new Hdf5Damaged('modification time message: ran off end of input buffer while decoding', c.pos);
  if (old) {
    if (c.left < 16) throw overrun();
    for (let i = 0; i < 14; i++) {
      const d = c.b[c.p + i]!;
      if (d < 0x30 || d > 0x39) throw new Hdf5Damaged('badly formatted modification time message', c.pos);
    }
    return;
  }
  if (c.left < 1) throw overrun();
  if (c.u8() !== 1) throw new Hdf5Damaged('bad version number for mtime message', c.pos);
  if (c.left < 7) throw overrun();
}

/** Checks a group info message (0x0a) as HDF5 decodes it (H5O__ginfo_decode): version 0, flags 0–3, their fields. */
export function checkGroupInfo(c: Cur): void {
  if (c.u8() !== 0) throw new Hdf5Damaged('group info message: bad version number for message', c.pos);
  const flags = c.u8();
  if (flags & ~0x03) throw new Hdf5Damaged('group info message: bad flag value for message', c.pos);
  if (flags & 1) c.skip(4); // maximum compact, minimum dense
  if (flags & 2) c.skip(4); // estimated entries, estimated name length
}

// ---- fill value ----

/**
 * Checks a fill value message (0x05, or the old 0x04 with the dataset's datatype size) as HDF5 decodes it when
 * it opens a dataset (H5O__fill_new_decode, H5O__fill_old_decode); the value itself is never needed. A size of
 * 2^31 or more is declined: the reference build keeps it in a 32-bit signed size, where it reads negative.
 */
export function checkFillValue(c: Cur, old: boolean, typeSize: number | null): void {
  const size = (n: number) => {
    if (n >= 2 ** 31)
      throw new Hdf5Unsupported('fill value of 2^31 bytes or more, which the reference HDF5 build reads as a negative size', c.pos);
    if (n > c.left) throw new Hdf5Damaged('fill value message: ran off end of input buffer while decoding', c.pos);
    return n;
  };
  if (old) {
    const n = size(c.u32());
    if (n > 0 && typeSize !== null && n !== typeSize) throw new Hdf5Damaged('inconsistent fill value size', c.pos);
    return;
  }
  const version = c.u8();
  if (version < 1 || version > 3) throw new Hdf5Damaged('bad version number for fill value message', c.pos);
  if (version < 3) {
    c.skip(2); // allocation time, fill time
    if (c.u8() !== 0) {
      const n = c.u32();
      if (n > 0 && n < 2 ** 31) size(n); // a signed 32-bit size: negative is none
    }
    return;
  }
  const flags = c.u8();
  if (flags & ~0x3f) throw new Hdf5Damaged('unknown flag for fill value message', c.pos);
  if (flags & 0x10) {
    if (flags & 0x20) throw new Hdf5Damaged('have value and undefined value flags both set', c.pos);
  } else if (flags & 0x20) size(c.u32());
}

// ---- data layout ----

export interface Layout {
  /** 0 compact, 1 contiguous, 2 chunked, 3 virtual. */
  cls: number;
  /** Virtual datasets: where the mapping list lives in the global heap. */
  virtualHeap: { addr: number; index: number } | null;
  /** Contiguous storage: where the data starts (UNDEF when never written, or held in external files). */
  contigAddr?: number;
}

export function layout(c: Cur): Layout {
  const version = c.u8();
  if (version === 1 || version === 2) {
    c.u8();
    const cls = c.u8();
    if (cls > 2) throw new Hdf5Damaged(`layout class ${cls}`, c.pos);
    if (cls !== 1) return { cls, virtualHeap: null };
    c.skip(5);
    return { cls, virtualHeap: null, contigAddr: c.addr() };
  }
  if (version >= 3 && version <= 5) {
    // Version 5 (HDF5 2.0) differs from 4 only in how filtered chunk indexes are encoded.
    const cls = c.u8();
    if (cls === 3) {
      if (version < 4) throw new Hdf5Damaged('virtual layout in a version 3 layout message', c.pos);
      const addr = c.addr();
      const index = c.u32();
      return { cls, virtualHeap: { addr, index } };
    }
    if (cls > 3) throw new Hdf5Damaged(`layout class ${cls}`, c.pos);
    if (cls === 1) return { cls, virtualHeap: null, contigAddr: c.addr() };
    if (cls === 0) {
      // Compact: the raw data follows in the message (H5O__layout_decode refuses a size past its end).
      const size = c.u16();
      if (size > c.left) throw new Hdf5Damaged('compact layout: ran off end of input buffer while decoding', c.pos);
    } else if (version === 3) {
      // Chunked, version 3: rank (chunk dimensions and the element size), index address, 4-byte dimensions.
      const ndims = c.u8();
      if (ndims > MAX_RANK + 1) throw new Hdf5Damaged('dimensionality is too large', c.pos);
      c.addr();
      for (let i = 0; i < ndims; i++) if (c.u32() === 0) throw new Hdf5Damaged('chunk dimension must be positive', c.pos);
    }
    return { cls, virtualHeap: null };
  }
  throw new Hdf5Unsupported(`data layout message version ${version}`, c.pos);
}

// ---- filter pipeline ----

/** Names the HDF5 library gives its own filters when the pipeline message stores none. */
const FILTER_NAMES: Record<number, string> = {
  1: 'deflate',
  2: 'shuffle',
  3: 'fletcher32',
  4: 'szip',
  5: 'nbit',
  6: 'scaleoffset',
};

/** Filter names as `src/hdf5/h5wasm/reader.ts` reports them: the stored name, else the library's, else the id. */
export function filters(c: Cur): string[] {
  const version = c.u8();
  const n = c.u8();
  if (version === 1) c.skip(6);
  else if (version !== 2) throw new Hdf5Unsupported(`filter pipeline message version ${version}`, c.pos);
  if (n > 32) throw new Hdf5Damaged(`filter pipeline of ${n} filters`, c.pos);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = c.u16();
    const nameLen = version === 1 || id >= 256 ? c.u16() : 0;
    c.u16(); // flags
    const nValues = c.u16();
    let name = '';
    if (nameLen > 0) {
      const raw = c.bytes(version === 1 ? Math.ceil(nameLen / 8) * 8 : nameLen);
      const z = raw.indexOf(0);
      name = utf8Name(z >= 0 ? raw.subarray(0, z) : raw, c.pos);
    }
    c.skip(4 * nValues);
    if (version === 1 && nValues % 2 === 1) c.skip(4);
    out.push(name || FILTER_NAMES[id] || String(id));
  }
  return out;
}

// ---- external data files ----

export interface ExternalFileList {
  heapAddr: number;
  nameOffsets: number[];
}

export function externalFiles(c: Cur): ExternalFileList {
  const version = c.u8();
  if (version !== 1) throw new Hdf5Unsupported(`external data files message version ${version}`, c.pos);
  c.skip(3);
  // As H5O__efl_decode: slots allocated, no more in use, a defined heap; name offsets are C size_t values.
  const allocated = c.u16();
  if (allocated === 0) throw new Hdf5Damaged('bad number of allocated slots when parsing efl msg', c.pos);
  const used = c.u16();
  if (used > allocated) throw new Hdf5Damaged('bad number of in-use slots when parsing efl msg', c.pos);
  const heapAddr = c.addr();
  if (heapAddr === UNDEF) throw new Hdf5Damaged('bad local heap address when parsing efl msg', c.pos);
  const nameOffsets: number[] = [];
  for (let i = 0; i < used; i++) {
    nameOffsets.push(c.sizeT());
    c.skip(2 * c.l); // offset in the file, size
  }
  return { heapAddr, nameOffsets };
}

// ---- shared messages ----

/** A shared message stored in another object header (a committed datatype): that header's address. */
export function sharedAddress(c: Cur): number {
  const version = c.u8();
  const type = c.u8();
  if (version === 1) {
    c.skip(6);
    return c.addr();
  }
  if (version === 2) return c.addr();
  if (version === 3 && type === 2) return c.addr();
  throw new Hdf5Unsupported(`shared message (version ${version}, type ${type}) in the shared message heap`, c.pos);
}

// ---- attribute ----

export interface AttributeMessage {
  name: string;
  /** The datatype, or the committed datatype's header address when it is shared. */
  type: Datatype | { shared: number };
  space: Dataspace;
  data: Uint8Array;
}

/** An attribute message; `superblockVersion` decides the unused-bits check on its type (see checkUnusedBits). */
export function attribute(c: Cur, superblockVersion: number): AttributeMessage {
  const version = c.u8();
  if (version < 1 || version > 3) throw new Hdf5Unsupported(`attribute message version ${version}`, c.pos);
  const raw = c.u8();
  const flags = version >= 2 ? raw : 0; // version 1: a reserved byte
  const nameSize = c.u16();
  const typeSize = c.u16();
  const spaceSize = c.u16();
  if (version === 3) c.u8(); // name character set
  // Version 1 has a reserved byte there; later versions know flags 1 (shared type) and 2 (shared dataspace).
  if (flags & ~0x03) throw new Hdf5Damaged('unknown flag for attribute message', c.pos);
  if (flags & 0x02) throw new Hdf5Unsupported('attribute with a shared dataspace', c.pos);
  const pad = (n: number) => (version === 1 ? Math.ceil(n / 8) * 8 : n);
  const rawName = c.bytes(pad(nameSize));
  // The size counts the name's NUL. As HDF5 (H5O__attr_decode): the name is the first size - 1 bytes, which
  // must hold no NUL ("attribute name has different length than stored length"); the last byte is not read.
  if (nameSize < 1 || rawName.subarray(0, nameSize - 1).includes(0))
    throw new Hdf5Damaged('attribute name has different length than stored length', c.pos);
  const name = utf8Name(rawName.subarray(0, nameSize - 1), c.pos);
  // HDF5 decodes the type and the dataspace within their declared sizes (the padding is not theirs).
  const typeBytes = c.bytes(pad(typeSize)).subarray(0, typeSize);
  const spaceBytes = c.bytes(pad(spaceSize)).subarray(0, spaceSize);
  const tc = new Cur(typeBytes, c.pos + c.p, c.o, c.l, `datatype of attribute ${name}`);
  const type = flags & 0x01 ? { shared: sharedAddress(tc) } : datatype(tc);
  if (!('shared' in type)) checkUnusedBits(type, superblockVersion, tc.pos);
  const space = dataspace(new Cur(spaceBytes, c.pos + c.p, c.o, c.l, `dataspace of attribute ${name}`));
  // HDF5 decodes the value as elements × the declared datatype size (a variable-length type's too) and
  // refuses a message that does not hold that many bytes.
  if (!('shared' in type) && elements(space) * type.size > c.left)
    throw new Hdf5Damaged(`attribute ${name}: value overruns its message`, c.pos + c.p);
  return { name, type, space, data: c.b.subarray(c.p) };
}

// ---- links ----

export type Link =
  | { name: string; corder: number | null; type: 'hard'; addr: number }
  | { name: string; corder: number | null; type: 'soft'; target: string }
  | { name: string; corder: number | null; type: 'external'; file: string; objPath: string };

export function link(c: Cur): Link {
  const version = c.u8();
  if (version !== 1) throw new Hdf5Unsupported(`link message version ${version}`, c.pos);
  const flags = c.u8();
  if (flags & ~0x1f) throw new Hdf5Damaged('bad flag value for message', c.pos); // as HDF5's link decoder
  const type = flags & 0x08 ? c.u8() : 0;
  const corder = flags & 0x04 ? c.uint(8) : null;
  if (flags & 0x10) c.u8(); // name character set
  const nameLen = c.uint(1 << (flags & 3));
  if (nameLen === 0) throw new Hdf5Damaged('link with an empty name', c.pos);
  const name = linkName(c.bytes(nameLen), c.pos);
  if (type === 0) return { name, corder, type: 'hard', addr: c.addr() };
  if (type === 1) {
    const n = c.u16();
    return { name, corder, type: 'soft', target: utf8Name(c.bytes(n), c.pos) };
  }
  if (type === 64) {
    const n = c.u16();
    const v = new Cur(c.bytes(n), c.pos + c.p, c.o, c.l, `external link ${name}`);
    const vf = v.u8();
    if (vf >> 4 !== 0) throw new Hdf5Unsupported(`external link value version ${vf >> 4}`, c.pos);
    const file = v.cstr(true);
    const objPath = v.cstr(true);
    return { name, corder, type: 'external', file, objPath };
  }
  throw new Hdf5Unsupported(`user-defined link type ${type}`, c.pos);
}

/**
 * A link name. HDF5 copies the stored bytes into a C string, so a NUL ends the name there (the rest is never
 * seen); it checks nothing else in it (a `/` or an empty name is listed as it is, as h5wasm shows).
 */
export function linkName(raw: Uint8Array, pos: number): string {
  const nul = raw.indexOf(0);
  return utf8Name(nul < 0 ? raw : raw.subarray(0, nul), pos);
}

export interface IndexInfo {
  /** Creation order is indexed: the library lists members in creation order. */
  byCreation: boolean;
  heapAddr: number;
  nameBtree: number;
}

/** Link Info (0x02) and Attribute Info (0x15): where dense storage is, and the listing order. */
export function indexInfo(c: Cur, attributes: boolean): IndexInfo {
  const version = c.u8();
  if (version !== 0) throw new Hdf5Unsupported(`${attributes ? 'attribute' : 'link'} info message version ${version}`, c.pos);
  const flags = c.u8();
  // Creation order tracked (1) and indexed (2): HDF5 refuses other bits as it decodes the message.
  if (flags & ~0x03) throw new Hdf5Damaged('bad flag value for message', c.pos);
  if (flags & 1) c.skip(attributes ? 2 : 8);
  const heapAddr = c.addr();
  const nameBtree = c.addr();
  if (flags & 2) c.addr(); // the creation order index: HDF5 decodes it (the message must hold it)
  return { byCreation: (flags & 2) !== 0, heapAddr, nameBtree };
}
