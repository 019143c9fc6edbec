// Fractal heaps (HDF5 File Format Specification, section III.G): a "FRHP" header, a doubling table of "FHIB"
// indirect and "FHDB" direct blocks holding managed objects, tiny objects kept in their id, and huge objects
// stored on their own (found through a v2 B-tree). They hold dense links and attributes.
import { checkSum, Cur, limitEncSize, lookup3, UNDEF } from '../bytes.js';
import { Hdf5Damaged, Hdf5Unsupported } from '../errors.js';
import type { V2Btrees } from './btree2.js';
import type { ReadContext } from './context.js';

/** A fractal heap: managed objects through its doubling table, tiny objects from the id itself. */
export class FractalHeap {
  private readonly idLen: number;
  private readonly maxManaged: number;
  private readonly width: number;
  private readonly startBlock: number;
  private readonly maxDirect: number;
  private readonly maxDirectRows: number;
  private readonly rootAddr: number;
  private readonly rootRows: number;
  private readonly offSize: number;
  private readonly lenSize: number;
  private readonly checksummedDirect: boolean;
  private readonly direct = new Map<number, Uint8Array>();
  private readonly indirect = new Map<number, number[]>();
  private readonly pos: number;
  private readonly hugeBtree: number;
  private hugeIndex: Map<number, { addr: number; len: number }> | null = null;

  constructor(
    private readonly s: ReadContext,
    private readonly btrees: V2Btrees,
    addr: number,
  ) {
    const { o, l } = s.sb;
    const c = s.cur(addr, 26 + 12 * l + 3 * o, 'fractal heap header');
    this.pos = c.pos;
    c.sig('FRHP');
    s.count('FRHP');
    const version = c.u8();
    if (version !== 0) throw new Hdf5Unsupported(`fractal heap version ${version}`, c.pos);
    this.idLen = c.u16();
    const filterLen = c.u16();
    const flags = c.u8();
    this.maxManaged = c.u32();
    c.skip(l); // next huge id
    const hugeBtree = c.addr();
    c.skip(l); // free space
    c.addr(); // free space manager
    c.skip(5 * l); // managed space, allocated, iterator, managed objects, huge size
    // Only whether it is 0 matters (below); HDF5 reads any 8-byte count (campaign seed 2217, case 120773).
    const hugeCount = c.bytes(l).some((b) => b !== 0) ? 1 : 0;
    c.skip(2 * l); // tiny size and count
    this.width = c.u16();
    // Both C size_t values in HDF5 (H5HF__hdr_deserialize).
    this.startBlock = c.sizeT();
    this.maxDirect = c.sizeT();
    const maxHeapBits = c.u16();
    c.u16(); // starting rows of the root indirect block
    this.rootAddr = c.addr();
    this.rootRows = c.u16();
    this.hugeBtree = hugeBtree;
    if (filterLen > 0) throw new Hdf5Unsupported('filtered fractal heap', c.pos);
    checkSum(c.b, 0, c.p, c.pos, 'fractal heap header');
    // HDF5 deletes the index of huge objects when it closes a heap that names one but counts no huge objects
    // (H5HF__huge_term), a write a read-only file refuses ("no write intent on file"): every use of such a heap
    // fails, in HDF5 as here.
    if (hugeBtree !== UNDEF && hugeCount === 0)
      throw new Hdf5Damaged('fractal heap names an index of huge objects but counts none (HDF5 cannot close it read-only)', c.pos);
    // HDF5 does not check these: it takes their base-2 logarithms as if they were powers of 2 (H5HF__dtable_init),
    // which for other values gives rows this reader cannot reproduce. Zero has none.
    const pow2 = (n: number) => n >= 1 && Number.isSafeInteger(n) && Number.isInteger(Math.log2(n));
    if (this.width === 0 || this.startBlock === 0 || this.maxDirect === 0)
      throw new Hdf5Damaged('fractal heap doubling table parameters', c.pos);
    if (!pow2(this.width) || !pow2(this.startBlock) || !pow2(this.maxDirect) || this.maxDirect < this.startBlock)
      throw new Hdf5Unsupported(
        'fractal heap doubling table sizes that are not rising powers of 2 (HDF5 reads them as if they were)',
        c.pos,
      );
    if (maxHeapBits < 1 || maxHeapBits > 64 || this.rootRows > maxHeapBits) throw new Hdf5Damaged('fractal heap size bits', c.pos);
    this.offSize = Math.ceil(maxHeapBits / 8);
    this.lenSize = Math.min(Math.floor((Math.log2(this.maxDirect) + 7) / 8), limitEncSize(this.maxManaged));
    this.maxDirectRows = Math.log2(this.maxDirect) - Math.log2(this.startBlock) + 2;
    this.checksummedDirect = (flags & 0x02) !== 0;
  }

  /** The bytes of the object a heap id names. */
  object(id: Uint8Array): Uint8Array {
    if (id.length < 1) throw new Hdf5Damaged('empty fractal heap id', this.pos);
    const type = (id[0]! >> 4) & 3;
    if (id[0]! >> 6 !== 0) throw new Hdf5Unsupported(`fractal heap id version ${id[0]! >> 6}`, this.pos);
    if (type === 2) {
      // Tiny: the object is in the id.
      this.s.count('tiny');
      const extended = this.idLen > 18;
      const n = extended ? (((id[0]! & 0x0f) << 8) | id[1]!) + 1 : (id[0]! & 0x0f) + 1;
      const at = extended ? 2 : 1;
      if (at + n > id.length) throw new Hdf5Damaged('tiny fractal heap object overruns its id', this.pos);
      return id.subarray(at, at + n);
    }
    if (type === 1) {
      this.s.count('huge');
      return this.huge(id);
    }
    if (type !== 0) throw new Hdf5Damaged(`fractal heap id type ${type}`, this.pos);
    const c = new Cur(id, this.pos, this.s.sb.o, this.s.sb.l, 'fractal heap id');
    c.skip(1);
    const off = c.uint(this.offSize);
    const len = c.uint(this.lenSize);
    if (len === 0 || len > this.maxManaged) throw new Hdf5Damaged(`fractal heap object of ${len} bytes`, this.pos);
    const { block, blockOff } = this.locate(off);
    const at = off - blockOff;
    const hdr = 5 + this.s.sb.o + this.offSize + (this.checksummedDirect ? 4 : 0);
    if (at < hdr || at + len > block.length) throw new Hdf5Damaged('fractal heap object outside its block', this.pos);
    return block.subarray(at, at + len);
  }

  /**
   * A huge object (larger than the heap's managed blocks): stored on its own, its address and length either in
   * the id itself (when the id is large enough) or in the heap's v2 B-tree of huge objects, keyed by an id.
   */
  private huge(id: Uint8Array): Uint8Array {
    const { o, l } = this.s.sb;
    const c = new Cur(id, this.pos, o, l, 'huge fractal heap id');
    c.skip(1);
    let addr: number;
    let len: number;
    if (this.idLen - 1 >= o + l) {
      addr = c.addr();
      len = c.len();
    } else {
      const key = c.uint(Math.min(this.idLen - 1, 8));
      if (!this.hugeIndex) {
        this.hugeIndex = new Map();
        for (const rec of this.btrees.records(this.hugeBtree, 1)) {
          const r = new Cur(rec, this.pos, o, l, 'huge object record');
          const a = r.addr();
          const n = r.len();
          this.hugeIndex.set(r.len(), { addr: a, len: n });
        }
      }
      const found = this.hugeIndex.get(key);
      if (!found) throw new Hdf5Damaged(`huge fractal heap object ${key} not in its index`, this.pos);
      ({ addr, len } = found);
    }
    return this.s.cur(addr, len, 'huge fractal heap object').b;
  }

  private rowSize(r: number): number {
    return r === 0 ? this.startBlock : this.startBlock * 2 ** (r - 1);
  }

  private rowStart(r: number): number {
    return r === 0 ? 0 : this.width * this.startBlock * 2 ** (r - 1);
  }

  /** The direct block holding heap offset `off`, and that block's own heap offset. */
  private locate(off: number): { block: Uint8Array; blockOff: number } {
    if (this.rootAddr === UNDEF) throw new Hdf5Damaged('fractal heap has no blocks', this.pos);
    if (this.rootRows === 0) return { block: this.directBlock(this.rootAddr, this.startBlock), blockOff: 0 };
    let iaddr = this.rootAddr;
    let rows = this.rootRows;
    let base = 0;
    for (let level = 0; level < 64; level++) {
      const children = this.indirectBlock(iaddr, rows);
      const rel = off - base;
      let r = 0;
      while (r + 1 < rows && this.rowStart(r + 1) <= rel) r++;
      const col = Math.floor((rel - this.rowStart(r)) / this.rowSize(r));
      if (rel < 0 || col >= this.width) throw new Hdf5Damaged(`fractal heap offset ${off} outside the heap`, this.pos);
      const child = children[r * this.width + col];
      if (child === undefined) throw new Hdf5Damaged('fractal heap indirect block shared by blocks of different sizes', this.pos);
      if (child === UNDEF) throw new Hdf5Damaged(`fractal heap offset ${off} in an unallocated block`, this.pos);
      const childOff = base + this.rowStart(r) + col * this.rowSize(r);
      if (r < this.maxDirectRows) return { block: this.directBlock(child, this.rowSize(r)), blockOff: childOff };
      iaddr = child;
      rows = Math.log2(this.rowSize(r)) - Math.log2(this.startBlock * this.width) + 1;
      base = childOff;
    }
    throw new Hdf5Damaged('fractal heap indirect blocks nest too deep', this.pos);
  }

  private directBlock(addr: number, size: number): Uint8Array {
    let b = this.direct.get(addr);
    if (!b) {
      const c = this.s.cur(addr, size, 'fractal heap direct block');
      c.sig('FHDB');
      this.s.count('FHDB');
      if (c.u8() !== 0) throw new Hdf5Unsupported('fractal heap direct block version', c.pos);
      b = c.b;
      if (this.checksummedDirect) {
        // The checksum covers the whole block, its own field counted as zeros.
        const at = 5 + this.s.sb.o + this.offSize;
        const copy = b.slice();
        copy.fill(0, at, at + 4);
        const stored = (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
        if (stored !== lookup3(copy)) throw new Hdf5Damaged('fractal heap direct block: checksum mismatch', c.pos);
        this.s.count('FHDB-checksummed');
      }
      this.direct.set(addr, b);
    }
    return b;
  }

  private indirectBlock(addr: number, rows: number): number[] {
    let children = this.indirect.get(addr);
    if (!children) {
      const o = this.s.sb.o;
      const n = rows * this.width;
      const len = 5 + o + this.offSize + n * o;
      const c = this.s.cur(addr, len + 4, 'fractal heap indirect block');
      c.sig('FHIB');
      this.s.count('FHIB');
      if (c.u8() !== 0) throw new Hdf5Unsupported('fractal heap indirect block version', c.pos);
      c.skip(o + this.offSize);
      children = [];
      for (let i = 0; i < n; i++) children.push(c.addr());
      checkSum(c.b, 0, len, c.pos, 'fractal heap indirect block');
      this.indirect.set(addr, children);
    }
    return children;
  }
}
