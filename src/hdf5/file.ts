// A pure-TypeScript, read-only view of an HDF5 file's metadata, through a ByteSource: the same questions the
// h5wasm-backed `H5wasmReader` (src/hdf5/h5wasm/reader.ts) answers, with the same method names and answer shapes, so a
// loader can use either. Each object header, group index, heap and B-tree node is read once and cached.
// Tensor data is never read. Links are reported, never followed.
//
// Damaged input gives Hdf5Damaged, structures this reader does not follow give Hdf5Unsupported (the caller
// falls back to h5wasm); a question about a path that does not exist is answered like H5wasmReader answers it.
import type { H5DatasetInfo, H5Kind, Hdf5Reader } from './types.js';
import type { ByteSource } from '../io/byte-source.js';
import { InputError } from '../model/errors.js';
import { attrStringListOf, attrStringOf } from './attrs.js';
import { Bytes, checkAllocation, cString, Cur, lookup3, UNDEF } from './bytes.js';
import { Hdf5Damaged, Hdf5LookupFailed, Hdf5Unsupported } from './errors.js';
import {
  attribute,
  checkFillValue,
  checkUnusedBits,
  checkGroupInfo,
  checkModificationTime,
  dataspace,
  datatype,
  dtypeName,
  elements,
  externalFiles,
  filters,
  indexInfo,
  layout,
  link,
  memorySize,
  MSG,
  KNOWN_MESSAGES,
  reportedClass,
  sharedAddress,
  type AttributeMessage,
  type Dataspace,
  type Datatype,
  type Link,
} from './messages.js';
import { LIMITS, Structures, superblock, type ObjectHeader } from './structures.js';

export interface H5MetaDatasetInfo extends H5DatasetInfo {
  /** Data layout class: 0 compact, 1 contiguous, 2 chunked, 3 virtual. */
  layoutClass: number;
  /** Files named by an External Data Files message (data stored outside this file), else null. */
  externalFiles: string[] | null;
}

interface GroupIndex {
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

interface AttrEntry {
  msg: AttributeMessage;
  corder: number | null;
}

interface AttrIndex {
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

type Resolved = Link | { name: string; corder: null; type: 'hard'; addr: number };

export class TsHdf5Reader implements Hdf5Reader {
  private readonly bytes: Bytes;
  private readonly s: Structures;
  private readonly groups = new Map<number, GroupIndex>();
  private readonly attrIndexes = new Map<number, AttrIndex>();
  private readonly datasets = new Map<number, H5MetaDatasetInfo>();
  /** Attributes the file has but whose values cannot be read (the scan reports each). */
  readonly unreadable: { path: string; name: string | null; reason: string }[] = [];

  private constructor(
    readonly source: ByteSource,
    readonly path: string,
  ) {
    this.bytes = new Bytes(source);
    this.s = new Structures(this.bytes, superblock(this.bytes));
    // A superblock extension: HDF5 opens it (an object header) with the file, then follows settings (shared
    // messages, B-tree ranks, file space) this reader does not. Damage in its header fails the file in both.
    const ext = this.s.sb.ext;
    if (ext !== undefined && ext !== UNDEF) {
      this.s.header(ext);
      throw new Hdf5Unsupported('a superblock extension, which this reader does not follow');
    }
  }

  /** Reads the superblock of `src` (the source stays the caller's: `close` does not close it). */
  static open(src: ByteSource, label: string = src.name): TsHdf5Reader {
    return new TsHdf5Reader(src, label);
  }

  /** What was read through the source so far. */
  stats(): { bytesRead: number; reads: number; size: number; structures: Record<string, number> } {
    return {
      bytesRead: this.bytes.bytesRead,
      reads: this.bytes.reads,
      size: this.bytes.size,
      structures: { [`superblock-v${this.s.sb.version}`]: 1, ...this.s.counts },
    };
  }

  /** Drops the caches (the source is the caller's to close). */
  close(): void {
    this.groups.clear();
    this.attrIndexes.clear();
    this.resolved.clear();
    this.kinds.clear();
    this.datasets.clear();
    this.timesChecked.clear();
    this.propertiesChecked.clear();
  }

  /** Superblock version, and sizes of offsets and lengths. */
  get superblock(): { version: number; offsetSize: number; lengthSize: number } {
    return { version: this.s.sb.version, offsetSize: this.s.sb.o, lengthSize: this.s.sb.l };
  }

  // ---- the H5wasmReader surface ----

  /** What a path is, without following links. Null if it does not exist. */
  kind(path: string): H5Kind {
    let r: Resolved | null;
    try {
      r = this.resolve(path);
    } catch (e) {
      if (e instanceof Hdf5LookupFailed) return null; // as h5wasm answers it (see Hdf5LookupFailed)
      throw e;
    }
    if (r === null) return null;
    if (r.type === 'soft') return 'soft-link';
    if (r.type === 'external') return 'external-link';
    const h = this.s.header(r.addr);
    const kind = this.objectKind(h);
    // HDF5 answers "what is it" with the object's info, modification time included (H5O_get_info): the
    // first old-style modification time message is decoded, else the first new-style one.
    if (!this.timesChecked.has(h.addr)) {
      const time = h.msgs.find((m) => m.type === MSG.MTIME_OLD) ?? h.msgs.find((m) => m.type === MSG.MTIME);
      if (time) checkModificationTime(this.cur(time, 'modification time message'), time.type === MSG.MTIME_OLD);
      this.timesChecked.add(h.addr);
    }
    return kind;
  }

  /** Objects whose modification time (kind) and creation properties (keys) were checked. */
  private readonly timesChecked = new Set<number>();
  private readonly propertiesChecked = new Set<number>();

  /** Member names of a group, in the order the HDF5 library lists them (name, or creation order if indexed). */
  keys(path: string): string[] {
    const addr = this.hard(path);
    if (addr === null || this.objectKind(this.s.header(addr)) !== 'group') {
      throw new InputError(this.path, `cannot list HDF5 group ${path} (not a group)`);
    }
    // Listing, HDF5 also reads the group's creation properties (H5G_get_create_plist): the first group info
    // and filter pipeline messages are decoded.
    if (!this.propertiesChecked.has(addr)) {
      const h = this.s.header(addr);
      const ginfo = h.msgs.find((m) => m.type === MSG.GROUP_INFO);
      if (ginfo) checkGroupInfo(this.cur(ginfo, 'group info message'));
      const pline = h.msgs.find((m) => m.type === MSG.FILTERS);
      if (pline) {
        this.shareless(pline, 'filter pipeline');
        filters(this.cur(pline, 'filter pipeline message'));
      }
      this.propertiesChecked.add(addr);
    }
    return this.group(addr).names; // frozen: shared by every caller, as H5wasmReader's memoised answers are
  }

  /** The (base-relative) address of an object's header; null for links and missing paths. */
  objectAddress(path: string): number | null {
    return this.hard(path);
  }

  softLinkTarget(path: string): string | null {
    const r = this.resolve(path);
    return r?.type === 'soft' ? r.target : null;
  }

  externalLinkTarget(path: string): { filename: string; objPath: string } | null {
    const r = this.resolve(path);
    return r?.type === 'external' ? { filename: r.file, objPath: r.objPath } : null;
  }

  attrNames(path: string): string[] {
    const addr = this.attrObject(path);
    if (addr === null) return [];
    // A list HDF5 cannot decode is empty through h5wasm too (it ignores the iteration's failure); each name
    // then asked for is recorded as unreadable (see attr).
    return this.listed(path, this.attributes(addr)).names;
  }

  /**
   * The object whose attributes are asked for. One HDF5 cannot open (a name a lookup does not find, or damage
   * on the way) makes its attribute list unreadable, as h5wasm reports it (recorded once per path, like a list
   * HDF5 cannot read; each name then asked for too, see attr). Links are not followed: no attributes.
   */
  private attrObject(path: string): number | null {
    let r: Resolved | null;
    try {
      r = this.resolve(path);
    } catch (e) {
      if (!(e instanceof Hdf5Damaged)) throw e;
      this.listed(path, { names: [], byName: new Map(), damaged: e.message, listFails: true });
      return null;
    }
    if (r === null) this.listed(path, { names: [], byName: new Map(), damaged: "object doesn't exist", listFails: true });
    return r?.type === 'hard' ? r.addr : null;
  }

  private readonly unlistable = new Set<string>();

  /** Records, once per path, an attribute list HDF5 cannot count or list (h5wasm reports that failure). */
  private listed(path: string, index: AttrIndex): AttrIndex {
    if (index.listFails && !this.unlistable.has(path)) {
      this.unlistable.add(path);
      this.unreadable.push({ path, name: null, reason: index.damaged ?? '' });
    }
    return index;
  }

  /**
   * An attribute's value, as H5wasmReader gives it: strings as strings, string arrays as string[], numbers as
   * numbers or number[], null for an empty (null) dataspace, undefined when absent or of another type.
   */
  attr(path: string, name: string): unknown {
    const addr = this.attrObject(path);
    if (addr === null) {
      if (this.unlistable.has(path)) this.unreadable.push({ path, name, reason: "object doesn't exist" });
      return undefined;
    }
    const index = this.listed(path, this.attributes(addr));
    const a = index.byName.get(name);
    if (!a) {
      if (index.damaged !== undefined) this.unreadable.push({ path, name, reason: index.damaged });
      return undefined;
    }
    if (a.space.kind === 'null') return null;
    const t = 'shared' in a.type ? this.committedType(a.type.shared) : a.type;
    const n = elements(a.space);
    const scalar = a.space.kind === 'scalar';
    let values: (string | number)[] | null;
    try {
      values = this.values(t, n, a.data, `attribute ${name} of ${path}`);
    } catch (e) {
      // Present but unreadable is never "absent": it is recorded, and the scan reports it as a finding.
      if (!(e instanceof Hdf5Damaged)) throw e;
      this.unreadable.push({ path, name, reason: e.message });
      return undefined;
    }
    if (values === null) return undefined;
    return scalar ? values[0] : values;
  }

  /** An attribute as a string, or null (see hdf5/attrs.ts). */
  attrString(path: string, name: string): string | null {
    return attrStringOf(this, path, name);
  }

  /** A list-of-names attribute, Keras' chunks joined; null when absent (see hdf5/attrs.ts). */
  attrStringList(path: string, name: string): string[] | null {
    return attrStringListOf(this, path, name);
  }

  dataset(path: string): H5MetaDatasetInfo {
    const addr = this.hard(path);
    if (addr === null || this.objectKind(this.s.header(addr)) !== 'dataset') {
      throw new InputError(this.path, `cannot read dataset ${path} (not a dataset)`);
    }
    let d = this.datasets.get(addr);
    if (!d) {
      d = this.readDataset(addr, path);
      for (const v of [d.shape, d.filters, d.virtualSources, d.externalFiles]) if (v) Object.freeze(v);
      Object.freeze(d);
      this.datasets.set(addr, d);
    }
    return d;
  }

  /** Files a dataset's data lives in (External Data Files message), or null when it is stored here. */
  externalStorage(path: string): string[] | null {
    return this.dataset(path).externalFiles;
  }

  // ---- paths ----

  private readonly resolved = new Map<string, Resolved | null>();

  /** The link a path names (the root: a hard link to the root group), or null; answers are cached. */
  private resolve(path: string): Resolved | null {
    let r = this.resolved.get(path);
    if (r === undefined) {
      r = this.resolveUncached(path);
      this.resolved.set(path, r);
    }
    return r;
  }

  private resolveUncached(path: string): Resolved | null {
    // A plain absolute path: one step from its parent, whose answer is cached.
    const cut = path.lastIndexOf('/');
    if (cut >= 0 && path[0] === '/' && cut < path.length - 1 && !/\/\/|\/\.(\/|$)/.test(path) && slashes(path) <= MAX_PATH_DEPTH) {
      const parent = this.resolve(cut === 0 ? '/' : path.slice(0, cut));
      if (parent === null || parent.type !== 'hard') return null;
      if (this.objectKind(this.s.header(parent.addr)) !== 'group') return null;
      return this.member(parent.addr, path.slice(cut + 1));
    }
    const parts = path.split('/').filter((p) => p !== '' && p !== '.');
    let addr = this.s.sb.rootAddr;
    if (!parts.length) return { name: '/', corder: null, type: 'hard', addr };
    for (let i = 0; i < parts.length; i++) {
      if (this.objectKind(this.s.header(addr)) !== 'group') return null;
      const l = this.member(addr, parts[i]!);
      if (!l) return null;
      if (i === parts.length - 1) return l;
      if (l.type !== 'hard') return null; // a link on the way is not followed
      addr = l.addr;
    }
    return null;
  }

  /**
   * A group's member by name, as HDF5 looks it up: an old-style group through its B-tree's keys, dense storage
   * through its name index (by the name's hash, then the name), other groups in their link messages.
   */
  private member(addr: number, name: string): Link | null {
    const g = this.group(addr);
    if (g.dense) return this.denseMember(g.dense, name);
    if (g.symbolTable) {
      const e = this.s.symbolLookup(g.symbolTable.btree, g.symbolTable.heap, name);
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
  private denseMember(dense: { heap: number; btree: number }, name: string): Link | null {
    const hash = nameHash(name);
    const heap = this.s.fractalHeap(dense.heap);
    let found: Link | null = null;
    this.s.btree2Find(dense.btree, 5, (rec) => {
      const h = (rec[0]! | (rec[1]! << 8) | (rec[2]! << 16) | (rec[3]! << 24)) >>> 0;
      if (hash !== h) return hash < h ? -1 : 1;
      const l = link(new Cur(heap.object(rec.subarray(4, 11)), 0, this.s.sb.o, this.s.sb.l, 'link in dense storage'));
      const cmp = compareBytes(name, l.name);
      if (cmp === 0) found = l;
      return cmp;
    });
    return found;
  }

  private hard(path: string): number | null {
    const r = this.resolve(path);
    return r?.type === 'hard' ? r.addr : null;
  }

  private readonly kinds = new Map<number, H5Kind>();

  private objectKind(h: ObjectHeader): H5Kind {
    let k = this.kinds.get(h.addr);
    if (k === undefined) {
      k = this.objectKindUncached(h);
      this.kinds.set(h.addr, k);
    }
    return k;
  }

  private objectKindUncached(h: ObjectHeader): H5Kind {
    let type = false;
    let space = false;
    for (const m of h.msgs) {
      if (!KNOWN_MESSAGES.has(m.type) && m.flags & 0x80)
        throw new Hdf5Unsupported(`object header message type ${m.type} marked "fail if unknown"`, m.pos);
      if (m.type === MSG.SYMBOL_TABLE || m.type === MSG.LINK_INFO) return 'group';
      if (m.type === MSG.DATATYPE) type = true;
      if (m.type === MSG.DATASPACE) space = true;
    }
    if (type && space) return 'dataset';
    if (type) return 'datatype';
    // Neither a group, a dataset nor a named datatype: HDF5 cannot classify the object (H5O__obj_class_real).
    throw new Hdf5Damaged('unable to determine object type', this.s.sb.base + h.addr);
  }

  private cur(m: { data: Uint8Array; pos: number }, what: string): Cur {
    return new Cur(m.data, m.pos, this.s.sb.o, this.s.sb.l, what);
  }

  // ---- groups ----

  private group(addr: number): GroupIndex {
    let g = this.groups.get(addr);
    if (!g) {
      g = this.readGroup(addr);
      this.groups.set(addr, g);
    }
    return g;
  }

  private readGroup(addr: number): GroupIndex {
    const h = this.s.header(addr);
    const links: Link[] = [];
    let byCreation = false;
    let symbolTable: GroupIndex['symbolTable'];
    let dense: GroupIndex['dense'];
    // As HDF5 (H5G__obj_iterate, H5G__obj_lookup): a group with a link info message (the first one is read)
    // keeps its links in dense storage or in link messages; without one, in its (first) symbol table.
    const linfo = h.msgs.find((m) => m.type === MSG.LINK_INFO);
    if (linfo) {
      const info = indexInfo(this.cur(linfo, 'link info message'), false);
      byCreation = info.byCreation;
      if (info.heapAddr !== UNDEF) {
        const heap = this.s.fractalHeap(info.heapAddr);
        // The name index in key order. When every record's hash is its link name's and the keys (hash, then
        // name) increase, HDF5's search finds every name: lookups then need no search here (see member).
        let ordered = true;
        let prevHash = -1;
        let prevName = '';
        for (const rec of this.s.btree2InOrder(info.nameBtree, 5)) {
          const obj = heap.object(rec.subarray(4, 11));
          const l = link(new Cur(obj, 0, this.s.sb.o, this.s.sb.l, 'link in dense storage'));
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
          this.shareless(m, 'link');
          links.push(link(this.cur(m, 'link message')));
          if (links.length > LIMITS.maxMembers) throw new Hdf5Damaged(`group of more than ${LIMITS.maxMembers} members`);
        }
      }
    } else {
      const m = h.msgs.find((x) => x.type === MSG.SYMBOL_TABLE);
      if (m) {
        this.shareless(m, 'symbol table');
        const c = this.cur(m, 'symbol table message');
        const btree = c.addr();
        const heap = c.addr();
        symbolTable = { btree, heap };
        for (const e of this.s.symbolTable(btree, heap)) {
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
    this.s.f.hint(links.flatMap((l) => (l.type === 'hard' && l.addr !== UNDEF ? [this.s.sb.base + l.addr] : [])));
    // A name may be listed twice (HDF5 lists what it finds); a lookup takes the first (see member).
    const byName = new Map<string, Link>();
    for (const l of links) if (!byName.has(l.name)) byName.set(l.name, l);
    // An old-style group is listed in its B-tree's order (see Structures.symbolTable), others sorted.
    if (!symbolTable) sortMembers(links, byCreation);
    return { names: Object.freeze(links.map((l) => l.name)) as string[], byName, symbolTable, dense };
  }

  /** Shared messages live elsewhere (a committed datatype or the shared message heap). */
  private shareless(m: { flags: number; pos: number }, what: string): void {
    if (m.flags & 0x02) throw new Hdf5Unsupported(`shared ${what} message`, m.pos);
  }

  // ---- attributes ----

  private attributes(addr: number): AttrIndex {
    let a = this.attrIndexes.get(addr);
    if (!a) {
      a = this.readAttributes(addr);
      this.attrIndexes.set(addr, a);
    }
    return a;
  }

  private readAttributes(addr: number): AttrIndex {
    const h = this.s.header(addr);
    const list: AttrEntry[] = [];
    let byCreation = false;
    let dense = false;
    // As HDF5 (H5A__get_ainfo, only for version 2 headers): the first attribute info message is read before
    // any attribute is counted, listed or looked up (damage there fails them all, and only them); with dense
    // storage, the attributes are the name index's (attribute messages in the header are not).
    const ainfo = h.v2 ? h.msgs.find((m) => m.type === MSG.ATTR_INFO) : undefined;
    if (ainfo) {
      try {
        const info = indexInfo(this.cur(ainfo, 'attribute info message'), true);
        byCreation = info.byCreation;
        if (info.heapAddr !== UNDEF) {
          dense = true;
          const heap = this.s.fractalHeap(info.heapAddr);
          for (const rec of this.s.btree2Records(info.nameBtree, 8)) {
            const c = new Cur(rec, 0, this.s.sb.o, this.s.sb.l, 'attribute name index record');
            const id = c.bytes(8);
            const flags = c.u8();
            const corder = c.u32();
            if (flags & 0x02) throw new Hdf5Unsupported('shared attribute message in dense storage');
            const at = new Cur(heap.object(id), 0, this.s.sb.o, this.s.sb.l, 'attribute in dense storage');
            list.push({ msg: attribute(at, this.s.sb.version), corder });
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
      this.shareless(m, 'attribute');
      let msg: AttributeMessage;
      try {
        msg = attribute(this.cur(m, 'attribute message'), this.s.sb.version);
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

  private readonly committed = new Map<number, Datatype>();

  /** The datatype of a committed (named) datatype object. */
  private committedType(addr: number): Datatype {
    let t = this.committed.get(addr);
    if (!t) {
      const m = this.s.header(addr).msgs.find((x) => x.type === MSG.DATATYPE);
      if (!m) throw new Hdf5Damaged('shared datatype points at an object without a datatype', this.s.sb.base + addr);
      if (m.flags & 0x02) throw new Hdf5Unsupported('committed datatype that is itself shared', m.pos);
      t = datatype(this.cur(m, 'committed datatype'));
      checkUnusedBits(t, this.s.sb.version, m.pos);
      this.committed.set(addr, t);
    }
    return t;
  }

  /** Element values as H5wasmReader decodes them; null for types it does not decode. */
  private values(t: Datatype, n: number, data: Uint8Array, what: string): (string | number)[] | null {
    const cls = reportedClass(t);
    if (t.size === 0 && !t.vlenString) throw new Hdf5Damaged(`${what}: a datatype of 0 bytes`);
    if (t.vlenUnknown) throw new Hdf5Damaged(`${what}: a variable-length type of unknown kind (no way to read it)`);
    if (cls === 3 && !t.vlenString) {
      if (n * t.size > data.length) throw new Hdf5Damaged(`${what}: value shorter than ${n} strings of ${t.size} bytes`);
      const out: string[] = [];
      for (let i = 0; i < n; i++) out.push(cString(data.subarray(i * t.size, (i + 1) * t.size)));
      return out;
    }
    if (cls === 3) {
      const { o } = this.s.sb;
      const stride = 8 + o;
      if (n * stride > data.length) throw new Hdf5Damaged(`${what}: value shorter than ${n} variable-length strings`);
      const c = new Cur(data, 0, o, this.s.sb.l, what);
      const out: string[] = [];
      for (let i = 0; i < n; i++) {
        const len = c.u32();
        const heap = c.addr();
        const index = c.u32();
        // HDF5 takes only a null heap address for "no string" (H5T__vlen_disk_isnull); any other is read.
        if (heap === 0) {
          out.push('');
          continue;
        }
        // HDF5 allocates the string (length × the base type's size) before it reads it.
        checkAllocation(len * (t.base?.size ?? 1), `${what}: a variable-length string`);
        const obj = this.s.globalObject(heap, index);
        // HDF5 reads length × the base type's size from the heap object, and refuses an object of another
        // size ("Expected global heap object size does not match").
        if (obj.length !== len * (t.base?.size ?? 1))
          throw new Hdf5Damaged(`${what}: global heap object of ${obj.length} bytes for ${len} characters`);
        out.push(cString(obj.subarray(0, len), true));
      }
      return out;
    }
    const size = memorySize(t);
    const numeric = (cls === 1 && (size === 8 || size === 4)) || (cls === 0 && [1, 2, 4, 8].includes(size)) || (cls === 8 && size === 1);
    if (!numeric) return null;
    if (n * size > data.length) throw new Hdf5Damaged(`${what}: value shorter than ${n} elements of ${size} bytes`);
    const view = new DataView(data.buffer, data.byteOffset, n * size);
    const le = !t.bigEndian;
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const at = i * size;
      if (cls === 1) out.push(size === 8 ? view.getFloat64(at, le) : view.getFloat32(at, le));
      else if (size === 8) out.push(Number(t.signed ? view.getBigInt64(at, le) : view.getBigUint64(at, le)));
      else if (size === 4) out.push(t.signed ? view.getInt32(at, le) : view.getUint32(at, le));
      else if (size === 2) out.push(t.signed ? view.getInt16(at, le) : view.getUint16(at, le));
      else out.push(t.signed ? view.getInt8(at) : view.getUint8(at));
    }
    return out;
  }

  // ---- datasets ----

  private readDataset(addr: number, path: string): H5MetaDatasetInfo {
    const h = this.s.header(addr);
    let space: Dataspace | null = null;
    let type: Datatype | null = null;
    let layoutClass = -1;
    let contigAddr = UNDEF;
    let virtualSources: string[] = [];
    let filterNames: string[] = [];
    let external: string[] | null = null;
    // HDF5 reads the first message of each class (H5O_msg_read); later ones are never decoded.
    const met = new Set<number>();
    for (const m of h.msgs) {
      if (met.has(m.type)) continue;
      met.add(m.type);
      if (m.type === MSG.DATASPACE) {
        this.shareless(m, 'dataspace');
        space = dataspace(this.cur(m, 'dataspace message'));
      } else if (m.type === MSG.DATATYPE) {
        if (m.flags & 0x02) type = this.committedType(sharedAddress(this.cur(m, 'shared datatype')));
        else {
          type = datatype(this.cur(m, 'datatype message'));
          checkUnusedBits(type, this.s.sb.version, m.pos);
        }
      } else if (m.type === MSG.LAYOUT) {
        const lay = layout(this.cur(m, 'data layout message'));
        layoutClass = lay.cls;
        contigAddr = lay.contigAddr ?? UNDEF;
        if (lay.virtualHeap) virtualSources = this.virtualSources(lay.virtualHeap.addr, lay.virtualHeap.index);
      } else if (m.type === MSG.FILTERS) {
        this.shareless(m, 'filter pipeline');
        filterNames = filters(this.cur(m, 'filter pipeline message'));
      } else if (m.type === MSG.EFL) {
        const efl = externalFiles(this.cur(m, 'external data files message'));
        external = [];
        {
          const heap = this.s.localHeap(efl.heapAddr);
          for (const off of efl.nameOffsets) {
            const name = this.s.heapString(heap, off, 'external file name');
            if (name === '') throw new Hdf5Damaged('invalid external file name', m.pos);
            external.push(name);
          }
        }
      }
    }
    if (!space || !type) throw new Hdf5Damaged(`dataset ${path} lacks a dataspace or datatype`, this.s.sb.base + addr);
    if (layoutClass < 0) throw new Hdf5Damaged(`dataset ${path} has no data layout`, this.s.sb.base + addr);
    // HDF5 opens a dataset with its fill value: the first new-style message, else the first old one.
    const fill = h.msgs.find((m) => m.type === MSG.FILL) ?? h.msgs.find((m) => m.type === MSG.FILL_OLD);
    if (fill) {
      this.shareless(fill, 'fill value');
      checkFillValue(this.cur(fill, 'fill value message'), fill.type === MSG.FILL_OLD, type.size);
    }
    const shape = space.kind === 'simple' ? space.dims : [];
    // As HDF5 (H5D__contig_check): contiguous data that was written must end within the file's end-of-file
    // address ("invalid dataset size, likely file corruption" / "dataset extends past end of file").
    if (layoutClass === 1 && contigAddr !== UNDEF) {
      const dataSize = elements(space) * type.size;
      const eoa = this.s.sb.eoa;
      // An empty extent at a defined address: its end is not past its start (H5_addr_le(addr + size, addr)).
      if (dataSize === 0) throw new Hdf5Damaged(`dataset ${path}: invalid dataset size, likely file corruption`, this.s.sb.base + addr);
      if (contigAddr + dataSize > eoa)
        throw new Hdf5Damaged(`dataset ${path}: its ${dataSize} bytes of data would lie past the end of the file`, this.s.sb.base + addr);
    }
    // Keras 3 marks bfloat16 variables with a `dtype` attribute.
    const declared = this.attrNames(path).includes('dtype') ? this.attrString(path, 'dtype') : null;
    const count = shape.reduce((a, b) => a * b, 1);
    return {
      shape,
      dtype: declared ?? dtypeName(type),
      bytes: count * (declared === 'bfloat16' ? 2 : memorySize(type)),
      filters: filterNames,
      virtualSources,
      layoutClass,
      externalFiles: external,
    };
  }

  /** `file:dataset` of each mapping of a virtual dataset (the selections are skipped, not interpreted). */
  private virtualSources(heapAddr: number, index: number): string[] {
    const obj = this.s.globalObject(heapAddr, index);
    const c = new Cur(obj, 0, this.s.sb.o, this.s.sb.l, 'virtual dataset mappings');
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

/** Paths deeper than this are resolved component by component (no recursion through parents). */
const MAX_PATH_DEPTH = 64;

function slashes(path: string): number {
  let n = 0;
  for (let i = path.indexOf('/'); i >= 0 && n <= MAX_PATH_DEPTH; i = path.indexOf('/', i + 1)) n++;
  return n;
}

/** The library's listing order: creation order when it is indexed, else names in byte order. */
function sortMembers<T extends { name: string; corder: number | null }>(list: T[], byCreation: boolean): void {
  if (byCreation && list.every((e) => e.corder !== null)) list.sort((a, b) => a.corder! - b.corder!);
  else list.sort((a, b) => compareBytes(a.name, b.name));
}

const scratch = new Uint8Array(256);
/** The lookup3 hash HDF5 indexes a link name by (of its UTF-8 bytes); ASCII names without an allocation. */
function nameHash(name: string): number {
  if (name.length <= scratch.length) {
    let i = 0;
    for (; i < name.length; i++) {
      const c = name.charCodeAt(i);
      if (c >= 0x80) break;
      scratch[i] = c;
    }
    if (i === name.length) return lookup3(scratch, 0, i);
  }
  return lookup3(encoder.encode(name));
}

const encoder = new TextEncoder();
function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  let ascii = true;
  for (let i = 0; i < a.length && ascii; i++) if (a.charCodeAt(i) > 0x7f) ascii = false;
  for (let i = 0; i < b.length && ascii; i++) if (b.charCodeAt(i) > 0x7f) ascii = false;
  if (ascii) return a < b ? -1 : 1;
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}
