// A group's members as HDF5 lists and looks them up: an old-style group through its symbol table (v1 B-tree,
// symbol table nodes, local heap), a new-style one through its link messages or its dense storage (fractal
// heap and v2 B-tree name index), listed in name or creation order.
import { Cur, UNDEF } from '../bytes.js';
import { Hdf5Damaged } from '../errors.js';
import { MSG } from '../messages/codes.js';
import { indexInfo, link, type Link } from '../messages/link.js';
import { LIMITS } from '../structures/context.js';
import { shareless } from '../structures/object-header.js';
import type { Structures } from '../structures/structures.js';
import { compareBytes, nameHash, sortMembers } from './names.js';

export interface GroupIndex {
  names: string[];
  byName: Map<string, Link>;
  /** An old-style group's B-tree and local heap: HDF5 looks names up through them (see member). */
  symbolTable?: { btree: number; heap: number };
  /**
   * Dense link storage whose name index is out of order: HDF5 looks names up through it (see member). A sound
   * index finds every name it holds, so the listing answers then.
   */
  dense?: { heap: number; btree: number };
}

export function readGroup(s: Structures, addr: number): GroupIndex {
  const h = s.header(addr);
  const links: Link[] = [];
  let byCreation = false;
  let symbolTable: GroupIndex['symbolTable'];
  let dense: GroupIndex['dense'];
  // As HDF5 (H5G__obj_iterate, H5G__obj_lookup): a group with a link info message (the first one is read)
  // keeps its links in dense storage or in link messages; without one, in its (first) symbol table.
  const linfo = h.msgs.find((m) => m.type === MSG.LINK_INFO);
  if (linfo) {
    const info = indexInfo(s.msgCur(linfo, 'link info message'), false);
    byCreation = info.byCreation;
    if (info.heapAddr !== UNDEF) {
      const heap = s.fractalHeap(info.heapAddr);
      // The name index in key order. When every record's hash is its link name's and the keys (hash, then
      // name) increase, HDF5's search finds every name: lookups then need no search here (see member).
      let ordered = true;
      let prevHash = -1;
      let prevName = '';
      for (const rec of s.btree2InOrder(info.nameBtree, 5)) {
        const obj = heap.object(rec.subarray(4, 11));
        const l = link(new Cur(obj, 0, s.sb.o, s.sb.l, 'link in dense storage'));
        links.push(l);
        if (!ordered) continue;
        const hash = (rec[0]! | (rec[1]! << 8) | (rec[2]! << 16) | (rec[3]! << 24)) >>> 0;
        if (hash !== nameHash(l.name) || hash < prevHash || (hash === prevHash && compareBytes(prevName, l.name) >= 0)) ordered = false;
        prevHash = hash;
        prevName = l.name;
      }
      if (!ordered) dense = { heap: info.heapAddr, btree: info.nameBtree };
    } else {
      for (const m of h.msgs) {
        if (m.type !== MSG.LINK) continue;
        shareless(m, 'link');
        links.push(link(s.msgCur(m, 'link message')));
        if (links.length > LIMITS.maxMembers) throw new Hdf5Damaged(`group of more than ${LIMITS.maxMembers} members`);
      }
    }
  } else {
    const m = h.msgs.find((x) => x.type === MSG.SYMBOL_TABLE);
    if (m) {
      shareless(m, 'symbol table');
      const c = s.msgCur(m, 'symbol table message');
      const btree = c.addr();
      const heap = c.addr();
      symbolTable = { btree, heap };
      for (const e of s.symbolTable(btree, heap)) {
        links.push(
          e.soft !== null
            ? { name: e.name, corder: null, type: 'soft', target: e.soft }
            : { name: e.name, corder: null, type: 'hard', addr: e.addr },
        );
      }
    }
  }
  if (links.length > LIMITS.maxMembers) throw new Hdf5Damaged(`group of more than ${LIMITS.maxMembers} members`);
  // The members' headers are read next, one by one: a remote source fetches them in one request.
  s.f.hint(links.flatMap((l) => (l.type === 'hard' && l.addr !== UNDEF ? [s.sb.base + l.addr] : [])));
  // A name may be listed twice (HDF5 lists what it finds); a lookup takes the first (see member).
  const byName = new Map<string, Link>();
  for (const l of links) if (!byName.has(l.name)) byName.set(l.name, l);
  // An old-style group is listed in its B-tree's order (see GroupBtrees.list), others sorted.
  if (!symbolTable) sortMembers(links, byCreation);
  return { names: Object.freeze(links.map((l) => l.name)) as string[], byName, symbolTable, dense };
}

/**
 * A group's member by name, as HDF5 looks it up: an old-style group through its B-tree's keys, dense storage
 * through its name index (by the name's hash, then the name), other groups in their link messages.
 */
export function groupMember(s: Structures, g: GroupIndex, name: string): Link | null {
  if (g.dense) return denseMember(s, g.dense, name);
  if (g.symbolTable) {
    const e = s.symbolLookup(g.symbolTable.btree, g.symbolTable.heap, name);
    if (!e) return null;
    return e.soft !== null
      ? { name: e.name, corder: null, type: 'soft', target: e.soft }
      : { name: e.name, corder: null, type: 'hard', addr: e.addr };
  }
  return g.byName.get(name) ?? null; // link messages: HDF5 takes the first of a name (H5G__compact_lookup)
}

/**
 * A link in dense storage, found as HDF5 finds it (H5G__dense_lookup): a v2 B-tree search of the name index,
 * whose records compare by the name's lookup3 hash, then by the name of the link they point to. A record
 * whose hash was damaged is then not found, though listing (which reads every record) names it.
 */
function denseMember(s: Structures, dense: { heap: number; btree: number }, name: string): Link | null {
  const hash = nameHash(name);
  const heap = s.fractalHeap(dense.heap);
  let found: Link | null = null;
  s.btree2Find(dense.btree, 5, (rec) => {
    const h = (rec[0]! | (rec[1]! << 8) | (rec[2]! << 16) | (rec[3]! << 24)) >>> 0;
    if (hash !== h) return hash < h ? -1 : 1;
    const l = link(new Cur(heap.object(rec.subarray(4, 11)), 0, s.sb.o, s.sb.l, 'link in dense storage'));
    const cmp = compareBytes(name, l.name);
    if (cmp === 0) found = l;
    return cmp;
  });
  return found;
}
