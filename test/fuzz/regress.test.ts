// Regression tests for what an independent fuzz campaign broke (issue 14): each class has a reproducer in
// fixtures/regress/ (scripts/fixtures/regress.mjs) or is built here in memory, and is checked through the
// real entry points (the library, and the CLI where the one-line contract matters).
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isLocalShardPath } from '../../src/formats/tfjs.js';
import { prescanJson } from '../../src/formats/json.js';
import { analyze } from '../../src/inspect.js';
import { MemorySource } from '../../src/io/byte-source.js';
import { DEFAULT_BUDGETS, resolveBudgets } from '../../src/model/budgets.js';
import { InputError } from '../../src/model/errors.js';
import type { Finding, Report } from '../../src/model/types.js';
import { inspect } from '../../src/node/inspect.js';
import { renderAuditTable } from '../../src/report/audit.js';
import { renderTable } from '../../src/report/table.js';
import { runCli } from '../helpers/cli.js';

const R = (p: string) => `fixtures/regress/${p}`;
const enc = (x: unknown) => new TextEncoder().encode(typeof x === 'string' ? x : JSON.stringify(x));
const inMemory = (files: Record<string, Uint8Array>, main: string) => analyze(new MemorySource(new Map(Object.entries(files)), main));
const codes = (fs: Finding[]) => fs.map((f) => f.code);

/** The CLI's contract for unreadable input: exit 2, nothing on stdout, exactly one line naming the file. */
function oneLine(args: string[], file: string, message: RegExp): void {
  const r = runCli(args);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  expect(lines[0]!.startsWith(`kerascope: ${file}: `)).toBe(true);
  expect(lines[0]).toMatch(message);
  expect(lines[0]).not.toContain('internal error');
}

describe('internal errors become one clear line', () => {
  it('a null modelTopology', () =>
    oneLine(['inspect', R('tfjs-null-topology/model.json')], R('tfjs-null-topology/model.json'), /modelTopology in model\.json is null/));
  it('a manifest group that is not an object', () =>
    oneLine(
      ['audit', R('tfjs-manifest-entry-not-object/model.json')],
      R('tfjs-manifest-entry-not-object/model.json'),
      /weightsManifest group 1 is not a JSON object/,
    ));
  it('members whose headers say "deflated" for stored bytes: a damaged archive', () =>
    oneLine(
      ['inspect', R('keras3-method-mismatch.keras')],
      R('keras3-method-mismatch.keras'),
      /config\.json inside the archive cannot be extracted \(/,
    ));

  it('130,000 manifest entries for one layer are counted, not a stack overflow', async () => {
    const n = 130_000;
    const weights = Array.from({ length: n }, (_, i) => ({ name: `dense/w${i}`, shape: [1], dtype: 'float32' }));
    const topology = {
      class_name: 'Sequential',
      config: { name: 's', layers: [{ class_name: 'Dense', config: { name: 'dense', units: 1, batch_input_shape: [null, 1] } }] },
    };
    const { report } = await inMemory(
      { 'model.json': enc({ modelTopology: topology, weightsManifest: [{ paths: [], weights }] }) },
      'model.json',
    );
    expect(report.layers[0]!.params.stored).toBe(n);
    expect(codes(report.findings)).toContain('unexpected-weight');
  });
});

describe('silently wrong: an attribute that exists but cannot be read is an error finding', () => {
  it('weight_names whose dataspace declares 4 entries where 2 are stored', async () => {
    const r = await inspect(R('h5-weight-names-unreadable.h5'));
    const f = r.findings.filter((x) => x.code === 'hdf5-attribute-unreadable');
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe('high');
    expect(f[0]!.message).toContain('attribute weight_names of /dense');
    // The same file without the damage has no such finding.
    expect(codes((await inspect('fixtures/keras-h5/mlp_weights.h5')).findings)).not.toContain('hdf5-attribute-unreadable');
    expect(runCli(['inspect', R('h5-weight-names-unreadable.h5')]).code).toBe(1);
  });
});

describe('shards outside the folder', () => {
  it('percent-encoded `..` is outside (a URL loader decodes it)', async () => {
    for (const p of ['%2e%2e/%2e%2e/x.bin', '%2E%2E/x.bin', '%252e%252e/x.bin', '..%2fx.bin', '%2fetc%2fpasswd', 'C%3a/x.bin'])
      expect(isLocalShardPath(p), p).toBe(false);
    for (const p of ['group1-shard1of1.bin', 'a%20b.bin', 'sub/x.bin', '100%.bin']) expect(isLocalShardPath(p), p).toBe(true);
    const r = await inspect(R('tfjs-percent-encoded-shard/model.json'));
    expect(codes(r.findings)).toContain('shard-path-outside');
  });

  it('a shard that is a symbolic link to a file outside the folder is not measured', async () => {
    expect(fs.lstatSync(R('tfjs-symlink-shard/model/weights.bin')).isSymbolicLink()).toBe(true);
    const r = await inspect(R('tfjs-symlink-shard/model/model.json'));
    const f = r.findings.filter((x) => x.code === 'shard-path-outside');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('symbolic link');
    expect(r.files.find((x) => x.path.endsWith('weights.bin'))?.bytes ?? 0).toBe(0);
    // The same manifest beside a real file of the right size is clean: 48 bytes = 3·4 float32.
    const ok = await inMemory(
      { 'm/model.json': fs.readFileSync(R('tfjs-symlink-shard/model/model.json')), 'm/weights.bin': new Uint8Array(48) },
      'm/model.json',
    );
    expect(codes(ok.report.findings)).not.toContain('shard-path-outside');
  });
});

describe('budgets before the work', () => {
  it('a sharded .keras whose shards declare 1000 MB each is refused before any inflation', () =>
    oneLine(
      ['inspect', R('keras3-sharded-bomb.keras')],
      R('keras3-sharded-bomb.keras'),
      /declare 3145728000 bytes from a 816-byte archive: refusing to inflate them \(zip bomb\).*--budget inflateBytes=N/,
    ));

  it('JSON is measured before it is parsed: bytes, depth, values', () => {
    const err = (text: string, budgets = DEFAULT_BUDGETS) => {
      try {
        prescanJson('f.json', text, 'config.json', budgets);
        return null;
      } catch (e) {
        return e instanceof InputError ? e.message : String(e);
      }
    };
    expect(err('['.repeat(300))).toMatch(/nests deeper than 256 levels, over the configDepth budget/);
    expect(err('{"a": "[[[[[[", "b": [1, 2, {"c": "]]]"}]}')).toBeNull(); // brackets inside strings do not count
    expect(err(JSON.stringify({ inbound_nodes: Array.from({ length: 1000 }, () => [1]) }), resolveBudgets({ jsonValues: 1000 }))).toMatch(
      /more than 1000 JSON values, over the jsonValues budget of 1000 \(raise it with --budget jsonValues=N\)/,
    );
    expect(err(' '.repeat(101), resolveBudgets({ jsonBytes: 100 }))).toMatch(/101 bytes, over the jsonBytes budget/);
    expect(() => resolveBudgets({ jsonBytes: -1 })).toThrow(RangeError);
    expect(() => resolveBudgets({ nope: 1 })).toThrow(/unknown budget nope/);
  });

  it('a config.json over the byte budget inside a .keras is refused while inflating (CLI --budget names it)', () => {
    const r = runCli(['inspect', 'fixtures/keras3/mlp.keras', '--budget', 'jsonBytes=64']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/config\.json is \d+ bytes, over the jsonBytes budget of 64 \(raise it with --budget jsonBytes=N\)\n$/);
    expect(runCli(['inspect', 'fixtures/keras3/mlp.keras', '--budget', 'nope=1']).code).toBe(2);
  });

  it('a TF.js manifest naming more shard paths than the budget', async () => {
    const paths = Array.from({ length: 51 }, (_, i) => `p${i}.bin`);
    const files = { 'model.json': enc({ format: 'graph-model', weightsManifest: [{ paths, weights: [] }] }) };
    await expect(analyze(new MemorySource(new Map(Object.entries(files)), 'model.json'), { budgets: { shardPaths: 50 } })).rejects.toThrow(
      /shardPaths budget of 50/,
    );
    await expect(inMemory(files, 'model.json')).resolves.toBeDefined(); // the default budget is untouched
  });
});

describe('rendering stays linear and readable', () => {
  it('100,000 missing shards: one finding, ten names and a count, one line in the table', async () => {
    const n = 100_000;
    const paths = Array.from({ length: n }, (_, i) => `p${i}.bin`);
    const { report } = await inMemory(
      {
        'model.json': enc({ format: 'graph-model', weightsManifest: [{ paths, weights: [{ name: 'w', shape: [1], dtype: 'float32' }] }] }),
      },
      'model.json',
    );
    // One finding for the manifest (issue 21): the first ten names, then a count.
    const missing = report.findings.filter((f) => f.code === 'shard-missing');
    expect(missing).toHaveLength(1);
    expect(missing[0]!.message).toContain('all 100,000 weight shards named by model.json are missing');
    expect(missing[0]!.message).toContain(
      'p0.bin, p1.bin, p2.bin, p3.bin, p4.bin, p5.bin, p6.bin, p7.bin, p8.bin, p9.bin, and 99,990 more',
    );
    expect(missing[0]!.message.length).toBeLessThan(1000);
    // Wide enough that no finding wraps: one line.
    const table = renderTable(report, { width: 1000 });
    expect(table.split('\n').filter((l) => l.includes('shard-missing'))).toHaveLength(1);
    const audit = renderAuditTable(report, undefined, { width: 1000 });
    expect(audit.length).toBeLessThan(20_000);
  });

  it('a 200,000-character layer name is cut in the table', async () => {
    const name = 'x'.repeat(200_000);
    const topology = {
      class_name: 'Sequential',
      config: { name: 's', layers: [{ class_name: 'Dense', config: { name, units: 1, batch_input_shape: [null, 1] } }] },
    };
    const { report } = await inMemory({ 'model.json': enc({ modelTopology: topology, weightsManifest: [] }) }, 'model.json');
    const table = renderTable(report);
    expect(table.length).toBeLessThan(5_000);
    expect(table).toContain(`${'x'.repeat(100)}`);
    expect(renderAuditTable(report).length).toBeLessThan(5_000);
  });
});

describe('the watchdog', () => {
  it('a worker stuck in synchronous code (as in a looping WebAssembly call) is stopped: one line, exit 2, nothing left behind', async () => {
    const { spawnSync } = await import('node:child_process');
    const os = await import('node:os');
    const path = await import('node:path');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-watchdog-'));
    try {
      const t0 = Date.now();
      const r = spawnSync(process.execPath, ['bin/kerascope.js', 'inspect', 'fixtures/keras-h5/mlp.h5', '--timeout', '1'], {
        encoding: 'utf8',
        env: { ...process.env, KERASCOPE_TEST_HANG: '1', TMPDIR: tmp },
        timeout: 60_000,
      });
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        'kerascope: fixtures/keras-h5/mlp.h5: still reading after 1 s; stopped (raise the limit with --timeout SECONDS)\n',
      );
      expect(Date.now() - t0).toBeLessThan(30_000); // ended by the watchdog, not by spawnSync's own timeout
      expect(fs.readdirSync(tmp)).toEqual([]);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('bad limits are usage errors', () => {
    for (const args of [
      ['--timeout', 'soon'],
      ['--max-memory', '-1'],
      ['--budget', 'jsonBytes'],
      ['--budget', 'nope=3'],
    ]) {
      const r = runCli(['inspect', 'fixtures/tfjs/mlp/model.json', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    }
  });

  it('a heap growth over the wasmHeapBytes budget is refused with one line naming the budget', async () => {
    const h5wasm = (await import('h5wasm/node')).default;
    const os = await import('node:os');
    const path = await import('node:path');
    await h5wasm.ready;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-heap-'));
    try {
      // layer_names with 200,000 names of 24 bytes: reading it needs 4.8 MB more than the library's initial heap.
      const file = path.join(dir, 'big-names.h5');
      const f = new h5wasm.File(file, 'w');
      f.create_attribute(
        'layer_names',
        Array.from({ length: 200_000 }, (_, i) => `layer_${i}`.padEnd(24, 'x')),
        null,
        'S24',
      );
      f.close();
      // The HDF5 library's heap: only h5wasm has one (the TypeScript reader reads this file without it).
      const wasm = { KERASCOPE_HDF5: 'h5wasm' };
      const r = runCli(['inspect', file, '--budget', 'wasmHeapBytes=20000000'], undefined, wasm);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /the file makes the HDF5 library ask for \d+ bytes of memory .* over the wasmHeapBytes budget of 20000000 \(raise it with --budget wasmHeapBytes=N\)\n$/,
      );
      expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
      // Under the default budget the same file is read (its 200,000 listed layers have no groups: findings, exit 1).
      expect(runCli(['inspect', file], undefined, wasm).code).toBe(1);
      expect(runCli(['inspect', file, '--budget', 'wasmHeapBytes=20000000']).code).toBe(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('an HDF5 file that makes the library spin (found by the campaign)', () => {
  it('the TypeScript reader reads it at once: the damaged attributes are error findings, exit 1', () => {
    const file = R('hangs/keras3-hdf5-gcol-loop.keras');
    const r = runCli(['inspect', file, '--format', 'json', '--timeout', '10']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: { code: string; message: string }[] };
    const unreadable = report.findings.filter((f) => f.code === 'hdf5-attribute-unreadable');
    expect(unreadable.length).toBeGreaterThan(0);
    expect(unreadable.every((f) => /global heap free space smaller than its header/.test(f.message))).toBe(true);
  });

  it('a collection whose sizes the library reads truncated and walks for ever is damage here, not declined (case 29321)', () => {
    // Its collection claims 2^32 - 1 bytes and an object's size has a high byte set: the TypeScript reader would
    // decline that size (h5wasm reads it truncated), but h5wasm's walk then reaches the zeros past the end of the
    // file, free space of size 0, and never ends. So the answer comes from here, at once.
    const file = R('readers/hangs/global-heap-endless-when-truncated.h5');
    const r = runCli(['inspect', file, '--format', 'json', '--timeout', '10']);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as { findings: { code: string; message: string }[]; meta: { hdf5Reader?: unknown } };
    const unreadable = report.findings.filter((f) => f.code === 'hdf5-attribute-unreadable');
    // The three layers' `name` attributes are variable-length strings in that collection.
    expect(unreadable.map((f) => f.message.split(' is present')[0])).toEqual(
      ['dense', 'dense_1', 'dense_2'].map((l) => `attribute name of /layers/${l}/vars`),
    );
    expect(unreadable.every((f) => f.message.includes('global heap collection whose objects never reach its end'))).toBe(true);
    expect(report.meta.hdf5Reader).toBeUndefined(); // no fall-back to h5wasm
  });

  it('through h5wasm it is stopped by the watchdog: one line naming the file and the limit, exit 2', () => {
    const file = R('hangs/keras3-hdf5-gcol-loop.keras');
    const t0 = Date.now();
    const r = runCli(['inspect', file, '--timeout', '3'], undefined, { KERASCOPE_HDF5: 'h5wasm' });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`kerascope: ${file}: still reading after 3 s; stopped (raise the limit with --timeout SECONDS)\n`);
    expect(Date.now() - t0).toBeLessThan(45_000);
  });
});

describe("issue 22's reproducers: a file the TypeScript reader declines ends at once, h5wasm is never asked", () => {
  it.each([
    // convnet.h5 (12 KB) with its root's first continuation-block length set to 2^63.
    ['continuation-length-2-63.h5', 'continuation message', 84],
    // keras3-legacy.h5 (15 KB) with its global heap collection's size changed (to 2^63).
    ['global-heap-collection-size-2-63.h5', 'global heap collection', 2056],
  ])('%s: one line naming the structure and its offset, exit 2', (name, structure, at) => {
    const file = R(`readers/declined/${name}`);
    const before = fs.readFileSync(file);
    const t0 = Date.now();
    const r = runCli(['inspect', file, '--timeout', '30']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `kerascope: ${file}: an HDF5 structure kerascope's reader does not follow: ${structure}: an 8-byte offset/length above 2^32, which the reference HDF5 build reads truncated (at byte ${at}) (the HDF5 library may read it: --hdf5 h5wasm)\n`,
    );
    // At once: well under the watchdog's limit (the fallback used to run into it), even on a loaded machine.
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('scan: the same line by default; --hdf5 h5wasm (after the command too) reads it with the HDF5 library', () => {
    const dir = fs.mkdtempSync(`${process.env.TMPDIR ?? '/tmp'}/kerascope-hdf5-choice-`);
    try {
      fs.copyFileSync(R('readers/declined/global-heap-collection-size-2-63.h5'), `${dir}/m.h5`);
      const lines = (args: string[]) =>
        runCli(['scan', dir, '--format', 'jsonl', ...args])
          .stdout.trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { error?: string; totals?: { stored: number } });
      const [byDefault] = lines([]);
      expect(byDefault?.error).toMatch(/an HDF5 structure kerascope's reader does not follow: global heap collection/);
      const [chosen] = lines(['--hdf5', 'h5wasm']);
      expect(chosen?.error).toBeUndefined();
      // The tensors are untouched by the patch: what the TypeScript reader finds in the intact fixture.
      const intact = JSON.parse(runCli(['inspect', 'fixtures/variants/keras3-legacy.h5', '--format', 'json']).stdout) as Report;
      expect(chosen?.totals?.stored).toBe(intact.totals.stored);
      expect(intact.totals.stored).toBeGreaterThan(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the library API settles on them too, with an InputError', async () => {
    for (const name of ['continuation-length-2-63.h5', 'global-heap-collection-size-2-63.h5'])
      await expect(inspect(R(`readers/declined/${name}`))).rejects.toMatchObject({ name: 'InputError' });
  });
});

describe('where the watchdog runs a command', () => {
  it('a run that chose the WebAssembly library (--hdf5 h5wasm or KERASCOPE_HDF5) runs whole in the worker, with the in-process output', () => {
    const files = ['fixtures/tfjs/mlp/model.json', 'fixtures/keras-h5/mlp.h5'];
    // In process, without the watchdog: the reference output.
    const reference = runCli(['inspect', ...files, '--format', 'jsonl'], undefined, { KERASCOPE_NO_WORKER: '1', KERASCOPE_HDF5: 'h5wasm' });
    expect(reference.code).toBe(0);
    expect(reference.stdout.split('\n').filter(Boolean)).toHaveLength(2); // one JSON line per model
    expect(runCli(['inspect', ...files, '--format', 'jsonl'], undefined, { KERASCOPE_HDF5: 'h5wasm' })).toEqual(reference);
    expect(runCli(['--hdf5', 'h5wasm', 'inspect', ...files, '--format', 'jsonl'])).toEqual(reference);
    expect(runCli(['inspect', '--hdf5=h5wasm', ...files, '--format', 'jsonl'])).toEqual(reference);
    // By default (or --hdf5 typescript, which also overrides the environment) the main thread does the run: the same reports.
    for (const [args, env] of [
      [[], undefined],
      [['--hdf5', 'typescript'], { KERASCOPE_HDF5: 'h5wasm' }],
    ] as const) {
      const here = runCli(['inspect', ...args, ...files, '--format', 'jsonl'], undefined, env);
      expect(here).toEqual(reference);
    }
  });

  it('--hdf5 with a value it does not know is a usage error: one line, exit 2', () => {
    for (const args of [
      ['--hdf5', 'auto', 'inspect', 'fixtures/keras-h5/mlp.h5'],
      ['inspect', 'fixtures/keras-h5/mlp.h5', '--hdf5'],
    ]) {
      const r = runCli(args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe('kerascope: --hdf5 takes one of: typescript, h5wasm\n');
    }
  });

  it('a usage error, --version and a missing file stay one line each from the main thread', () => {
    expect(runCli(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const missing = runCli(['inspect', 'no/such/model.h5']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^kerascope: no\/such\/model\.h5: .*\n$/);
    expect(missing.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });
});

describe("the library's watchdog: inspectIsolated()", () => {
  // The built library (a worker thread needs a JavaScript file to run).
  const lib = async () => (await import('../../dist/index.js' as string)) as typeof import('../../src/index.js');

  it('gives the same report as inspect()', async () => {
    const { inspectIsolated } = await lib();
    for (const file of ['fixtures/keras-h5/mlp.h5', 'fixtures/keras3/mlp.keras', 'fixtures/tfjs/mlp/model.json'])
      expect(await inspectIsolated(file), file).toEqual(await inspect(file));
    await expect(inspectIsolated('no/such/file.h5')).rejects.toBeInstanceOf((await lib()).InputError);
  });

  it('stops a file that makes the HDF5 library spin: an InputError naming the file, no thread left spinning', async () => {
    const { inspectIsolated, InputError: LibInputError } = await lib();
    const file = R('hangs/keras3-hdf5-gcol-loop.keras');
    const t0 = Date.now();
    const e = await inspectIsolated(file, { hdf5: 'h5wasm', timeoutS: 2 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LibInputError);
    expect(e).toMatchObject({ file, message: 'still reading after 2 s; stopped' });
    expect(Date.now() - t0).toBeLessThan(20_000);
  });
});

/** Inspects a graph-model model.json listing `paths` as its shards, in a folder of its own removed afterwards. */
async function withShardPaths(prefix: string, paths: string[]): Promise<Finding[]> {
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  try {
    const file = path.join(dir, 'model.json');
    fs.writeFileSync(
      file,
      JSON.stringify({ format: 'graph-model', weightsManifest: [{ paths, weights: [{ name: 'w', shape: [1], dtype: 'float32' }] }] }),
    );
    return (await inspect(file)).findings;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('a shard path no file system accepts (campaign case 11215: ENAMETOOLONG was an internal error)', () => {
  it('a 5,000-character shard name is a missing shard, not a crash', async () => {
    const long = 'x'.repeat(5000);
    const findings = await withShardPaths('kerascope-longname-', [long, `${long}/y.bin`]);
    const missing = findings.filter((f) => f.code === 'shard-missing');
    expect(missing).toHaveLength(1);
    expect(missing[0]!.message).toContain('all 2 weight shards named by model.json are missing');
  });
});

describe('many shard paths on disk (campaign case 4956: 100,000 copies of one path took 12 s of CPU)', () => {
  it('each distinct path is resolved once (70,000 copies of one, 20,000 distinct, one outside)', async () => {
    const same = Array.from({ length: 70_000 }, () => 'x.bin');
    const distinct = Array.from({ length: 20_000 }, (_, i) => `p${i}.bin`);
    const findings = await withShardPaths('kerascope-paths-', [...same, ...distinct, '%2e%2e/y.bin']);
    // One finding: 20,001 distinct missing paths (x.bin once) of 20,002 named (the one outside among them).
    const missing = findings.filter((f) => f.code === 'shard-missing');
    expect(missing).toHaveLength(1);
    expect(missing[0]!.message).toContain('20,001 of 20,002 weight shards named by model.json are missing');
    expect(missing[0]!.message).toContain('x.bin, p0.bin');
    expect(findings.filter((f) => f.code === 'shard-path-outside')).toHaveLength(1);
  });
});
