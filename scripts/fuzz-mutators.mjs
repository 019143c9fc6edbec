// Structure-aware mutators for the fuzz campaign (scripts/fuzz-campaign.mjs). Every mutation of a binary
// seed is a list of byte patches `{at, bytes}` against the seed, so a failing case can be minimized by
// dropping patches (delta debugging). HDF5 mutations target the file's own structures (superblock, object
// headers and their continuation chunks, local and global heaps, B-trees, fractal heaps, attribute
// dataspaces) and recompute the lookup3 checksum of the structure they touched, so that the library reads
// past the checksum into the damaged field.
import { lookup3 } from './fixtures/regress.mjs';

/** @typedef {import('./fixtures/util.mjs').Json} Json */

const HDF5_SIGS = [
  'OHDR',
  'OCHK',
  'GCOL',
  'HEAP',
  'TREE',
  'SNOD',
  'BTHD',
  'BTLF',
  'BTIN',
  'FRHP',
  'FHDB',
  'FHIB',
  'FSHD',
  'FSSE',
  'SMTB',
  'SMLI',
];
/** Structures with a lookup3 checksum at their end (HDF5 file format version 2 structures). */
const CHECKSUMMED = new Set(['OHDR', 'OCHK', 'BTHD', 'BTLF', 'BTIN', 'FRHP', 'FHDB', 'FHIB', 'FSHD', 'FSSE', 'SMTB', 'SMLI']);
const EXTREMES = [0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x7fffffff, 0xffffffff, 2 ** 40, 2 ** 53 - 1];

/** Per seed buffer: its structures and checksum ends, found once (the campaign mutates the same seeds 10⁵ times). */
const structuresOf = new WeakMap();
const checksumEnds = new WeakMap();

/** Where each known structure starts in an HDF5 file: [{sig, at}] (the superblock as `SUPER` at 0). */
export function hdf5Structures(/** @type {Buffer} */ buf) {
  if (!structuresOf.has(buf)) structuresOf.set(buf, findStructures(buf));
  return structuresOf.get(buf);
}

function findStructures(/** @type {Buffer} */ buf) {
  const out = [{ sig: 'SUPER', at: 0 }];
  for (const sig of HDF5_SIGS) {
    const needle = Buffer.from(sig);
    for (let at = buf.indexOf(needle); at >= 0; at = buf.indexOf(needle, at + 1)) out.push({ sig, at });
  }
  for (const name of ['weight_names', 'layer_names', 'model_config', 'training_config', 'keras_version', 'backend']) {
    const needle = Buffer.from(name);
    for (let at = buf.indexOf(needle); at >= 0; at = buf.indexOf(needle, at + 1)) out.push({ sig: `attr:${name}`, at });
  }
  return out;
}

/** The end of a checksummed structure starting at `at` (where the stored checksum matches), or -1. */
export function checksumEnd(/** @type {Buffer} */ buf, /** @type {number} */ at, limit = 8192) {
  if (!checksumEnds.has(buf)) checksumEnds.set(buf, new Map());
  const ends = checksumEnds.get(buf);
  const key = `${at}:${limit}`;
  if (!ends.has(key)) ends.set(key, findChecksumEnd(buf, at, limit));
  return ends.get(key);
}

function findChecksumEnd(/** @type {Buffer} */ buf, /** @type {number} */ at, /** @type {number} */ limit) {
  for (let end = at + 8; end + 4 <= buf.length && end < at + limit; end++) {
    if (buf.readUInt32LE(end) === lookup3(buf.subarray(at, end))) return end;
  }
  return -1;
}

/** Little-endian bytes of `v` in `width` bytes. */
function le(/** @type {number} */ v, /** @type {number} */ width) {
  const b = Buffer.alloc(width);
  let x = BigInt(Math.max(0, Math.floor(v)));
  for (let i = 0; i < width; i++) {
    b[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return b;
}

/** One structure-aware HDF5 mutation: patches against `buf`. */
export function mutateHdf5(/** @type {Buffer} */ buf, /** @type {import('./fuzz-cases.mjs').Rng} */ r) {
  const structs = hdf5Structures(buf);
  const s = r.pick(structs);
  /** @type {{ at: number, bytes: Buffer }[]} */
  const patches = [];
  if (s.sig.startsWith('attr:')) {
    // An attribute message: its name is followed (v3: directly; v1: padded to 8) by datatype and dataspace.
    // Overwrite a field somewhere in the next 48 bytes with an extreme (dims, sizes, string lengths).
    const at = s.at + s.sig.length - 5 + 1 + r.int(48);
    patches.push({ at, bytes: le(r.pick(EXTREMES), r.pick([1, 2, 4, 8])) });
  } else {
    const span = s.sig === 'SUPER' ? 96 : 128;
    const n = 1 + r.int(3);
    for (let i = 0; i < n; i++) {
      const at = s.at + (s.sig === 'SUPER' ? 8 : 4) + r.int(span);
      const kind = r.int(3);
      if (kind === 0) patches.push({ at, bytes: le(r.pick(EXTREMES), r.pick([1, 2, 4, 8])) });
      else if (kind === 1) patches.push({ at, bytes: Buffer.from([(buf[at] ?? 0) ^ (1 << r.int(8))]) });
      else patches.push({ at, bytes: Buffer.from([r.int(256)]) });
    }
  }
  /** @type {{ at: number, bytes?: Buffer, fix?: { from: number, to: number } }[]} */
  const valid = patches.filter((p) => p.at >= 0 && p.at + p.bytes.length <= buf.length);
  // Recompute the checksum of the structure touched so the library reads the damaged field.
  if (CHECKSUMMED.has(s.sig) && r.next() < 0.8) {
    const end = checksumEnd(buf, s.at);
    if (end > 0) valid.push({ at: end, fix: { from: s.at, to: end } });
  } else if (s.sig.startsWith('attr:') && r.next() < 0.8) {
    // The enclosing object header or continuation chunk.
    const ohdr = Math.max(buf.lastIndexOf('OHDR', s.at), buf.lastIndexOf('OCHK', s.at));
    if (ohdr >= 0) {
      const end = checksumEnd(buf, ohdr);
      if (end > s.at) valid.push({ at: end, fix: { from: ohdr, to: end } });
    }
  }
  return { op: `hdf5:${s.sig}`, patches: valid };
}

/** Applies patches to a copy of `buf` (checksum fixes last, over the patched bytes). */
export function applyPatches(/** @type {Buffer} */ buf, /** @type {Json[]} */ patches) {
  const out = Buffer.from(buf);
  for (const p of patches) if (p.bytes) Buffer.from(p.bytes).copy(out, p.at);
  for (const p of patches) if (p.fix) out.writeUInt32LE(lookup3(out.subarray(p.fix.from, p.fix.to)), p.at);
  return out;
}

/** Byte-level mutations as patches (bit flips, extremes, junk). */
export function mutateRaw(/** @type {Buffer} */ buf, /** @type {import('./fuzz-cases.mjs').Rng} */ r) {
  const n = 1 + r.int(8);
  /** @type {{ at: number, bytes: Buffer }[]} */
  const patches = [];
  const near = r.next() < 0.3 ? Math.min(buf.length, 1024) : buf.length;
  for (let i = 0; i < n; i++) {
    const at = r.int(near);
    const k = r.int(3);
    if (k === 0) patches.push({ at, bytes: Buffer.from([(buf[at] ?? 0) ^ (1 << r.int(8))]) });
    else if (k === 1)
      patches.push({ at, bytes: le(r.pick(EXTREMES), r.pick([1, 2, 4])).subarray(0, Math.max(1, Math.min(8, buf.length - at))) });
    else patches.push({ at, bytes: Buffer.from([r.int(256)]) });
  }
  return { op: 'bytes', patches: patches.filter((p) => p.at + p.bytes.length <= buf.length) };
}

/** Zip mutations against the archive's own records: central directory vs local headers. */
export function mutateZip(/** @type {Buffer} */ buf, /** @type {import('./fuzz-cases.mjs').Rng} */ r) {
  const records = [];
  /** @type {[number, string][]} */
  const signatures = [
    [0x02014b50, 'central'],
    [0x04034b50, 'local'],
    [0x06054b50, 'end'],
  ];
  for (const [sig, kind] of signatures) {
    const needle = Buffer.alloc(4);
    needle.writeUInt32LE(sig);
    for (let at = buf.indexOf(needle); at >= 0; at = buf.indexOf(needle, at + 1)) records.push({ kind, at });
  }
  if (!records.length) return mutateRaw(buf, r);
  const rec = r.pick(records);
  // Field offsets: central: method 10, crc 16, csize 20, usize 24, name len 28, extra 30, comment 32, offset 42;
  // local: method 8, crc 14, csize 18, usize 22, name len 26, extra 28; end: entries 8/10, cd size 12, cd offset 16.
  const fields = /** @type {[number, number, string][]} */ (
    {
      central: [
        [10, 2, 'method'],
        [20, 4, 'csize'],
        [24, 4, 'usize'],
        [28, 2, 'namelen'],
        [30, 2, 'extra'],
        [42, 4, 'offset'],
        [46, 1, 'name'],
      ],
      local: [
        [8, 2, 'method'],
        [18, 4, 'csize'],
        [22, 4, 'usize'],
        [26, 2, 'namelen'],
        [28, 2, 'extra'],
        [30, 1, 'name'],
      ],
      end: [
        [8, 2, 'entries'],
        [10, 2, 'entries'],
        [12, 4, 'cdsize'],
        [16, 4, 'cdoffset'],
      ],
    }[rec.kind]
  );
  const [off, width, what] = r.pick(fields);
  let bytes;
  if (what === 'method') bytes = le(r.pick([0, 8, 12, 14, 93, 99]), 2);
  else if (what === 'name') bytes = Buffer.from(r.pick(['../', '/', '..', '\\', 'C:']).padEnd(2, '/').slice(0, 2));
  else bytes = le(r.pick([0, 1, 0xffff, 0xffffffff, 1000 * 1024 * 1024, r.int(buf.length)]), width);
  const at = rec.at + off;
  if (at + bytes.length > buf.length) return mutateRaw(buf, r);
  return { op: `zip:${rec.kind}:${what}`, patches: [{ at, bytes }] };
}

// ── TensorFlow SavedModel: the checkpoint table and protobuf files ─────────────────────────────────────

const CRC32C = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  return c >>> 0;
});
/** LevelDB's masked CRC-32C of bytes (what a table block's trailer stores). */
export function maskedCrc32c(/** @type {Buffer} */ buf) {
  let c = 0xffffffff;
  for (const x of buf) c = /** @type {number} */ (CRC32C[(c ^ x) & 0xff]) ^ (c >>> 8);
  c = (c ^ 0xffffffff) >>> 0;
  return (((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0;
}

/** The blocks of a LevelDB-format table (variables.index): [{at, size}] from its footer's index block, or []. */
export function tableBlocks(/** @type {Buffer} */ buf) {
  if (buf.length < 48 || buf.readUInt32LE(buf.length - 8) !== 0x8b80fb57) return [];
  /** @returns {[number, number]} */
  const varint = (/** @type {number} */ pos) => {
    let v = 0;
    let scale = 1;
    for (let i = 0; i < 10 && pos < buf.length; i++) {
      const b = /** @type {number} */ (buf[pos++]);
      v += (b & 0x7f) * scale;
      if (!(b & 0x80)) return [v, pos];
      scale *= 128;
    }
    return [-1, pos];
  };
  const f = buf.length - 48;
  const [mo, a] = varint(f);
  const [ms, b] = varint(a);
  const [io, c] = varint(b);
  const [is] = varint(c);
  const blocks = [
    { at: mo, size: ms },
    { at: io, size: is },
  ];
  // Data blocks: every handle in the index block's values (offset, size varint pairs), read loosely.
  for (let p = io; p >= 0 && p < io + is - 4; ) {
    const [shared, p1] = varint(p);
    const [unshared, p2] = varint(p1);
    const [vlen, p3] = varint(p2);
    if (shared < 0 || unshared < 0 || vlen < 0) break;
    const [off, q] = varint(p3 + unshared);
    const [size] = varint(q);
    if (off >= 0 && size >= 0 && off + size + 5 <= f) blocks.push({ at: off, size });
    p = p3 + unshared + vlen;
  }
  return blocks.filter((x) => x.at >= 0 && x.size >= 0 && x.at + x.size + 5 <= f);
}

/**
 * A checkpoint-table mutation as patches: bytes inside a block (an entry's lengths, a key, a BundleEntryProto
 * value, the restart array) changed and the block's masked CRC recomputed so the reader gets past it; or the
 * footer's handles; or raw bytes.
 */
export function mutateTable(/** @type {Buffer} */ buf, /** @type {import('./fuzz-cases.mjs').Rng} */ r) {
  const blocks = tableBlocks(buf);
  if (!blocks.length || r.next() < 0.15) return mutateRaw(buf, r);
  if (r.next() < 0.15) {
    const at = buf.length - 48 + r.int(40);
    return {
      op: 'table:footer',
      patches: [{ at, bytes: Buffer.from([r.pick([0, 0x7f, 0x80, 0xff, /** @type {number} */ (buf[at]) ^ 1])]) }],
    };
  }
  const blk = r.pick(blocks);
  if (blk.size === 0) return mutateRaw(buf, r);
  const out = Buffer.from(buf);
  const n = 1 + r.int(4);
  const region = r.next() < 0.2 ? 'restarts' : 'entries';
  for (let i = 0; i < n; i++) {
    const at = region === 'restarts' ? blk.at + Math.max(0, blk.size - 1 - r.int(Math.min(blk.size, 12))) : blk.at + r.int(blk.size);
    out[at] = r.pick([0, 1, 0x7f, 0x80, 0xff, /** @type {number} */ (out[at]) ^ (1 << r.int(8)), r.int(256)]);
  }
  out.writeUInt32LE(maskedCrc32c(out.subarray(blk.at, blk.at + blk.size + 1)), blk.at + blk.size + 1);
  const patches = [];
  for (let i = blk.at; i < blk.at + blk.size + 5; i++)
    if (out[i] !== buf[i]) patches.push({ at: i, bytes: Buffer.from([/** @type {number} */ (out[i])]) });
  return { op: `table:${region}`, patches };
}

/**
 * A protobuf mutation as patches: a field key or a length prefix (at a random field boundary found by walking
 * the top levels) replaced by an extreme varint of the same width, a wire type changed, or raw bytes.
 */
export function mutateProto(/** @type {Buffer} */ buf, /** @type {import('./fuzz-cases.mjs').Rng} */ r) {
  /** @type {{ key: number, len: number, width: number }[]} */
  const heads = [];
  const walk = (/** @type {number} */ start, /** @type {number} */ end, /** @type {number} */ depth) => {
    let p = start;
    while (p < end && heads.length < 4000) {
      const k0 = p;
      let key = 0;
      let scale = 1;
      while (p < end && /** @type {number} */ (buf[p]) & 0x80) {
        key += (0x7f & /** @type {number} */ (buf[p++])) * scale;
        scale *= 128;
      }
      if (p >= end) return;
      key += /** @type {number} */ (buf[p++]) * scale;
      const wire = key % 8;
      if (wire === 0) {
        while (p < end && /** @type {number} */ (buf[p]) & 0x80) p++;
        p++;
      } else if (wire === 1) p += 8;
      else if (wire === 5) p += 4;
      else if (wire === 2) {
        const l0 = p;
        let len = 0;
        scale = 1;
        while (p < end && /** @type {number} */ (buf[p]) & 0x80) {
          len += (0x7f & /** @type {number} */ (buf[p++])) * scale;
          scale *= 128;
        }
        if (p >= end) return;
        len += /** @type {number} */ (buf[p++]) * scale;
        heads.push({ key: k0, len: l0, width: p - l0 });
        if (depth < 4 && p + len <= end && len > 2) walk(p, p + len, depth + 1);
        p += len;
      } else return;
    }
  };
  walk(0, buf.length, 0);
  if (!heads.length || r.next() < 0.2) return mutateRaw(buf, r);
  const h = r.pick(heads);
  const x = r.next();
  if (x < 0.6) {
    // The length prefix, same width: 0, all-ones, or one more/less in its low byte.
    const bytes = Buffer.alloc(h.width);
    const v = r.pick(['zero', 'max', 'flip']);
    for (let i = 0; i < h.width; i++)
      bytes[i] =
        v === 'zero'
          ? i < h.width - 1
            ? 0x80
            : 0
          : v === 'max'
            ? i < h.width - 1
              ? 0xff
              : 0x7f
            : /** @type {number} */ (buf[h.len + i]);
    if (v === 'flip') bytes[0] = /** @type {number} */ (bytes[0]) ^ (1 << r.int(7));
    return { op: `proto:length-${v}`, patches: [{ at: h.len, bytes }] };
  }
  // The key byte: another wire type (3/4 groups, 6/7 invalid) or field number 0.
  return {
    op: 'proto:key',
    patches: [{ at: h.key, bytes: Buffer.from([r.pick([0x00, 0x03, 0x04, 0x06, 0x07, (0xf8 & /** @type {number} */ (buf[h.key])) | 1])]) }],
  };
}
