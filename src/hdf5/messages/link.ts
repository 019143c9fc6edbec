// The link message (0x06): hard, soft and external links (reported, never followed); and the link info (0x02) and
// attribute info (0x15) messages, which say where dense storage is and in which order members are listed.
import { Cur, utf8Name } from '../bytes.js';
import { Hdf5Damaged, Hdf5Unsupported } from '../errors.js';

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
    // HDF5 copies the target into a C string: a NUL ends it there (campaign seed 2217, case 60462).
    const raw = c.bytes(c.u16());
    const end = raw.indexOf(0);
    return { name, corder, type: 'soft', target: utf8Name(end >= 0 ? raw.subarray(0, end) : raw, c.pos) };
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
