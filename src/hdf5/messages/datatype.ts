// The datatype message (0x03): every class, with the field checks HDF5 makes as it decodes one, and the names
// and sizes the HDF5 library reports for a type (as `src/hdf5/h5wasm/reader.ts` names them).
import { type Cur, limitEncSize } from '../bytes.js';
import { Hdf5Damaged, Hdf5Unsupported } from '../errors.js';
import { MAX_RANK } from './dataspace.js';

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
  /**
   * A type HDF5 re-sizes as it places it on disk and in memory (H5T_set_loc): a reference or variable-length type,
   * or an array or compound holding one. Its size in the message is not the size HDF5 uses (see placedSizes).
   */
  placed?: true;
  /** A reference's kind (0 object, 1 dataset region, 2–4 the opaque kinds of HDF5 1.12). */
  refKind?: number;
  /** An array's element count (the product of its dimensions). */
  elements?: number;
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
        const member = datatype(c, depth + 1);
        if (member.unusedBits) t.unusedBits = true;
        if (member.placed) t.placed = true;
      }
      break;
    }
    case 7: {
      // reference: its kind in the low bits (HDF5 knows 0–4), a version (1) for the kinds of HDF5 1.12 and later.
      const kind = f0 & 0x0f;
      if (kind >= 5) throw new Hdf5Damaged('invalid reference type', c.pos + start);
      if (kind >= 2 && f0 >> 4 !== 1) throw new Hdf5Damaged('reference version does not match', c.pos + start);
      t.refKind = kind;
      t.placed = true;
      break;
    }
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
      t.placed = true;
      break;
    }
    case 10: {
      const rank = c.u8();
      if (rank > MAX_RANK) throw new Hdf5Damaged(`array datatype of rank ${rank}`, c.pos + start);
      if (version < 3) c.skip(3);
      let elements = 1;
      for (let i = 0; i < rank; i++) elements *= c.u32();
      if (version < 3) c.skip(4 * rank);
      t.base = datatype(c, depth + 1);
      t.unusedBits = t.base.unusedBits;
      t.elements = elements;
      if (t.base.placed) t.placed = true;
      break;
    }
    default:
      throw new Hdf5Unsupported(`datatype class ${cls}`, c.pos + start);
  }
  return t;
}

/**
 * The sizes HDF5 gives a type as it opens a dataset (H5T_set_loc): on disk in a file of `o`-byte addresses, then
 * in memory (the dataset's type as the library reports it; wasm32: pointers are 4 bytes, `haddr_t` 8). A
 * reference is 8 (object), 12 (dataset region) or 64 bytes (the opaque kinds) in memory and o, o + 4 or o + 10
 * bytes on disk; a variable-length type is 4 (string) or 8 bytes in memory and 4 + o + 4 on disk; an array is
 * re-sized from its base only when the base's size changes. HDF5 re-sizes a compound's members too and shifts
 * their offsets, which this reader does not follow: such a compound is declined.
 */
export function placedSizes(t: Datatype, o: number): { disk: number; memory: number } {
  if (!t.placed) return { disk: t.size, memory: t.size };
  switch (t.cls) {
    case 7: {
      const kind = t.refKind ?? 0;
      return kind === 0 ? { disk: o, memory: 8 } : kind === 1 ? { disk: o + 4, memory: 12 } : { disk: o + 10, memory: 64 };
    }
    case 9:
      return { disk: 4 + o + 4, memory: t.vlenString ? 4 : 8 };
    case 10: {
      const base = t.base!;
      const b = placedSizes(base, o);
      const n = t.elements ?? 1;
      const disk = b.disk !== base.size ? n * b.disk : t.size;
      const memory = b.memory !== b.disk ? n * b.memory : disk;
      if (disk >= 2 ** 32 || memory >= 2 ** 32)
        throw new Hdf5Unsupported(`an array datatype of ${n} elements, whose size the reference HDF5 build computes in 32 bits`);
      return { disk, memory };
    }
    default:
      throw new Hdf5Unsupported('a compound datatype holding references or variable-length members, which HDF5 re-sizes as it opens them');
  }
}

/** The element size the HDF5 library reports for an attribute's type in memory (wasm32: pointers are 4 bytes). */
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
