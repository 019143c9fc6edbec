// `npm run bench`: speed and memory of the command line against references measured in the same run
// (`node -e 0`, `h5ls -r`, TF.js's own loader), on models written here into a temp folder. Every case is a
// fresh process, as a user runs it; the median of BENCH_RUNS runs is reported (start-up-bound rows: the
// medians of BENCH_STARTUP_RUNS runs of the command and of `node -e 0`, taken alternately). Targets are
// ratios, so the numbers mean the same on a slow or a loaded machine. BENCH_QUICK=1 makes everything small (a
// smoke run).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import h5wasm from 'h5wasm/node';
import yazl from 'yazl';
import { denseStack, writeLegacyH5 } from './bench-models.mjs';

/** @typedef {import('./fixtures/util.mjs').Json} Json */

const QUICK = process.env.BENCH_QUICK === '1';
const RUNS = Number(process.env.BENCH_RUNS ?? (QUICK ? 1 : 3));
const BIG_GB = Number(process.env.BENCH_BIG_GB ?? (QUICK ? 0.05 : 3.4));
const TFJS_MB = Number(process.env.BENCH_TFJS_MB ?? (QUICK ? 64 : 1024));
const DEPTHS = QUICK ? [200, 400] : [1000, 2000, 5000, 10000];
const SCAN_MODELS = QUICK ? 40 : 200;
const SAVEDMODEL_MB = Number(process.env.BENCH_SAVEDMODEL_MB ?? (QUICK ? 20 : 500));

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const BIN = path.join(root, 'bin', 'kerascope.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-bench-'));
/** @typedef {{ ms: number, rssMB: number }} Timing */
/** @type {{ what: string, measured: string, reference: string, target: string, pass: boolean, ratio: string }[]} */
const rows = [];
let allMet = true;

// ── writers ─────────────────────────────────────────────────────────────────────────────────────────────

/** A chain of Dense layers as a Functional model (inbound nodes), to time the graph on long configs. */
const denseFunctional = (/** @type {number} */ n, /** @type {number} */ width) => {
  /** @type {Record<string, unknown>[]} */
  const layers = [
    { class_name: 'InputLayer', name: 'input', config: { name: 'input', batch_input_shape: [null, width] }, inbound_nodes: [] },
  ];
  for (let i = 0; i < n; i++) {
    const prev = i === 0 ? 'input' : `dense_${i - 1}`;
    layers.push({
      class_name: 'Dense',
      name: `dense_${i}`,
      config: { name: `dense_${i}`, units: width, use_bias: true },
      inbound_nodes: [[[prev, 0, 0, {}]]],
    });
  }
  return {
    class_name: 'Functional',
    config: { name: 'bench', layers, input_layers: [['input', 0, 0]], output_layers: [[`dense_${n - 1}`, 0, 0]] },
  };
};

async function writeKeras3(/** @type {string} */ file, /** @type {number} */ n, /** @type {number} */ width) {
  await h5wasm.ready;
  const weights = path.join(tmp, `k3-${n}.weights.h5`);
  const f = new h5wasm.File(weights, 'w');
  const layers = f.create_group('layers');
  for (let i = 0; i < n; i++) {
    const vars = layers.create_group(i === 0 ? 'dense' : `dense_${i}`).create_group('vars');
    vars.create_attribute('name', `dense_${i}`);
    vars.create_dataset({ name: '0', data: new Float32Array(width * width), shape: [width, width], dtype: '<f' });
    vars.create_dataset({ name: '1', data: new Float32Array(width), shape: [width], dtype: '<f' });
  }
  f.close();
  const z = new yazl.ZipFile();
  z.addBuffer(Buffer.from('{"keras_version": "3.6.0"}'), 'metadata.json', { compress: false });
  z.addBuffer(Buffer.from(JSON.stringify(denseStack(n, width, width))), 'config.json', { compress: false });
  z.addFile(weights, 'model.weights.h5', { compress: false });
  z.end();
  await new Promise((resolve, reject) =>
    z.outputStream
      .pipe(fs.createWriteStream(file))
      .on('close', () => resolve(undefined))
      .on('error', reject),
  );
  fs.rmSync(weights);
}

/** A TF.js layers model whose shards are sparse files of the right size (inspect only measures them). */
function writeTfjs(/** @type {string} */ dir, /** @type {Json} */ config, /** @type {number[][]} */ shapes) {
  fs.mkdirSync(dir, { recursive: true });
  const weights = shapes.flatMap(([inDim, units], /** @type {number} */ i) => [
    { name: `dense_${i}/kernel`, shape: [inDim, units], dtype: 'float32' },
    { name: `dense_${i}/bias`, shape: [units], dtype: 'float32' },
  ]);
  const bytes = weights.reduce(
    (/** @type {number} */ n, /** @type {Json} */ w) =>
      n + 4 * w.shape.reduce((/** @type {number} */ a, /** @type {number} */ b) => a * b, 1),
    0,
  );
  const shard = 4 * 1024 * 1024;
  const paths = [];
  for (let off = 0, k = 1; off < bytes; off += shard, k++) {
    const p = `group1-shard${k}of${Math.ceil(bytes / shard)}`;
    paths.push(p);
    const fd = fs.openSync(path.join(dir, p), 'w');
    fs.ftruncateSync(fd, Math.min(shard, bytes - off));
    fs.closeSync(fd);
  }
  fs.writeFileSync(
    path.join(dir, 'model.json'),
    JSON.stringify({ format: 'layers-model', modelTopology: config, weightsManifest: [{ paths, weights }] }),
  );
  return path.join(dir, 'model.json');
}

/**
 * fixtures/savedmodel/sequential with `mb` MB of Const nodes appended to its saved_model.pb (protobuf messages
 * concatenate: a second meta graph). Each Const holds 4 MiB of tensor content, written as a hole (sparse file).
 * @param {string} dir
 * @param {number} mb
 */
function writeBigSavedModel(dir, mb) {
  fs.cpSync(path.join(root, 'fixtures', 'savedmodel', 'sequential'), dir, { recursive: true });
  const varint = (/** @type {number} */ n) => {
    const out = [];
    do {
      out.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
      n = Math.floor(n / 128);
    } while (n > 0);
    return Buffer.from(out);
  };
  const head = (/** @type {number} */ num, /** @type {number} */ len) => Buffer.concat([varint(num * 8 + 2), varint(len)]);
  const field = (/** @type {number} */ num, /** @type {Buffer} */ body) => Buffer.concat([head(num, body.length), body]);
  const CONTENT = 4 * 2 ** 20;
  const nodes = Math.max(1, Math.round((mb * 2 ** 20) / CONTENT));
  // NodeDef {name=1, op=2, attr=5 {key=1 "value", value=2 AttrValue {tensor=8 TensorProto {dtype=1, tensor_content=4}}}}
  const nodeParts = (/** @type {number} */ i) => {
    const tensorHead = Buffer.concat([Buffer.from([0x08, 0x01]), head(4, CONTENT)]);
    const tensorLen = tensorHead.length + CONTENT;
    const attrValueLen = head(8, tensorLen).length + tensorLen;
    const entryHead = Buffer.concat([field(1, Buffer.from('value')), head(2, attrValueLen)]);
    const entryLen = entryHead.length + attrValueLen;
    const pre = Buffer.concat([
      field(1, Buffer.from(`const_${i}`)),
      field(2, Buffer.from('Const')),
      head(5, entryLen),
      entryHead,
      head(8, tensorLen),
      tensorHead,
    ]);
    return { pre, len: pre.length + CONTENT };
  };
  const parts = Array.from({ length: nodes }, (_, i) => nodeParts(i));
  const graphLen = parts.reduce((n, p) => n + head(1, p.len).length + p.len, 0);
  const metaLen = head(2, graphLen).length + graphLen;
  const file = path.join(dir, 'saved_model.pb');
  const fd = fs.openSync(file, 'r+');
  let pos = fs.fstatSync(fd).size;
  const put = (/** @type {Buffer} */ b) => {
    fs.writeSync(fd, b, 0, b.length, pos);
    pos += b.length;
  };
  put(head(2, metaLen));
  put(head(2, graphLen));
  for (const p of parts) {
    put(head(1, p.len));
    put(p.pre);
    pos += CONTENT; // a hole: zeros, never written
  }
  fs.ftruncateSync(fd, pos);
  fs.closeSync(fd);
  return dir;
}

// ── measuring ───────────────────────────────────────────────────────────────────────────────────────────

/**
 * Median wall time (ms) and peak RSS (MB) of a command run RUNS times as a fresh process.
 * @param {string} cmd
 * @param {string[]} args
 * @returns {Timing}
 */
function time(cmd, args, { runs = RUNS, ok = [0, 1] } = {}) {
  const walls = [];
  let rss = 0;
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
    walls.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (r.error || r.status === null || !ok.includes(r.status)) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
    rss = Math.max(rss, Number(r.stderr.trim().split('\n').pop()) / 1024);
  }
  walls.sort((a, b) => a - b);
  return { ms: walls[Math.floor(walls.length / 2)] ?? Number.NaN, rssMB: rss };
}

const cli = (/** @type {string[]} */ ...args) => time(process.execPath, [BIN, ...args]);

/**
 * A start-up-bound command and `node -e 0`, run alternately STARTUP_RUNS times each (so that both see the
 * same machine: a background job or a frequency change moves both), each as the median of its runs.
 */
const STARTUP_RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? (QUICK ? 3 : 11));
function cliBesideNode(/** @type {string[]} */ ...args) {
  const own = [];
  const bare = [];
  for (let i = 0; i < STARTUP_RUNS; i++) {
    own.push(time(process.execPath, [BIN, ...args], { runs: 1 }));
    bare.push(time(process.execPath, ['-e', '0'], { runs: 1 }));
  }
  const median = (/** @type {Timing[]} */ xs) => xs.map((x) => x.ms).sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  return { ms: median(own), rssMB: Math.max(...own.map((x) => x.rssMB)), node0: median(bare) };
}

function row(
  /** @type {string} */ what,
  /** @type {string} */ measured,
  /** @type {string} */ reference,
  /** @type {string} */ target,
  /** @type {boolean} */ pass,
) {
  allMet &&= pass;
  rows.push({ what, measured, reference, target, pass, ratio: '' });
}

/**
 * The entry of a measurement table, which the loop above it filled.
 * @template T
 * @param {Record<number, T>} table
 * @param {number} key
 * @returns {T}
 */
function got(table, key) {
  const v = table[key];
  if (v === undefined) throw new Error(`no measurement for ${key}`);
  return v;
}

/** Sets the ratio column of the last row. */
function setRatio(/** @type {string} */ ratio) {
  const last = rows[rows.length - 1];
  if (last) last.ratio = ratio;
}

const fmt = (/** @type {number} */ ms) => `${ms.toFixed(0)} ms`;

try {
  if (!fs.existsSync(path.join(root, 'dist', 'kerascope.cjs'))) throw new Error('run `npm run build` first (npm run bench does)');
  console.log(`writing bench models in ${tmp} …`);
  const node0 = time(process.execPath, ['-e', '0'], { runs: Math.max(RUNS, 5) });
  console.log(`node -e 0: ${fmt(node0.ms)}, ${node0.rssMB.toFixed(0)} MB`);

  // 1. Many layers: legacy .h5 against h5ls -r, and linear scaling at 1k/2k/5k/10k layers.
  const h5ls = spawnSync('h5ls', ['--version'], { encoding: 'utf8' }).status === 0;
  /** @type {Record<number, { file: string, t: Timing }>} */
  const deep = {};
  for (const n of DEPTHS) {
    const file = path.join(tmp, `deep-${n}.h5`);
    await writeLegacyH5(file, n, 8, 8);
    deep[n] = { file, t: cli('inspect', file, '--format', 'json') };
  }
  const mid = /** @type {number} */ (DEPTHS[DEPTHS.length - 2]);
  const top = /** @type {number} */ (DEPTHS[DEPTHS.length - 1]);
  if (h5ls) {
    const ref = time('h5ls', ['-r', got(deep, mid).file]);
    const ratio = got(deep, mid).t.ms / ref.ms;
    row(
      `${mid}-layer .h5: inspect vs \`h5ls -r\``,
      `${fmt(got(deep, mid).t.ms)}, ${got(deep, mid).t.rssMB.toFixed(0)} MB`,
      `${fmt(ref.ms)}`,
      '≤ 3×, ≤ 200 MB',
      ratio <= 3 && got(deep, mid).t.rssMB <= 200,
    );
    setRatio(`${ratio.toFixed(2)}×`);
  } else {
    console.log('h5ls not found (apt-get install hdf5-tools): the h5ls comparison is skipped');
  }
  const scale = got(deep, top).t.ms / got(deep, mid).t.ms;
  row(
    `.h5 ${top} vs ${mid} layers`,
    `${fmt(got(deep, top).t.ms)}`,
    `${fmt(got(deep, mid).t.ms)}`,
    `≤ ${((2.2 * top) / mid / 2).toFixed(1)}× (linear)`,
    scale <= (2.2 * top) / mid / 2,
  );
  setRatio(`${scale.toFixed(2)}×`);
  for (const n of DEPTHS)
    console.log(
      `  deep .h5 ${n} layers: ${fmt(got(deep, n).t.ms)} (${((got(deep, n).t.ms - node0.ms) / n).toFixed(3)} ms per layer above node start-up)`,
    );

  // 2. Linear in layers for Keras 3 archives and Functional configs too.
  /** @type {[string, (n: number) => Promise<string>][]} */
  const scaled = [
    [
      '.keras',
      async (n) => {
        const f = path.join(tmp, `k3-${n}.keras`);
        await writeKeras3(f, n, 4);
        return f;
      },
    ],
    [
      'Functional model.json',
      async (n) =>
        writeTfjs(
          path.join(tmp, `fn-${n}`),
          denseFunctional(n, 4),
          Array.from({ length: n }, () => [4, 4]),
        ),
    ],
  ];
  for (const [label, write] of scaled) {
    /** @type {Record<number, Timing>} */
    const t = {};
    for (const n of [mid, top]) t[n] = cli('inspect', await write(n), '--format', 'json');
    const s = got(t, top).ms / got(t, mid).ms;
    row(
      `${label} ${top} vs ${mid} layers`,
      fmt(got(t, top).ms),
      fmt(got(t, mid).ms),
      `≤ ${((2.2 * top) / mid / 2).toFixed(1)}× (linear)`,
      s <= (2.2 * top) / mid / 2,
    );
    setRatio(`${s.toFixed(2)}×`);
  }

  // 3. A big .h5 read by metadata, and a ~1 MB file of the same structure.
  const bigN = 50;
  const bigW = Math.max(8, Math.round(Math.sqrt((BIG_GB * 2 ** 30) / 4 / bigN)));
  const bigFile = path.join(tmp, 'big.h5');
  await writeLegacyH5(bigFile, bigN, bigW, bigW);
  const smallFile = path.join(tmp, 'small.h5');
  await writeLegacyH5(smallFile, bigN, 64, 64);
  const big = cliBesideNode('inspect', bigFile, '--format', 'json');
  const small = cliBesideNode('inspect', smallFile, '--format', 'json');
  const gb = (fs.statSync(bigFile).size / 2 ** 30).toFixed(2);
  row(
    `${gb} GB .h5 (${bigN} Dense ${bigW}×${bigW}) vs \`node -e 0\``,
    `${fmt(big.ms)}, ${big.rssMB.toFixed(0)} MB`,
    fmt(big.node0),
    '≤ 3×, ≤ 120 MB',
    big.ms <= 3 * big.node0 && big.rssMB <= 120,
  );
  setRatio(`${(big.ms / big.node0).toFixed(2)}×`);
  row(
    `${gb} GB .h5 vs the ${(fs.statSync(smallFile).size / 2 ** 20).toFixed(1)} MB file of the same structure`,
    fmt(big.ms),
    fmt(small.ms),
    '≤ 1.3×',
    big.ms <= 1.3 * small.ms,
  );
  setRatio(`${(big.ms / small.ms).toFixed(2)}×`);
  row('~1 MB .h5 vs `node -e 0`', fmt(small.ms), fmt(small.node0), '≤ 2.5×', small.ms <= 2.5 * small.node0);
  setRatio(`${(small.ms / small.node0).toFixed(2)}×`);
  // Bytes the inspection reads from the big file, counted through the byte source in-process.
  const counted = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `
    const { FileSource } = await import(${JSON.stringify(path.join(root, 'dist', 'node', 'file-source.js'))});
    const { analyze } = await import(${JSON.stringify(path.join(root, 'dist', 'inspect.js'))});
    const f = FileSource.at(${JSON.stringify(bigFile)});
    let bytes = 0; const read = f.read.bind(f); f.read = (o, n) => { const b = read(o, n); bytes += b.length; return b; };
    await analyze(f); f.close(); console.log(bytes);`,
    ],
    { encoding: 'utf8' },
  );
  const readBytes = Number(counted.stdout.trim());
  row(
    `bytes read from the ${gb} GB .h5`,
    `${(readBytes / 1024).toFixed(0)} KiB`,
    `${fs.statSync(bigFile).size.toLocaleString('en-US')} B`,
    '< 1 MiB',
    readBytes < 2 ** 20,
  );
  // The same file over loopback HTTP (scripts/serve-ranges.mjs, another process): requests and bytes the
  // server counted per run, and the wall time against the local run's, timed the same way.
  const server = spawn(process.execPath, [path.join(root, 'scripts', 'serve-ranges.mjs'), tmp], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise((resolve, reject) => {
      server.stdout.once('data', (d) => resolve(Number(String(d).trim())));
      server.once('exit', (code) => reject(new Error(`serve-ranges exited (${code})`)));
    });
    const stats = async () => (await fetch(`http://127.0.0.1:${port}/__stats`)).json();
    const before = await stats();
    const url = `http://127.0.0.1:${port}/big.h5`;
    const local = [];
    const remote = [];
    for (let i = 0; i < STARTUP_RUNS; i++) {
      local.push(time(process.execPath, [BIN, 'inspect', bigFile, '--format', 'json'], { runs: 1 }));
      remote.push(time(process.execPath, [BIN, 'inspect', url, '--format', 'json'], { runs: 1 }));
    }
    const after = await stats();
    const median = (/** @type {{ ms: number }[]} */ xs) => xs.map((x) => x.ms).sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const requests = (after.requests - before.requests) / STARTUP_RUNS;
    const bytes = (after.bytes - before.bytes) / STARTUP_RUNS;
    const [lms, rms] = [median(local), median(remote)];
    row(
      `the ${gb} GB .h5 over loopback HTTP vs local`,
      `${fmt(rms)}, ${requests} requests, ${(bytes / 1024).toFixed(0)} KiB`,
      fmt(lms),
      '≤ 2×, ≤ 16 requests, ≤ 1 MiB',
      rms <= 2 * lms && requests <= 16 && bytes <= 2 ** 20,
    );
    const last = rows[rows.length - 1];
    if (last) last.ratio = `${(rms / lms).toFixed(2)}×`;
  } finally {
    server.kill();
  }
  fs.rmSync(bigFile);

  // 4. A 1 GB TF.js model: start-up bound, against TF.js loading it and calling countParams().
  const tfN = Math.max(1, Math.round(TFJS_MB / 16));
  const tfFile = writeTfjs(
    path.join(tmp, 'big-tfjs'),
    denseStack(tfN, 2048, 2048),
    Array.from({ length: tfN }, () => [2048, 2048]),
  );
  const tfjsCli = cliBesideNode('inspect', tfFile, '--format', 'json');
  row(
    `${TFJS_MB} MB TF.js model vs \`node -e 0\``,
    `${fmt(tfjsCli.ms)}, ${tfjsCli.rssMB.toFixed(0)} MB`,
    fmt(tfjsCli.node0),
    '≤ 1.5×, ≤ 80 MB',
    tfjsCli.ms <= 1.5 * tfjsCli.node0 && tfjsCli.rssMB <= 80,
  );
  setRatio(`${(tfjsCli.ms / tfjsCli.node0).toFixed(2)}×`);
  const tfLoad = time(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `
    import fs from 'node:fs'; import path from 'node:path';
    const tf = await import('@tensorflow/tfjs');
    const dir = ${JSON.stringify(path.dirname(tfFile))};
    const doc = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    const g = doc.weightsManifest[0];
    const total = g.paths.reduce((n, p) => n + fs.statSync(path.join(dir, p)).size, 0);
    const data = new Uint8Array(total); let at = 0;
    for (const p of g.paths) { const b = fs.readFileSync(path.join(dir, p)); data.set(b, at); at += b.length; }
    const m = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: doc.modelTopology, weightSpecs: g.weights, weightData: data.buffer }));
    console.log(m.countParams());`,
    ],
    { runs: 1 },
  );
  row(
    `${TFJS_MB} MB TF.js model vs TF.js load + countParams()`,
    fmt(tfjsCli.ms),
    fmt(tfLoad.ms),
    '≥ 20× faster',
    tfLoad.ms >= 20 * tfjsCli.ms,
  );
  setRatio(`${(tfLoad.ms / tfjsCli.ms).toFixed(1)}×`);

  // 4b. A SavedModel whose saved_model.pb is mostly constants: audited by ranges, never read whole.
  const smDir = writeBigSavedModel(path.join(tmp, 'big-savedmodel'), SAVEDMODEL_MB);
  const smPb = path.join(smDir, 'saved_model.pb');
  const smMB = (fs.statSync(smPb).size / 2 ** 20).toFixed(0);
  const sm = cliBesideNode('inspect', smDir, '--format', 'json');
  row(
    `SavedModel with a ${smMB} MB saved_model.pb (Const nodes) vs \`node -e 0\``,
    `${fmt(sm.ms)}, ${sm.rssMB.toFixed(0)} MB`,
    fmt(sm.node0),
    '≤ 2×, ≤ 150 MB',
    sm.ms <= 2 * sm.node0 && sm.rssMB <= 150,
  );
  /** @type {(typeof rows)[number]} */ (rows[rows.length - 1]).ratio = `${(sm.ms / sm.node0).toFixed(2)}×`;
  const smCounted = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `
    const { FileSource } = await import(${JSON.stringify(path.join(root, 'dist', 'node', 'file-source.js'))});
    const { analyze } = await import(${JSON.stringify(path.join(root, 'dist', 'inspect.js'))});
    const f = FileSource.at(${JSON.stringify(smPb)});
    let bytes = 0; const read = f.read.bind(f); f.read = (o, n) => { const b = read(o, n); bytes += b.length; return b; };
    await analyze(f); f.close(); console.log(bytes);`,
    ],
    { encoding: 'utf8' },
  );
  const smRead = Number(smCounted.stdout.trim());
  row(
    `bytes read from the ${smMB} MB saved_model.pb`,
    `${(smRead / 2 ** 20).toFixed(2)} MiB`,
    `${fs.statSync(smPb).size.toLocaleString('en-US')} B`,
    '< 5%',
    smRead > 0 && smRead < 0.05 * fs.statSync(smPb).size,
  );
  /** @type {(typeof rows)[number]} */ (rows[rows.length - 1]).ratio = `${((100 * smRead) / fs.statSync(smPb).size).toFixed(2)}%`;
  fs.rmSync(smDir, { recursive: true });

  // 5. scan of a folder of small models, mixed formats.
  /** @type {{ dir?: string; file?: string }[]} */
  const seeds = [
    ...['mlp', 'convnet', 'rnn', 'functional'].map((m) => ({ dir: `tfjs/${m}` })),
    ...['mlp.h5', 'convnet.h5', 'lstm.h5', 'functional.h5'].map((f) => ({ file: `keras-h5/${f}` })),
    ...['mlp.keras', 'functional.keras', 'lstm.keras', 'convnet_k34.keras'].map((f) => ({ file: `keras3/${f}` })),
  ];
  const scanDir = path.join(tmp, 'scan');
  for (let i = 0; i < SCAN_MODELS; i++) {
    const s = /** @type {{ dir?: string; file?: string }} */ (seeds[i % seeds.length]);
    const dest = path.join(scanDir, `m${String(i).padStart(4, '0')}`);
    if (s.dir) fs.cpSync(path.join(root, 'fixtures', s.dir), dest, { recursive: true });
    else if (s.file) {
      fs.mkdirSync(dest, { recursive: true });
      fs.copyFileSync(path.join(root, 'fixtures', s.file), path.join(dest, path.basename(s.file)));
    }
  }
  const sc = time(process.execPath, [BIN, 'scan', scanDir, '--format', 'jsonl']);
  const perSec = SCAN_MODELS / (sc.ms / 1000);
  row(
    `scan of ${SCAN_MODELS} small models (.h5, .keras, TF.js), ${os.availableParallelism()} cores`,
    `${fmt(sc.ms)}, ${sc.rssMB.toFixed(0)} MB`,
    '-',
    '≥ 30 models/s',
    perSec >= 30,
  );
  setRatio(`${perSec.toFixed(0)}/s`);

  console.log(
    `\nMachine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.availableParallelism()} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}`,
  );
  console.log('\n| case | kerascope | reference | ratio | target | result |');
  console.log('| --- | ---: | ---: | ---: | --- | --- |');
  for (const r of rows)
    console.log(`| ${r.what} | ${r.measured} | ${r.reference} | ${r.ratio} | ${r.target} | ${r.pass ? 'met' : 'MISSED'} |`);
  process.exitCode = allMet ? 0 : 1;
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
