// An object's attributes as HDF5 lists and looks them up: attribute messages in its header, or dense storage
// (attribute info message, fractal heap, v2 B-tree name index); what HDF5 cannot decode is recorded, not thrown.
import { Cur, UNDEF } from '../bytes.js';
import { Hdf5Damaged, Hdf5Unsupported } from '../errors.js';
import { attribute, type AttributeMessage } from '../messages/attribute.js';
import { MSG } from '../messages/codes.js';
import { indexInfo } from '../messages/link.js';
import { LIMITS } from '../structures/context.js';
import { shareless } from '../structures/object-header.js';
import type { Structures } from '../structures/structures.js';
import { sortMembers } from './names.js';

interface AttrEntry {
  msg: AttributeMessage;
  corder: number | null;
}

export interface AttrIndex {
  names: string[];
  byName: Map<string, AttributeMessage>;
  /**
   * An attribute message HDF5 cannot decode in the object header: the library then cannot list the
   * attributes, and a lookup by name fails unless it meets the name before the bad message.
   */
  damaged?: string;
  /**
   * The attribute info message or the dense storage it points to cannot be read: HDF5 then fails to count or
   * list the attributes (h5wasm reports the list unreadable) and every lookup by name fails.
   */
  listFails?: boolean;
}

export function readAttributes(s: Structures, addr: number): AttrIndex {
  const h = s.header(addr);
  const list: AttrEntry[] = [];
  let byCreation = false;
  let dense = false;
  // As HDF5 (H5A__get_ainfo, only for version 2 headers): the first attribute info message is read before
  // any attribute is counted, listed or looked up (damage there fails them all, and only them); with dense
  // storage, the attributes are the name index's (attribute messages in the header are not).
  const ainfo = h.v2 ? h.msgs.find((m) => m.type === MSG.ATTR_INFO) : undefined;
  if (ainfo) {
    try {
      const info = indexInfo(s.msgCur(ainfo, 'attribute info message'), true);
      byCreation = info.byCreation;
      if (info.heapAddr !== UNDEF) {
        dense = true;
        const heap = s.fractalHeap(info.heapAddr);
        for (const rec of s.btree2Records(info.nameBtree, 8)) {
          const c = new Cur(rec, 0, s.sb.o, s.sb.l, 'attribute name index record');
          const id = c.bytes(8);
          const flags = c.u8();
          const corder = c.u32();
          if (flags & 0x02) throw new Hdf5Unsupported('shared attribute message in dense storage');
          const at = new Cur(heap.object(id), 0, s.sb.o, s.sb.l, 'attribute in dense storage');
          list.push({ msg: attribute(at, s.sb.version), corder });
          if (list.length > LIMITS.maxAttributes) throw new Hdf5Damaged(`object with more than ${LIMITS.maxAttributes} attributes`);
        }
      }
    } catch (e) {
      if (!(e instanceof Hdf5Damaged)) throw e;
      return { names: [], byName: new Map(), damaged: e.message, listFails: true };
    }
  }
  for (const m of dense ? [] : h.msgs) {
    if (m.type !== MSG.ATTRIBUTE) continue;
    shareless(m, 'attribute');
    let msg: AttributeMessage;
    try {
      msg = attribute(s.msgCur(m, 'attribute message'), s.sb.version);
    } catch (e) {
      // As HDF5: the list is unreadable; names met before the bad message can still be looked up.
      if (!(e instanceof Hdf5Damaged)) throw e;
      const byName = new Map<string, AttributeMessage>();
      for (const x of list) if (!byName.has(x.msg.name)) byName.set(x.msg.name, x.msg);
      return { names: [], byName, damaged: e.message };
    }
    list.push({ msg, corder: m.corder });
    if (list.length > LIMITS.maxAttributes) throw new Hdf5Damaged(`object with more than ${LIMITS.maxAttributes} attributes`);
  }
  // A name met twice is listed twice (HDF5 lists what it finds); a lookup takes the first.
  const byName = new Map<string, AttributeMessage>();
  for (const e of list) if (!byName.has(e.msg.name)) byName.set(e.msg.name, e.msg);
  const sorted = list.map((e) => ({ name: e.msg.name, corder: e.corder }));
  sortMembers(sorted, byCreation);
  return { names: Object.freeze(sorted.map((e) => e.name)) as string[], byName };
}
