// Messages HDF5 decodes when it answers about an object: the modification times (0x0e old, 0x12 new) and a
// group's group info (0x0a). Only checked: their values are never needed.
import type { Cur } from '../bytes.js';
import { Hdf5Damaged } from '../errors.js';

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
