// The structures of one HDF5 file behind one object: the read context (bytes, superblock, counts) and a reader
// per on-disk structure, each parsing and caching its own (object headers, local heaps, symbol table nodes and
// the group B-trees over them, the global heap, v2 B-trees, fractal heaps). Every walk is bounded and refuses
// to revisit.
import type { Bytes } from '../bytes.js';
import { GroupBtrees } from './btree1.js';
import { V2Btrees } from './btree2.js';
import { ReadContext } from './context.js';
import { FractalHeap } from './fractal-heap.js';
import { GlobalHeap } from './global-heap.js';
import { LocalHeaps } from './local-heap.js';
import { type ObjectHeader, ObjectHeaders } from './object-header.js';
import type { Superblock } from './superblock.js';
import { type SymbolEntry, SymbolNodes } from './symbol-node.js';

/** Reads and parses structures of one file, caching each by address. */
export class Structures extends ReadContext {
  private readonly headers = new ObjectHeaders(this);
  private readonly localHeaps = new LocalHeaps(this);
  private readonly groupBtrees = new GroupBtrees(this, this.localHeaps, new SymbolNodes(this, this.localHeaps));
  private readonly globalHeap = new GlobalHeap(this);
  private readonly btrees = new V2Btrees(this);
  private readonly fheaps = new Map<number, FractalHeap>();

  constructor(f: Bytes, sb: Superblock) {
    super(f, sb);
  }

  /** The object header at `addr`. */
  header(addr: number): ObjectHeader {
    return this.headers.get(addr);
  }

  /** The data segment of the local heap at `addr`. */
  localHeap(addr: number): Uint8Array {
    return this.localHeaps.get(addr);
  }

  /** A NUL-terminated name at `offset` of a local heap. */
  heapString(seg: Uint8Array, offset: number, what: string): string {
    return this.localHeaps.string(seg, offset, what);
  }

  /** The entry HDF5 finds for `name` in an old-style group (see GroupBtrees.lookup). */
  symbolLookup(btreeAddr: number, heapAddr: number, name: string): SymbolEntry | null {
    return this.groupBtrees.lookup(btreeAddr, heapAddr, name);
  }

  /** Entries of an old-style group in the order HDF5 lists them (see GroupBtrees.list). */
  symbolTable(btreeAddr: number, heapAddr: number): SymbolEntry[] {
    return this.groupBtrees.list(btreeAddr, heapAddr);
  }

  /** Object `index` of the global heap collection at `addr`. */
  globalObject(addr: number, index: number): Uint8Array {
    return this.globalHeap.object(addr, index);
  }

  fractalHeap(addr: number): FractalHeap {
    let h = this.fheaps.get(addr);
    if (!h) {
      h = new FractalHeap(this, this.btrees, addr);
      this.fheaps.set(addr, h);
    }
    return h;
  }

  /** Every record of the v2 B-tree at `addr`, in no particular order. */
  btree2Records(addr: number, expectType: number): Uint8Array[] {
    return this.btrees.records(addr, expectType);
  }

  /** Every record of the v2 B-tree at `addr` in key order. */
  btree2InOrder(addr: number, expectType: number): Uint8Array[] {
    return this.btrees.inOrder(addr, expectType);
  }

  /** The record of the v2 B-tree at `addr` that HDF5's search finds with `compare` (see V2Btrees.find). */
  btree2Find(addr: number, expectType: number, compare: (rec: Uint8Array) => number): Uint8Array | null {
    return this.btrees.find(addr, expectType, compare);
  }
}
