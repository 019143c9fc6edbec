// A pure-TypeScript, read-only view of an HDF5 file's metadata, through a ByteSource: the same questions the
// h5wasm-backed `H5wasmReader` (src/hdf5/h5wasm/reader.ts) answers, with the same method names and answer shapes, so a
// loader can use either. Each object header, group index, heap and B-tree node is read once and cached.
// Tensor data is never read. Links are reported, never followed.
//
// Damaged input gives Hdf5Damaged, structures this reader does not follow give Hdf5Unsupported (either is
// one InputError to the loader); a question about a path that does not exist is answered like H5wasmReader.
import type { ByteSource } from '../io/byte-source.js';
import { InputError } from '../model/errors.js';
import { attrStringListOf, attrStringOf } from './attrs.js';
import { type Budgets, DEFAULT_BUDGETS } from '../model/budgets.js';
import { allocationLimit, Bytes, type Cur, UNDEF } from './bytes.js';
import { Hdf5Damaged, Hdf5LookupFailed, Hdf5Unsupported } from './errors.js';
import { KNOWN_MESSAGES, MSG } from './messages/codes.js';
import { elements } from './messages/dataspace.js';
import { filters } from './messages/filters.js';
import type { Link } from './messages/link.js';
import { checkGroupInfo } from './messages/object-info.js';
import { type AttrIndex, readAttributes } from './objects/attributes.js';
import { type H5MetaDatasetInfo, readDataset } from './objects/dataset.js';
import { type GroupIndex, groupMember, readGroup } from './objects/group.js';
import { CommittedTypes, values as values_ } from './objects/values.js';
import { type ObjectHeader, shareless } from './structures/object-header.js';
import { Structures } from './structures/structures.js';
import { superblock } from './structures/superblock.js';
import type { H5Kind, Hdf5Reader } from './types.js';

export type { H5MetaDatasetInfo } from './objects/dataset.js';

type Resolved = Link | { name: string; corder: null; type: 'hard'; addr: number };

export class TsHdf5Reader implements Hdf5Reader {
  private readonly bytes: Bytes;
  private readonly s: Structures;
  private readonly groups = new Map<number, GroupIndex>();
  private readonly attrIndexes = new Map<number, AttrIndex>();
  private readonly datasets = new Map<number, H5MetaDatasetInfo>();
  private readonly committed: CommittedTypes;
  /** Attributes the file has but whose values cannot be read (the scan reports each). */
  readonly unreadable: { path: string; name: string | null; reason: string }[] = [];

  private constructor(
    readonly source: ByteSource,
    readonly path: string,
    readonly budgets: Budgets,
  ) {
    this.bytes = new Bytes(source, source.size, allocationLimit(budgets));
    this.s = new Structures(this.bytes, superblock(this.bytes));
    this.committed = new CommittedTypes(this.s);
    // A superblock extension: HDF5 opens it (an object header) with the file, then follows settings (shared
    // messages, B-tree ranks, file space) this reader does not. Damage in its header fails the file in both.
    const ext = this.s.sb.ext;
    if (ext !== undefined && ext !== UNDEF) {
      this.s.header(ext);
      throw new Hdf5Unsupported('a superblock extension, which this reader does not follow');
    }
  }

  /** Reads the superblock of `src` (the source stays the caller's: `close` does not close it). */
  static open(src: ByteSource, label: string = src.name, budgets: Budgets = DEFAULT_BUDGETS): TsHdf5Reader {
    return new TsHdf5Reader(src, label, budgets);
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
    // (HDF5 answers "what is it" with the object's info, modification time included: the header's times were
    // checked as it loaded, see structures/object-header.ts.)
    return kind;
  }

  /** Groups whose creation properties (keys) were checked. */
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
        shareless(pline, 'filter pipeline');
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
    const t = 'shared' in a.type ? this.committed.get(a.type.shared) : a.type;
    const n = elements(a.space);
    const scalar = a.space.kind === 'scalar';
    let values: (string | number)[] | null;
    try {
      // HDF5 keeps elements × the declared datatype size of the value (H5O__attr_decode), then reads each
      // element at its stored size: a variable-length type declared smaller than its stored form (4 + an
      // address + 4 bytes) leaves HDF5 reading past the value it kept, which is damage, not a value.
      const data = a.data.subarray(0, n * t.size);
      values = values_(this.s, t, n, data, `attribute ${name} of ${path}`);
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
      d = readDataset(this.s, addr, path, this.committed, () =>
        this.attrNames(path).includes('dtype') ? this.attrString(path, 'dtype') : null,
      );
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
    return groupMember(this.s, this.group(addr), name);
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
    return this.s.msgCur(m, what);
  }

  // ---- groups ----

  private group(addr: number): GroupIndex {
    let g = this.groups.get(addr);
    if (!g) {
      g = readGroup(this.s, addr);
      this.groups.set(addr, g);
    }
    return g;
  }

  // ---- attributes ----

  private attributes(addr: number): AttrIndex {
    let a = this.attrIndexes.get(addr);
    if (!a) {
      a = readAttributes(this.s, addr);
      this.attrIndexes.set(addr, a);
    }
    return a;
  }
}

/** Paths deeper than this are resolved component by component (no recursion through parents). */
const MAX_PATH_DEPTH = 64;

function slashes(path: string): number {
  let n = 0;
  for (let i = path.indexOf('/'); i >= 0 && n <= MAX_PATH_DEPTH; i = path.indexOf('/', i + 1)) n++;
  return n;
}
