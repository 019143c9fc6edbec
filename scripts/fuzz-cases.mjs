// The fuzz engine shared by test/fuzz/fuzz.test.ts (short seeded run) and scripts/fuzz.mjs (`npm run fuzz`):
// seeded byte-level mutations of real model files and structure-aware mutations of their JSON configs.
// Inputs are copied into a private temp folder before mutating; originals are only read.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import h5wasm from 'h5wasm/node';
import { zipBytes } from './fixtures/security.mjs';

/** @typedef {import('./fixtures/util.mjs').Json} Json */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = path.resolve(ROOT, '..', 'shared', 'models');

/** Seed inputs: real files from fixtures/ and ../shared/models (read-only). */
const ALL_SEEDS = {
  h5: [
    'fixtures/keras-h5/mlp.h5',
    'fixtures/keras-h5/lstm.h5',
    'fixtures/security/lambda-tfkeras.h5',
    `${SHARED}/fdeep_lstm_bidirectional/lstm.h5`,
  ],
  keras: ['fixtures/keras3/mlp.keras', 'fixtures/keras3/functional.keras', `${SHARED}/fml_qkeras_v3_3layer/qkeras-v3_3layer.keras`],
  tfjs: ['fixtures/tfjs/mlp', 'fixtures/tfjs/functional', 'fixtures/tfjs/convnet-uint8'],
  json: ['fixtures/keras-h5/mlp.json', 'fixtures/security/vocabulary.json'],
};

const abs = (/** @type {string} */ p) => (path.isAbsolute(p) ? p : path.join(ROOT, p));

/** The seeds from ../shared/models that are absent (a clone without ../shared runs on the fixtures alone). */
export const MISSING_SEEDS = Object.values(ALL_SEEDS)
  .flat()
  .filter((p) => !fs.existsSync(abs(p)));

/** The seeds present on this machine, by kind. */
export const SEEDS = Object.fromEntries(
  Object.entries(ALL_SEEDS).map(([kind, files]) => [kind, files.filter((p) => !MISSING_SEEDS.includes(p))]),
);

/**
 * The seeded random source of a case.
 * @typedef {{ next: () => number, int: (n: number) => number, pick: <T>(xs: T[]) => T }} Rng
 */

/** @returns {Rng} */
export function rng(/** @type {number} */ seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (/** @type {number} */ n) => Math.floor(next() * n);
  return { next, int, pick: (/** @type {Json[]} */ xs) => xs[int(xs.length)] };
}

// ---- byte mutations ----

const BYTE_OPS = {
  bitflip(/** @type {Buffer} */ buf, /** @type {Rng} */ r) {
    const b = Buffer.from(buf);
    const n = 1 + r.int(8);
    for (let i = 0; i < n; i++) {
      const at = r.int(b.length);
      b[at] = /** @type {number} */ (b[at]) ^ (1 << r.int(8));
    }
    return b;
  },
  truncate(/** @type {Buffer} */ buf, /** @type {Rng} */ r) {
    return buf.subarray(0, r.int(buf.length));
  },
  insert(/** @type {Buffer} */ buf, /** @type {Rng} */ r) {
    const at = r.int(buf.length);
    const junk = Buffer.alloc(1 + r.int(64));
    for (let i = 0; i < junk.length; i++) junk[i] = r.int(256);
    return Buffer.concat([buf.subarray(0, at), junk, buf.subarray(at)]);
  },
  overwrite(/** @type {Buffer} */ buf, /** @type {Rng} */ r) {
    const b = Buffer.from(buf);
    const at = r.int(b.length);
    b.fill(r.pick([0x00, 0xff, 0x7f, 0x80]), at, Math.min(b.length, at + 1 + r.int(16)));
    return b;
  },
  /** Mutate near the start, where superblocks, zip headers and JSON keys are. */
  headflip(/** @type {Buffer} */ buf, /** @type {Rng} */ r) {
    const b = Buffer.from(buf);
    const at = r.int(Math.min(b.length, 512));
    b[at] = r.int(256);
    return b;
  },
};

// ---- JSON (structure-aware) mutations ----

function nodes(/** @type {Json} */ root) {
  const out = [];
  const stack = [[root, null, null]];
  while (stack.length) {
    const [v, parent, key] = /** @type {[Json, Json, Json]} */ (stack.pop());
    out.push([v, parent, key]);
    if (v && typeof v === 'object') for (const [k, c] of Object.entries(v)) stack.push([c, v, Array.isArray(v) ? Number(k) : k]);
  }
  return out;
}

const WEIRD = [
  null,
  true,
  -1,
  0,
  1e308,
  -1e308,
  2 ** 53 + 1,
  4294967296,
  1.5,
  '',
  'x'.repeat(1000),
  [],
  {},
  [-3, -1],
  [null],
  { class_name: 42 },
  '../../etc/passwd',
];

export const JSON_OPS = {
  wrongType(/** @type {Json} */ doc, /** @type {Rng} */ r) {
    const ns = nodes(doc).filter(([, p]) => p);
    const [, p, k] = r.pick(ns);
    p[k] = structuredClone(r.pick(WEIRD));
    return doc;
  },
  hugeNumber(/** @type {Json} */ doc, /** @type {Rng} */ r) {
    const ns = nodes(doc).filter(([v, p]) => p && typeof v === 'number');
    if (!ns.length) return JSON_OPS.wrongType(doc, r);
    const [, p, k] = r.pick(ns);
    p[k] = r.pick([1e308, 2 ** 53, 2 ** 31, 1e12, 123456789]);
    return doc;
  },
  negativeDim(/** @type {Json} */ doc, /** @type {Rng} */ r) {
    const ns = nodes(doc).filter(([v, p]) => p && Array.isArray(v) && v.some((x) => typeof x === 'number'));
    if (!ns.length) return JSON_OPS.wrongType(doc, r);
    const [v] = r.pick(ns);
    const i = v.findIndex((/** @type {Json} */ x) => typeof x === 'number');
    v[i] = r.pick([-1, -100, 0, -(2 ** 40)]);
    return doc;
  },
  missingKey(/** @type {Json} */ doc, /** @type {Rng} */ r) {
    const ns = nodes(doc).filter(([, p]) => p && !Array.isArray(p));
    if (!ns.length) return doc;
    const [, p, k] = r.pick(ns);
    delete p[k];
    return doc;
  },
  cycle(/** @type {Json} */ doc, /** @type {Rng} */ r) {
    // Point one layer's inbound node at a later layer (a cycle in a functional graph) or at itself.
    const layerLists = nodes(doc)
      .filter(([v, , k]) => k === 'layers' && Array.isArray(v) && v.length > 1)
      .map(([v]) => v);
    if (!layerLists.length) return JSON_OPS.wrongType(doc, r);
    const layers = r.pick(layerLists);
    const a = layers[r.int(layers.length)];
    const b = layers[r.int(layers.length)];
    const nameOf = (/** @type {Json} */ l) => l?.name ?? l?.config?.name;
    if (a && typeof a === 'object') a.inbound_nodes = [[[nameOf(b), 0, 0, {}]], [[nameOf(a), 0, 0, {}]]];
    if (b && typeof b === 'object') b.inbound_nodes = [[[nameOf(a), 0, 0, {}]]];
    return doc;
  },
  duplicateName(/** @type {Json} */ doc, /** @type {Rng} */ r) {
    const names = nodes(doc).filter(([v, p, k]) => k === 'name' && typeof v === 'string' && p);
    if (names.length < 2) return doc;
    const [, p, k] = r.pick(names);
    p[k] = r.pick(names)[0];
    return doc;
  },
  deepNest(/** @type {Json} */ doc, /** @type {Rng} */ r) {
    let v = doc;
    for (let i = 0; i < 200 + r.int(400); i++) v = { class_name: 'Sequential', config: { name: `n${i}`, layers: [v] } };
    return v;
  },
};

// ---- case generation ----

function mutateBytes(/** @type {Buffer} */ buf, /** @type {Rng} */ r) {
  const op = /** @type {keyof typeof BYTE_OPS} */ (r.pick(Object.keys(BYTE_OPS)));
  return { op, out: BYTE_OPS[op](buf, r) };
}

export function mutateJsonText(/** @type {string} */ text, /** @type {Rng} */ r) {
  let doc;
  try {
    doc = JSON.parse(text);
  } catch {
    return { op: 'bytes', out: text };
  }
  const op = /** @type {keyof typeof JSON_OPS} */ (r.pick(Object.keys(JSON_OPS)));
  const n = 1 + r.int(3);
  for (let i = 0; i < n; i++) doc = JSON_OPS[op](doc, r);
  return { op: `json:${op}`, out: JSON.stringify(doc) };
}

/** Reads a zip's members (stored or deflated) by the central directory: enough for our own seeds. */
export async function unzipMembers(/** @type {string} */ file) {
  const { BlobReader, Uint8ArrayWriter, ZipReader, configure } = await import('@zip.js/zip.js');
  configure({ useWebWorkers: false });
  const zip = new ZipReader(new BlobReader(new Blob([fs.readFileSync(file)])));
  /** @type {{ name: string, data: Buffer, method: number }[]} */
  const out = [];
  for (const e of /** @type {import('@zip.js/zip.js').FileEntry[]} */ (await zip.getEntries())) {
    out.push({ name: e.filename, data: Buffer.from(await e.getData(new Uint8ArrayWriter())), method: e.compressionMethod });
  }
  await zip.close();
  return out;
}

let h5ready = null;
async function rewriteH5Attr(/** @type {string} */ file, /** @type {string} */ name, /** @type {string} */ text) {
  h5ready ??= h5wasm.ready;
  await h5ready;
  const f = new h5wasm.File(file, 'a');
  try {
    if (f.attrs[name] !== undefined) f.delete_attribute(name);
    f.create_attribute(name, text, null, `A${Math.max(1, Buffer.byteLength(text))}`);
  } finally {
    f.close();
  }
}

/**
 * Writes case `i` (seeded) into `dir` and returns `{ file, kind, op }`: the path to inspect. Kinds rotate over
 * h5 / keras / tfjs / json seeds; ops are byte mutations or, for a third of the cases, config mutations.
 */
export async function makeCase(/** @type {number} */ seed, /** @type {number} */ i, /** @type {string} */ dir) {
  const r = rng(seed * 1_000_003 + i);
  const kind = /** @type {string} */ (['h5', 'keras', 'tfjs', 'json'][i % 4]);
  const src = abs(r.pick(/** @type {string[]} */ (SEEDS[kind])));
  const caseDir = path.join(dir, `case-${i}`);
  fs.mkdirSync(caseDir, { recursive: true });
  const structural = r.next() < 0.4;
  if (kind === 'h5') {
    const file = path.join(caseDir, 'model.h5');
    if (structural) {
      fs.copyFileSync(src, file);
      const text = await readH5Attr(file, 'model_config');
      if (text !== null) {
        const { op, out } = mutateJsonText(text, r);
        await rewriteH5Attr(file, 'model_config', out);
        return { file, kind, op };
      }
    }
    const { op, out } = mutateBytes(fs.readFileSync(src), r);
    fs.writeFileSync(file, out);
    return { file, kind, op };
  }
  if (kind === 'keras') {
    const file = path.join(caseDir, 'model.keras');
    if (structural) {
      const members = await unzipMembers(src);
      const cfg = members.find((m) => m.name === 'config.json');
      if (!cfg) throw new Error(`${src} has no config.json`);
      const { op, out } = mutateJsonText(cfg.data.toString('utf8'), r);
      cfg.data = Buffer.from(out);
      if (r.next() < 0.3) {
        const w = members.find((m) => m.name === 'model.weights.h5');
        if (w) w.data = mutateBytes(w.data, r).out;
      }
      fs.writeFileSync(file, zipBytes(members.map((m) => ({ name: m.name, data: m.data, method: m.method === 8 ? 8 : 0 }))));
      return { file, kind, op };
    }
    const { op, out } = mutateBytes(fs.readFileSync(src), r);
    fs.writeFileSync(file, out);
    return { file, kind, op };
  }
  if (kind === 'tfjs') {
    for (const n of fs.readdirSync(src)) fs.copyFileSync(path.join(src, n), path.join(caseDir, n));
    const file = path.join(caseDir, 'model.json');
    if (structural) {
      const { op, out } = mutateJsonText(fs.readFileSync(file, 'utf8'), r);
      fs.writeFileSync(file, out);
      return { file, kind, op };
    }
    const shards = fs.readdirSync(caseDir).filter((n) => n !== 'model.json');
    const target = r.next() < 0.7 || !shards.length ? file : path.join(caseDir, r.pick(shards));
    const { op, out } = mutateBytes(fs.readFileSync(target), r);
    fs.writeFileSync(target, out);
    return { file, kind, op: target === file ? op : `shard:${op}` };
  }
  const file = path.join(caseDir, 'arch.json');
  const text = fs.readFileSync(src, 'utf8');
  const { op, out } = structural || r.next() < 0.6 ? mutateJsonText(text, r) : mutateBytes(Buffer.from(text), r);
  fs.writeFileSync(file, out);
  return { file, kind, op };
}

async function readH5Attr(/** @type {string} */ file, /** @type {string} */ name) {
  h5ready ??= h5wasm.ready;
  await h5ready;
  const f = new h5wasm.File(file, 'r');
  try {
    const a = f.attrs[name];
    if (!a) return null;
    const v = a.value;
    return typeof v === 'string' ? v : Array.isArray(v) ? String(v[0]) : null;
  } finally {
    f.close();
  }
}

/**
 * Runs one case through `inspect`: 'report' or 'input-error' are the only acceptable outcomes; anything else
 * (another exception, or over `timeMs`) is returned as a failure with its message.
 */
export async function runCase(
  /** @type {Json} */ inspect,
  /** @type {Json} */ InputError,
  /** @type {Json} */ c,
  /** @type {number} */ timeMs,
) {
  const t0 = performance.now();
  let outcome;
  let detail = '';
  try {
    const rep = await inspect(c.file);
    outcome = rep && Array.isArray(rep.findings) ? 'report' : 'bad-report';
    JSON.stringify(rep);
  } catch (thrown) {
    const e = /** @type {Error} */ (thrown);
    if (e instanceof InputError && /Aborted\(/.test(String(e.message))) {
      // The HDF5 WebAssembly module aborted: it is unusable for the rest of the process.
      outcome = 'wasm-abort';
      detail = String(e.message).split('\n')[0] ?? '';
    } else if (e instanceof InputError && !String(e.message).includes('\n')) outcome = 'input-error';
    else {
      outcome = 'crash';
      detail = `${e?.name}: ${String(e?.message).split('\n')[0]}\n${String(e?.stack ?? '')
        .split('\n')
        .slice(1, 4)
        .join('\n')}`;
    }
  }
  const ms = performance.now() - t0;
  if (ms > timeMs && outcome !== 'crash') {
    outcome = 'slow';
    detail = `${ms.toFixed(0)} ms`;
  }
  return { ...c, outcome, detail, ms };
}
