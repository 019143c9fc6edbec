// `npm run build && node scripts/bench-hdf5.mjs`: the pure-TypeScript HDF5 metadata reader (dist/hdf5) against
// h5wasm (`H5wasmReader`, dist/hdf5/index.js) on a generated legacy Keras HDF5 file of BENCH_LAYERS Dense layers
// (default 3000), each with `weight_names` and a kernel and bias dataset. Both readers walk the whole tree
// (kind, keys, every attribute's value, every dataset's info), cold, in this process, and so does the legacy
// loader `readKerasH5` (unchanged: TsHdf5Reader stands in for H5wasmReader); the best of
// BENCH_RUNS (default 3) is reported, with the ratio and what the TypeScript reader read.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import h5wasm from 'h5wasm/node';

/** @typedef {import('./fixtures/util.mjs').Json} Json */

const LAYERS = Number(process.env.BENCH_LAYERS ?? 3000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
// BENCH_LIBVER=v108 writes the layout h5py writes by default (superblock v0, v1 object headers, symbol-table
// groups); the default is h5wasm's own (superblock v2, v2 object headers, link messages / dense links).
const LIBVER = process.env.BENCH_LIBVER === 'v108' ? ['earliest', 'v108'] : undefined;
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { H5wasmReader, TsHdf5Reader } = await import(path.join(root, 'dist', 'hdf5', 'index.js'));
const { MemorySource } = await import(path.join(root, 'dist', 'io', 'byte-source.js'));
const { readKerasH5 } = await import(path.join(root, 'dist', 'formats', 'keras-h5.js'));

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-bench-hdf5-'));

async function writeDeep(/** @type {string} */ file, /** @type {number} */ n) {
  await h5wasm.ready;
  const f = new h5wasm.File(file, 'w', /** @type {any} */ (LIBVER ? { libver: LIBVER } : undefined));
  /** @type {{ class_name: string; config: Record<string, unknown> }[]} */
  const layers = [{ class_name: 'InputLayer', config: { name: 'input', batch_input_shape: [null, 8] } }];
  for (let i = 0; i < n; i++) layers.push({ class_name: 'Dense', config: { name: `dense_${i}`, units: 8 } });
  f.create_attribute('model_config', JSON.stringify({ class_name: 'Sequential', config: { name: 'bench', layers } }));
  f.create_attribute('keras_version', '2.15.0');
  f.create_attribute('backend', 'tensorflow');
  const mw = f.create_group('model_weights');
  mw.create_attribute(
    'layer_names',
    layers.map((l) => String(l.config.name)),
  );
  mw.create_group('input').create_attribute('weight_names', []);
  for (let i = 0; i < n; i++) {
    const name = `dense_${i}`;
    const g = mw.create_group(name);
    g.create_attribute('weight_names', [`${name}/kernel:0`, `${name}/bias:0`]);
    const inner = g.create_group(name);
    inner.create_dataset({ name: 'kernel:0', data: new Float32Array(64), shape: [8, 8], dtype: '<f' });
    inner.create_dataset({ name: 'bias:0', data: new Float32Array(8), shape: [8], dtype: '<f' });
  }
  f.close();
}

/** A ByteSource over a file descriptor (what a Node adapter would do): one pread per read. */
class FileSource {
  constructor(/** @type {string} */ file) {
    this.name = file;
    this.fd = fs.openSync(file, 'r');
    this.size = fs.fstatSync(this.fd).size;
  }
  read(/** @type {number} */ offset, /** @type {number} */ length) {
    const n = Math.max(0, Math.min(length, this.size - offset));
    const buf = Buffer.allocUnsafe(n);
    if (n) fs.readSync(this.fd, buf, 0, n, offset);
    return new Uint8Array(buf.buffer, buf.byteOffset, n);
  }
  sibling() {
    return null;
  }
  close() {
    fs.closeSync(this.fd);
  }
}

/** Every object: kind, members, attribute values, dataset info. Returns the object count. */
function walkAll(/** @type {Json} */ r) {
  let n = 0;
  const seen = new Set();
  const visit = (/** @type {string} */ p) => {
    n++;
    const kind = r.kind(p);
    if (kind === 'group' || kind === 'dataset') for (const a of r.attrNames(p)) r.attr(p, a);
    if (kind === 'dataset') r.dataset(p);
    if (kind !== 'group') return;
    const addr = r.objectAddress(p);
    if (seen.has(addr)) return;
    seen.add(addr);
    for (const k of r.keys(p)) visit(p === '/' ? `/${k}` : `${p}/${k}`);
  };
  visit('/');
  return n;
}

/**
 * @template T
 * @param {() => T} fn
 * @returns {{ ms: number, result: T }}
 */
function best(fn) {
  let bestMs = Infinity;
  /** @type {T | undefined} */
  let result;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    result = fn();
    bestMs = Math.min(bestMs, performance.now() - t);
  }
  return { ms: bestMs, result: /** @type {T} */ (result) };
}

try {
  const file = path.join(tmp, 'deep.h5');
  console.log(`writing ${LAYERS} Dense layers to ${file} …`);
  await writeDeep(file, LAYERS);
  const size = fs.statSync(file).size;

  // h5wasm: open + walk, cold each run (a fresh H5wasmReader has empty caches).
  await H5wasmReader.open(new FileSource(file)).then((/** @type {Json} */ f) => f.close()); // load the WebAssembly module outside the timing
  let wasmMs = Infinity;
  let objects = 0;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const f = await H5wasmReader.open(new FileSource(file));
    objects = walkAll(f);
    f.close();
    wasmMs = Math.min(wasmMs, performance.now() - t);
  }

  const bytes = new Uint8Array(fs.readFileSync(file));
  const mem = best(() => {
    const m = TsHdf5Reader.open(MemorySource.of('deep.h5', bytes));
    const n = walkAll(m);
    return { n, stats: m.stats() };
  });
  const disk = best(() => {
    const src = new FileSource(file);
    try {
      const m = TsHdf5Reader.open(src);
      const n = walkAll(m);
      return { n, stats: m.stats() };
    } finally {
      src.close();
    }
  });
  // The legacy loader itself (layer_names, weight_names, walks), unchanged, over either backend.
  let wasmLoadMs = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const f = await H5wasmReader.open(new FileSource(file));
    readKerasH5(f);
    f.close();
    wasmLoadMs = Math.min(wasmLoadMs, performance.now() - t);
  }
  const load = best(() => {
    const src = new FileSource(file);
    try {
      return readKerasH5(TsHdf5Reader.open(src)).tensors.length;
    } finally {
      src.close();
    }
  });

  if (mem.result.n !== objects || disk.result.n !== objects)
    throw new Error(`object counts differ: ${objects} / ${mem.result.n} / ${disk.result.n}`);

  const fmt = (/** @type {number} */ ms) => `${ms.toFixed(1)} ms`;
  console.log(`file: ${(size / 2 ** 20).toFixed(2)} MiB, ${objects} objects (${LAYERS} layers), best of ${RUNS}`);
  console.log(`h5wasm H5wasmReader walk:             ${fmt(wasmMs)} (${(wasmMs / LAYERS).toFixed(3)} ms/layer)`);
  console.log(
    `TsHdf5Reader walk, MemorySource:      ${fmt(mem.ms)} (${(mem.ms / LAYERS).toFixed(3)} ms/layer)  ${(wasmMs / mem.ms).toFixed(1)}× faster`,
  );
  console.log(
    `TsHdf5Reader walk, file descriptor:   ${fmt(disk.ms)} (${(disk.ms / LAYERS).toFixed(3)} ms/layer)  ${(wasmMs / disk.ms).toFixed(1)}× faster`,
  );
  console.log(`readKerasH5 via H5wasmReader:         ${fmt(wasmLoadMs)}`);
  console.log(
    `readKerasH5 via TsHdf5Reader (fd):    ${fmt(load.ms)}  ${(wasmLoadMs / load.ms).toFixed(1)}× faster (${load.result} tensors)`,
  );
  const s = disk.result.stats;
  console.log(
    `TsHdf5Reader read ${s.bytesRead} bytes in ${s.reads} reads (${((100 * s.bytesRead) / size).toFixed(0)}% of the file); structures ${JSON.stringify(s.structures)}`,
  );
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
