// Version 1 B-trees of group nodes (HDF5 File Format Specification, section III.A.1): "TREE" nodes of type 0,
// an old-style group's index over its symbol table nodes, keyed by names in the group's local heap. Listing
// walks it depth first; a lookup is HDF5's binary search over its keys.
import { checkSizeT, type Cur } from '../bytes.js';
import { Hdf5Damaged, Hdf5LookupFailed } from '../errors.js';
import { LIMITS, type ReadContext } from './context.js';
import type { LocalHeaps } from './local-heap.js';
import type { SymbolEntry, SymbolNodes } from './symbol-node.js';

/** The group B-trees of one file. */
export class GroupBtrees {
  constructor(
    private readonly s: ReadContext,
    private readonly heaps: LocalHeaps,
    private readonly nodes: SymbolNodes,
  ) {}

  /**
   * The entry HDF5 finds for `name` in an old-style group (null: none): its lookup (H5B_find, then
   * H5G__node_found) is a binary search over the B-tree keys and the symbol table node's entries, by the names
   * they point to in the local heap. A key outside the heap makes the comparison fail, which the search takes
   * for "less"; the failure stays on HDF5's error stack, so a lookup that then finds nothing fails with it
   * (h5wasm reports "unable to offset into local heap data block", not an absent name). An entry outside the
   * heap is damage ("unable to get symbol table name"). Listing never reads the keys, so only a lookup meets them.
   */
  lookup(btreeAddr: number, heapAddr: number, name: string): SymbolEntry | null {
    const heap = this.heaps.get(heapAddr);
    const want = new TextEncoder().encode(name);
    const at = (off: number, what: string): Uint8Array => {
      if (off >= heap.length) throw new Hdf5Damaged(`${what}: name offset ${off} outside its local heap`);
      const end = heap.indexOf(0, off);
      return heap.subarray(off, end < 0 ? heap.length : end);
    };
    const cmp = (b: Uint8Array): number => {
      for (let i = 0; i < Math.min(want.length, b.length); i++) if (want[i] !== b[i]) return want[i]! - b[i]!;
      return want.length - b.length;
    };
    const o = this.s.sb.o;
    const l = this.s.sb.l;
    // A key: its value and (a C size_t in HDF5, H5G__node_decode_key) the low 32 bits the reference keeps.
    const raw = (c: Cur, n: number): { v: number; low: number } => {
      let v = 0;
      for (let i = n - 1; i >= 0; i--) v = v * 256 + c.b[c.p + i]!;
      const low = n >= 4 ? ((c.b[c.p]! | (c.b[c.p + 1]! << 8) | (c.b[c.p + 2]! << 16)) >>> 0) + c.b[c.p + 3]! * 0x1000000 : v;
      c.p += n;
      return { v, low };
    };
    let failed = false;
    const none = (): null => {
      if (failed) throw new Hdf5LookupFailed('unable to offset into local heap data block (a group B-tree key outside its heap)');
      return null;
    };
    let addr = btreeAddr;
    for (let depth = 0; depth <= LIMITS.maxTreeDepth + 1; depth++) {
      const head = this.s.cur(addr, 8 + 2 * o, 'group B-tree node');
      head.sig('TREE');
      head.u8();
      const level = head.u8();
      const used = head.u16();
      const c = this.groupNode(addr, used);
      const keys: { v: number; low: number }[] = [];
      const children: number[] = [];
      for (let i = 0; i < used; i++) {
        keys.push(raw(c, l));
        children.push(c.addr());
      }
      keys.push(raw(c, l));
      // A key the search compares at or above 2^32: declined when its low 32 bits (what the reference
      // compares) point into the heap; else both take the comparison for failed.
      const key = (i: number): number => checkSizeT(keys[i]!.v, 'group B-tree key', null, keys[i]!.low, (t) => t < heap.length);
      let lt = 0;
      let rt = used;
      let r = 1;
      let idx = 0;
      while (lt < rt && r !== 0) {
        idx = (lt + rt) >> 1;
        // A key outside the heap: H5G__node_cmp3 fails, and its FAIL (-1) reads as "less" to H5B_find.
        const left = key(idx) < heap.length ? at(keys[idx]!.v, 'group B-tree key') : null;
        if (left === null) failed = true;
        if (left === null || cmp(left) <= 0) r = -1;
        else {
          const right = key(idx + 1) < heap.length ? at(keys[idx + 1]!.v, 'group B-tree key') : null;
          if (right === null) failed = true;
          r = right === null ? -1 : cmp(right) > 0 ? 1 : 0;
        }
        if (r < 0) rt = idx;
        else lt = idx + 1;
      }
      if (r !== 0) return none();
      if (level > 0) {
        addr = children[idx]!;
        continue;
      }
      const sn = this.s.cur(children[idx]!, 8, 'symbol table node');
      sn.sig('SNOD');
      sn.skip(2);
      const n = sn.u16();
      const e = this.nodes.block(children[idx]!, n);
      lt = 0;
      rt = n;
      r = 1;
      let i = 0;
      while (lt < rt && r !== 0) {
        i = (lt + rt) >> 1;
        e.p = 8 + i * (l + o + 24);
        r = cmp(
          at(
            e.sizeT((t) => t < heap.length),
            'symbol table entry',
          ),
        );
        if (r < 0) rt = i;
        else lt = i + 1;
      }
      if (r !== 0) return none();
      // The entry found (of several of that name, the one the search met), as H5G__ent_to_link reads it.
      e.p = 8 + i * (l + o + 24);
      const found = this.nodes.entry(e, heap);
      return found;
    }
    throw new Hdf5Damaged('group B-tree deeper than its levels allow');
  }

  /**
   * A group B-tree node read as HDF5 reads it (H5B__cache_deserialize): whole, at the size its rank (the
   * superblock's group internal node K) gives, up to 2K children. The cursor is past the node's header.
   */
  private groupNode(addr: number, used: number): Cur {
    const { o, l, groupK } = this.s.sb;
    if (used > 2 * groupK) throw new Hdf5Damaged('group B-tree node: number of children is greater than maximum', this.s.sb.base + addr);
    const c = this.s.cur(addr, 8 + 2 * o + 2 * groupK * o + (2 * groupK + 1) * l, 'group B-tree node');
    c.skip(8 + 2 * o);
    return c;
  }

  /**
   * Entries of an old-style group in the B-tree's order (children left to right, a node's entries in order):
   * the order HDF5 lists them in (H5G__stab_iterate walks the tree, it does not sort).
   */
  list(btreeAddr: number, heapAddr: number): SymbolEntry[] {
    const heap = this.heaps.get(heapAddr);
    const out: SymbolEntry[] = [];
    const o = this.s.sb.o;
    const l = this.s.sb.l;
    const stack: number[] = [btreeAddr];
    const seen = new Set<number>();
    let nodes = 0;
    while (stack.length) {
      const addr = stack.pop()!;
      if (seen.has(addr)) throw new Hdf5Damaged('group B-tree visits a node twice', this.s.sb.base + addr);
      seen.add(addr);
      if (++nodes > LIMITS.maxTreeNodes) throw new Hdf5Damaged('group B-tree too large');
      const head = this.s.cur(addr, 8 + 2 * o, 'group B-tree node');
      head.sig('TREE');
      this.s.count('TREE');
      const type = head.u8();
      const nodeLevel = head.u8();
      const used = head.u16();
      if (type !== 0) throw new Hdf5Damaged(`group B-tree node of type ${type}`, head.pos);
      // As H5B__iterate_helper: a node's own level says what its children are (no order between levels is
      // checked); the walk is bounded by the nodes it may visit, each once.
      const c = this.groupNode(addr, used);
      const inner: number[] = [];
      for (let i = 0; i < used; i++) {
        // Key: heap offset of the largest name to the left. Listing never reads it (HDF5 neither: it uses keys
        // only to look a name up), so a damaged key is not checked here.
        c.skip(l);
        const child = c.addr();
        if (nodeLevel > 0) inner.push(child);
        else this.nodes.node(child, heap, out, seen);
      }
      // Depth first, leftmost child first.
      for (let i = inner.length - 1; i >= 0; i--) stack.push(inner[i]!);
      if (out.length > LIMITS.maxMembers) throw new Hdf5Damaged(`group of more than ${LIMITS.maxMembers} members`);
    }
    return out;
  }
}
