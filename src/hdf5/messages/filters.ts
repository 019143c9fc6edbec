// The filter pipeline message (0x0b), versions 1 and 2: the filters' names.
import { type Cur, utf8Name } from '../bytes.js';
import { Hdf5Damaged, Hdf5Unsupported } from '../errors.js';

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
