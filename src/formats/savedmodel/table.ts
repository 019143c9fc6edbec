// The checkpoint index `variables/variables.index`: a LevelDB-format table that TensorFlow writes without
// compression. Layout (LevelDB's table format): data blocks, a metaindex block, an index block, then a 48-byte
// footer (two block handles as varints, zero padding to 40 bytes, the 8-byte magic 0xdb4775248b80fb57).
// Every block is followed by a one-byte type (0: uncompressed) and a masked CRC32C over block + type. A block
// holds entries {shared key bytes, unshared key bytes, value length, key suffix, value} with keys
// prefix-compressed against the previous entry, then a restart array (uint32 offsets) and its count. The
// index block maps the last key of each data block to that block's handle.
import type { ByteSource } from '../../io/byte-source.js';
import { type Budgets, DEFAULT_BUDGETS, overBudget } from '../../model/budgets.js';
import { InputError } from '../../model/errors.js';

const FOOTER = 48;
const MAGIC_LO = 0x8b80fb57;
const MAGIC_HI = 0xdb477524;
/** Largest block kerascope reads (TensorFlow's blocks are ~8 KiB; an index of a huge model stays far below). */
const MAX_BLOCK = 64 * 1024 * 1024;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32C (Castagnoli) of bytes, continuing from `crc` (0 to start). */
export function crc32c(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** LevelDB's masked CRC: rotated right by 15 bits plus a constant (stored CRCs of data that holds CRCs). */
export function maskCrc(crc: number): number {
  return (((crc >>> 15) | (crc << 17)) + 0xa282ead8) >>> 0;
}

interface Handle {
  offset: number;
  size: number;
}

function varintAt(b: Uint8Array, pos: number, fail: (m: string) => never): [number, number] {
  let v = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= b.length) fail('a number runs past the end of its block');
    const x = b[pos++]!;
    v += (x & 0x7f) * scale;
    if ((x & 0x80) === 0) return [v, pos];
    scale *= 128;
  }
  return fail('a number longer than 10 bytes');
}

/** One key/value of the table. */
export interface TableEntry {
  key: string;
  value: Uint8Array;
}

/**
 * Every entry of the table, in key order, with each block's checksum verified. Throws an InputError for a
 * file that is not such a table or is damaged (truncated, bad checksum, compressed block, keys out of order).
 */
export function readTable(src: ByteSource, budgets: Budgets = DEFAULT_BUDGETS): TableEntry[] {
  const maxEntries = budgets.tensors * 4;
  const what = 'variables.index';
  const fail = (m: string): never => {
    throw new InputError(src.name, `${what}: ${m}`);
  };
  if (src.size < FOOTER) fail(`${src.size} bytes, too short for a table footer (48 bytes)`);
  const footer = src.read(src.size - FOOTER, FOOTER);
  const dv = new DataView(footer.buffer, footer.byteOffset, footer.byteLength);
  if (dv.getUint32(40, true) !== MAGIC_LO || dv.getUint32(44, true) !== MAGIC_HI) {
    fail('no table magic number at its end (not a TensorFlow checkpoint index, or truncated)');
  }
  let pos = 0;
  const handle = (): Handle => {
    const [offset, a] = varintAt(footer, pos, fail);
    const [size, b] = varintAt(footer, a, fail);
    pos = b;
    return { offset, size };
  };
  handle(); // metaindex: TensorFlow writes it empty
  const index = handle();
  const dataEnd = src.size - FOOTER;
  const block = (h: Handle, label: string): Uint8Array => {
    if (h.size > MAX_BLOCK) fail(`${label} declares ${h.size} bytes`);
    if (h.offset + h.size + 5 > dataEnd) fail(`${label} at byte ${h.offset} (${h.size} bytes) runs past the end of the table`);
    const raw = src.read(h.offset, h.size + 5);
    if (raw.length !== h.size + 5) fail(`${label} is truncated`);
    const type = raw[h.size]!;
    const stored = new DataView(raw.buffer, raw.byteOffset + h.size + 1, 4).getUint32(0, true);
    if (maskCrc(crc32c(raw.subarray(0, h.size + 1))) !== stored) fail(`${label} fails its CRC32C check (damaged)`);
    if (type !== 0) fail(`${label} is compressed (type ${type}); TensorFlow writes checkpoint indexes uncompressed`);
    return raw.subarray(0, h.size);
  };
  const entries = (b: Uint8Array, label: string, visit: (key: Uint8Array, value: Uint8Array) => void) => {
    if (b.length < 4) fail(`${label} is too short for its restart count`);
    const restarts = new DataView(b.buffer, b.byteOffset + b.length - 4, 4).getUint32(0, true);
    const limit = b.length - 4 - restarts * 4;
    if (restarts === 0 || limit < 0) fail(`${label} declares ${restarts} restart points, which do not fit`);
    const body = b.subarray(0, limit);
    let p = 0;
    let key = new Uint8Array(0);
    while (p < limit) {
      const [shared, p1] = varintAt(body, p, fail);
      const [unshared, p2] = varintAt(body, p1, fail);
      const [vlen, p3] = varintAt(body, p2, fail);
      if (shared > key.length) fail(`${label}: an entry shares ${shared} key bytes with a previous key of ${key.length}`);
      if (p3 + unshared + vlen > limit) fail(`${label}: an entry runs past the end of its block`);
      const next = new Uint8Array(shared + unshared);
      next.set(key.subarray(0, shared));
      next.set(body.subarray(p3, p3 + unshared), shared);
      key = next;
      visit(key, body.subarray(p3 + unshared, p3 + unshared + vlen));
      p = p3 + unshared + vlen;
    }
  };
  const out: TableEntry[] = [];
  const dec = new TextDecoder('utf-8');
  let last: Uint8Array | null = null;
  let lastBlockEnd = -1;
  entries(block(index, 'the index block'), 'the index block', (_k, v) => {
    const [offset, a] = varintAt(v, 0, fail);
    const [size] = varintAt(v, a, fail);
    if (offset < lastBlockEnd) fail(`the index block lists data blocks out of order (byte ${offset})`);
    lastBlockEnd = offset + size;
    entries(block({ offset, size }, `data block at byte ${offset}`), `data block at byte ${offset}`, (key, value) => {
      const k = dec.decode(key);
      if (last !== null && compareBytes(key, last) <= 0)
        fail(`keys out of order (${JSON.stringify(k.slice(0, 80))} after ${JSON.stringify(dec.decode(last).slice(0, 80))})`);
      last = key;
      if (out.length >= maxEntries) throw overBudget(src.name, 'tensors', `${what} holds more than ${maxEntries} entries`, budgets);
      out.push({ key: k, value: value.slice() });
    });
  });
  return out;
}

/** Bytewise order, as LevelDB's default comparator sorts keys. */
function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
