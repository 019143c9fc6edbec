// The dataspace message (0x01): scalar, simple (its dimensions and maximum dimensions) or null.
import { type Cur, UNDEF } from '../bytes.js';
import { Hdf5Damaged, Hdf5Unsupported } from '../errors.js';

export interface Dataspace {
  kind: 'scalar' | 'simple' | 'null';
  dims: number[];
}

/** Dimensions past this rank are damage (HDF5's H5S_MAX_RANK). */
export const MAX_RANK = 32;

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
