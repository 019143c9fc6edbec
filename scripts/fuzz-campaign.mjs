// `npm run fuzz -- [--cases N] [--jobs J] [--seed S] [--from K] [--cli-every M] [--batch B] [--time-ms T] [--rss-mb R]
//                  [--recycle-mb C] [--out DIR] [--work DIR]`
// The fuzz campaign of issue 14. Cases are generated from a seed and a case number (so any case can be
// regenerated and the run resumed with --from), over every format: HDF5 (structure-aware, checksums
// recomputed), zip (central directory vs local headers, methods, sizes, names, sharded bombs), JSON (types,
// numbers, nesting, huge arrays and strings, cycles, nulls, duplicates), TF.js manifests (paths: `..`,
// absolute, URLs, percent-encoded, symbolic links; dtypes, quantization, shapes) and generated models (many
// layers, many shards, quantized weights). Limits are enforced from OUTSIDE the process that runs a case:
//  - library cases run in blocks (--batch, default 2000) in long-lived child processes; the parent follows
//    each case by its "start"/"ref"/"end" lines, samples the child's CPU time and resident memory from /proc,
//    and kills the child when a case passes a limit (then resumes after it in a fresh child). Memory is what
//    ONE case costs: its peak (the child's VmHWM, reset at each case) above the child's RSS when the case
//    started; a child that holds more than --recycle-mb (default 300) between cases is replaced;
//  - one case in every M (--cli-every, default 100, at a rotating offset so every kind gets its share) runs
//    as a fresh CLI process (bin/kerascope.js through a wrapper that reports its peak RSS), whose stderr and
//    exit code are checked against the contract;
//  - every HDF5 input (the h5 kind, .keras archives whose bytes were patched, anything with the HDF5
//    signature) is read twice more: with the TypeScript reader forced and with h5wasm (the reference); the
//    reports must be equal (both an InputError agrees too) unless the TypeScript reader declined
//    (Hdf5Unsupported). A hang, balloon or crash during the h5wasm run is the reference's (reported, not a
//    kerascope failure).
// Time is CPU time (user + system) so that a loaded machine does not fail cases; wall time is capped at 12× the
// limit. Failures are classified (crash, timeout, memory, stderr, native-text, exit-mismatch, bad-json,
// temp-left, input-modified, reader-disagree), the first few of each class are minimized (delta debugging over
// the byte patches) and written to --out with a summary JSON (counts, per-kind CPU, the reader comparison).
// Exit 1 if any failure.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { JSON_OPS, rng, unzipMembers } from './fuzz-cases.mjs';
import { applyPatches, mutateHdf5, mutateProto, mutateRaw, mutateTable, mutateZip } from './fuzz-mutators.mjs';
import { zipBytes } from './fixtures/security.mjs';
import { judgeTrace, STRACE, traced } from './fuzz-trace.mjs';

/** @typedef {import('./fixtures/util.mjs').Json} Json */
/** @typedef {import('./fuzz-cases.mjs').Rng} Rng */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = path.resolve(ROOT, '..', 'shared', 'models');
/**
 * @param {string} name
 * @param {Json} [dflt]
 */
const argOf = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const num = (/** @type {string} */ name, /** @type {Json} */ dflt) => Number(argOf(name, dflt));

// ── seeds ──────────────────────────────────────────────────────────────────────────────────────────────

const exists = (/** @type {string} */ p) => fs.existsSync(p);
const listFiles = (/** @type {string} */ dir, /** @type {RegExp} */ re) =>
  exists(dir)
    ? fs
        .readdirSync(dir, { recursive: true })
        .map(String)
        .filter((f) => re.test(f))
        .map((f) => path.join(dir, f))
    : [];
const SEEDS = {
  h5: [
    ...listFiles(path.join(ROOT, 'fixtures/keras-h5'), /\.h5$/),
    ...listFiles(path.join(ROOT, 'fixtures/security'), /\.h5$/),
    path.join(ROOT, 'fixtures/variants/keras3-legacy.h5'),
    path.join(ROOT, 'fixtures/keras3/weights_only/model.weights.h5'),
    ...listFiles(SHARED, /\.(h5|hdf5)$/).filter((f) => fs.statSync(f).size < 100 * 1024 * 1024),
  ].filter(exists),
  keras: [
    ...listFiles(path.join(ROOT, 'fixtures/keras3'), /\.keras$/),
    ...listFiles(path.join(ROOT, 'fixtures/variants'), /\.keras$/),
    ...listFiles(SHARED, /\.keras$/),
  ].filter((f) => exists(f) && fs.readFileSync(f).subarray(0, 2).toString() === 'PK'),
  tfjs: [
    ...listFiles(path.join(ROOT, 'fixtures/tfjs'), /model\.json$/),
    path.join(ROOT, 'fixtures/variants/tfjs-graph/model.json'),
    path.join(ROOT, 'fixtures/variants/tfjs-old/model.json'),
    ...listFiles(SHARED, /(^|\/)model\.json$/),
  ]
    .filter(exists)
    .map((f) => path.dirname(f)),
  savedmodel: [
    ...['sequential', 'functional', 'rnn', 'tf24', 'module', 'mlp', 'op-readfile', 'op-writefile-fn'].map((d) =>
      path.join(ROOT, 'fixtures/savedmodel', d),
    ),
    ...listFiles(SHARED, /(^|\/)saved_model\.pb$/).map((f) => path.dirname(f)),
  ].filter(exists),
  json: [
    path.join(ROOT, 'fixtures/keras-h5/mlp.json'),
    ...listFiles(SHARED, /\.json$/).filter((f) => !/(^|\/)model\.json$/.test(f) && !f.endsWith('EXPECTED.json')),
  ].filter(exists),
};
const seedCache = new Map();
const readSeed = (/** @type {Json} */ f) => {
  if (!seedCache.has(f)) seedCache.set(f, fs.readFileSync(f));
  return seedCache.get(f);
};
/** A seed archive's members, unzipped once per process; each case gets its own shallow copies. */
const membersCache = new Map();
const seedMembers = async (/** @type {Json} */ f) => {
  if (!membersCache.has(f)) membersCache.set(f, await unzipMembers(f));
  return membersCache.get(f).map((/** @type {Json} */ m) => ({ ...m }));
};
/** A seed TF.js folder's files (name, bytes), read once per process. */
const dirCache = new Map();
const seedDir = (/** @type {string} */ dir) => {
  if (!dirCache.has(dir))
    dirCache.set(
      dir,
      fs
        .readdirSync(dir)
        .filter((n) => fs.statSync(path.join(dir, n)).isFile())
        .map((n) => ({ name: n, data: fs.readFileSync(path.join(dir, n)) })),
    );
  return dirCache.get(dir);
};
/**
 * Sizes for the costly cases: usually `small`, in a `share` of the draws one of `huge`. The huge inputs
 * (3·10⁷-character strings, 3·10⁶-item arrays, 3·10⁷ brackets, 3,000 layers, 400 shards) stay in the campaign,
 * but as a few per mille of the cases, so they do not take most of its time.
 */
const sized = (/** @type {Rng} */ r, /** @type {number[]} */ small, /** @type {number[]} */ huge, share = 0.03) =>
  r.next() < share ? r.pick(huge) : r.pick(small);

// ── generated models ───────────────────────────────────────────────────────────────────────────────────

function generatedTfjs(/** @type {Rng} */ r, /** @type {string} */ dir) {
  const layers = 1 + r.int(r.next() < 0.01 ? 3000 : 60);
  const shards = 1 + r.int(r.next() < 0.01 ? 400 : 4);
  const quant = r.pick([null, 'uint8', 'uint16', 'float16']);
  const cfgLayers = [];
  const weights = [];
  let bytes = 0;
  for (let i = 0; i < layers; i++) {
    cfgLayers.push({ class_name: 'Dense', config: { name: `d${i}`, units: 2, ...(i === 0 ? { batch_input_shape: [null, 2] } : {}) } });
    /** @type {[string, number[]][]} */
    const vars = [
      ['kernel', [2, 2]],
      ['bias', [2]],
    ];
    for (const [n, shape] of vars) {
      const count = shape.reduce((a, b) => a * b, 1);
      weights.push({
        name: `d${i}/${n}`,
        shape,
        dtype: 'float32',
        ...(quant
          ? { quantization: { dtype: quant, ...(quant === 'float16' ? {} : { min: -1, scale: 0.01 }), original_dtype: 'float32' } }
          : {}),
      });
      bytes += count * (quant === 'uint8' ? 1 : quant ? 2 : 4);
    }
  }
  const per = Math.ceil(bytes / shards);
  const paths = [];
  for (let s = 0; s < shards; s++) {
    const name = `group1-shard${s + 1}of${shards}.bin`;
    paths.push(name);
    fs.writeFileSync(path.join(dir, name), Buffer.alloc(Math.max(0, Math.min(per, bytes - s * per))));
  }
  const doc = {
    format: 'layers-model',
    modelTopology: { class_name: 'Sequential', config: { name: 'g', layers: cfgLayers }, keras_version: 'tfjs-layers 4.22.0' },
    weightsManifest: [{ paths, weights }],
  };
  return doc;
}

// ── JSON mutations beyond fuzz-cases' (huge, null, duplicate keys at the text level) ─────────────────

const BIG_JSON = {
  hugeArray(/** @type {Json} */ doc, /** @type {Rng} */ r) {
    const n = sized(r, [1e2, 1e3, 1e4], [1e5, 1e6, 3e6], 0.01);
    const target = r.pick(['inbound_nodes', 'weightsManifest', 'layers', 'paths', 'shape']);
    const arr = new Array(n).fill(/** @type {Json} */ (target === 'paths' ? 'x.bin' : target === 'shape' ? 1 : [[['a', 0, 0, {}]]]));
    if (target === 'weightsManifest')
      return { ...doc, weightsManifest: [{ paths: [], weights: arr.map((_, i) => ({ name: `a/w${i}`, shape: [1], dtype: 'float32' })) }] };
    const stack = [doc];
    while (stack.length) {
      const v = stack.pop();
      if (v && typeof v === 'object') {
        if (!Array.isArray(v) && target in v) {
          v[target] = arr;
          return doc;
        }
        for (const c of Object.values(v)) stack.push(c);
      }
    }
    return { ...doc, [target]: arr };
  },
  hugeString(/** @type {Json} */ doc, /** @type {Rng} */ r) {
    return { ...doc, name: 'x'.repeat(sized(r, [2e4, 2e5], [2e6, 3e7])) };
  },
  nullObject(/** @type {Json} */ doc, /** @type {Rng} */ r) {
    const keys = ['modelTopology', 'weightsManifest', 'config', 'model_config', 'layers', 'weights', 'paths'];
    const stack = [doc];
    const hits = [];
    while (stack.length) {
      const v = stack.pop();
      if (v && typeof v === 'object')
        for (const [k, c] of Object.entries(v)) {
          if (keys.includes(k)) hits.push([v, k]);
          stack.push(c);
        }
    }
    if (hits.length) {
      const [p, k] = r.pick(hits);
      p[k] = r.pick([null, 5, 'x', [], {}, [null], [5]]);
    }
    return doc;
  },
};

function textOps(/** @type {string} */ text, /** @type {Rng} */ r) {
  const k = r.int(4);
  if (k === 0) return '['.repeat(sized(r, [300, 1e4, 1e5], [3e7])); // deep brackets
  if (k === 1) return text.replace(/"name":/, '"name": "dup", "name":'); // duplicate keys
  if (k === 2)
    return text.replace(/\d+/g, (/** @type {string} */ d) =>
      r.next() < 0.05 ? r.pick(['-1', '1e308', '18446744073709551616', '-0', '1.5']) : d,
    );
  return text.slice(0, r.int(text.length));
}

function mutateJson(/** @type {string} */ text, /** @type {Rng} */ r) {
  let doc;
  try {
    doc = JSON.parse(text);
  } catch {
    return { op: 'json:text', out: textOps(text, r) };
  }
  const x = r.next();
  if (x < 0.15) return { op: 'json:text', out: textOps(text, r) };
  if (x < 0.3) {
    const op = /** @type {keyof typeof BIG_JSON} */ (r.pick(Object.keys(BIG_JSON)));
    return { op: `json:${op}`, out: JSON.stringify(BIG_JSON[op](doc, r)) };
  }
  const op = /** @type {keyof typeof JSON_OPS} */ (r.pick(Object.keys(JSON_OPS)));
  for (let i = 1 + r.int(3); i > 0; i--) doc = JSON_OPS[op](doc, r);
  return { op: `json:${op}`, out: JSON.stringify(doc) };
}

const PATHS = [
  '../x.bin',
  '/etc/passwd',
  'https://example.com/x.bin',
  'file:///etc/passwd',
  '%2e%2e/%2e%2e/x.bin',
  '..%2Fx.bin',
  'C:\\x.bin',
  '\\\\host\\x',
  'a/../../x.bin',
  '',
  'LINK',
];

function mutateManifest(/** @type {Json} */ doc, /** @type {Rng} */ r, /** @type {string} */ dir) {
  const groups = Array.isArray(doc?.weightsManifest) ? doc.weightsManifest : [];
  const g = groups.length ? r.pick(groups) : null;
  const k = r.int(4);
  if (!g || typeof g !== 'object') return { op: 'manifest:none', doc };
  if (k === 0 && Array.isArray(g.paths)) {
    const p = r.pick(PATHS);
    if (p === 'LINK') {
      fs.writeFileSync(path.join(dir, '..', 'outside.bin'), Buffer.alloc(4096));
      const name = g.paths[0] ?? 'x.bin';
      fs.rmSync(path.join(dir, name), { force: true });
      fs.symlinkSync('../outside.bin', path.join(dir, name));
      return { op: 'manifest:symlink', doc };
    }
    g.paths[r.int(g.paths.length)] = p;
    return { op: 'manifest:path', doc };
  }
  const w = Array.isArray(g.weights) && g.weights.length ? r.pick(g.weights) : null;
  if (!w || typeof w !== 'object') return { op: 'manifest:none', doc };
  if (k === 1) w.dtype = r.pick(['float64', 'string', 'int64', 'complex64', 'bool', 5, null]);
  else if (k === 2)
    w.quantization = r.pick([{ dtype: 'uint8', min: 0, scale: 1 }, { dtype: 'int4' }, { dtype: null }, null, 5, { dtype: 'float16' }]);
  else w.shape = r.pick([[-1], [2 ** 40, 2 ** 40], [1e308], [1.5], ['a'], null, new Array(sized(r, [5, 50], [5000])).fill(1), [0]]);
  return { op: `manifest:${['path', 'dtype', 'quantization', 'shape'][k]}`, doc };
}

// ── cases ──────────────────────────────────────────────────────────────────────────────────────────────

const COMMANDS = [
  ['inspect', 'table'],
  ['inspect', 'json'],
  ['audit', 'table'],
  ['audit', 'json'],
  ['audit', 'sarif'],
];

/** Case `i` of `seed`, written under `dir`: {file, cmd, format, kind, op, seedFile?, patches?}. */
export async function generate(/** @type {number} */ seed, /** @type {number} */ i, /** @type {string} */ dir) {
  const r = rng(seed * 7_919 + i);
  const [cmd, format] = r.pick(COMMANDS);
  const kinds = ['h5', 'h5', 'keras', 'keras', 'tfjs', 'tfjs', 'json', 'generated', 'savedmodel'];
  const kind = kinds[i % kinds.length];
  const caseDir = path.join(dir, `c${i}`, 'm');
  fs.mkdirSync(caseDir, { recursive: true });
  const base = { cmd, format, kind };
  if (kind === 'h5') {
    const seedFile = r.pick(SEEDS.h5);
    const buf = readSeed(seedFile);
    const m = r.next() < 0.75 ? mutateHdf5(buf, r) : mutateRaw(buf, r);
    const file = path.join(caseDir, 'model.h5');
    fs.writeFileSync(file, applyPatches(buf, m.patches));
    return { ...base, file, op: m.op, seedFile, patches: m.patches };
  }
  if (kind === 'keras') {
    const seedFile = r.pick(SEEDS.keras);
    const buf = readSeed(seedFile);
    const file = path.join(caseDir, 'model.keras');
    const x = r.next();
    if (x < 0.35 || x >= 0.95) {
      const m = x < 0.2 ? mutateZip(buf, r) : x < 0.35 ? mutateHdf5(buf, r) : mutateRaw(buf, r);
      fs.writeFileSync(file, applyPatches(buf, m.patches));
      return { ...base, file, op: m.op, seedFile, patches: m.patches };
    }
    const members = await seedMembers(seedFile);
    let op;
    if (x < 0.85) {
      const name = r.pick(members.map((/** @type {Json} */ m) => m.name).filter((/** @type {string} */ n) => n.endsWith('.json')));
      const mem = members.find((/** @type {Json} */ m) => m.name === name);
      const mj = mutateJson(mem.data.toString('utf8'), r);
      mem.data = Buffer.from(mj.out);
      op = `keras-${name}:${mj.op}`;
      if (r.next() < 0.3) for (const m of members) m.method = 8;
    } else {
      // A sharded bomb: compressed shards declaring a large size each.
      const n = 1 + r.int(8);
      /** @type {Record<string, string>} */
      const map = {};
      for (let s = 0; s < n; s++) map[`v${s}`] = `model_${String(s).padStart(5, '0')}.weights.h5`;
      members.splice(
        members.findIndex((/** @type {Json} */ m) => m.name === 'model.weights.h5'),
        1,
      );
      members.push({ name: 'model.weights.json', data: Buffer.from(JSON.stringify({ weight_map: map })) });
      for (const name of Object.values(map))
        members.push({
          name,
          data: Buffer.alloc(1024 * (1 + r.int(64))),
          method: 8,
          declaredSize: r.pick([1000, 500, 100, 2000]) * 1024 * 1024,
        });
      op = 'zip:sharded-bomb';
    }
    fs.writeFileSync(
      file,
      zipBytes(
        members.map((/** @type {Json} */ m) => ({
          name: m.name,
          data: m.data,
          method: m.method === 8 ? 8 : 0,
          declaredSize: m.declaredSize,
        })),
      ),
    );
    return { ...base, file, op };
  }
  if (kind === 'tfjs' || kind === 'generated') {
    let doc;
    if (kind === 'tfjs') {
      const files = seedDir(r.pick(SEEDS.tfjs));
      for (const f of files) fs.writeFileSync(path.join(caseDir, f.name), f.data);
      doc = JSON.parse(files.find((/** @type {Json} */ f) => f.name === 'model.json').data.toString('utf8'));
    } else doc = generatedTfjs(r, caseDir);
    const file = path.join(caseDir, 'model.json');
    const x = r.next();
    let op;
    let text;
    if (x < 0.45) {
      const m = mutateManifest(doc, r, caseDir);
      op = m.op;
      text = JSON.stringify(m.doc);
    } else if (x < 0.85 || kind === 'generated') {
      const m = mutateJson(JSON.stringify(doc), r);
      op = m.op;
      text = m.out;
    } else {
      text = JSON.stringify(doc);
      const shards = fs.readdirSync(caseDir).filter((n) => n !== 'model.json');
      if (shards.length) {
        const s = path.join(caseDir, r.pick(shards));
        const b = fs.readFileSync(s);
        fs.writeFileSync(s, r.next() < 0.5 ? b.subarray(0, r.int(b.length + 1)) : Buffer.concat([b, Buffer.alloc(1 + r.int(64))]));
      }
      op = 'shard:size';
    }
    fs.writeFileSync(file, text);
    return { ...base, file, op: `${kind === 'generated' ? 'gen:' : ''}${op}` };
  }
  if (kind === 'savedmodel') {
    // A SavedModel folder with one of its files mutated: the checkpoint table (blocks re-checksummed), a
    // protobuf file (lengths, keys), or a data shard cut short. The case's input is the folder.
    const seedDir = r.pick(SEEDS.savedmodel);
    fs.cpSync(seedDir, caseDir, { recursive: true });
    for (const f of fs.readdirSync(caseDir, { recursive: true })) fs.chmodSync(path.join(caseDir, String(f)), 0o755);
    const target = r.pick(
      [
        'saved_model.pb',
        'saved_model.pb',
        'keras_metadata.pb',
        'variables/variables.index',
        'variables/variables.index',
        'variables/variables.data-00000-of-00001',
      ].filter((t) => fs.existsSync(path.join(caseDir, t))),
    );
    const at = path.join(caseDir, target);
    const buf = fs.readFileSync(at);
    let op;
    if (target.includes('.data-')) {
      fs.writeFileSync(at, buf.subarray(0, r.int(buf.length + 1)));
      op = 'shard:cut';
    } else {
      const m = target.endsWith('.index') ? mutateTable(buf, r) : mutateProto(buf, r);
      fs.writeFileSync(at, applyPatches(buf, m.patches));
      op = m.op;
    }
    return { ...base, file: caseDir, op: `${target}:${op}` };
  }
  const seedFile = r.pick(SEEDS.json);
  const file = path.join(caseDir, 'arch.json');
  const m = mutateJson(readSeed(seedFile).toString('utf8'), r);
  fs.writeFileSync(file, m.out);
  return { ...base, file, op: m.op, seedFile };
}

// ── the library child: runs cases [from, to) in process, one line per phase of each case ────────────────
//
// Lines on stdout (JSON after the case number):
//   start i {kind, op, rss}        the case is generated; kerascope runs it (inspect + the command's rendering,
//                                  and for HDF5 inputs the TypeScript reader forced). `rss` is the resident
//                                  memory at that moment; the child resets its high-water mark (VmHWM).
//   ref i {rss, k}                 kerascope is done (`k`: its outcome, CPU ms and peak RSS); the reference
//                                  reader (h5wasm) runs now: a hang or a balloon from here on is h5wasm's.
//   end i {k, ref, hdf5, ...}      the case is over.
//   recycle i {rss}                the child grew past --recycle-mb between cases and ends; the parent starts a
//                                  fresh one at case i.

/** Whether case `i` runs as a CLI process: one case in every block of `every`, at an offset that rotates over the block so that every kind gets its share. */
export const isCliCase = (/** @type {number} */ i, /** @type {number} */ every) => i % every === Math.floor(i / every) % every;

const HDF5_SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The inputs the two HDF5 readers are compared on: HDF5 files and `.keras` archives whose bytes were patched. */
function comparesHdf5(/** @type {Json} */ c) {
  if (c.kind === 'h5' || (c.kind === 'keras' && c.patches)) return true;
  try {
    const fd = fs.openSync(c.file, 'r');
    const head = Buffer.alloc(8);
    fs.readSync(fd, head, 0, 8, 0);
    fs.closeSync(fd);
    return head.equals(HDF5_SIGNATURE);
  } catch {
    return false;
  }
}

/** The library's modules the child uses (from dist/). */
async function loadLib() {
  const lib = await import('../dist/index.js');
  const { Hdf5Unsupported } = await import('../dist/hdf5/index.js');
  const { auditFindings, renderAuditJson, renderAuditTable } = await import('../dist/report/audit.js');
  const { renderSarif } = await import('../dist/report/sarif.js');
  const { renderTable } = await import('../dist/report/table.js');
  const { renderJson } = await import('../dist/report/json.js');
  return { lib, Hdf5Unsupported, auditFindings, renderAuditJson, renderAuditTable, renderSarif, renderTable, renderJson };
}

/** One load through one HDF5 reader: {report} | {error} (an InputError) | {declined} (Hdf5Unsupported) | {crash}. */
/** The start of the InputError a file the TypeScript reader declines gives (src/hdf5/errors.ts, damaged). */
const DECLINED = /^an HDF5 structure kerascope's reader does not follow: /;

async function attempt(/** @type {Json} */ m, /** @type {string} */ file, /** @type {string} */ hdf5) {
  try {
    return { report: await m.lib.inspect(file, { hdf5 }) };
  } catch (thrown) {
    const e = /** @type {Error} */ (thrown);
    const msg = String(e?.message).split('\n')[0]?.slice(0, 300);
    // A structure the TypeScript reader does not follow: one InputError since there is no fallback (docs/hdf5.md).
    if (e instanceof m.Hdf5Unsupported || (e instanceof m.lib.InputError && DECLINED.test(e.message))) return { declined: msg };
    if (e instanceof m.lib.InputError && !String(e.message).includes('\n')) return { error: msg };
    return { crash: `${e?.name}: ${msg}` };
  }
}

/** A report as JSON without what legitimately differs between readers: which one read it, and their own wording of why an attribute is unreadable. */
function comparable(/** @type {Json} */ m, /** @type {Json} */ report) {
  const { hdf5Reader: _, ...meta } = report.meta ?? {};
  const findings = report.findings.map((/** @type {Json} */ f) =>
    f.code === 'hdf5-attribute-unreadable' ? { ...f, message: String(f.message).replace(/\(.*\)/, '(…)') } : f,
  );
  return JSON.parse(m.renderJson({ ...report, meta, findings }));
}

/** The first path where two JSON values differ, with both values (short). */
/** @returns {string | null} */
function firstDiff(/** @type {Json} */ a, /** @type {Json} */ b, at = '') {
  if (a === b) return null;
  const show = (/** @type {Json} */ v) => (JSON.stringify(v) ?? 'undefined').slice(0, 80);
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    if (Array.isArray(a) && a.length !== b.length) {
      for (let k = 0; k < Math.min(a.length, b.length); k++) {
        const d = firstDiff(a[k], b[k], `${at}[${k}]`);
        if (d) return d;
      }
      return `${at}.length: ${a.length} vs ${b.length}`;
    }
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDiff(a[k], b[k], Array.isArray(a) ? `${at}[${k}]` : `${at}.${k}`);
      if (d) return d;
    }
    return null;
  }
  return `${at || '.'}: ${show(a)} vs ${show(b)}`;
}

/** The two readers' outcomes compared: {hdf5: 'agreed' | 'both-error' | 'disagreed', detail?} (TS first). */
function judge(/** @type {Json} */ m, /** @type {Json} */ ts, /** @type {Json} */ ref) {
  if (ts.report && ref.report) {
    const d = firstDiff(comparable(m, ts.report), comparable(m, ref.report));
    return d ? { hdf5: 'disagreed', detail: `typescript vs h5wasm at ${d}` } : { hdf5: 'agreed' };
  }
  if (ts.error && ref.error) return { hdf5: 'both-error' };
  const say = (/** @type {Json} */ x) => (x.report ? 'a report' : `an InputError (${x.error})`);
  return { hdf5: 'disagreed', detail: `typescript gave ${say(ts)}, h5wasm ${say(ref)}`.slice(0, 400) };
}

const procHwm = () => Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) * 1024;
/** Resets this process's resident-memory high-water mark (Linux ≥ 4.0); false where that is not allowed. */
const resetHwm = () => {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
};
const cpuMsNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function libChild(
  /** @type {number} */ seed,
  /** @type {number} */ from,
  /** @type {number} */ to,
  /** @type {string} */ dir,
  /** @type {number} */ cliEvery,
  /** @type {number} */ recycleMb,
) {
  const m = await loadLib();
  const say = (/** @type {string} */ tag, /** @type {number} */ i, /** @type {Json} */ info) =>
    process.stdout.write(`${tag} ${i} ${JSON.stringify(info)}\n`);
  const gc = /** @type {any} */ (globalThis).gc;
  let settled = process.memoryUsage.rss();
  for (let i = from; i < to; i++) {
    if (isCliCase(i, cliEvery)) continue; // run by the parent as a CLI process
    // Between cases: a full collection when the process grew by 64 MB since the last one (a big case's
    // garbage and buffers); still past --recycle-mb after it (h5wasm's heap never shrinks) → end, and the
    // parent starts a fresh child at this case.
    if (gc && process.memoryUsage.rss() > settled + 64 * 1048576) {
      gc();
      settled = process.memoryUsage.rss();
    }
    if (process.memoryUsage.rss() > recycleMb * 1048576) {
      say('recycle', i, { rss: process.memoryUsage.rss() });
      return;
    }
    const g0 = cpuMsNow();
    const c = /** @type {any} */ (await generate(seed, i, dir));
    const genCpuMs = cpuMsNow() - g0;
    const hwmOk = resetHwm();
    const peakNow = () => (hwmOk ? procHwm() : process.memoryUsage.rss());
    say('start', i, { kind: c.kind, op: c.op, rss: process.memoryUsage.rss() });
    const t0 = cpuMsNow();
    let outcome = 'report';
    let detail = '';
    let report = null;
    try {
      report = await m.lib.inspect(c.file);
      const findings = c.cmd === 'audit' ? m.auditFindings(report) : report.findings;
      const out =
        c.cmd === 'inspect'
          ? c.format === 'json'
            ? m.renderJson(report)
            : m.renderTable(report)
          : c.format === 'sarif'
            ? m.renderSarif({ file: report.file, findings })
            : c.format === 'json'
              ? m.renderAuditJson(report, findings)
              : m.renderAuditTable(report, findings);
      if (c.format !== 'table') JSON.parse(out);
    } catch (thrown) {
      const e = /** @type {Error} */ (thrown);
      report = null;
      if (e instanceof m.lib.InputError && !String(e.message).includes('\n')) outcome = 'input-error';
      else {
        outcome = 'crash';
        detail = `${e?.name}: ${String(e?.message).split('\n')[0]?.slice(0, 300)}`;
      }
    }
    // The reader differential: the TypeScript reader forced (the default run's report when it came from it).
    let hdf5 = null;
    let ts = null;
    if (outcome !== 'crash' && comparesHdf5(c)) {
      ts = report && !report.meta?.hdf5Reader ? { report } : await attempt(m, c.file, 'typescript');
      if (ts.crash) {
        outcome = 'crash';
        detail = `with the TypeScript reader forced: ${ts.crash}`;
      } else if (ts.declined) hdf5 = { hdf5: 'declined', detail: ts.declined };
    }
    const k = { outcome, detail, cpuMs: Math.round(cpuMsNow() - t0), peak: peakNow() };
    let ref = null;
    if (ts && !ts.crash && !ts.declined) {
      resetHwm();
      say('ref', i, { rss: process.memoryUsage.rss(), k });
      const r0 = cpuMsNow();
      const res = await attempt(m, c.file, 'h5wasm');
      ref = { cpuMs: Math.round(cpuMsNow() - r0), peak: peakNow(), crash: res.crash ?? null };
      hdf5 = res.crash ? { hdf5: 'reference-crash', detail: res.crash } : judge(m, ts, res);
    }
    fs.rmSync(path.join(dir, `c${i}`), { recursive: true, force: true });
    say('end', i, { kind: c.kind, op: c.op, k, ref, genCpuMs: Math.round(genCpuMs), ...(hdf5 ?? {}) });
  }
}

/** `--compare FILE`: the reader differential on one file (for minimizing a disagreement); prints the verdict. */
async function compareOne(/** @type {string} */ file) {
  const m = await loadLib();
  const ts = await attempt(m, file, 'typescript');
  const verdict = ts.declined
    ? { hdf5: 'declined' }
    : ts.crash
      ? { hdf5: 'crash', detail: ts.crash }
      : judge(m, ts, await attempt(m, file, 'h5wasm'));
  process.stdout.write(`${JSON.stringify(verdict)}\n`);
}

// ── the parent ─────────────────────────────────────────────────────────────────────────────────────────

/** `pid` and its descendants (Linux: /proc/PID/task/TID/children). */
function treeOf(/** @type {number | undefined} */ pid) {
  /** @type {number[]} */
  const out = [];
  const stack = [pid];
  while (stack.length && out.length < 64) {
    const p = /** @type {number} */ (stack.pop());
    out.push(p);
    try {
      for (const t of fs.readdirSync(`/proc/${p}/task`))
        for (const c of fs.readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').split(' ').filter(Boolean)) stack.push(Number(c));
    } catch {
      /* gone */
    }
  }
  return out;
}

const readLog = (/** @type {Json} */ f) => {
  try {
    return fs.readFileSync(f, 'utf8');
  } catch {
    return '';
  }
};

function rssOf(/** @type {number | undefined} */ pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(s)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc/PID/stat (clock ticks of 1/100 s). */
function cpuOf(/** @type {number | undefined} */ pid) {
  try {
    const f = /** @type {string} */ (fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * On a shared machine wall time says more about the neighbours than about the case: the time limit is on the
 * CPU time the case used (what it would take alone on an idle core), and wall time is capped at WALL_FACTOR
 * times the limit to catch a process that waits forever.
 */
const WALL_FACTOR = 12;

// (`--hdf5 h5wasm` is kerascope's own advice in a decline, not the library's text)
const NATIVE = /Aborted\(|HDF5-DIAG|Cannot enlarge memory|warning: |RuntimeError|(?<!--hdf5 h5)wasm|emscripten|#\d{3}:/;

/** The bytes of an input: a file's, or a folder's (a SavedModel) as its sorted paths and their bytes. */
function snapshot(/** @type {string} */ file) {
  if (!fs.statSync(file).isDirectory()) return fs.readFileSync(file);
  /** @type {Buffer[]} */
  const parts = [];
  const walk = (/** @type {string} */ dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      parts.push(Buffer.from(`${path.relative(file, p)}\0`));
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) parts.push(fs.readFileSync(p));
    }
  };
  walk(file);
  return Buffer.concat(parts);
}

/** Runs one case as a fresh CLI process; returns {failure?, ms, rss, code}. */
function runCliCase(/** @type {Json} */ c, /** @type {number} */ timeMs, /** @type {number} */ rssMb) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    // A private temp folder: whatever the run leaves there is a failure (unless it was killed).
    const tmp = fs.mkdtempSync(path.join(path.dirname(path.dirname(c.file)), 'tmp-'));
    const inputBefore = snapshot(c.file);
    const argv = [
      process.execPath,
      path.join(ROOT, 'scripts/fuzz-cli-child.mjs'),
      c.cmd,
      c.file,
      '--format',
      c.format,
      '--timeout',
      String((WALL_FACTOR * timeMs) / 1000),
      '--max-memory',
      String(rssMb),
    ];
    // Under strace (where it can trace): what the run opened, wrote, started and connected to is judged after.
    const log = path.join(path.dirname(tmp), 'strace.log');
    /** @type {[string, string[]]} */
    const [cmd, args] = STRACE ? traced(argv, log) : [process.execPath, argv.slice(1)];
    const child = spawn(cmd, args, {
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      env: { ...process.env, TMPDIR: tmp },
    });
    let stdout = '';
    let stderr = '';
    let usage = '';
    let peak = 0;
    /** @type {import('node:stream').Readable} */ (child.stdout).on('data', (d) => {
      if (stdout.length < 128e6) stdout += d; // reports of 100,000 findings run to tens of MB
    });
    /** @type {import('node:stream').Readable} */ (child.stderr).on('data', (d) => {
      if (stderr.length < 1e5) stderr += d;
    });
    /** @type {import('node:stream').Readable} */ (child.stdio[3]).on('data', (d) => (usage += d));
    let cpu = 0;
    let killed = false;
    // The CLI process and anything under it (strace's tracee): memory and CPU summed, all killed together.
    const killAll = () => {
      killed = true;
      for (const pid of treeOf(child.pid).reverse()) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
    };
    const poll = setInterval(() => {
      const pids = treeOf(child.pid);
      peak = Math.max(
        peak,
        pids.reduce((n, p) => n + rssOf(p), 0),
      );
      cpu = Math.max(
        cpu,
        pids.reduce((n, p) => n + cpuOf(p), 0),
      );
      if (cpu * 1000 > timeMs + 2000 && !killed) killAll();
    }, 50);
    const timer = setTimeout(killAll, WALL_FACTOR * timeMs + 5000);
    child.on('close', (code) => {
      clearTimeout(timer);
      clearInterval(poll);
      const ms = Date.now() - t0;
      try {
        const u = JSON.parse(usage);
        peak = Math.max(peak, u.maxRSS * 1024);
        cpu = Math.max(cpu, u.cpuMs / 1000);
      } catch {
        /* killed */
      }
      const lines = stderr.split('\n').filter(Boolean);
      let failure = null;
      const traceFailure = STRACE && !killed ? judgeTrace(readLog(log), { caseDir: path.dirname(c.file), tmp, root: ROOT }) : null;
      if (killed) failure = ['timeout', `killed after ${ms} ms wall, ${cpu.toFixed(1)} s CPU`];
      else if (cpu * 1000 > timeMs) failure = ['timeout', `${cpu.toFixed(1)} s CPU (${ms} ms wall)`];
      else if (peak > rssMb * 1024 * 1024) failure = ['memory', `${(peak / 1048576).toFixed(0)} MB`];
      else if (NATIVE.test(stderr)) failure = ['native-text', lines[0]];
      else if (fs.readdirSync(tmp).length) failure = ['temp-left', fs.readdirSync(tmp).join(', ')];
      else if (!snapshot(c.file).equals(inputBefore)) failure = ['input-modified', c.file];
      else if (traceFailure) failure = traceFailure;
      else if (/internal error/.test(stderr)) failure = ['crash', lines[0]];
      else if (code === 2 && lines.length !== 1) failure = ['stderr', `${lines.length} lines: ${lines.slice(0, 2).join(' | ')}`];
      else if (code === 2 && !lines[0]?.startsWith('kerascope: ')) failure = ['stderr', lines[0]];
      else if (code !== 2 && lines.length) failure = ['stderr', `exit ${code} with stderr: ${lines[0]}`];
      else if (code !== 0 && code !== 1 && code !== 2) failure = ['crash', `exit ${code}`];
      else if (code !== 2 && c.format !== 'table') {
        try {
          const doc = JSON.parse(stdout);
          const findings =
            c.format === 'sarif'
              ? doc.runs[0].results.map((/** @type {Json} */ x) => ({ severity: x.level === 'error' ? 'high' : 'low' }))
              : doc.findings;
          // Exit 1 is a finding at or above the default --fail-on (high): critical or high on the severity scale.
          const failing = (/** @type {string} */ s) => s === 'critical' || s === 'high';
          const errors = findings.some((/** @type {Json} */ f) => failing(f.severity));
          if ((code === 1) !== errors) failure = ['exit-mismatch', `exit ${code}, ${errors ? 'with' : 'without'} failing findings`];
        } catch (e) {
          failure = ['bad-json', String(/** @type {Error} */ (e).message).slice(0, 200)];
        }
      }
      fs.rmSync(tmp, { recursive: true, force: true });
      fs.rmSync(log, { force: true });
      resolve({ failure, ms, cpuMs: Math.round(cpu * 1000), rss: peak, code, traced: STRACE });
    });
  });
}

/**
 * Runs library cases [from, to) in one child; calls back per case; resolves with the next case to run. The
 * limits are on what ONE case costs: its CPU time, and its resident memory above what the child held when the
 * case started (the child's own baseline, h5wasm's heap and leftover garbage are not the case's). The child
 * reports the exact peak (its VmHWM, reset at every phase); the parent samples every 50 ms and kills a child
 * whose case passes a limit, then resumes after that case in a fresh child.
 */
function runLibBatch(
  /** @type {number} */ seed,
  /** @type {number} */ from,
  /** @type {number} */ to,
  /** @type {string} */ dir,
  /** @type {Json} */ limits,
  /** @type {number} */ cliEvery,
  /** @type {Json} */ onCase,
) {
  const { timeMs, rssMb, recycleMb } = limits;
  const MB = 1048576;
  return new Promise((resolve) => {
    const args = [
      '--expose-gc',
      fileURLToPath(import.meta.url),
      '--child',
      '--seed',
      String(seed),
      '--from',
      String(from),
      '--to',
      String(to),
      '--dir',
      dir,
      '--cli-every',
      String(cliEvery),
      '--recycle-mb',
      String(recycleMb),
    ];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let buf = '';
    /** The case in flight: {i, phase: 'case' | 'ref', started, cpu0, rss0, peak, kind, op, k?} */
    /** @type {Json} */
    let cur = null;
    let stderr = '';
    let next = from;
    let killed = false;
    let recycleAt = -1;
    child.stderr.on('data', (d) => {
      if (stderr.length < 1e5) stderr += d;
    });
    // Over a limit: memory is growth over the case's start, or the absolute size past the limit plus the
    // recycling threshold (the most a child may hold between cases).
    const overMemory = (/** @type {number} */ peak, /** @type {number} */ rss0) =>
      peak - rss0 > rssMb * MB || peak > (rssMb + recycleMb) * MB;
    const poll = setInterval(() => {
      if (cur === null) return;
      cur.peak = Math.max(cur.peak, rssOf(child.pid));
      const ms = Date.now() - cur.started;
      const cpuMs = (cpuOf(child.pid) - cur.cpu0) * 1000;
      const mem = overMemory(cur.peak, cur.rss0);
      if (cpuMs <= timeMs && ms <= WALL_FACTOR * timeMs && !mem) return;
      const what = mem
        ? `+${((cur.peak - cur.rss0) / MB).toFixed(0)} MB over the case's start (${(cur.peak / MB).toFixed(0)} MB resident)`
        : `${(cpuMs / 1000).toFixed(1)} s CPU, ${ms} ms wall`;
      if (cur.phase === 'case') {
        onCase(cur.i, {
          failure: [mem ? 'memory' : 'timeout', `${what} (library, in process)`],
          ms,
          cpuMs,
          rss: cur.peak - cur.rss0,
          kind: cur.kind,
          op: cur.op,
        });
      } else {
        // Killed while h5wasm read the file: kerascope's part was done (and is judged), the reference's
        // hang or balloon is reported apart.
        const r = fromKerascope(cur.k, cur.kRss0);
        onCase(cur.i, {
          ...r,
          ms,
          kind: cur.kind,
          op: cur.op,
          reference: [mem ? 'reference-memory' : 'reference-hang', `h5wasm: ${what}`],
          hdf5: 'reference-killed',
        });
      }
      next = cur.i + 1;
      cur = null;
      killed = true;
      child.kill('SIGKILL');
    }, 50);
    /** kerascope's part of a case, judged: {failure, cpuMs, rss, outcome}. */
    const fromKerascope = (/** @type {Json} */ k, /** @type {number} */ rss0) => {
      let failure = null;
      if (k.outcome === 'crash') failure = ['crash', k.detail];
      else if (k.cpuMs > timeMs) failure = ['timeout', `${(k.cpuMs / 1000).toFixed(1)} s CPU (library)`];
      else if (overMemory(k.peak, rss0))
        failure = [
          'memory',
          `+${((k.peak - rss0) / MB).toFixed(0)} MB over the case's start, ${(k.peak / MB).toFixed(0)} MB resident (library)`,
        ];
      return { failure, cpuMs: k.cpuMs, rss: k.peak - rss0, outcome: k.outcome };
    };
    child.stdout.on('data', (d) => {
      buf += d;
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const m = /^(start|ref|end|recycle) (\d+) (.*)$/.exec(line);
        if (!m) continue;
        const i = Number(m[2]);
        const info = JSON.parse(m[3] ?? '');
        if (m[1] === 'recycle') recycleAt = i;
        else if (m[1] === 'start') {
          cur = {
            i,
            phase: 'case',
            started: Date.now(),
            cpu0: cpuOf(child.pid),
            rss0: info.rss,
            peak: info.rss,
            kind: info.kind,
            op: info.op,
          };
        } else if (cur?.i === i && m[1] === 'ref') {
          Object.assign(cur, { phase: 'ref', k: info.k, kRss0: cur.rss0, cpu0: cpuOf(child.pid), rss0: info.rss, peak: info.rss });
        } else if (cur?.i === i) {
          const r = fromKerascope(info.k, cur.kRss0 ?? cur.rss0);
          let reference = null;
          if (info.ref && info.ref.cpuMs > timeMs) reference = ['reference-hang', `h5wasm: ${(info.ref.cpuMs / 1000).toFixed(1)} s CPU`];
          else if (info.ref && overMemory(info.ref.peak, cur.rss0))
            reference = ['reference-memory', `h5wasm: +${((info.ref.peak - cur.rss0) / MB).toFixed(0)} MB`];
          else if (info.hdf5 === 'reference-crash') reference = ['reference-crash', info.detail];
          if (!r.failure && info.hdf5 === 'disagreed') r.failure = ['reader-disagree', info.detail];
          onCase(i, {
            ...r,
            ms: Date.now() - cur.started,
            kind: info.kind,
            op: info.op,
            genCpuMs: info.genCpuMs,
            refCpuMs: info.ref?.cpuMs,
            hdf5: info.hdf5,
            hdf5Detail: info.detail,
            reference,
          });
          cur = null;
          next = i + 1;
        }
      }
    });
    child.on('close', (code) => {
      clearInterval(poll);
      if (cur !== null) {
        const died = `library child died (exit ${code}): ${stderr.split('\n').filter(Boolean).slice(-1)[0] ?? ''}`;
        if (cur.phase === 'ref')
          onCase(cur.i, {
            ...fromKerascope(cur.k, cur.kRss0),
            ms: Date.now() - cur.started,
            kind: cur.kind,
            op: cur.op,
            reference: ['reference-crash', died],
            hdf5: 'reference-killed',
          });
        else onCase(cur.i, { failure: ['crash', died], ms: Date.now() - cur.started, rss: 0, kind: cur.kind, op: cur.op });
        return resolve(cur.i + 1);
      }
      if (killed) return resolve(next);
      if (recycleAt >= 0) return resolve(recycleAt);
      if (code === 0) return resolve(to);
      // Died between cases: the harness's own failure (generating a case); say so and go on after it.
      console.error(`fuzz: library child exited ${code} after case ${next - 1}: ${stderr.slice(-2000)}`);
      onHarnessError?.(next, stderr.slice(-500));
      resolve(Math.max(next + 1, from + 1));
    });
  });
}

/** Set by the parent: a child that died between cases (a harness error, not a case's). */
/** @type {((next: number, stderr: string) => void) | null} */
let onHarnessError = null;

/** Delta debugging over a failing case's patches: the smallest subset that still fails the same way. */
async function minimize(/** @type {Json} */ c, /** @type {string} */ cls, /** @type {number} */ timeMs, /** @type {number} */ rssMb) {
  if (!c.patches || c.patches.length < 2) return c.patches ?? null;
  const buf = readSeed(c.seedFile);
  const fails = async (/** @type {Json[]} */ patches) => {
    fs.writeFileSync(c.file, applyPatches(buf, patches));
    if (cls === 'reader-disagree') return (await runCompare(c.file, timeMs)) === 'disagreed';
    const r = await runCliCase(c, timeMs, rssMb);
    return r.failure?.[0] === cls;
  };
  let cur = c.patches;
  let n = 2;
  let tries = 0;
  while (cur.length >= 2 && tries < 40) {
    const size = Math.ceil(cur.length / n);
    let reduced = false;
    for (let k = 0; k < cur.length; k += size) {
      const rest = cur.slice(0, k).concat(cur.slice(k + size));
      tries++;
      if (rest.length && (await fails(rest))) {
        cur = rest;
        n = Math.max(n - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (n >= cur.length) break;
      n = Math.min(cur.length, n * 2);
    }
  }
  fs.writeFileSync(c.file, applyPatches(buf, cur));
  return cur;
}

/** The reader differential on one file in a killable child: 'agreed', 'disagreed', 'declined', … or 'killed'. */
function runCompare(/** @type {string} */ file, /** @type {number} */ timeMs) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--compare', file], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), WALL_FACTOR * timeMs);
    child.on('close', () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(out).hdf5);
      } catch {
        resolve('killed');
      }
    });
  });
}

/** Every failure class, reported with 0 when none occurred. */
const FAILURE_CLASSES = [
  'crash',
  'timeout',
  'memory',
  'stderr',
  'native-text',
  'exit-mismatch',
  'bad-json',
  'temp-left',
  'input-modified',
  'syscall-read-outside',
  'syscall-write-outside',
  'syscall-exec',
  'syscall-network',
  'reader-disagree',
];
/** What the reference reader (h5wasm) did wrong: reported, not kerascope's failures. */
const REFERENCE_CLASSES = ['reference-hang', 'reference-memory', 'reference-crash'];

/** Writes a failing case's input (minimized when it is a list of patches) and what failed into `out`. */
async function keepReproducer(
  /** @type {Json} */ c,
  /** @type {number} */ i,
  /** @type {number} */ seed,
  /** @type {Json} */ failure,
  /** @type {number} */ timeMs,
  /** @type {number} */ rssMb,
  /** @type {string} */ out,
  /** @type {boolean} */ minimizeIt,
) {
  const min = minimizeIt && c.patches ? await minimize(c, failure[0], timeMs, rssMb) : c.patches;
  const name = `${failure[0]}-case${i}`;
  if (c.patches) fs.copyFileSync(c.file, path.join(out, `${name}${path.extname(c.file)}`));
  else fs.cpSync(path.dirname(c.file), path.join(out, name), { recursive: true, verbatimSymlinks: true });
  fs.writeFileSync(
    path.join(out, `${name}.json`),
    JSON.stringify(
      {
        seed,
        case: i,
        kind: c.kind,
        seedFile: c.seedFile,
        cmd: c.cmd,
        format: c.format,
        op: c.op,
        patches: min?.map((/** @type {Json} */ p) => ({
          at: p.at,
          bytes: p.bytes ? Buffer.from(p.bytes).toString('hex') : undefined,
          fix: p.fix,
        })),
        minimized: Boolean(minimizeIt && c.patches),
        failure,
      },
      null,
      1,
    ),
  );
}

async function parent() {
  const cases = num('cases', 250_000);
  const jobs = num('jobs', 2);
  const seed = num('seed', 14);
  const start = num('from', 0);
  const cliEvery = num('cli-every', 100);
  const timeMs = num('time-ms', 10_000);
  const rssMb = num('rss-mb', 400);
  const recycleMb = num('recycle-mb', 300);
  const batch = num('batch', 2000);
  const limits = { timeMs, rssMb, recycleMb };
  const out = path.resolve(argOf('out', path.join(os.tmpdir(), `kerascope-fuzz-${seed}`)));
  fs.mkdirSync(out, { recursive: true });
  // Cases are written, read once and removed: in memory (/dev/shm) where there is one.
  const workRoot = argOf('work', exists('/dev/shm') ? '/dev/shm' : os.tmpdir());
  const work = fs.mkdtempSync(path.join(workRoot, 'kerascope-campaign-'));
  const summaryFile = path.join(out, 'summary.json');
  const summary =
    exists(summaryFile) && start > 0
      ? JSON.parse(fs.readFileSync(summaryFile, 'utf8'))
      : { seed, ran: 0, cli: 0, lib: 0, failures: {}, outcomes: {}, maxMs: 0, maxRssMb: 0, examples: {} };
  for (const cls of FAILURE_CLASSES) summary.failures[cls] ??= 0;
  summary.reference ??= Object.fromEntries(REFERENCE_CLASSES.map((c) => [c, 0]));
  summary.referenceExamples ??= {};
  for (const k of ['hdf5Compared', 'hdf5Agreed', 'hdf5BothError', 'hdf5Declined', 'hdf5Disagreed', 'hdf5ReferenceKilled']) summary[k] ??= 0;
  summary.byKind ??= {};
  summary.cliByKind ??= {};
  summary.harnessErrors ??= 0;
  summary.limits = { timeMs, rssMb, recycleMb, cliEvery, batch, jobs };
  const t0 = Date.now();
  if (start > 0) {
    // Resuming: the time and counts so far carry over; a block in flight when the run stopped is run again.
    summary.prevElapsedS = summary.elapsedS ?? 0;
    summary.runs ??= [];
    summary.runs.push({ from: start, cliEvery, jobs });
  }
  onHarnessError = (/** @type {number} */ i, /** @type {string} */ text) => {
    summary.harnessErrors++;
    console.error(`fuzz: harness error near case ${i}: ${text}`);
  };
  /** @type {Json[]} */
  const recheck = [];
  /** @type {Json[]} */
  const keep = [];
  const record = (/** @type {number} */ i, /** @type {string} */ mode, /** @type {Json} */ r, /** @type {Json} */ c, rechecked = false) => {
    // A case over the time or memory limit is run once more, alone, as a CLI process, before it counts: on a
    // shared machine a case can be slow because of its neighbours. Both measurements are kept.
    if (!rechecked && r.failure && (r.failure[0] === 'timeout' || r.failure[0] === 'memory')) {
      recheck.push({ i, mode, r });
      return;
    }
    const kind = c?.kind ?? r.kind ?? '?';
    const op = c?.op ?? r.op;
    summary.ran++;
    summary[mode]++;
    if (r.traced) summary.cliTraced = (summary.cliTraced ?? 0) + 1;
    summary.maxMs = Math.max(summary.maxMs, r.ms ?? 0);
    summary.maxCpuMs = Math.max(summary.maxCpuMs ?? 0, r.cpuMs ?? 0);
    const stats = (mode === 'cli' ? summary.cliByKind : summary.byKind)[kind] ?? { n: 0, cpuMs: 0, maxCpuMs: 0 };
    (mode === 'cli' ? summary.cliByKind : summary.byKind)[kind] = stats;
    stats.n++;
    stats.cpuMs += Math.round(r.cpuMs ?? 0);
    stats.maxCpuMs = Math.max(stats.maxCpuMs, Math.round(r.cpuMs ?? 0));
    if (mode === 'lib') {
      stats.genCpuMs = (stats.genCpuMs ?? 0) + (r.genCpuMs ?? 0);
      stats.refCpuMs = (stats.refCpuMs ?? 0) + (r.refCpuMs ?? 0);
    }
    summary.slowest ??= [];
    if ((r.cpuMs ?? 0) > 2000) summary.slowest.push({ i, mode, cpuMs: r.cpuMs, ms: r.ms, kind, op });
    if (summary.slowest?.length > 20)
      summary.slowest = summary.slowest.sort((/** @type {Json} */ a, /** @type {Json} */ b) => b.cpuMs - a.cpuMs).slice(0, 20);
    summary.maxRssMb = Math.max(summary.maxRssMb, Math.round((r.rss ?? 0) / 1048576));
    const outcome = r.outcome ?? (r.code === 2 ? 'input-error' : r.code === undefined ? '?' : `exit-${r.code}`);
    summary.outcomes[outcome] = (summary.outcomes[outcome] ?? 0) + 1;
    if (r.hdf5) {
      if (r.hdf5 === 'declined') summary.hdf5Declined++;
      else if (r.hdf5 === 'reference-killed') summary.hdf5ReferenceKilled++;
      else if (r.hdf5 !== 'reference-crash') {
        summary.hdf5Compared++;
        if (r.hdf5 === 'agreed') summary.hdf5Agreed++;
        else if (r.hdf5 === 'both-error') {
          summary.hdf5Agreed++;
          summary.hdf5BothError++;
        } else if (r.hdf5 === 'disagreed') {
          summary.hdf5Disagreed++;
          // How: one reader's InputError against the other's report, or two reports that differ. The first
          // few of each way are kept (the first two minimized).
          const d = r.hdf5Detail ?? '';
          const how = d.startsWith('typescript gave a report')
            ? 'typescript-report/h5wasm-error'
            : d.startsWith('typescript gave an InputError')
              ? 'typescript-error/h5wasm-report'
              : 'reports-differ';
          summary.hdf5DisagreedHow ??= {};
          summary.hdf5DisagreedHow[how] = (summary.hdf5DisagreedHow[how] ?? 0) + 1;
          summary.hdf5DisagreedExamples ??= {};
          summary.hdf5DisagreedExamples[how] ??= [];
          const list = summary.hdf5DisagreedExamples[how];
          if (list.length < 5) {
            list.push({ i, kind, op, detail: d });
            if (mode === 'lib' && list.length <= 4)
              keep.push({
                i,
                failure: ['reader-disagree', d],
                minimize: list.length <= 2,
                dir: `reader-disagree/${how.replace('/', '-')}`,
              });
          }
        }
      }
    }
    if (r.reference) {
      const [cls, detail] = r.reference;
      summary.reference[cls] = (summary.reference[cls] ?? 0) + 1;
      summary.referenceExamples[cls] ??= [];
      if (summary.referenceExamples[cls].length < 10) {
        summary.referenceExamples[cls].push({ i, kind, op, detail });
        keep.push({ i, failure: r.reference, dir: 'reference' });
      }
      console.error(`case ${i} [${mode}] ${cls} (not a kerascope failure): ${kind} ${op ?? ''}: ${detail}`);
    }
    if (r.failure) {
      const [cls, detail] = r.failure;
      summary.failures[cls] = (summary.failures[cls] ?? 0) + 1;
      summary.examples[cls] ??= [];
      if (summary.examples[cls].length < 10) {
        summary.examples[cls].push({ i, mode, kind, op, detail });
        if (mode === 'lib' && cls !== 'reader-disagree') keep.push({ i, failure: r.failure, minimize: summary.examples[cls].length <= 3 });
      }
      console.error(`case ${i} [${mode}] ${cls}: ${kind} ${op ?? ''}: ${detail}`);
    }
  };
  // Cases in blocks of `batch`; each job takes a block; within a block, one case in every cliEvery runs as a CLI process.
  let nextBlock = start;
  const job = async (/** @type {number} */ j) => {
    const dir = path.join(work, `job${j}`);
    fs.mkdirSync(dir, { recursive: true });
    while (nextBlock < cases) {
      const from = nextBlock;
      const to = Math.min(cases, from + batch);
      nextBlock = to;
      // Library cases: all but the CLI ones, in as few children as the limits allow (a killed or recycled
      // child is replaced, resuming after the case that was killed or at the case the recycled one stopped at).
      let k = from;
      while (k < to)
        k = await runLibBatch(seed, k, to, dir, limits, cliEvery, (/** @type {number} */ n, /** @type {Rng} */ r) =>
          record(n, 'lib', r, null),
        );
      for (let i = from; i < to; i++) {
        if (!isCliCase(i, cliEvery)) continue;
        const c = /** @type {any} */ (await generate(seed, i, dir));
        const r = await runCliCase(c, timeMs, rssMb);
        if (r.failure && (summary.examples[r.failure[0]]?.length ?? 0) < 10)
          await keepReproducer(c, i, seed, r.failure, timeMs, rssMb, out, (summary.examples[r.failure[0]]?.length ?? 0) < 3);
        record(i, 'cli', r, c);
        fs.rmSync(path.join(dir, `c${i}`), { recursive: true, force: true });
      }
      while (recheck.length) {
        const { i, mode, r } = recheck.shift();
        const c = await generate(seed, i, dir);
        const again = await runCliCase(c, timeMs, rssMb);
        fs.rmSync(path.join(dir, `c${i}`), { recursive: true, force: true });
        if (again.failure) {
          fs.writeFileSync(
            path.join(out, `${again.failure[0]}-case${i}.txt`),
            JSON.stringify({ first: r.failure, again: again.failure, op: c.op, kind: c.kind }),
          );
          record(i, mode, { ...again, failure: [again.failure[0], `${r.failure[1]}; again as CLI: ${again.failure[1]}`] }, c, true);
        } else {
          summary.rechecked = (summary.rechecked ?? 0) + 1;
          summary.recheckedCases ??= [];
          if (summary.recheckedCases.length < 30)
            summary.recheckedCases.push({ i, first: r.failure, again: { ms: again.ms, rssMb: Math.round(again.rss / 1048576) }, op: c.op });
          record(i, mode, again, c, true);
        }
      }
      // Reproducers of the library cases that failed (and of the reference's hangs), regenerated from their numbers.
      const k0 = Date.now();
      while (keep.length) {
        const x = keep.shift();
        const c = /** @type {any} */ (await generate(seed, x.i, dir));
        const into = x.dir ? path.join(out, x.dir) : out;
        fs.mkdirSync(into, { recursive: true });
        await keepReproducer(c, x.i, seed, x.failure, timeMs, rssMb, into, x.minimize);
        fs.rmSync(path.join(dir, `c${x.i}`), { recursive: true, force: true });
      }
      summary.reproducerS = (summary.reproducerS ?? 0) + Math.round((Date.now() - k0) / 100) / 10;
      summary.elapsedS = Math.round((Date.now() - t0) / 1000) + (summary.prevElapsedS ?? 0);
      summary.lastCase = nextBlock;
      fs.writeFileSync(summaryFile, JSON.stringify(summary, null, 1));
      process.stdout.write(
        `fuzz: ${summary.ran} cases, ${Object.values(summary.failures).reduce((a, b) => a + b, 0)} failures, ${summary.elapsedS}s\n`,
      );
    }
  };
  await Promise.all(Array.from({ length: jobs }, (_, j) => job(j)));
  fs.rmSync(work, { recursive: true, force: true });
  summary.elapsedS = Math.round((Date.now() - t0) / 1000) + (summary.prevElapsedS ?? 0);
  summary.prevElapsedS = summary.elapsedS;
  summary.casesPerS = Math.round((summary.ran / Math.max(1, summary.elapsedS)) * 10) / 10;
  fs.writeFileSync(summaryFile, JSON.stringify(summary, null, 1));
  const total = Object.values(summary.failures).reduce((a, b) => a + b, 0);
  const classes = (/** @type {Record<string, number>} */ o) =>
    Object.entries(o)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  const kinds = Object.entries(summary.byKind)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([k, s]) =>
        `  ${k.padEnd(10)} ${String(s.n).padStart(7)} cases, kerascope ${(s.cpuMs / s.n).toFixed(1)} ms CPU/case (max ${s.maxCpuMs}), generation ${((s.genCpuMs ?? 0) / s.n).toFixed(1)}, h5wasm ${((s.refCpuMs ?? 0) / s.n).toFixed(1)}`,
    );
  const cliKinds = Object.entries(summary.cliByKind)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, s]) => `${k} ${s.n} (${(s.cpuMs / s.n).toFixed(0)} ms CPU/case, max ${s.maxCpuMs})`)
    .join(', ');
  console.log(
    [
      `fuzz campaign (seed ${seed}): ${summary.ran} cases (${summary.lib} library, ${summary.cli} CLI, ${summary.cliTraced ?? 0} of them under strace) in ${summary.elapsedS}s (${summary.casesPerS} cases/s)`,
      `failures: ${total} (${classes(summary.failures)})`,
      `reference reader (h5wasm, not counted as failures): ${classes(summary.reference)}`,
      `HDF5 readers: ${summary.hdf5Compared} compared, ${summary.hdf5Agreed} agreed (${summary.hdf5BothError} both an InputError), ${summary.hdf5Disagreed} disagreed ${JSON.stringify(summary.hdf5DisagreedHow ?? {})}; TypeScript reader declined ${summary.hdf5Declined}; reference killed ${summary.hdf5ReferenceKilled}`,
      `slowest ${summary.maxCpuMs} ms CPU (${summary.maxMs} ms wall), peak RSS over a case's start ${summary.maxRssMb} MB; rechecked as CLI ${summary.rechecked ?? 0}; harness errors ${summary.harnessErrors}; ${summary.reproducerS ?? 0}s (2 jobs) spent keeping reproducers`,
      `outcomes ${JSON.stringify(summary.outcomes)}`,
      'library cases by kind:',
      ...kinds,
      `CLI cases by kind: ${cliKinds}`,
      `details in ${summaryFile}`,
    ].join('\n'),
  );
  process.exitCode = total ? 1 : 0;
}

if (process.argv.includes('--child'))
  await libChild(num('seed', 14), num('from', 0), num('to', 0), argOf('dir'), num('cli-every', 100), num('recycle-mb', 300));
else if (process.argv.includes('--compare')) await compareOne(argOf('compare'));
else if (import.meta.url === `file://${process.argv[1]}`) await parent();
