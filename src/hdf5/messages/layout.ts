// The data layout message (0x08), versions 1–5: compact, contiguous (where the data starts), chunked and
// virtual (where the mapping list lives in the global heap).
import type { Cur } from '../bytes.js';
import { Hdf5Damaged, Hdf5Unsupported } from '../errors.js';
import { MAX_RANK } from './dataspace.js';

export interface Layout {
  /** 0 compact, 1 contiguous, 2 chunked, 3 virtual. */
  cls: number;
  /** Virtual datasets: where the mapping list lives in the global heap. */
  virtualHeap: { addr: number; index: number } | null;
  /** Contiguous storage: where the data starts (UNDEF when never written, or held in external files). */
  contigAddr?: number;
  /** Compact storage (versions 3–5): the size of the data the message holds. */
  compactSize?: number;
}

export function layout(c: Cur): Layout {
  const version = c.u8();
  if (version === 1 || version === 2) {
    // As H5O__layout_decode: a dimensionality of 1 to MAX_RANK + 1 (campaign seed 2212, case 86645), the class,
    // 5 reserved bytes, an address (not for compact data), the dimensions, and compact data's size and bytes.
    const ndims = c.u8();
    if (ndims === 0 || ndims > MAX_RANK + 1) throw new Hdf5Damaged('dimensionality is out of range', c.pos);
    const cls = c.u8();
    if (cls > 2) throw new Hdf5Damaged(`layout class ${cls}`, c.pos);
    c.skip(5);
    const contigAddr = cls === 1 ? c.addr() : undefined;
    if (cls === 2) c.addr(); // the chunk index
    if (cls === 2) {
      if (ndims < 2) throw new Hdf5Damaged('bad dimensions for chunked storage', c.pos);
      for (let i = 0; i < ndims; i++) if (c.u32() === 0) throw new Hdf5Damaged('chunk dimension must be positive', c.pos);
      return { cls, virtualHeap: null };
    }
    c.skip(4 * ndims);
    if (cls === 1) return { cls, virtualHeap: null, contigAddr };
    const size = c.u32();
    if (size > c.left) throw new Hdf5Damaged('compact layout: ran off end of input buffer while decoding', c.pos);
    return { cls, virtualHeap: null, compactSize: size };
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
    if (cls === 1) {
      // HDF5 decodes the data's size too, within the message (campaign seed 2217, case 79110).
      const contigAddr = c.addr();
      c.skip(c.l);
      return { cls, virtualHeap: null, contigAddr };
    }
    if (cls === 0) {
      // Compact: the raw data follows in the message (H5O__layout_decode refuses a size past its end).
      const size = c.u16();
      if (size > c.left) throw new Hdf5Damaged('compact layout: ran off end of input buffer while decoding', c.pos);
      return { cls, virtualHeap: null, compactSize: size };
    } else if (version === 3) {
      // Chunked, version 3: rank (chunk dimensions and the element size), index address, 4-byte dimensions.
      const ndims = c.u8();
      if (ndims > MAX_RANK + 1) throw new Hdf5Damaged('dimensionality is too large', c.pos);
      if (ndims < 2) throw new Hdf5Damaged('bad dimensions for chunked storage', c.pos);
      c.addr();
      for (let i = 0; i < ndims; i++) if (c.u32() === 0) throw new Hdf5Damaged('chunk dimension must be positive', c.pos);
    } else {
      // Chunked, versions 4 and 5: flags (0–3), rank, bytes per dimension (1–8), dimensions, the index type (1–5:
      // no v1 B-tree) and, for the fixed and extensible arrays, parameters that may not be 0.
      if (c.u8() & ~0x03) throw new Hdf5Damaged('bad flag value for message', c.pos);
      const ndims = c.u8();
      if (ndims > MAX_RANK + 1) throw new Hdf5Damaged('dimensionality is too large', c.pos);
      const enc = c.u8();
      if (enc === 0 || enc > 8) throw new Hdf5Damaged('encoded chunk dimension size is too large', c.pos);
      for (let i = 0; i < ndims; i++) if (c.raw(enc) === 0) throw new Hdf5Damaged('chunk dimension must be positive', c.pos);
      const index = c.u8();
      if (index >= 6) throw new Hdf5Damaged('unknown chunk index type', c.pos);
      if (index === 0) throw new Hdf5Damaged('v1 B-tree index type should never be in a v4 layout message', c.pos);
      if (index === 3 && c.u8() === 0) throw new Hdf5Damaged('invalid fixed array creation parameter', c.pos);
      if (index === 4 && (c.u8() === 0 || c.u8() === 0)) throw new Hdf5Damaged('invalid extensible array creation parameter', c.pos);
    }
    return { cls, virtualHeap: null };
  }
  throw new Hdf5Unsupported(`data layout message version ${version}`, c.pos);
}
