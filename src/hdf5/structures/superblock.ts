// The superblock (HDF5 File Format Specification, section II.A): versions 0–3, found at 0 or after a user
// block; it gives the sizes of offsets and lengths, the base address, the end-of-file address and the root group.
import { type Bytes, checkSum, Cur, UNDEF } from '../bytes.js';
import { Hdf5Damaged, Hdf5Truncated, Hdf5Unsupported } from '../errors.js';
import { HDF5_SIGNATURE as SIGNATURE } from '../signature.js';

export interface Superblock {
  version: number;
  /** Sizes of offsets and lengths. */
  o: number;
  l: number;
  /** Absolute position that addresses are relative to. */
  base: number;
  rootAddr: number;
  /** The end-of-file address the superblock records (base-relative). */
  eoa: number;
  /** A version 2/3 superblock's extension (an object header), else UNDEF. */
  ext?: number;
  /**
   * Old-style groups' node ranks: K of a symbol table node (it holds up to 2K entries) and of a group B-tree
   * node (up to 2K children). HDF5 reads every such node at its full size for that rank.
   */
  leafK: number;
  groupK: number;
}

export function superblock(f: Bytes): Superblock {
  // The superblock is at 0, or after a user block at 512, 1024, 2048, …
  let at = -1;
  for (let p = 0; p + 8 <= f.size; p = p === 0 ? 512 : p * 2) {
    const sig = f.get(p, 8, 'superblock signature');
    if (SIGNATURE.every((b, i) => sig[i] === b)) {
      at = p;
      break;
    }
  }
  if (at < 0) throw new Hdf5Damaged('no HDF5 signature');
  const head = f.get(at, Math.min(f.size - at, 12), 'superblock');
  if (head.length < 12) throw new Hdf5Damaged('superblock truncated', at);
  const version = head[8]!;
  if (version > 3) throw new Hdf5Unsupported(`superblock version ${version}`, at);
  if (version <= 1) {
    const b = f.get(at, Math.min(f.size - at, 32), 'superblock');
    // Its fixed fields first: a file that ends inside them is truncated, not of sizes this reader declines.
    if (b.length < 24) throw new Hdf5Damaged('superblock truncated', at);
    const l = b[14]!;
    checkSizes(b[13]!, l, at);
    checkOldFields(b, at);
    const start = version === 0 ? 24 : 28;
    const len = start + 4 * b[13]! + (2 * b[13]! + 24);
    const c = new Cur(f.get(at, len, 'superblock'), at, b[13]!, l, 'superblock');
    c.skip(start);
    const base = address64(c);
    // The "free-space info" address is where HDF5 keeps a superblock extension, which only versions 2+ have.
    if (c.addr() !== UNDEF) throw new Hdf5Damaged('invalid superblock - extension message should not be defined for version < 2', at);
    const eoa = endOfFile(base, address64(c), at, f.size);
    f.end = at + eoa;
    driverInfo(f, c.addr(), at, b[13]!);
    c.addr(); // root: link name offset
    const rootAddr = c.addr();
    if (rootAddr === UNDEF) throw new Hdf5Damaged('no root group address', at);
    if (c.u32() > 2) throw new Hdf5Damaged('unknown symbol table entry cache type', at); // as HDF5's H5G__ent_decode
    const leafK = b[16]! | (b[17]! << 8);
    const groupK = b[18]! | (b[19]! << 8);
    return { version, o: b[13]!, l, base: at, rootAddr, eoa, leafK, groupK };
  }
  const o = head[9]!;
  const l = head[10]!;
  checkSizes(o, l, at);
  const len = 12 + 4 * o + 4;
  const b = f.get(at, len, 'superblock');
  checkSum(b, 0, len - 4, at, 'superblock');
  if (b[11]! & ~SUPER_ALL_FLAGS) throw new Hdf5Damaged('bad flag value for superblock', at);
  const c = new Cur(b, at, o, l, 'superblock');
  c.skip(12);
  const base = address64(c);
  const ext = c.addr(); // superblock extension: checked by the caller (it is an object header)
  const eoa = endOfFile(base, address64(c), at, f.size);
  f.end = at + eoa;
  const rootAddr = c.addr();
  if (rootAddr === UNDEF) throw new Hdf5Damaged('no root group address', at);
  // B-tree ranks other than HDF5's defaults would be in the superblock extension (declined by the caller).
  return { version, o, l, base: at, rootAddr, eoa, ext, leafK: 4, groupK: 16 };
}

/** An address field as HDF5 holds it (haddr_t): 64 bits, all-ones bytes the undefined address (2^64 - 1). */
function address64(c: Cur): bigint {
  const b = c.bytes(c.o);
  if (b.every((x) => x === 0xff)) return 2n ** 64n - 1n;
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = v * 256n + BigInt(b[i]!);
  return v;
}

/**
 * The end-of-file address as HDF5 checks it (H5F__super_read): a base address other than where the superblock
 * is moves the stored end by the difference (in 64-bit unsigned arithmetic, so it may wrap), and a file shorter
 * than that end is truncated; the undefined address is such an end too. Returns it base-relative.
 */
function endOfFile(base: bigint, stored: bigint, at: number, size: number): number {
  const eof = base === BigInt(at) ? stored : BigInt.asUintN(64, stored - (base - BigInt(at)));
  if (BigInt(at) + eof > BigInt(size)) throw new Hdf5Truncated(size - at, Number(eof));
  return Number(eof);
}

/**
 * A version 0/1 superblock's driver information block, as HDF5 reads it when its address is defined (H5F__super_read,
 * H5FD_sb_load): it moves the end-of-file address over the block first, so past the end of the file the block
 * reads as zeros (seen from h5wasm: any address below 2^53 passes); version 0, not the family or multi driver's
 * (which the reference does not open with). Otherwise HDF5 ignores it, and so does this reader.
 */
function driverInfo(f: Bytes, addr: number, at: number, o: number): void {
  if (addr === UNDEF) return;
  const what = 'driver information block';
  const head = new Cur(f.zeroFilled(at + addr, 16, what), at + addr, o, o, what);
  if (head.u8() !== 0) throw new Hdf5Damaged('bad driver information block version number', at + addr);
  head.skip(3);
  const size = head.u32();
  const name = String.fromCharCode(...head.bytes(8));
  if (!Number.isSafeInteger(at + addr + 16 + size)) throw new Hdf5Damaged(`${what}: file read failed (at an address past 2^53)`);
  if (name === 'NCSAfami' || name === 'NCSAmult') throw new Hdf5Damaged(`driver information block of the ${name} driver`, at + addr);
}

/** The superblock status flags HDF5 knows: write access, file OK, SWMR write access. */
const SUPER_ALL_FLAGS = 0x07;

/** The checks HDF5 makes on a version 0/1 superblock's fixed fields (H5F__cache_superblock_deserialize). */
function checkOldFields(b: Uint8Array, at: number): void {
  if (b.length < 24) throw new Hdf5Damaged('superblock truncated', at);
  const bad = (why: string) => new Hdf5Damaged(why, at);
  if (b[9] !== 0) throw bad('bad free space version number');
  if (b[10] !== 0) throw bad('bad object directory version number');
  if (b[12] !== 0) throw bad('bad shared-header format version number');
  if ((b[16]! | (b[17]! << 8)) === 0) throw bad('bad symbol table leaf node 1/2 rank');
  if ((b[18]! | (b[19]! << 8)) === 0) throw bad('bad 1/2 rank for btree internal nodes');
  // A 4-byte field, of which HDF5 keeps one byte.
  if (b[21]! | b[22]! | b[23]!) throw bad('bad superblock status flags');
  if (b[20]! & ~SUPER_ALL_FLAGS) throw bad('bad flag value for superblock');
}

/** Sizes of offsets and lengths: HDF5 knows 2, 4, 8, 16 and 32 bytes (any other is damage); this reader follows up to 8. */
function checkSizes(o: number, l: number, at: number): void {
  const known = [2, 4, 8, 16, 32];
  if (!known.includes(o)) throw new Hdf5Damaged('bad byte number in an address', at);
  if (!known.includes(l)) throw new Hdf5Damaged('bad byte number for object size', at);
  if (o > 8 || l > 8) throw new Hdf5Unsupported(`offset/length sizes ${o}/${l}`, at);
}
