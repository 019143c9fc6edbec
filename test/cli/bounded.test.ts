// Every path of the command line ends in time with one clean line (issue 22), checked with real processes:
// standard input streamed (a non-model refused from its first bytes, a stalled pipe ended at --timeout, a
// model spooled and read like a file), library guards as per-file errors, and scratch folders of killed
// runs removed by the next run.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';

const BIN = path.join(ROOT, 'bin', 'kerascope.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-bounded-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Runs the CLI with `feed` writing its standard input; resolves when the process ends (not when the input does). */
function runWithInput(
  args: string[],
  feed: (stdin: NodeJS.WritableStream) => void,
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.on('error', () => {}); // EPIPE once kerascope has stopped reading
    child.on('exit', (code) => resolve({ code, stdout, stderr, ms: Date.now() - t0 }));
    feed(child.stdin);
  });
}

describe('standard input is streamed', () => {
  it('2 GB of random bytes are refused from their first bytes, within 10 s, in one line (the rest is never read)', () => {
    const t0 = Date.now();
    // `head` stops on EPIPE when kerascope closes the pipe: its byte count says how much was taken in.
    const r = spawnSync('sh', ['-c', `head -c 2G /dev/urandom | "${process.execPath}" "${BIN}" inspect -; echo "exit=$?" >&2`], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    const ms = Date.now() - t0;
    expect(r.stderr).toBe('kerascope: <stdin>: not a Keras or TF.js model (neither HDF5, a zip archive, nor JSON)\nexit=2\n');
    expect(r.stdout).toBe('');
    expect(ms).toBeLessThan(10_000);
  });

  it('a stalled pipe ends the process at --timeout with one line, exit 2 (the pipe is still open)', async () => {
    let stdin: NodeJS.WritableStream | null = null;
    const r = await runWithInput(['--timeout', '3', 'inspect', '-'], (s) => {
      stdin = s;
      s.write('{"modelTopology":'); // and nothing more, for as long as the test lasts
    });
    (stdin as NodeJS.WritableStream | null)?.end();
    expect(r.stderr).toBe('kerascope: <stdin>: still reading after 3 s; stopped (raise the limit with --timeout SECONDS)\n');
    expect(r.code).toBe(2);
    expect(r.ms).toBeGreaterThanOrEqual(3000);
    expect(r.ms).toBeLessThan(9000);
  });

  it('a model on standard input is spooled and read like the file: the same layers and totals, nothing left behind', async () => {
    const scratch = fs.mkdtempSync(path.join(tmp, 'scratch-'));
    for (const [fixture, env] of [
      ['fixtures/keras-h5/mlp.h5', {}],
      ['fixtures/keras3/functional.keras', {}],
      ['fixtures/keras-h5/mlp.h5', { KERASCOPE_HDF5: 'h5wasm' }], // moves to the worker with its spooled input
    ] as const) {
      const bytes = fs.readFileSync(path.join(ROOT, fixture));
      const piped = await runWithInput(['inspect', '-', '--format', 'json'], (s) => s.end(bytes), { ...env, TMPDIR: scratch });
      const direct = runCli(['inspect', fixture, '--format', 'json'], ROOT, env);
      expect(piped.stderr, fixture).toBe('');
      expect(piped.code, fixture).toBe(direct.code);
      const a = JSON.parse(piped.stdout);
      const b = JSON.parse(direct.stdout);
      expect(a.file).toBe('<stdin>');
      expect(a.layers).toEqual(b.layers);
      expect(a.totals).toEqual(b.totals);
      expect(fs.readdirSync(scratch), fixture).toEqual([]);
    }
  });

  it('empty and over-budget input: one line each', async () => {
    const empty = await runWithInput(['inspect', '-'], (s) => s.end());
    expect(empty.stderr).toBe('kerascope: <stdin>: empty input\n');
    expect(empty.code).toBe(2);
    const bytes = fs.readFileSync(path.join(ROOT, 'fixtures/keras-h5/mlp.h5'));
    const over = await runWithInput(['inspect', '-', '--budget', 'stdinBytes=1000'], (s) => s.end(bytes));
    expect(over.stderr).toBe(
      'kerascope: <stdin>: standard input carries more than 1000 bytes, over the stdinBytes budget of 1000 (raise it with --budget stdinBytes=N)\n',
    );
    expect(over.code).toBe(2);
  });
});

describe('library guards are per-file errors', () => {
  it('a YAML alias bomb in the front matter of an existing card: one line naming the card, exit 2, the card unchanged', () => {
    const card = path.join(tmp, 'card.md');
    expect(runCli(['card', 'fixtures/keras-h5/mlp.h5', '-o', card]).code).toBe(0);
    // 9^12 strings if expanded: the YAML library refuses to (its alias-count guard).
    let bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n';
    for (let i = 1; i < 12; i++) {
      const name = String.fromCharCode(97 + i);
      bomb += `${name}: &${name} [${Array(9)
        .fill(`*${String.fromCharCode(96 + i)}`)
        .join(',')}]\n`;
    }
    const text = fs.readFileSync(card, 'utf8');
    expect(text.startsWith('---\n')).toBe(true);
    const hostile = `---\n${bomb}${text.slice(4)}`;
    fs.writeFileSync(card, hostile);
    const r = runCli(['card', 'fixtures/keras-h5/mlp.h5', '-o', card]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `^kerascope: ${card.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: its front matter cannot be read \\([^\\n]*alias[^\\n]*\\)\\n$`,
      ),
    );
    expect(fs.readFileSync(card, 'utf8')).toBe(hostile);
    expect(fs.readdirSync(tmp).filter((f) => f.startsWith('card.md') && f !== 'card.md')).toEqual([]); // no temp file
    // The same front matter in a --template: the template's line.
    const template = path.join(tmp, 'template.md');
    fs.writeFileSync(template, `---\n${bomb}---\n# {{title}}\n`);
    const t = runCli(['card', 'fixtures/keras-h5/mlp.h5', '--template', template]);
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/^kerascope: [^\n]*template\.md: its front matter cannot be read \([^\n]*alias[^\n]*\)\n$/);
  });

  it('JSON nested past the depth budget and damaged compressed zip data: one line naming the file', () => {
    const deep = path.join(tmp, 'deep.json');
    fs.writeFileSync(deep, `{"modelTopology":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    const r = runCli(['inspect', deep]);
    expect(r.stderr).toBe(
      `kerascope: ${deep}: JSON file nests deeper than 256 levels, over the configDepth budget of 256 (raise it with --budget configDepth=N)\n`,
    );
    expect(r.code).toBe(2);
    // A .keras whose config.json member is deflated, with its deflate stream damaged past the first bytes.
    const config = new TextEncoder().encode(JSON.stringify({ class_name: 'Sequential', config: { layers: [] }, pad: 'x'.repeat(4000) }));
    const deflated = new Uint8Array(deflateRawSync(config));
    for (let i = 8; i < deflated.length; i += 3) deflated[i] = 0xff;
    const bad = path.join(tmp, 'bad.keras');
    fs.writeFileSync(bad, zipOf('config.json', deflated, config.length, crc32(config)));
    const z = runCli(['inspect', bad]);
    expect(z.stderr).toMatch(/^kerascope: [^\n]*bad\.keras: config\.json inside the archive cannot be extracted \([^\n]+\)\n$/);
    expect(z.stderr).not.toMatch(/internal error/);
    expect(z.code).toBe(2);
  });
});

describe('scratch folders cannot outlive their process', () => {
  it("a run removes a folder whose owner process is gone and keeps a live process's", () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'sweep-'));
    // A pid that has just ended.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout);
    expect(deadPid).toBeGreaterThan(0);
    const stale = path.join(dir, `kerascope-run-${deadPid}-AbCdEf`);
    const live = path.join(dir, `kerascope-run-${process.pid}-GhIjKl`);
    const other = path.join(dir, 'kerascope-run-notapid');
    for (const d of [stale, live, other]) {
      fs.mkdirSync(d);
      fs.writeFileSync(path.join(d, 'member'), 'x');
    }
    const r = runCli(['inspect', 'fixtures/keras-h5/mlp.h5', '-q'], ROOT, { TMPDIR: dir });
    expect(r.code).toBe(0);
    expect(fs.existsSync(stale)).toBe(false);
    expect(fs.existsSync(live)).toBe(true);
    expect(fs.existsSync(other)).toBe(true);
  });

  it('a run killed with SIGKILL while its worker holds a scratch folder: the next run removes it', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'killed-'));
    // KERASCOPE_TEST_HANG: the worker spins (as a looping WebAssembly call would) with its scratch folder made.
    const child = spawn(process.execPath, [BIN, 'inspect', 'fixtures/keras-h5/mlp.h5', '--timeout', '0'], {
      cwd: ROOT,
      env: { ...process.env, KERASCOPE_TEST_HANG: '1', TMPDIR: dir },
    });
    for (let i = 0; i < 100 && fs.readdirSync(dir).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    const made = fs.readdirSync(dir);
    expect(made).toHaveLength(1);
    expect(made[0]).toMatch(new RegExp(`^kerascope-run-${child.pid}-`));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    expect(fs.readdirSync(dir)).toEqual(made); // SIGKILL: nothing could remove it
    expect(runCli(['--version'], ROOT, { TMPDIR: dir }).code).toBe(0);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

/** CRC-32 (the zip one) of `bytes`. */
function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A zip archive of one deflated member (local header, data, central directory, end record). */
function zipOf(name: string, data: Uint8Array, size: number, crc: number): Uint8Array {
  const n = new TextEncoder().encode(name);
  const local = Buffer.alloc(30 + n.length);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(size, 22);
  local.writeUInt16LE(n.length, 26);
  local.set(n, 30);
  const central = Buffer.alloc(46 + n.length);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(size, 24);
  central.writeUInt16LE(n.length, 28);
  central.writeUInt32LE(0, 42);
  central.set(n, 46);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length, 12);
  end.writeUInt32LE(local.length + data.length, 16);
  return Buffer.concat([local, data, central, end]);
}
