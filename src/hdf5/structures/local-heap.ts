// Local heaps (HDF5 File Format Specification, section III.D): "HEAP", a data segment holding an old-style
// group's member names (and External Data Files names), with a free list checked as HDF5 builds it.
import { checkSizeT, Cur, SIZE_T_LIMIT, UNDEF } from '../bytes.js';
import { Hdf5Damaged, Hdf5Unsupported } from '../errors.js';
import type { ReadContext } from './context.js';

/** The end of a local heap's free list (H5HL_FREE_NULL: HDF5 writes 1, not the undefined address). */
const FREE_NULL = 1;

/** The local heaps of one file, each data segment read once. */
export class LocalHeaps {
  private readonly segments = new Map<number, Uint8Array>();

  constructor(private readonly s: ReadContext) {}

  /** The data segment of the local heap at `addr`. */
  get(addr: number): Uint8Array {
    let seg = this.segments.get(addr);
    if (!seg) {
      const c = this.s.cur(addr, 8 + 2 * this.s.sb.l + this.s.sb.o, 'local heap');
      c.sig('HEAP');
      this.s.count('HEAP');
      const version = c.u8();
      if (version !== 0) throw new Hdf5Unsupported(`local heap version ${version}`, c.pos);
      c.skip(3);
      // As HDF5 (H5HL__hdr_deserialize): the data size and the free list's head are C size_t values, the head
      // is 1 (H5HL_FREE_NULL) or inside the data, the data's address is defined.
      const size = c.sizeT();
      const free = c.sizeT((t) => t === FREE_NULL || t < size);
      if (free !== FREE_NULL && free >= size) throw new Hdf5Damaged('bad heap free list', c.pos);
      const dataAddr = c.addr();
      if (dataAddr === UNDEF) throw new Hdf5Damaged('bad datablock address', c.pos);
      seg = this.s.f.get(this.s.abs(dataAddr, 'local heap data'), size, 'local heap data');
      this.checkFreeList(seg, free, c.pos);
      this.segments.set(addr, seg);
    }
    return seg;
  }

  /**
   * The local heap's free list, checked as HDF5 builds it (H5HL__fl_deserialize): from the head, each block
   * inside the data, its next offset not 0 (its 8 bytes read whole: a 64-bit variable there), its size (a
   * size_t) not reaching past the data; the list ends at offset 1. HDF5 does not check that a block's two
   * fields lie inside the data, nor that the list ends: such a file is declined, and a loop is damage.
   */
  private checkFreeList(seg: Uint8Array, head: number, pos: number): void {
    const l = this.s.sb.l;
    const seen = new Set<number>();
    const c = new Cur(seg, pos, this.s.sb.o, l, 'local heap free list');
    for (let off = head; off !== FREE_NULL; ) {
      if (off >= seg.length) throw new Hdf5Damaged('bad heap free list', pos);
      if (off + 2 * l > seg.length)
        throw new Hdf5Unsupported('local heap free block whose fields run past the heap data, which HDF5 reads past its buffer', pos);
      if (seen.has(off)) throw new Hdf5Damaged('local heap free list loops', pos);
      seen.add(off);
      c.p = off;
      const next = c.raw(l);
      if (next === 0) throw new Hdf5Damaged('free block size is zero?', pos);
      // The size and the block's end are size_t values: past 2^32 the reference build keeps the low 32 bits
      // (the end wraps), declined where that passes the check below.
      const fits = (end: number) => end <= seg.length;
      const size = c.sizeT((t) => fits((off + t) % SIZE_T_LIMIT));
      checkSizeT(off + size, 'local heap free block end', pos + off + l, (off + size) % SIZE_T_LIMIT, fits);
      if (off + size > seg.length) throw new Hdf5Damaged('bad heap free list', pos);
      off = next;
    }
  }

  /** A NUL-terminated name at `offset` of a local heap. */
  string(seg: Uint8Array, offset: number, what: string): string {
    if (offset < 0 || offset >= seg.length) throw new Hdf5Damaged(`${what}: name offset ${offset} outside its local heap`);
    const c = new Cur(seg, 0, this.s.sb.o, this.s.sb.l, what);
    c.p = offset;
    return c.cstr(true);
  }
}
