// The command line a new user meets first (issue 8): --version, a pipe closed early, one-line usage errors,
// several files, standard input, --quiet, the table fitted to a width, colour only when wanted.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { terminal } from '../../src/cli/terminal.js';
import { VERSION } from '../../src/version.js';
import { ROOT } from '../helpers/cli.js';

const BIN = path.join(ROOT, 'bin', 'kerascope.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-everyday-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schema', 'report.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true }).compile(schema);

/** Runs the executable with a clean colour environment unless `env` says otherwise. */
function run(args: string[], opts: { env?: Record<string, string>; input?: Buffer } = {}) {
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...env, ...opts.env },
    input: opts.input,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const MLP = 'fixtures/tfjs/mlp/model.json';
const BAD = 'fixtures/bad/h5-shape-mismatch.h5';
const ANSI = '\u001b[';

describe('--version', () => {
  for (const flag of ['--version', '-V']) {
    it(flag, () => {
      const r = run([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${VERSION}\n`);
    });
  }
});

/** An architecture of 3,000 Dense(2) layers on 2 inputs: a JSON report far larger than a pipe's buffer. */
function denseChain(name: string): string {
  const layers = Array.from({ length: 3000 }, (_, i) => ({
    class_name: 'Dense',
    config: { name: `d${i}`, units: 2, use_bias: true, ...(i === 0 ? { batch_input_shape: [null, 2] } : {}) },
  }));
  const file = path.join(tmp, name);
  fs.writeFileSync(file, JSON.stringify({ class_name: 'Sequential', config: { name: 'big', layers } }));
  return file;
}

describe('a pipe closed early ends quietly', () => {
  it('inspect --format json | head: exit 0, nothing on stderr', async () => {
    const file = denseChain('big.json');
    const child = spawn(process.execPath, [BIN, 'inspect', file, '--format', 'json'], { cwd: ROOT });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.once('data', () => child.stdout.destroy());
    const [code, signal] = await new Promise<[number | null, string | null]>((res) => child.on('close', (c, s) => res([c, s])));
    expect(signal === 'SIGPIPE' || code === 0 || code === 141, `code ${code}, signal ${signal}`).toBe(true);
    expect(stderr).toBe('');
  });
});

describe('output through a pipe', () => {
  it('a slow reader gets every byte of a report larger than the pipe buffer (written straight to the descriptor)', async () => {
    const file = denseChain('big-slow.json');
    const child = spawn(process.execPath, [BIN, 'inspect', file, '--format', 'json'], { cwd: ROOT });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // Read a chunk, then stop reading for a while: the writer finds the pipe full many times.
    child.stdout.on('data', (d: Buffer) => {
      chunks.push(d);
      child.stdout.pause();
      setTimeout(() => child.stdout.resume(), 2);
    });
    const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text.length).toBeGreaterThan(1 << 20);
    const report = JSON.parse(text) as { layers: unknown[]; totals: { params: number } };
    expect(report.layers).toHaveLength(3000);
    // Dense(2) on 2 inputs, 3,000 times: (2·2 + 2) each.
    expect(report.totals.params).toBe(3000 * (2 * 2 + 2));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

describe('start-up', () => {
  it('the build wrote a V8 code cache for the bundle and for the readers beside it that this Node accepts', () => {
    const load = path.join(ROOT, 'bin', 'load-bundle.cjs');
    const script = `
      const l = require(${JSON.stringify(load)});
      const cli = l.loadBundle();
      const alone = l.codeCacheRejected();
      cli.supervise(['inspect', 'fixtures/keras-h5/mlp.h5', '--format', 'json']).then((code) =>
        require('node:fs').writeSync(2, JSON.stringify({ code, alone, both: l.codeCacheRejected(), scripts: l.loadedScripts() })));`;
    const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(JSON.parse(r.stderr)).toEqual({ code: 0, alone: false, both: false, scripts: ['kerascope.cjs', 'kerascope-readers.cjs'] });
    // The .h5 MLP's three Dense layers, 3 → 4 → 4 → 1: (3·4 + 4) + (4·4 + 4) + (4·1 + 1).
    expect(JSON.parse(r.stdout).totals.params).toBe(3 * 4 + 4 + (4 * 4 + 4) + (4 * 1 + 1));
  });

  it('a read-only run with its output in a pipe loads none of the Node modules it does not need', () => {
    const load = path.join(ROOT, 'bin', 'load-bundle.cjs');
    const script = `
      const before = new Set(process.moduleLoadList);
      const l = require(${JSON.stringify(load)});
      const cli = l.loadBundle();
      cli.supervise(['inspect', ${JSON.stringify(MLP)}, '--format', 'json']).then((code) => {
        const added = process.moduleLoadList.filter((m) => !before.has(m));
        const files = Object.keys(require.cache).map((f) => require('node:path').basename(f));
        require('node:fs').writeSync(2, JSON.stringify({ code, added, files, scripts: l.loadedScripts() }));
      });`;
    const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
    const { code, added, files, scripts } = JSON.parse(r.stderr) as { code: number; added: string[]; files: string[]; scripts: string[] };
    expect(code).toBe(0);
    expect(JSON.parse(r.stdout).totals.params).toBe(16 + 20 + 5);
    // Streams and sockets (what process.stdout loads), the terminal, threads, child processes, and perf_hooks
    // (what reading Node's \`performance\` global loads).
    for (const name of ['stream', 'net', 'tty', 'worker_threads', 'child_process', 'perf_hooks'])
      expect(added, name).not.toContain(`NativeModule ${name}`);
    // Nor the third-party code only other commands and formats run (scripts/build-cli.mjs, VENDOR_CHUNKS).
    expect(files.filter((f) => f.startsWith('vendor-'))).toEqual([]);
    // Nor the format readers a TF.js model does not need (scripts/cli-chunks.mjs, READER_CHUNK).
    expect(scripts).toEqual(['kerascope.cjs']);
  });

  it("a .keras archive loads the zip chunk, a card the card chunk, and nothing else's", () => {
    const load = path.join(ROOT, 'bin', 'load-bundle.cjs');
    const chunksOf = (argv: string[]) => {
      const script = `
        const cli = require(${JSON.stringify(load)}).loadBundle();
        cli.supervise(${JSON.stringify(argv)}).then((code) => {
          const files = Object.keys(require.cache).map((f) => require('node:path').basename(f));
          require('node:fs').writeSync(2, JSON.stringify({ code, chunks: files.filter((f) => f.startsWith('vendor-')).sort() }));
        });`;
      const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
      return JSON.parse(r.stderr) as { code: number; chunks: string[] };
    };
    expect(chunksOf(['inspect', 'fixtures/keras3/mlp.keras', '--format', 'json'])).toEqual({ code: 0, chunks: ['vendor-zip.cjs'] });
    expect(chunksOf(['card', 'fixtures/keras-h5/mlp.h5', '--format', 'html'])).toMatchObject({ chunks: ['vendor-card.cjs'] });
  });
});

describe('usage errors: one line, exit 2', () => {
  it('an unknown option', () => {
    const r = run(['inspect', MLP, '--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("kerascope: unknown option '--frobnicate' (see kerascope inspect --help)\n");
  });
  it('a bad --format', () => {
    const r = run(['inspect', MLP, '--format', 'yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^kerascope: option .*--format.* 'yaml' is invalid\. expected one of: table, json, jsonl \(see kerascope inspect --help\)\n$/,
    );
  });
  it("--debug is listed in every command's help", () => {
    for (const cmd of ['inspect', 'audit', 'explain', 'baseline', 'check', 'diff']) {
      const r = run([cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout, cmd).toMatch(/--debug/);
    }
  });
});

describe('several files, standard input, --quiet', () => {
  it('each table in turn; the exit code is the worst of them', () => {
    const r = run(['inspect', MLP, BAD]);
    expect(r.code).toBe(1);
    expect(r.stdout.match(/^File: /gm)).toHaveLength(2);
  });
  it('--format jsonl: one schema-valid document per line', () => {
    const r = run(['inspect', MLP, 'fixtures/wild/gan.h5', '--format', 'jsonl']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const docs = lines.map((l) => JSON.parse(l));
    for (const d of docs) expect(validate(d), JSON.stringify(validate.errors)).toBe(true);
    expect(docs.map((d) => d.totals.params)).toEqual([41, 353]); // 16 + 20 + 5; 312 + 41
  });
  it('a file that cannot be read among others: reported on one line, the rest still inspected, exit 2', () => {
    const r = run(['inspect', MLP, path.join(tmp, 'missing.h5'), '--format', 'jsonl']);
    expect(r.code).toBe(2);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toBe(`kerascope: ${path.join(tmp, 'missing.h5')}: no such file\n`);
  });
  it('several files with --format json is a usage error (jsonl is one document per line)', () => {
    const r = run(['inspect', MLP, BAD, '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/jsonl/);
  });
  it('- reads the model from standard input', () => {
    const r = run(['inspect', '-', '--format', 'json'], { input: fs.readFileSync('fixtures/keras-h5/mlp.h5') });
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect([d.file, d.format, d.totals.params]).toEqual(['<stdin>', 'keras-h5', 41]);
  });
  it('--quiet: the totals line and the findings only', () => {
    const r = run(['inspect', BAD, '--quiet']);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    // Dense(32) on 128 inputs: 128·32 + 32 = 4,128, then Dense(1): 32 + 1 = 33 → 4,161.
    expect(lines[0]).toBe(`${BAD}: 4,161 params (16.25 KB), trainable 4,161, non-trainable 0; stored 2,113 values`);
    expect(lines[1]).toBe('Integrity findings (1):');
    expect(lines.slice(2).join(' ')).toMatch(/high {5}shape-mismatch: dense\/kernel: stored \(64, 32\)/);
    expect(r.stdout).not.toMatch(/┌/);
  });
});

describe('the table on a terminal and in a pipe', () => {
  it('the Keras header, the file on its own line, the writer apart from the Keras version', () => {
    const r = run(['inspect', MLP]);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual(['Model: "mlp"', `File: ${MLP} (tfjs-layers, TensorFlow.js tfjs-layers 4.22.0)`]);
    const d = JSON.parse(run(['inspect', MLP, '--format', 'json']).stdout);
    expect([d.schemaVersion, d.kerasVersion, d.producer]).toEqual([3, null, 'TensorFlow.js tfjs-layers 4.22.0']);
  });
  it('--width: every line fits, long names are shortened with …, words are never broken', () => {
    const layers = [
      {
        class_name: 'Dense',
        config: { name: 'a_really_long_generated_layer_name_from_a_big_model', units: 3, batch_input_shape: [null, 2] },
      },
      { class_name: 'Dense', config: { name: 'out', units: 1 } },
    ];
    const file = path.join(tmp, 'long.json');
    fs.writeFileSync(file, JSON.stringify({ class_name: 'Sequential', config: { name: 'long', layers } }));
    const r = run(['inspect', file, '--width', '70']);
    expect(r.code).toBe(0);
    for (const line of r.stdout.trimEnd().split('\n')) expect([...line].length, line).toBeLessThanOrEqual(70);
    expect(r.stdout).toMatch(/│ a_really_\S*… │/);
    // The findings wrap between words: every word of the message is on the page whole.
    const message = 'architecture JSON without weights: counts come from the config alone (pass --weights FILE to check them)';
    for (const word of message.split(' ')) expect(r.stdout).toContain(word);
  });
  it('audit wraps between words (no `SHA-2│56`)', () => {
    const r = run(['audit', 'fixtures/security/h5-external-storage.h5']);
    for (const line of r.stdout.trimEnd().split('\n')) expect([...line].length, line).toBeLessThanOrEqual(80);
    const text = r.stdout.replace(/[│\s]+/g, ' ');
    // Every word of the messages is whole on the page; only a path longer than the column breaks, after a `/`.
    for (const word of 'keeps its data in external file(s) "external_weights.bin" (External Data Files, CVE-2026-1669); kerascope does not open them, h5py/Keras would read them'.split(
      ' ',
    )) {
      expect(r.stdout).toContain(word);
    }
    expect(r.stdout).toMatch(/│ \/model_weights\/dense\/(dense\/)?\s+│\n.*│ (dense\/)?external keeps/);
    expect(text).toContain('weight_names does not list; Keras ignores it when loading');
  });
  it('a Trainable column when a layer is frozen; no InputLayer row for a Sequential model', () => {
    const fn = run(['inspect', 'fixtures/keras3/functional.keras', '--width', '120']);
    expect(fn.stdout).toMatch(/│ Trainable │/);
    expect(fn.stdout).toMatch(/│ proj_b \(Dense\)\s+│ \(None, 4\)\s+│\s+28 │\s+28 │ ok\s+│\s+N\s+│/); // 6·4 + 4, frozen
    const seq = run(['inspect', 'fixtures/keras3/mlp.keras']);
    expect(seq.stdout).not.toMatch(/input_layer|│ Trainable/);
    expect(JSON.parse(run(['inspect', 'fixtures/keras3/mlp.keras', '--format', 'json']).stdout).layers[0].className).toBe('InputLayer');
  });
  it('Connected to for a functional model: with --connections, or by itself from 120 columns', () => {
    const narrow = run(['inspect', 'fixtures/keras3/functional.keras']);
    expect(narrow.stdout).not.toContain('Connected to');
    const asked = run(['inspect', 'fixtures/keras3/functional.keras', '--connections', '--width', '200']);
    expect(asked.stdout).toMatch(/│ concatenate \(Concatenate\)\s+│.*│ shared\[0\]\[0\], shared\[1\]\[0\]\s+│/);
    expect(asked.stdout).toMatch(/│ proj_b \(Dense\)\s+│.*│ input_b\[0\]\[0\]\s+│/);
    expect(run(['inspect', 'fixtures/keras3/functional.keras', '--width', '120']).stdout).toContain('│ Connected to');
    expect(run(['inspect', 'fixtures/keras3/mlp.keras', '--connections']).stdout).not.toContain('Connected to');
  });
  it('colour: none in a pipe, with FORCE_COLOR, never with NO_COLOR', () => {
    expect(run(['inspect', BAD]).stdout).not.toContain(ANSI);
    const forced = run(['inspect', BAD], { env: { FORCE_COLOR: '1' } }).stdout;
    expect(forced).toContain('\u001b[31mmismatch\u001b[39m');
    expect(forced).toContain('\u001b[31mhigh    \u001b[39m');
    expect(run(['inspect', BAD], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stdout).not.toContain(ANSI);
  });
  it('the terminal decides width and colour (80 columns when piped)', () => {
    expect(terminal({ isTTY: true, columns: 132 }, undefined, {})).toEqual({ width: 132, color: true });
    expect(terminal({ isTTY: true, columns: 132 }, 100, { NO_COLOR: '1' })).toEqual({ width: 100, color: false });
    expect(terminal({ isTTY: false }, undefined, {})).toEqual({ width: 80, color: false });
    expect(terminal({ isTTY: false }, undefined, { FORCE_COLOR: '1' })).toEqual({ width: 80, color: true });
  });
  it('--manifest-only says the shards were not checked', () => {
    const r = run(['inspect', MLP, '--manifest-only']);
    expect(r.stdout).toContain('the weight shards were not checked (--manifest-only)');
    expect(r.stdout).not.toContain('every stored tensor matches');
  });
});

describe('error messages are written once, in words', () => {
  it('an HDF5 file cut short says how long it is and how long it should be', () => {
    const whole = fs.readFileSync('fixtures/keras-h5/mlp.h5');
    const file = path.join(tmp, 'cut.h5');
    fs.writeFileSync(file, whole.subarray(0, 8000));
    const r = run(['inspect', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `kerascope: ${file}: truncated: the file is 8,000 bytes, its header says ${whole.length.toLocaleString('en-US')}\n`,
    );
  });
  it('a damaged compressed member of a .keras: one line naming the member and the inflate error', async () => {
    const zip = new yazl.ZipFile();
    zip.addBuffer(fs.readFileSync('fixtures/wild/unzipped/config.json'), 'config.json', { compress: false, mtime: new Date(1980, 0, 1) });
    zip.addBuffer(fs.readFileSync('fixtures/wild/unzipped/model.weights.h5'), 'model.weights.h5', {
      compress: true,
      mtime: new Date(1980, 0, 1),
    });
    zip.end();
    const chunks: Buffer[] = [];
    await new Promise((res) => zip.outputStream.on('data', (c: Buffer) => chunks.push(c)).on('end', res));
    const bytes = Buffer.concat(chunks);
    const at = bytes.indexOf('model.weights.h5') + 16 + 200;
    for (let k = 0; k < 40; k++) bytes[at + k]! ^= 0x5a;
    const file = path.join(tmp, 'damaged.keras');
    fs.writeFileSync(file, bytes);
    const r = run(['inspect', file]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^kerascope: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: model\\.weights\\.h5 inside the archive cannot be extracted \\([^()]+\\)$`,
      ),
    );
  });
});
