// `npm run bench`: time and peak memory of `inspect` on large models made here, against targets.
// - big: Dense layers holding BENCH_MB megabytes of float32 weights in total (default 1024), as a legacy
//   HDF5 full model, as a Keras 3 .keras archive, and as a TF.js model.json whose shards are sparse files;
// - deep: BENCH_LAYERS small Dense layers (default 3000), the per-layer cost.
// Each inspect runs in a fresh Node process; peak memory is that process's max RSS.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import h5wasm from 'h5wasm/node';
import yazl from 'yazl';

const MB = Number(process.env.BENCH_MB ?? 1024);
const LAYERS = Number(process.env.BENCH_LAYERS ?? 3000);
// Targets: inspecting reads metadata only, so neither time nor memory should grow with the weights' size.
const TARGET = { ms: 5000, rssMB: 400 };

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-bench-'));

function sequential(units, inputDim) {
  /** @type {{ class_name: string, config: Record<string, unknown> }[]} */
  const layers = [{ class_name: 'InputLayer', config: { name: 'input', batch_input_shape: [null, inputDim], dtype: 'float32' } }];
  units.forEach((u, i) => void layers.push({ class_name: 'Dense', config: { name: `dense_${i}`, units: u, use_bias: true, trainable: true } }));
  return { class_name: 'Sequential', config: { name: 'bench', layers }, keras_version: '2.15.0', backend: 'tensorflow' };
}

async function writeLegacyH5(file, config, shapes) {
  await h5wasm.ready;
  const f = new h5wasm.File(file, 'w');
  f.create_attribute('model_config', JSON.stringify(config));
  f.create_attribute('keras_version', '2.15.0');
  f.create_attribute('backend', 'tensorflow');
  const mw = f.create_group('model_weights');
  const names = config.config.layers.map((l) => l.config.name);
  mw.create_attribute('layer_names', names);
  mw.create_group('input').create_attribute('weight_names', []);
  shapes.forEach(([inDim, units], i) => {
    const name = `dense_${i}`;
    const g = mw.create_group(name);
    g.create_attribute('weight_names', [`${name}/kernel:0`, `${name}/bias:0`]);
    const inner = g.create_group(name);
    inner.create_dataset({ name: 'kernel:0', data: new Float32Array(inDim * units), shape: [inDim, units], dtype: '<f' });
    inner.create_dataset({ name: 'bias:0', data: new Float32Array(units), shape: [units], dtype: '<f' });
  });
  f.close();
}

async function writeKeras3(file, config, shapes) {
  await h5wasm.ready;
  const weights = path.join(tmp, 'model.weights.h5');
  const f = new h5wasm.File(weights, 'w');
  const layers = f.create_group('layers');
  shapes.forEach(([inDim, units], i) => {
    const vars = layers.create_group(i === 0 ? 'dense' : `dense_${i}`).create_group('vars');
    vars.create_attribute('name', `dense_${i}`);
    vars.create_dataset({ name: '0', data: new Float32Array(inDim * units), shape: [inDim, units], dtype: '<f' });
    vars.create_dataset({ name: '1', data: new Float32Array(units), shape: [units], dtype: '<f' });
  });
  f.close();
  const z = new yazl.ZipFile();
  z.addBuffer(Buffer.from('{"keras_version": "3.6.0"}'), 'metadata.json', { compress: false });
  z.addBuffer(Buffer.from(JSON.stringify(config)), 'config.json', { compress: false });
  z.addFile(weights, 'model.weights.h5', { compress: false });
  z.end();
  await /** @type {Promise<void>} */ (new Promise((resolve, reject) => z.outputStream.pipe(fs.createWriteStream(file)).on('close', resolve).on('error', reject)));
  fs.rmSync(weights);
}

function writeTfjs(dir, config, shapes) {
  fs.mkdirSync(dir);
  const weights = shapes.flatMap(([inDim, units], i) => [
    { name: `dense_${i}/kernel`, shape: [inDim, units], dtype: 'float32' },
    { name: `dense_${i}/bias`, shape: [units], dtype: 'float32' },
  ]);
  const bytes = weights.reduce((n, w) => n + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
  const shard = 4 * 1024 * 1024;
  const paths = [];
  for (let off = 0, k = 1; off < bytes; off += shard, k++) {
    const p = `group1-shard${k}of${Math.ceil(bytes / shard)}`;
    paths.push(p);
    const fd = fs.openSync(path.join(dir, p), 'w');
    fs.ftruncateSync(fd, Math.min(shard, bytes - off)); // sparse: only the size matters to inspect
    fs.closeSync(fd);
  }
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ format: 'layers-model', modelTopology: config, weightsManifest: [{ paths, weights }] }));
}

function measure(label, args) {
  const script = `
    const { inspect } = await import(${JSON.stringify(path.join(root, 'dist', 'index.js'))});
    const t = performance.now();
    const r = await inspect(...${JSON.stringify(args)});
    const ms = performance.now() - t;
    console.log(JSON.stringify({ ms, rssMB: process.resourceUsage().maxRSS / 1024, params: r.totals.params, errors: r.findings.filter((f) => f.severity === 'error').length }));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${label}: ${run.stderr}`);
  return { label, ...JSON.parse(run.stdout.trim().split('\n').pop()) };
}

const fileMB = (p) => (fs.statSync(p).isDirectory()
  ? fs.readdirSync(p).reduce((n, f) => n + fs.statSync(path.join(p, f)).size, 0)
  : fs.statSync(p).size) / 2 ** 20;

try {
  // big: 2048×2048 float32 kernels (16 MiB each) until BENCH_MB is reached.
  const n = Math.max(1, Math.round(MB / 16));
  const bigShapes = Array.from({ length: n }, () => [2048, 2048]);
  const big = sequential(bigShapes.map(([, u]) => u), 2048);
  // deep: LAYERS Dense(8) layers.
  const deepShapes = Array.from({ length: LAYERS }, () => [8, 8]);
  const deep = sequential(deepShapes.map(([, u]) => u), 8);
  console.log(`writing bench models in ${tmp} …`);
  await writeLegacyH5(path.join(tmp, 'big.h5'), big, bigShapes);
  await writeKeras3(path.join(tmp, 'big.keras'), big, bigShapes);
  writeTfjs(path.join(tmp, 'big-tfjs'), big, bigShapes);
  await writeLegacyH5(path.join(tmp, 'deep.h5'), deep, deepShapes);
  writeTfjs(path.join(tmp, 'deep-tfjs'), deep, deepShapes);
  /** @type {[string, string[]][]} */
  const cases = [
    ['big.h5', [path.join(tmp, 'big.h5')]],
    ['big.keras', [path.join(tmp, 'big.keras')]],
    ['big-tfjs/model.json', [path.join(tmp, 'big-tfjs', 'model.json')]],
    ['deep.h5', [path.join(tmp, 'deep.h5')]],
    ['deep-tfjs/model.json', [path.join(tmp, 'deep-tfjs', 'model.json')]],
  ];
  const results = cases.map(([label, args]) => ({ ...measure(label, args), sizeMB: fileMB(path.join(tmp, label.split('/')[0])) }));
  let ok = true;
  console.log(`\n| model | size on disk | params | inspect | peak RSS | target (${TARGET.ms} ms, ${TARGET.rssMB} MB) |`);
  console.log('| --- | ---: | ---: | ---: | ---: | --- |');
  for (const r of results) {
    const pass = r.ms <= TARGET.ms && r.rssMB <= TARGET.rssMB && r.errors === 0;
    ok &&= pass;
    console.log(`| ${r.label} | ${r.sizeMB.toFixed(0)} MB | ${r.params.toLocaleString('en-US')} | ${r.ms.toFixed(0)} ms | ${r.rssMB.toFixed(0)} MB | ${pass ? 'met' : 'MISSED'} |`);
  }
  process.exitCode = ok ? 0 : 1;
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
