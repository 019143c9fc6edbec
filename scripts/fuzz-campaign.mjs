// `npm run fuzz -- [--cases N] [--jobs J] [--seed S] [--from K] [--cli-every M] [--time-ms T] [--rss-mb R] [--out DIR]`
// The fuzz campaign of issue 14. Cases are generated from a seed and a case number (so any case can be
// regenerated and the run resumed with --from), over every format: HDF5 (structure-aware, checksums
// recomputed), zip (central directory vs local headers, methods, sizes, names, sharded bombs), JSON (types,
// numbers, nesting, huge arrays and strings, cycles, nulls, duplicates), TF.js manifests (paths: `..`,
// absolute, URLs, percent-encoded, symbolic links; dtypes, quantization, shapes) and generated models (many
// layers, many shards, quantized weights). Limits are enforced from OUTSIDE the process that runs a case:
//  - library cases run in batches in child processes; the parent reads "start i"/"end i" lines, kills the
//    child when a case passes the time limit (then resumes after it), and samples the child's resident
//    memory (/proc/PID/status) during each case;
//  - every M-th case (--cli-every, default 8) runs as a fresh CLI process (bin/kerascope.js through a
//    wrapper that reports its peak RSS), whose stderr and exit code are checked against the contract.
// Time is CPU time (user + system, from /proc) so that a loaded machine does not fail cases; wall time is
// capped at 12× the limit. Failures are classified (crash, timeout, memory, stderr, native-text, exit-mismatch, bad-json), the first
// few of each class are minimized (delta debugging over the byte patches) and written to --out with a
// summary JSON. Exit 1 if any failure.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { JSON_OPS, rng, unzipMembers } from './fuzz-cases.mjs';
import { applyPatches, mutateHdf5, mutateRaw, mutateZip } from './fuzz-mutators.mjs';
import { zipBytes } from './fixtures/security.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = path.resolve(ROOT, '..', 'shared', 'models');
const argOf = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const num = (name, dflt) => Number(argOf(name, dflt));

// ── seeds ──────────────────────────────────────────────────────────────────────────────────────────────

const exists = (p) => fs.existsSync(p);
const listFiles = (dir, re) =>
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
  json: [
    path.join(ROOT, 'fixtures/keras-h5/mlp.json'),
    ...listFiles(SHARED, /\.json$/).filter((f) => !/(^|\/)model\.json$/.test(f) && !f.endsWith('EXPECTED.json')),
  ].filter(exists),
};
const seedCache = new Map();
const readSeed = (f) => {
  if (!seedCache.has(f)) seedCache.set(f, fs.readFileSync(f));
  return seedCache.get(f);
};

// ── generated models ───────────────────────────────────────────────────────────────────────────────────

function generatedTfjs(r, dir) {
  const layers = 1 + r.int(r.next() < 0.1 ? 3000 : 60);
  const shards = 1 + r.int(r.next() < 0.2 ? 400 : 4);
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
  hugeArray(doc, r) {
    const n = r.pick([1e4, 1e5, 1e6, 3e6]);
    const target = r.pick(['inbound_nodes', 'weightsManifest', 'layers', 'paths', 'shape']);
    const arr = new Array(n).fill(target === 'paths' ? 'x.bin' : target === 'shape' ? 1 : [[['a', 0, 0, {}]]]);
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
  hugeString(doc, r) {
    return { ...doc, name: 'x'.repeat(r.pick([2e5, 2e6, 3e7])) };
  },
  nullObject(doc, r) {
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

function textOps(text, r) {
  const k = r.int(4);
  if (k === 0) return '['.repeat(r.pick([300, 1e5, 3e7])); // deep brackets
  if (k === 1) return text.replace(/"name":/, '"name": "dup", "name":'); // duplicate keys
  if (k === 2) return text.replace(/\d+/g, (d) => (r.next() < 0.05 ? r.pick(['-1', '1e308', '18446744073709551616', '-0', '1.5']) : d));
  return text.slice(0, r.int(text.length));
}

function mutateJson(text, r) {
  let doc;
  try {
    doc = JSON.parse(text);
  } catch {
    return { op: 'json:text', out: textOps(text, r) };
  }
  const x = r.next();
  if (x < 0.15) return { op: 'json:text', out: textOps(text, r) };
  if (x < 0.35) {
    const op = r.pick(Object.keys(BIG_JSON));
    return { op: `json:${op}`, out: JSON.stringify(BIG_JSON[op](doc, r)) };
  }
  const op = r.pick(Object.keys(JSON_OPS));
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

function mutateManifest(doc, r, dir) {
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
  else w.shape = r.pick([[-1], [2 ** 40, 2 ** 40], [1e308], [1.5], ['a'], null, new Array(5000).fill(1), [0]]);
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
export async function generate(seed, i, dir) {
  const r = rng(seed * 7_919 + i);
  const [cmd, format] = r.pick(COMMANDS);
  const kinds = ['h5', 'h5', 'keras', 'keras', 'tfjs', 'tfjs', 'json', 'generated'];
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
    const members = await unzipMembers(seedFile);
    let op;
    if (x < 0.85) {
      const name = r.pick(members.map((m) => m.name).filter((n) => n.endsWith('.json')));
      const mem = members.find((m) => m.name === name);
      const mj = mutateJson(mem.data.toString('utf8'), r);
      mem.data = Buffer.from(mj.out);
      op = `keras-${name}:${mj.op}`;
      if (r.next() < 0.3) for (const m of members) m.method = 8;
    } else {
      // A sharded bomb: compressed shards declaring a large size each.
      const n = 1 + r.int(8);
      const map = {};
      for (let s = 0; s < n; s++) map[`v${s}`] = `model_${String(s).padStart(5, '0')}.weights.h5`;
      members.splice(
        members.findIndex((m) => m.name === 'model.weights.h5'),
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
      zipBytes(members.map((m) => ({ name: m.name, data: m.data, method: m.method === 8 ? 8 : 0, declaredSize: m.declaredSize }))),
    );
    return { ...base, file, op };
  }
  if (kind === 'tfjs' || kind === 'generated') {
    let doc;
    if (kind === 'tfjs') {
      const src = r.pick(SEEDS.tfjs);
      for (const n of fs.readdirSync(src))
        if (fs.statSync(path.join(src, n)).isFile()) fs.copyFileSync(path.join(src, n), path.join(caseDir, n));
      doc = JSON.parse(fs.readFileSync(path.join(caseDir, 'model.json'), 'utf8'));
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
  const seedFile = r.pick(SEEDS.json);
  const file = path.join(caseDir, 'arch.json');
  const m = mutateJson(readSeed(seedFile).toString('utf8'), r);
  fs.writeFileSync(file, m.out);
  return { ...base, file, op: m.op, seedFile };
}

// ── the library child: runs cases [from, to) in process, one line per case start and end ───────────────

async function libChild(seed, from, to, dir, cliEvery) {
  const lib = await import('../dist/index.js');
  const { auditFindings, renderAuditJson, renderAuditTable } = await import('../dist/report/audit.js');
  const { renderSarif } = await import('../dist/report/sarif.js');
  const { renderTable } = await import('../dist/report/table.js');
  const { renderJson } = await import('../dist/report/json.js');
  for (let i = from; i < to; i++) {
    if (i % cliEvery === 0) continue; // run by the parent as a CLI process
    const c = await generate(seed, i, dir);
    process.stdout.write(`start ${i}\n`);
    let outcome = 'report';
    let detail = '';
    try {
      const report = await lib.inspect(c.file);
      const findings = c.cmd === 'audit' ? auditFindings(report) : report.findings;
      const out =
        c.cmd === 'inspect'
          ? c.format === 'json'
            ? renderJson(report)
            : renderTable(report)
          : c.format === 'sarif'
            ? renderSarif({ file: report.file, findings })
            : c.format === 'json'
              ? renderAuditJson(report, findings)
              : renderAuditTable(report, findings);
      if (c.format !== 'table') JSON.parse(out);
    } catch (e) {
      if (e instanceof lib.InputError && !String(e.message).includes('\n')) outcome = 'input-error';
      else {
        outcome = 'crash';
        detail = `${e?.name}: ${String(e?.message).split('\n')[0].slice(0, 300)}`;
      }
    }
    fs.rmSync(path.join(dir, `c${i}`), { recursive: true, force: true });
    process.stdout.write(`end ${i} ${outcome} ${JSON.stringify({ kind: c.kind, op: c.op, detail })}\n`);
  }
}

// ── the parent ─────────────────────────────────────────────────────────────────────────────────────────

function rssOf(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(s)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc/PID/stat (clock ticks of 1/100 s). */
function cpuOf(pid) {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
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

const NATIVE = /Aborted\(|HDF5-DIAG|Cannot enlarge memory|warning: |RuntimeError|wasm|emscripten|#\d{3}:/;

/** Runs one case as a fresh CLI process; returns {failure?, ms, rss, code}. */
function runCliCase(c, timeMs, rssMb) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    // A private temp folder: whatever the run leaves there is a failure (unless it was killed).
    const tmp = fs.mkdtempSync(path.join(path.dirname(path.dirname(c.file)), 'tmp-'));
    const inputBefore = fs.readFileSync(c.file);
    const child = spawn(
      process.execPath,
      [
        path.join(ROOT, 'scripts/fuzz-cli-child.mjs'),
        c.cmd,
        c.file,
        '--format',
        c.format,
        '--timeout',
        String((WALL_FACTOR * timeMs) / 1000),
        '--max-memory',
        String(rssMb),
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
        env: { ...process.env, TMPDIR: tmp },
      },
    );
    let stdout = '';
    let stderr = '';
    let usage = '';
    let peak = 0;
    child.stdout.on('data', (d) => {
      if (stdout.length < 128e6) stdout += d; // reports of 100,000 findings run to tens of MB
    });
    child.stderr.on('data', (d) => {
      if (stderr.length < 1e5) stderr += d;
    });
    child.stdio[3].on('data', (d) => (usage += d));
    let cpu = 0;
    let killed = false;
    const poll = setInterval(() => {
      peak = Math.max(peak, rssOf(child.pid));
      cpu = Math.max(cpu, cpuOf(child.pid));
      if (cpu * 1000 > timeMs + 2000 && !killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    }, 50);
    const timer = setTimeout(
      () => {
        killed = true;
        child.kill('SIGKILL');
      },
      WALL_FACTOR * timeMs + 5000,
    );
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
      if (killed) failure = ['timeout', `killed after ${ms} ms wall, ${cpu.toFixed(1)} s CPU`];
      else if (cpu * 1000 > timeMs) failure = ['timeout', `${cpu.toFixed(1)} s CPU (${ms} ms wall)`];
      else if (peak > rssMb * 1024 * 1024) failure = ['memory', `${(peak / 1048576).toFixed(0)} MB`];
      else if (NATIVE.test(stderr)) failure = ['native-text', lines[0]];
      else if (fs.readdirSync(tmp).length) failure = ['temp-left', fs.readdirSync(tmp).join(', ')];
      else if (!fs.readFileSync(c.file).equals(inputBefore)) failure = ['input-modified', c.file];
      else if (/internal error/.test(stderr)) failure = ['crash', lines[0]];
      else if (code === 2 && lines.length !== 1) failure = ['stderr', `${lines.length} lines: ${lines.slice(0, 2).join(' | ')}`];
      else if (code === 2 && !lines[0].startsWith('kerascope: ')) failure = ['stderr', lines[0]];
      else if (code !== 2 && lines.length) failure = ['stderr', `exit ${code} with stderr: ${lines[0]}`];
      else if (code !== 0 && code !== 1 && code !== 2) failure = ['crash', `exit ${code}`];
      else if (code !== 2 && c.format !== 'table') {
        try {
          const doc = JSON.parse(stdout);
          const findings =
            c.format === 'sarif' ? doc.runs[0].results.map((x) => ({ severity: x.level === 'error' ? 'error' : 'other' })) : doc.findings;
          const errors = findings.some((f) => f.severity === 'error');
          if ((code === 1) !== errors) failure = ['exit-mismatch', `exit ${code}, ${errors ? 'with' : 'without'} error findings`];
        } catch (e) {
          failure = ['bad-json', String(e.message).slice(0, 200)];
        }
      }
      fs.rmSync(tmp, { recursive: true, force: true });
      resolve({ failure, ms, cpuMs: Math.round(cpu * 1000), rss: peak, code });
    });
  });
}

/** Runs library cases [from, to) in one child; calls back per case; resolves with the next case to run. */
function runLibBatch(seed, from, to, dir, timeMs, rssMb, cliEvery, onCase) {
  return new Promise((resolve) => {
    const args = [
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
    ];
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let buf = '';
    let current = null;
    let started = 0;
    let cpu0 = 0;
    let peak = 0;
    let stderr = '';
    let next = from;
    let killedAt = false;
    child.stderr.on('data', (d) => {
      if (stderr.length < 1e5) stderr += d;
    });
    const poll = setInterval(() => {
      if (current === null) return;
      peak = Math.max(peak, rssOf(child.pid));
      const ms = Date.now() - started;
      const cpuMs = (cpuOf(child.pid) - cpu0) * 1000;
      if (cpuMs > timeMs || ms > WALL_FACTOR * timeMs || peak > rssMb * 1.5 * 1048576) {
        const failure =
          peak > rssMb * 1.5 * 1048576
            ? ['memory', `${(peak / 1048576).toFixed(0)} MB (library)`]
            : ['timeout', `${(cpuMs / 1000).toFixed(1)} s CPU, ${ms} ms wall (library, in process)`];
        onCase(current, { failure, ms, cpuMs, rss: peak });
        next = current + 1;
        current = null;
        killedAt = true;
        child.kill('SIGKILL');
      }
    }, 50);
    child.stdout.on('data', (d) => {
      buf += d;
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const m = /^(start|end) (\d+)(?: (\S+) (.*))?$/.exec(line);
        if (!m) continue;
        const i = Number(m[2]);
        if (m[1] === 'start') {
          current = i;
          started = Date.now();
          cpu0 = cpuOf(child.pid);
          peak = rssOf(child.pid);
        } else if (current === i) {
          const ms = Date.now() - started;
          const cpuMs = (cpuOf(child.pid) - cpu0) * 1000;
          const info = JSON.parse(m[4]);
          let failure = null;
          if (m[3] === 'crash') failure = ['crash', info.detail];
          else if (cpuMs > timeMs) failure = ['timeout', `${(cpuMs / 1000).toFixed(1)} s CPU, ${ms} ms wall (library)`];
          else if (peak > rssMb * 1048576) failure = ['memory', `${(peak / 1048576).toFixed(0)} MB (library)`];
          onCase(i, { failure, ms, cpuMs, rss: peak, outcome: m[3], kind: info.kind, op: info.op });
          current = null;
          next = i + 1;
        }
      }
    });
    child.on('close', (code) => {
      clearInterval(poll);
      if (current !== null) {
        onCase(current, {
          failure: ['crash', `library child died (exit ${code}): ${stderr.split('\n').filter(Boolean).slice(-1)[0] ?? ''}`],
          ms: Date.now() - started,
          rss: peak,
        });
        next = current + 1;
        return resolve(next);
      }
      // A child that ended on its own ran every library case of its range.
      resolve(killedAt ? next : code === 0 ? to : Math.max(next, from + 1));
    });
  });
}

/** Delta debugging over a failing case's patches: the smallest subset that still fails the same way. */
async function minimize(c, cls, timeMs, rssMb, dir) {
  if (!c.patches || c.patches.length < 2) return c.patches ?? null;
  const buf = readSeed(c.seedFile);
  const fails = async (patches) => {
    fs.writeFileSync(c.file, applyPatches(buf, patches));
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
  void dir;
  return cur;
}

async function parent() {
  const cases = num('cases', 250_000);
  const jobs = num('jobs', 2);
  const seed = num('seed', 14);
  const start = num('from', 0);
  const cliEvery = num('cli-every', 8);
  const timeMs = num('time-ms', 10_000);
  const rssMb = num('rss-mb', 400);
  const batch = num('batch', 200);
  const out = path.resolve(argOf('out', path.join(os.tmpdir(), `kerascope-fuzz-${seed}`)));
  fs.mkdirSync(out, { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-campaign-'));
  const summaryFile = path.join(out, 'summary.json');
  const summary =
    exists(summaryFile) && start > 0
      ? JSON.parse(fs.readFileSync(summaryFile, 'utf8'))
      : { seed, ran: 0, cli: 0, lib: 0, ms: 0, failures: {}, outcomes: {}, maxMs: 0, maxRssMb: 0, examples: {} };
  const t0 = Date.now();
  if (start > 0) {
    // Resuming: the time and counts so far carry over; a block in flight when the run stopped is run again.
    summary.prevElapsedS = summary.elapsedS ?? 0;
    summary.runs ??= [];
    summary.runs.push({ from: start, cliEvery, jobs });
  }
  const recheck = [];
  const record = (i, mode, r, c, rechecked = false) => {
    // A case over the time or memory limit is run once more, alone, as a CLI process, before it counts: on a
    // shared machine a case can be slow because of its neighbours. Both measurements are kept.
    if (!rechecked && r.failure && (r.failure[0] === 'timeout' || r.failure[0] === 'memory')) {
      recheck.push({ i, mode, r });
      return;
    }
    summary.ran++;
    summary[mode]++;
    summary.maxMs = Math.max(summary.maxMs, r.ms);
    summary.maxCpuMs = Math.max(summary.maxCpuMs ?? 0, r.cpuMs ?? 0);
    summary.slowest ??= [];
    if ((r.cpuMs ?? 0) > 2000) summary.slowest.push({ i, mode, cpuMs: r.cpuMs, ms: r.ms, kind: c?.kind ?? r.kind, op: c?.op ?? r.op });
    if (summary.slowest?.length > 20) summary.slowest = summary.slowest.sort((a, b) => b.cpuMs - a.cpuMs).slice(0, 20);
    summary.maxRssMb = Math.max(summary.maxRssMb, Math.round(r.rss / 1048576));
    const outcome = r.outcome ?? (r.code === 2 ? 'input-error' : r.code === undefined ? '?' : `exit-${r.code}`);
    summary.outcomes[outcome] = (summary.outcomes[outcome] ?? 0) + 1;
    if (r.failure) {
      const [cls, detail] = r.failure;
      summary.failures[cls] = (summary.failures[cls] ?? 0) + 1;
      summary.examples[cls] ??= [];
      if (summary.examples[cls].length < 10) summary.examples[cls].push({ i, mode, kind: c?.kind ?? r.kind, op: c?.op ?? r.op, detail });
      console.error(`case ${i} [${mode}] ${cls}: ${c?.kind ?? r.kind ?? ''} ${c?.op ?? r.op ?? ''}: ${detail}`);
    }
  };
  // Cases in blocks of `batch`; each job takes a block; within a block, every cliEvery-th case runs as a CLI process.
  let nextBlock = start;
  const job = async (j) => {
    const dir = path.join(work, `job${j}`);
    fs.mkdirSync(dir, { recursive: true });
    while (nextBlock < cases) {
      const from = nextBlock;
      const to = Math.min(cases, from + batch);
      nextBlock = to;
      // Library cases: all but the CLI ones, in as few children as the limits allow (a killed child is
      // replaced, resuming after the case that was killed).
      let k = from;
      while (k < to) k = await runLibBatch(seed, k, to, dir, timeMs, rssMb, cliEvery, (n, r) => record(n, 'lib', r, null));
      for (let i = from; i < to; i++) {
        if (i % cliEvery === 0) {
          const c = /** @type {any} */ (await generate(seed, i, dir));
          const r = await runCliCase(c, timeMs, rssMb);
          if (r.failure && (summary.examples[r.failure[0]]?.length ?? 0) < 3 && c.patches) {
            const min = await minimize(c, r.failure[0], timeMs, rssMb, dir);
            const keep = path.join(out, `${r.failure[0]}-case${i}${path.extname(c.file)}`);
            fs.copyFileSync(c.file, keep);
            fs.writeFileSync(
              `${keep}.json`,
              JSON.stringify(
                {
                  seed,
                  case: i,
                  seedFile: c.seedFile,
                  cmd: c.cmd,
                  format: c.format,
                  op: c.op,
                  patches: min?.map((p) => ({ at: p.at, bytes: p.bytes ? Buffer.from(p.bytes).toString('hex') : undefined, fix: p.fix })),
                  failure: r.failure,
                },
                null,
                1,
              ),
            );
          } else if (r.failure) {
            fs.cpSync(path.dirname(c.file), path.join(out, `${r.failure[0]}-case${i}`), { recursive: true, verbatimSymlinks: true });
          }
          record(i, 'cli', r, c);
          fs.rmSync(path.join(dir, `c${i}`), { recursive: true, force: true });
        }
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
  summary.prevElapsedS = summary.elapsedS;
  fs.writeFileSync(summaryFile, JSON.stringify(summary, null, 1));
  const fails =
    Object.entries(summary.failures)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ') || '0 failures';
  console.log(
    `fuzz campaign (seed ${seed}): ${summary.ran} cases (${summary.lib} library, ${summary.cli} CLI) in ${summary.elapsedS}s; ${fails}; slowest ${summary.maxCpuMs} ms CPU (${summary.maxMs} ms wall), peak RSS ${summary.maxRssMb} MB; outcomes ${JSON.stringify(summary.outcomes)}; details in ${summaryFile}`,
  );
  process.exitCode = Object.keys(summary.failures).length ? 1 : 0;
}

if (process.argv.includes('--child')) await libChild(num('seed', 14), num('from', 0), num('to', 0), argOf('dir'), num('cli-every', 8));
else if (import.meta.url === `file://${process.argv[1]}`) await parent();
