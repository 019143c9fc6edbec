// Symbol table nodes (HDF5 File Format Specification, section III.B): "SNOD", the leaves of an old-style
// group's v1 B-tree, each holding up to 2K symbol table entries whose names are in the group's local heap.
import { type Cur, UNDEF } from '../bytes.js';
import { Hdf5Damaged, Hdf5Unsupported } from '../errors.js';
import type { ReadContext } from './context.js';
import type { LocalHeaps } from './local-heap.js';

export interface SymbolEntry {
  name: string;
  /** Soft link value, or null for a hard link. */
  soft: string | null;
  addr: number;
}

/** Symbol table nodes and their entries. */
export class SymbolNodes {
  constructor(
    private readonly s: ReadContext,
    private readonly heaps: LocalHeaps,
  ) {}

  /**
   * A symbol table node read as HDF5 reads it (H5G__cache_node_deserialize): whole, at the size its rank (the
   * superblock's group leaf node K) gives, holding up to 2K entries.
   */
  block(addr: number, n: number): Cur {
    const { o, l, leafK } = this.s.sb;
    const c = this.s.cur(addr, 8 + 2 * leafK * (l + o + 24), 'symbol table node');
    if (n > 2 * leafK) throw new Hdf5Damaged('symbol table node: ran off end of input buffer while decoding', c.pos);
    return c;
  }

  node(addr: number, heap: Uint8Array, out: SymbolEntry[], seen: Set<number>): void {
    if (seen.has(addr)) throw new Hdf5Damaged('symbol table node referenced twice', this.s.sb.base + addr);
    seen.add(addr);
    const head = this.s.cur(addr, 8, 'symbol table node');
    head.sig('SNOD');
    this.s.count('SNOD');
    const version = head.u8();
    if (version !== 1) throw new Hdf5Unsupported(`symbol table node version ${version}`, head.pos);
    head.u8();
    const n = head.u16();
    // An entry (H5G__ent_decode): the name's heap offset (a length-sized C size_t), the object's address,
    // the cache type, 4 reserved bytes, 16 bytes of scratch pad.
    const c = this.block(addr, n);
    c.skip(8);
    for (let i = 0; i < n; i++) out.push(this.entry(c, heap));
  }

  /**
   * A symbol table entry at the cursor (H5G__ent_decode): its name from the local heap (up to a NUL), a hard
   * link to its object or (cache type 2) a soft link.
   */
  entry(c: Cur, heap: Uint8Array): SymbolEntry {
    const nameOff = c.sizeT((t) => t < heap.length);
    const objAddr = c.addr();
    const cache = c.u32();
    if (cache > 2) throw new Hdf5Damaged('unknown symbol table entry cache type', c.pos); // as H5G__ent_decode
    c.skip(4);
    const scratch = c.bytes(16);
    const name = this.heaps.string(heap, nameOff, 'symbol table entry');
    // HDF5 refuses, listing an old-style group, an empty name; one with a '/' is listed as it is (campaign seed
    // 2212, case 50949), and a lookup through it finds nothing, in HDF5 as here.
    if (name === '') throw new Hdf5Damaged('invalid link name', c.pos);
    if (cache === 2) {
      const valueOff = scratch[0]! | (scratch[1]! << 8) | (scratch[2]! << 16) | (scratch[3]! * 0x1000000);
      return { name, soft: this.heaps.string(heap, valueOff, `soft link ${name}`), addr: UNDEF };
    }
    if (objAddr === UNDEF) throw new Hdf5Damaged(`symbol table entry ${name} has no object`, c.pos);
    return { name, soft: null, addr: objAddr };
  }
}
