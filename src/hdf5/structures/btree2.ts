// Version 2 B-trees (HDF5 File Format Specification, section III.A.2): a "BTHD" header, "BTIN" internal and
// "BTLF" leaf nodes, checksummed; they index dense link and attribute storage and a fractal heap's huge
// objects. Records are handed out as bytes for the caller's record type to decode.
import { checkAllocation, checkSum, limitEncSize, UNDEF } from '../bytes.js';
import { Hdf5Damaged, Hdf5Unsupported } from '../errors.js';
import { LIMITS, type ReadContext } from './context.js';

/** A v2 B-tree's header, with the sizes its nodes are read with. */
interface Btree2 {
  type: number;
  recSize: number;
  depth: number;
  root: number;
  rootN: number;
  total: number;
  maxN: number[];
  nSize: number;
  cumSize: number[];
  ptrSize: (d: number) => number;
}

/** The v2 B-trees of one file: headers and nodes each parsed once. */
export class V2Btrees {
  constructor(private readonly s: ReadContext) {}

  private readonly headers = new Map<number, Btree2 | null>();

  /** The header of the v2 B-tree at `addr` (null when it holds no records), its node geometry worked out. */
  private header(addr: number, expectType: number): Btree2 | null {
    if (this.headers.has(addr)) {
      const t = this.headers.get(addr)!;
      if (t && t.type !== expectType) throw new Hdf5Damaged(`v2 B-tree of type ${t.type}, expected ${expectType}`, this.s.sb.base + addr);
      return t;
    }
    const o = this.s.sb.o;
    const l = this.s.sb.l;
    const h = this.s.cur(addr, 22 + o + l, 'v2 B-tree header');
    h.sig('BTHD');
    this.s.count('BTHD');
    const version = h.u8();
    if (version !== 0) throw new Hdf5Unsupported(`v2 B-tree version ${version}`, h.pos);
    const type = h.u8();
    if (type !== expectType) throw new Hdf5Damaged(`v2 B-tree of type ${type}, expected ${expectType}`, h.pos);
    const nodeSize = h.u32();
    const recSize = h.u16();
    const depth = h.u16();
    h.skip(2);
    const root = h.addr();
    const rootN = h.u16();
    const total = h.raw(l);
    checkSum(h.b, 0, h.p, h.pos, 'v2 B-tree header');
    // HDF5 allocates one node's worth of bytes as it loads any v2 B-tree header, an empty tree's too, before it
    // reads a node: past the allocation limit the reference's answer depends on its memory, so it is declined.
    checkAllocation(nodeSize, 'v2 B-tree header: its node size', h.pos + 6, this.s.f.maxAllocation);
    let t: Btree2 | null = null;
    if (root !== UNDEF && total !== 0) {
      if (recSize === 0 || nodeSize < 10 + recSize) throw new Hdf5Damaged('v2 B-tree node or record size', h.pos);
      if (depth > LIMITS.maxTreeDepth) throw new Hdf5Damaged(`v2 B-tree of depth ${depth}`, h.pos);
      // HDF5 sizes the table it lists a group or attributes into by this count, in a 32-bit size_t on the
      // reference build: a count past what this reader follows is declined, not judged.
      if (total > LIMITS.maxMembers)
        throw new Hdf5Unsupported(`v2 B-tree declaring ${total} records, a table the reference HDF5 build sizes in 32 bits`, h.pos);
      // Per-depth maximum record counts and the byte sizes of the counts in child pointers (H5B2 layout).
      const maxN = [Math.floor((nodeSize - 10) / recSize)];
      const cum = [maxN[0]!];
      const cumSize = [0];
      const nSize = limitEncSize(maxN[0]!);
      const ptrSize = (d: number) => o + nSize + (d > 1 ? cumSize[d - 1]! : 0);
      for (let d = 1; d <= depth; d++) {
        const n = Math.floor((nodeSize - 10 - ptrSize(d)) / (recSize + ptrSize(d)));
        if (n < 1) throw new Hdf5Damaged('v2 B-tree nodes too small for their depth', h.pos);
        maxN.push(n);
        const c = (n + 1) * cum[d - 1]! + n;
        if (!Number.isSafeInteger(c)) throw new Hdf5Unsupported('v2 B-tree too deep to index', h.pos);
        cum.push(c);
        cumSize.push(limitEncSize(c));
      }
      t = { type, recSize, depth, root, rootN, total, maxN, nSize, cumSize, ptrSize };
    }
    this.headers.set(addr, t);
    return t;
  }

  private readonly nodes = new Map<string, { recs: Uint8Array[]; children: { addr: number; n: number }[] }>();

  /** A v2 B-tree node: its records and (internal nodes) its children; parsed once (lookups come back to it). */
  private node(t: Btree2, a: number, n: number, d: number): { recs: Uint8Array[]; children: { addr: number; n: number }[] } {
    const key = `${a}:${n}:${d}`;
    let node = this.nodes.get(key);
    if (!node) {
      node = this.nodeUncached(t, a, n, d);
      this.nodes.set(key, node);
    }
    return node;
  }

  private nodeUncached(t: Btree2, a: number, n: number, d: number): { recs: Uint8Array[]; children: { addr: number; n: number }[] } {
    if (n > t.maxN[d]!) throw new Hdf5Damaged(`v2 B-tree node with ${n} records`, this.s.sb.base + a);
    const len = 6 + n * t.recSize + (d > 0 ? (n + 1) * t.ptrSize(d) : 0);
    const c = this.s.cur(a, len + 4, 'v2 B-tree node');
    c.sig(d > 0 ? 'BTIN' : 'BTLF');
    this.s.count(d > 0 ? 'BTIN' : 'BTLF');
    if (c.u8() !== 0) throw new Hdf5Unsupported('v2 B-tree node version', c.pos);
    if (c.u8() !== t.type) throw new Hdf5Damaged('v2 B-tree node of another type', c.pos);
    checkSum(c.b, 0, len, c.pos, 'v2 B-tree node');
    const recs: Uint8Array[] = [];
    for (let i = 0; i < n; i++) recs.push(c.bytes(t.recSize));
    const children: { addr: number; n: number }[] = [];
    if (d > 0) {
      for (let i = 0; i <= n; i++) {
        const child = c.addr();
        const cn = c.uint(t.nSize);
        if (d > 1) c.skip(t.cumSize[d - 1]!);
        children.push({ addr: child, n: cn });
      }
    }
    return { recs, children };
  }

  /** Every record of the v2 B-tree at `addr` (records of internal nodes included), in no particular order. */
  records(addr: number, expectType: number): Uint8Array[] {
    const t = this.header(addr, expectType);
    if (!t) return [];
    const out: Uint8Array[] = [];
    const stack = [{ addr: t.root, n: t.rootN, d: t.depth }];
    const seen = new Set<number>();
    while (stack.length) {
      const { addr: a, n, d } = stack.pop()!;
      if (seen.has(a)) throw new Hdf5Damaged('v2 B-tree visits a node twice', this.s.sb.base + a);
      seen.add(a);
      if (seen.size > LIMITS.maxTreeNodes) throw new Hdf5Damaged('v2 B-tree too large');
      const node = this.node(t, a, n, d);
      out.push(...node.recs);
      if (out.length > t.total) throw new Hdf5Damaged('v2 B-tree holds more records than its header says', this.s.sb.base + a);
      for (const ch of node.children) stack.push({ addr: ch.addr, n: ch.n, d: d - 1 });
    }
    return out;
  }

  /** Every record of the v2 B-tree at `addr` in key order (children and records interleaved, left to right). */
  inOrder(addr: number, expectType: number): Uint8Array[] {
    const t = this.header(addr, expectType);
    if (!t) return [];
    const out: Uint8Array[] = [];
    const seen = new Set<number>();
    // A stack of nodes and of records waiting for their left subtree to be walked.
    const stack: ({ addr: number; n: number; d: number } | Uint8Array)[] = [{ addr: t.root, n: t.rootN, d: t.depth }];
    while (stack.length) {
      const top = stack.pop()!;
      if (top instanceof Uint8Array) {
        out.push(top);
        if (out.length > t.total) throw new Hdf5Damaged('v2 B-tree holds more records than its header says', this.s.sb.base + addr);
        continue;
      }
      if (seen.has(top.addr)) throw new Hdf5Damaged('v2 B-tree visits a node twice', this.s.sb.base + top.addr);
      seen.add(top.addr);
      if (seen.size > LIMITS.maxTreeNodes) throw new Hdf5Damaged('v2 B-tree too large');
      const node = this.node(t, top.addr, top.n, top.d);
      if (top.d === 0) {
        for (let i = node.recs.length - 1; i >= 0; i--) stack.push(node.recs[i]!);
        continue;
      }
      for (let i = node.recs.length; i >= 0; i--) {
        const ch = node.children[i]!;
        stack.push({ addr: ch.addr, n: ch.n, d: top.d - 1 });
        if (i > 0) stack.push(node.recs[i - 1]!);
      }
    }
    return out;
  }

  /**
   * The record of the v2 B-tree at `addr` that `compare` (the sought key against a record: < 0, 0, > 0) finds,
   * searched as HDF5 searches (H5B2_find): a binary search in each node from the root, down the child the
   * search ends at, to a leaf. Records out of order are not found, as in HDF5; null when none matches.
   */
  find(addr: number, expectType: number, compare: (rec: Uint8Array) => number): Uint8Array | null {
    const t = this.header(addr, expectType);
    if (!t) return null;
    let a = t.root;
    let n = t.rootN;
    for (let d = t.depth; d >= 0; d--) {
      const node = this.node(t, a, n, d);
      let lo = 0;
      let hi = n;
      let idx = 0;
      let cmp = -1;
      while (lo < hi && cmp !== 0) {
        idx = (lo + hi) >> 1;
        cmp = compare(node.recs[idx]!);
        if (cmp < 0) hi = idx;
        else lo = idx + 1;
      }
      if (cmp === 0) return node.recs[idx]!;
      if (d === 0) return null;
      const child = node.children[cmp > 0 ? idx + 1 : idx]!;
      a = child.addr;
      n = child.n;
    }
    return null;
  }
}
