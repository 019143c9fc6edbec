// Byte patches that turn an h5wasm-written file into layouts h5wasm cannot write (a virtual dataset), laid
// out as the HDF5 File Format Specification says. Used to check both readers on them.
import { lookup3 } from '../../src/hdf5/bytes.js';

function u64(b: Uint8Array, at: number, v: number): void {
  new DataView(b.buffer, b.byteOffset).setBigUint64(at, BigInt(v), true);
}
function u32(b: Uint8Array, at: number, v: number): void {
  new DataView(b.buffer, b.byteOffset).setUint32(at, v >>> 0, true);
}

/**
 * Turns the contiguous dataset whose v2 object header is at `headerPos` (with 8-byte offsets and lengths)
 * into a virtual dataset mapping all of `file`:`dataset`: its data area becomes a global heap collection
 * holding the mapping, its layout message a version-4 virtual layout pointing there.
 */
export function makeVirtual(bytes: Uint8Array, headerPos: number, layoutPos: number, file: string, dataset: string): Uint8Array {
  const b = bytes.slice();
  if (b[layoutPos] !== 3 || b[layoutPos + 1] !== 1) throw new Error('expected a version 3 contiguous layout message');
  const dataAddr = Number(new DataView(b.buffer).getBigUint64(layoutPos + 2, true));
  const dataSize = Number(new DataView(b.buffer).getBigUint64(layoutPos + 10, true));
  // The mapping block: version, count, names, two "all" selections, checksum.
  const enc = new TextEncoder();
  const names = [...enc.encode(`${file}\0`), ...enc.encode(`${dataset}\0`)];
  const all = [3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  const block = new Uint8Array(1 + 8 + names.length + 32 + 4);
  block[0] = 0;
  u64(block, 1, 1);
  block.set(names, 9);
  block.set(all, 9 + names.length);
  block.set(all, 9 + names.length + 16);
  u32(block, block.length - 4, lookup3(block, 0, block.length - 4));
  const objLen = Math.ceil(block.length / 8) * 8;
  if (16 + 16 + objLen + 16 > dataSize) throw new Error('data area too small for the collection');
  const g = dataAddr;
  b.fill(0, g, g + dataSize);
  b.set(enc.encode('GCOL'), g);
  b[g + 4] = 1;
  u64(b, g + 8, dataSize);
  b[g + 16] = 1; // object index 1
  b[g + 18] = 1; // reference count
  u64(b, g + 24, block.length);
  b.set(block, g + 32);
  u64(b, g + 32 + objLen + 8, dataSize - (32 + objLen)); // free space (index 0)
  // The layout message: version 4, class 3, heap address, object index.
  b.fill(0, layoutPos, layoutPos + 18);
  b[layoutPos] = 4;
  b[layoutPos + 1] = 3;
  u64(b, layoutPos + 2, dataAddr);
  u32(b, layoutPos + 10, 1);
  // The header's checksum (chunk 0 holds the message).
  const flags = b[headerPos + 5]!;
  let at = headerPos + 6 + (flags & 0x20 ? 16 : 0) + (flags & 0x10 ? 4 : 0);
  const n = 1 << (flags & 3);
  let size = 0;
  for (let i = n - 1; i >= 0; i--) size = size * 256 + b[at + i]!;
  at += n;
  if (layoutPos >= at + size) throw new Error('layout message not in chunk 0');
  u32(b, at + size, lookup3(b, headerPos, at + size));
  return b;
}

/**
 * Rewrites a superblock version 0 file (8-byte offsets and lengths) as version 1, the variant with an
 * "indexed storage internal node K": the superblock grows by 4 bytes, so the root group's object header
 * (which usually follows it) is copied to the end of the file and the root entry points at the copy.
 */
export function superblockV1(bytes: Uint8Array): Uint8Array {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[8] !== 0 || bytes[13] !== 8 || bytes[14] !== 8) throw new Error('expected superblock v0 with 8-byte sizes');
  const rootEntry = 24 + 4 * 8;
  const rootAddr = Number(v.getBigUint64(rootEntry + 8, true));
  if (bytes[rootAddr] !== 1) throw new Error('expected a v1 root object header');
  const headerLen = 16 + v.getUint32(rootAddr + 8, true);
  const at = Math.ceil(bytes.length / 8) * 8;
  const out = new Uint8Array(at + headerLen);
  out.set(bytes);
  out.set(bytes.subarray(rootAddr, rootAddr + headerLen), at);
  const o = new DataView(out.buffer);
  out[8] = 1; // superblock version
  o.setUint16(24, 32, true); // indexed storage internal node K
  o.setUint16(26, 0, true);
  // Base, free space, end of file, driver info, then the root entry, all 4 bytes later than in v0.
  out.set(bytes.subarray(24, rootEntry + 40), 28);
  o.setBigUint64(28 + 16, BigInt(out.length), true); // end of file
  o.setBigUint64(28 + 32 + 8, BigInt(at), true); // the root entry's object header address
  return out;
}
