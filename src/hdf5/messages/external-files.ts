// The External Data Files message (0x07): the local heap holding the names of the files a dataset's data is
// stored in, and each name's offset there.
import { type Cur, UNDEF } from '../bytes.js';
import { Hdf5Damaged, Hdf5Unsupported } from '../errors.js';

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
