// Attribute values decoded as H5wasmReader decodes them (fixed and variable-length strings, integers, floats,
// enums), and committed (named) datatypes, each read once.
import { checkAllocation, cString, Cur } from '../bytes.js';
import { Hdf5Damaged, Hdf5Unsupported } from '../errors.js';
import { MSG } from '../messages/codes.js';
import { checkUnusedBits, datatype, type Datatype, memorySize, reportedClass } from '../messages/datatype.js';
import type { Structures } from '../structures/structures.js';

/** The committed datatypes of one file. */
export class CommittedTypes {
  constructor(private readonly s: Structures) {}

  private readonly types = new Map<number, Datatype>();

  /** The datatype of a committed (named) datatype object. */
  get(addr: number): Datatype {
    let t = this.types.get(addr);
    if (!t) {
      const m = this.s.header(addr).msgs.find((x) => x.type === MSG.DATATYPE);
      if (!m) throw new Hdf5Damaged('shared datatype points at an object without a datatype', this.s.sb.base + addr);
      if (m.flags & 0x02) throw new Hdf5Unsupported('committed datatype that is itself shared', m.pos);
      t = datatype(this.s.msgCur(m, 'committed datatype'));
      checkUnusedBits(t, this.s.sb.version, m.pos);
      this.types.set(addr, t);
    }
    return t;
  }
}

/** Element values as H5wasmReader decodes them; null for types it does not decode. */
export function values(s: Structures, t: Datatype, n: number, data: Uint8Array, what: string): (string | number)[] | null {
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
    const { o } = s.sb;
    const stride = 8 + o;
    if (n * stride > data.length) throw new Hdf5Damaged(`${what}: value shorter than ${n} variable-length strings`);
    const c = new Cur(data, 0, o, s.sb.l, what);
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
      checkAllocation(len * (t.base?.size ?? 1), `${what}: a variable-length string`, null, s.f.maxAllocation);
      const obj = s.globalObject(heap, index);
      // HDF5 reads length × the base type's size from the heap object, and refuses an object of another
      // size ("Expected global heap object size does not match").
      if (obj.length !== len * (t.base?.size ?? 1))
        throw new Hdf5Damaged(`${what}: global heap object of ${obj.length} bytes for ${len} characters`);
      out.push(cString(obj.subarray(0, len), true));
    }
    return out;
  }
  if (t.cls === 9) {
    // A variable-length sequence: no value kerascope uses, but HDF5 reads each element's heap object as it reads
    // the attribute, and refuses one of another size (campaign seed 2212, case 210468), as for strings above.
    const { o } = s.sb;
    if (n * (8 + o) > data.length) throw new Hdf5Damaged(`${what}: value shorter than ${n} variable-length sequences`);
    const c = new Cur(data, 0, o, s.sb.l, what);
    for (let i = 0; i < n; i++) {
      const len = c.u32();
      const heap = c.addr();
      const index = c.u32();
      if (heap === 0) continue;
      const bytes = len * (t.base?.size ?? 1);
      checkAllocation(bytes, `${what}: a variable-length sequence`, null, s.f.maxAllocation);
      const obj = s.globalObject(heap, index);
      if (obj.length !== bytes) throw new Hdf5Damaged(`${what}: global heap object of ${obj.length} bytes for ${len} elements`);
    }
    return null;
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
