// A shared message (flag 0x02): stored in another object header (a committed datatype) or in the shared
// message heap, which this reader does not follow.
import type { Cur } from '../bytes.js';
import { Hdf5Unsupported } from '../errors.js';

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
