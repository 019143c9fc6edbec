// The global heap (HDF5 File Format Specification, section III.E): "GCOL" collections of objects, holding
// variable-length strings and a virtual dataset's mappings. A collection is read once with its declared size
// and walked as HDF5 walks it.
import type { Cur } from '../bytes.js';
import { Hdf5Damaged, Hdf5Unsupported } from '../errors.js';
import type { ReadContext } from './context.js';

/**
 * Whether HDF5 steps past an object of `size` bytes wrongly: it rounds the size up to 8 in a size_t, 32 bits in the
 * reference build, and a size within 7 of 2^32 (or one it reads so, truncated) wraps to a step of 16 bytes, into the
 * object's own data, where the format would call the object damaged.
 */
const wraps = (size: number): boolean => size + 7 >= 2 ** 32;

/** The global heap collections of one file, each read once. */
export class GlobalHeap {
  private readonly collections = new Map<number, Map<number, Uint8Array>>();

  constructor(private readonly s: ReadContext) {}

  /** Object `index` of the global heap collection at `addr`. */
  object(addr: number, index: number): Uint8Array {
    let objs = this.collections.get(addr);
    if (!objs) {
      const l = this.s.sb.l;
      const head = this.s.cur(addr, 8 + l, 'global heap collection');
      head.sig('GCOL');
      this.s.count('GCOL');
      const version = head.u8();
      if (version !== 1) throw new Hdf5Unsupported(`global heap version ${version}`, head.pos);
      head.skip(3);
      const size = this.unlessEndless(addr, () => head.sizeT()); // sizes in a collection are C size_t values in HDF5 (H5HG__hdr_deserialize)
      if (size < 8 + l) throw new Hdf5Damaged('global heap collection too small', head.pos);
      // HDF5 makes every collection at least 4,096 bytes and refuses a smaller one (campaign seed 2217, case 136613).
      if (size < 4096) throw new Hdf5Damaged('global heap size is too small', head.pos);
      const c = this.s.cur(addr, size, 'global heap collection');
      c.skip(8 + l);
      objs = this.unlessEndless(addr, () => this.collectionObjects(c, size));
      this.collections.set(addr, objs);
    }
    const data = objs.get(index);
    if (!data) throw new Hdf5Damaged(`global heap object ${index} not found`, this.s.sb.base + addr);
    return data;
  }

  /**
   * `read()`, unless it declines a size the reference reads truncated (its 32-bit size_t) and the reference,
   * walking the collection with such sizes, would never reach its end: then no answer will come from there, and
   * the collection is damage here (the CLI would otherwise wait for its watchdog; campaign cases 27242, 29321).
   */
  private unlessEndless<T>(addr: number, read: () => T): T {
    try {
      return read();
    } catch (e) {
      if (e instanceof Hdf5Unsupported && !this.collectionWalkEnds32(addr))
        throw new Hdf5Damaged(
          'global heap collection whose objects never reach its end (the HDF5 library reads it for ever)',
          this.s.sb.base + addr,
        );
      throw e;
    }
  }

  /**
   * Whether HDF5's walk of the collection at `addr` ends when its sizes are read as 32-bit size_t values, as
   * h5wasm reads them (H5HG__cache_heap_deserialize): object after object (header, then the size rounded up to
   * 8; free space, index 0, by its size alone), a tail too small for a header taken as free space. A step of 0
   * (free space of size 0, as in zeros) never moves on.
   */
  private collectionWalkEnds32(addr: number): boolean {
    const l = this.s.sb.l;
    const header = 8 + l;
    const low32 = (b: Uint8Array, p: number) => {
      let v = 0;
      for (let i = Math.min(l, 4) - 1; i >= 0; i--) v = v * 256 + (b[p + i] ?? 0);
      return v;
    };
    const first = this.s.cur(addr, header, 'global heap collection').b;
    const size = low32(first, 8);
    const b = this.s.cur(addr, size, 'global heap collection').b;
    for (let p = header; p < size; ) {
      if (p + header > size) return true;
      const idx = (b[p] ?? 0) | ((b[p + 1] ?? 0) << 8);
      const n = low32(b, p + 8);
      const step = idx > 0 ? (header + n + ((8 - (n % 8)) % 8)) % 2 ** 32 : n;
      if (step === 0) return false;
      p += step;
    }
    return true;
  }

  /** The objects of a global heap collection, by index (`c` at its first object). */
  private collectionObjects(c: Cur, size: number): Map<number, Uint8Array> {
    const l = this.s.sb.l;
    const objs = new Map<number, Uint8Array>();
    let free = false;
    // As HDF5 walks a collection: object after object to its declared end, past the free space too (its
    // size counts its header and is not padded); a tail too small for an object header is free space; an
    // object, free space included, running past the end is damage ("ran off end of input buffer").
    while (c.left >= 8 + l) {
      const begin = c.p;
      const idx = c.u16();
      c.skip(6); // reference count, reserved
      if (idx === 0) {
        const n = c.sizeT((t) => t <= size - begin && t >= 8 + l);
        if (n > size - begin) throw new Hdf5Damaged('global heap free space overruns its collection', c.pos + begin);
        if (n < 8 + l) throw new Hdf5Damaged('global heap free space smaller than its header', c.pos + begin);
        c.p = begin + n;
        free = true;
        continue;
      }
      // A size HDF5's rounding wraps (see `wraps`) is declined (campaign seed 2217, case 67727).
      const n = c.sizeT((t) => wraps(t) || t + ((8 - (t % 8)) % 8) <= c.left);
      if (wraps(n))
        throw new Hdf5Unsupported(
          `global heap object ${idx}: a size whose rounding the reference HDF5 build computes in 32 bits`,
          c.pos + begin,
        );
      if (n + ((8 - (n % 8)) % 8) > c.left) throw new Hdf5Damaged(`global heap object ${idx} overruns its collection`, c.pos + begin);
      const data = c.bytes(n);
      c.skip((8 - (n % 8)) % 8);
      objs.set(idx, data);
    }
    // The tail is free space too, which HDF5 refuses when the collection already named its free space.
    if (c.left > 0 && free) throw new Hdf5Damaged('global heap: object 0 should not be set (a tail after the free space)', c.pos + c.p);
    return objs;
  }
}
