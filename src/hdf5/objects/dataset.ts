// A dataset's description as HDF5 opens it: dataspace, datatype (or a committed one), data layout, filter
// pipeline, External Data Files, fill value, a virtual dataset's sources; tensor data is never read.
import { Cur, UNDEF } from '../bytes.js';
import { Hdf5Damaged, Hdf5Unsupported } from '../errors.js';
import { MSG } from '../messages/codes.js';
import { dataspace, type Dataspace, elements } from '../messages/dataspace.js';
import { checkUnusedBits, datatype, type Datatype, dtypeName, placedSizes } from '../messages/datatype.js';
import { externalFiles } from '../messages/external-files.js';
import { checkFillValue } from '../messages/fill-value.js';
import { filters } from '../messages/filters.js';
import { layout } from '../messages/layout.js';
import { sharedAddress } from '../messages/shared.js';
import { shareless } from '../structures/object-header.js';
import type { Structures } from '../structures/structures.js';
import type { H5DatasetInfo } from '../types.js';
import type { CommittedTypes } from './values.js';

export interface H5MetaDatasetInfo extends H5DatasetInfo {
  /** Data layout class: 0 compact, 1 contiguous, 2 chunked, 3 virtual. */
  layoutClass: number;
  /** Files named by an External Data Files message (data stored outside this file), else null. */
  externalFiles: string[] | null;
}

export function readDataset(
  s: Structures,
  addr: number,
  path: string,
  committed: CommittedTypes,
  declaredDtype: () => string | null,
): H5MetaDatasetInfo {
  const h = s.header(addr);
  let space: Dataspace | null = null;
  let type: Datatype | null = null;
  let layoutClass = -1;
  let contigAddr = UNDEF;
  let compactSize: number | undefined;
  let virtualSources: string[] = [];
  let filterNames: string[] = [];
  let external: string[] | null = null;
  // HDF5 reads the first message of each class (H5O_msg_read); later ones are never decoded.
  const met = new Set<number>();
  for (const m of h.msgs) {
    if (met.has(m.type)) continue;
    met.add(m.type);
    if (m.type === MSG.DATASPACE) {
      shareless(m, 'dataspace');
      space = dataspace(s.msgCur(m, 'dataspace message'));
    } else if (m.type === MSG.DATATYPE) {
      if (m.flags & 0x02) type = committed.get(sharedAddress(s.msgCur(m, 'shared datatype')));
      else {
        type = datatype(s.msgCur(m, 'datatype message'));
        checkUnusedBits(type, s.sb.version, m.pos);
      }
    } else if (m.type === MSG.LAYOUT) {
      const lay = layout(s.msgCur(m, 'data layout message'));
      layoutClass = lay.cls;
      contigAddr = lay.contigAddr ?? UNDEF;
      compactSize = lay.compactSize;
      if (lay.virtualHeap) virtualSources = mappings(s, lay.virtualHeap.addr, lay.virtualHeap.index);
    } else if (m.type === MSG.FILTERS) {
      shareless(m, 'filter pipeline');
      filterNames = filters(s.msgCur(m, 'filter pipeline message'));
    } else if (m.type === MSG.EFL) {
      const efl = externalFiles(s.msgCur(m, 'external data files message'));
      external = [];
      {
        const heap = s.localHeap(efl.heapAddr);
        for (const off of efl.nameOffsets) {
          const name = s.heapString(heap, off, 'external file name');
          if (name === '') throw new Hdf5Damaged('invalid external file name', m.pos);
          external.push(name);
        }
      }
    }
  }
  if (!space || !type) throw new Hdf5Damaged(`dataset ${path} lacks a dataspace or datatype`, s.sb.base + addr);
  if (layoutClass < 0) throw new Hdf5Damaged(`dataset ${path} has no data layout`, s.sb.base + addr);
  // HDF5 opens a dataset with its fill value: the first new-style message, else the first old one.
  const fill = h.msgs.find((m) => m.type === MSG.FILL) ?? h.msgs.find((m) => m.type === MSG.FILL_OLD);
  if (fill) {
    shareless(fill, 'fill value');
    checkFillValue(s.msgCur(fill, 'fill value message'), fill.type === MSG.FILL_OLD, type.size);
  }
  const shape = space.kind === 'simple' ? space.dims : [];
  // HDF5 places the type on disk as it opens the dataset, and the library reports it placed in memory: a
  // reference or variable-length type (or an array of one) has other sizes there than the message declares.
  const sizes = placedSizes(type, s.sb.o);
  // As HDF5 (H5D__contig_check): contiguous data that was written must end within the file's end-of-file
  // address ("invalid dataset size, likely file corruption" / "dataset extends past end of file"). Data in
  // external files is not checked there: HDF5 reads such a dataset with its external-file layout, never the
  // contiguous one (H5D__layout_set_io_ops), whatever address the layout message holds.
  if (layoutClass === 1 && contigAddr !== UNDEF && external === null) {
    const dataSize = elements(space) * sizes.disk;
    const eoa = s.sb.eoa;
    // An empty extent at a defined address: its end is not past its start (H5_addr_le(addr + size, addr)).
    if (dataSize === 0) throw new Hdf5Damaged(`dataset ${path}: invalid dataset size, likely file corruption`, s.sb.base + addr);
    if (contigAddr + dataSize > eoa)
      throw new Hdf5Damaged(`dataset ${path}: its ${dataSize} bytes of data would lie past the end of the file`, s.sb.base + addr);
  }
  // As HDF5 (H5D__compact_init): compact data holds exactly the dataset's elements × the datatype's size.
  if (compactSize !== undefined && compactSize !== elements(space) * sizes.disk)
    throw new Hdf5Damaged(
      `dataset ${path}: bad value from dataset header - size of compact dataset's data buffer doesn't match size of dataset data`,
      s.sb.base + addr,
    );
  // Keras 3 marks bfloat16 variables with a `dtype` attribute.
  const declared = declaredDtype();
  const count = shape.reduce((a, b) => a * b, 1);
  return {
    shape,
    dtype: declared ?? dtypeName(type),
    bytes: count * (declared === 'bfloat16' ? 2 : sizes.memory),
    filters: filterNames,
    virtualSources,
    layoutClass,
    externalFiles: external,
  };
}

/** `file:dataset` of each mapping of a virtual dataset (the selections are skipped, not interpreted). */
function mappings(s: Structures, heapAddr: number, index: number): string[] {
  const obj = s.globalObject(heapAddr, index);
  const c = new Cur(obj, 0, s.sb.o, s.sb.l, 'virtual dataset mappings');
  const version = c.u8();
  if (version !== 0) throw new Hdf5Unsupported(`virtual dataset mapping version ${version}`);
  const n = c.len();
  if (n > 65536) throw new Hdf5Damaged(`virtual dataset of ${n} mappings`);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const file = c.cstr(true);
    const dset = c.cstr(true);
    out.push(`${file}:${dset}`);
    skipSelection(c);
    skipSelection(c);
  }
  return out;
}

/** Steps over one serialized dataspace selection (none, all, points, hyperslabs; versions 1–3). */
function skipSelection(c: Cur): void {
  const type = c.u32();
  const version = c.u32();
  if (type === 0 || type === 3) {
    c.skip(8); // reserved, length (0)
    return;
  }
  if (type !== 1 && type !== 2) throw new Hdf5Damaged(`selection type ${type}`);
  if (version === 1) {
    c.skip(4);
    c.skip(c.u32()); // the rest, by its length
    return;
  }
  if (type === 2 && version === 2) {
    c.u8(); // flags
    c.skip(c.u32());
    return;
  }
  // Points v2, hyperslabs v3: sizes encoded in `enc` bytes, no overall length.
  const flags = type === 2 ? c.u8() : 0;
  const enc = c.u8();
  if (![2, 4, 8].includes(enc)) throw new Hdf5Damaged(`selection encoded in ${enc}-byte integers`);
  const rank = c.u32();
  if (rank > 32) throw new Hdf5Damaged(`selection of rank ${rank}`);
  if (type === 1) {
    if (version !== 2) throw new Hdf5Unsupported(`point selection version ${version}`);
    const points = c.uint(enc);
    c.skip(points * rank * enc);
    return;
  }
  if (version !== 3) throw new Hdf5Unsupported(`hyperslab selection version ${version}`);
  if (flags & 1)
    c.skip(4 * rank * enc); // regular: start, stride, count, block
  else {
    const blocks = c.uint(enc);
    c.skip(blocks * 2 * rank * enc);
  }
}
