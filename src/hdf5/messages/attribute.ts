// The attribute message (0x0c), versions 1–3: name, datatype (or a committed one), dataspace and the raw value.
import { Cur, utf8Name } from '../bytes.js';
import { Hdf5Damaged, Hdf5Unsupported } from '../errors.js';
import { dataspace, type Dataspace, elements } from './dataspace.js';
import { checkUnusedBits, datatype, type Datatype } from './datatype.js';
import { sharedAddress } from './shared.js';

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
  // HDF5 2.0 refuses a size of 0 or 1, an empty name even with its NUL (campaign seed 2216, case 145747).
  if (nameSize <= 1) throw new Hdf5Damaged('decoded name length is invalid', c.pos);
  if (rawName.subarray(0, nameSize - 1).includes(0)) throw new Hdf5Damaged('attribute name has different length than stored length', c.pos);
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
