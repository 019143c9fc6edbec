// The fill value message (0x05, and the old 0x04), checked as HDF5 decodes it when it opens a dataset.
import type { Cur } from '../bytes.js';
import { Hdf5Damaged, Hdf5Unsupported } from '../errors.js';

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
