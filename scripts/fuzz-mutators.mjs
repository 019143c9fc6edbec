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
