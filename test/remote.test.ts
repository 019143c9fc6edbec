// Remote inputs against real HTTP servers started here on 127.0.0.1 (node:http; fetch is not mocked): plain
// URLs and the Hub's layout give the same totals as the local files, with the requests and bytes they cost;
// every failure is one line and exit 2 within the timeout; the token never leaves the Hub's origin.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.js';
import { type HubRepo, type Served, startHub, startServer, type TestServer } from './helpers/http-server.js';

const BIN = path.join(ROOT, 'bin', 'kerascope.js');
const fixture = (p: string) => path.join(ROOT, 'fixtures', p);
const bytesOf = (p: string): Served => new Uint8Array(fs.readFileSync(fixture(p)));
/** No token file of this machine's user is read by the runs here. */
const NO_HOME = path.join(os.tmpdir(), 'kerascope-no-hf-home');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** The CLI in a child process, asynchronously (the servers answer on this process's event loop). */
function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const t = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, HF_HOME: NO_HOME, HF_TOKEN: '', HF_ENDPOINT: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - t }));
  });
}

const totals = (r: Run) => {
  const j = JSON.parse(r.stdout) as { totals: Record<string, unknown>; format: string };
  return { totals: j.totals, format: j.format };
};

async function local(p: string, ...extra: string[]) {
  const r = await cli(['inspect', fixture(p), '--format', 'json', ...extra]);
  expect(r.code, r.stderr).toBeLessThan(2);
  return totals(r);
}

let files: TestServer;

beforeAll(async () => {
  files = await startServer(
    new Map<string, Served>([
      ['/m/mlp.h5', bytesOf('keras-h5/mlp.h5')],
      ['/m/convnet.h5', bytesOf('keras-h5/convnet.h5')],
      ['/m/functional.keras', bytesOf('keras3/functional.keras')],
      ['/m/tfjs/model.json', bytesOf('tfjs/mlp/model.json')],
      ...fs
        .readdirSync(fixture('tfjs/mlp'))
        .filter((n) => n !== 'model.json')
        .map((n) => [`/m/tfjs/${n}`, bytesOf(`tfjs/mlp/${n}`)] as [string, Served]),
    ]),
  );
});
afterAll(async () => {
  await files.close();
});

describe('plain URLs', () => {
  it.each([
    ['keras-h5/mlp.h5', '/m/mlp.h5'],
    ['keras-h5/convnet.h5', '/m/convnet.h5'],
    ['keras3/functional.keras', '/m/functional.keras'],
    ['tfjs/mlp/model.json', '/m/tfjs/model.json'],
  ])('%s over HTTP gives the local totals', async (p, urlPath) => {
    const before = files.requests.length;
    const r = await cli(['inspect', `${files.url}${urlPath}`, '--format', 'json']);
    expect(r.code, r.stderr).toBeLessThan(2);
    expect(totals(r)).toEqual(await local(p));
    const mine = files.requests.slice(before);
    // Every request asked for a range; none fetched more than the file.
    expect(mine.every((q) => typeof q.headers.range === 'string')).toBe(true);
    expect(mine.reduce((n, q) => n + q.bytes, 0)).toBeLessThanOrEqual(fs.statSync(fixture(p)).size + 64 * 1024);
  });
});

describe('hf:// through a local Hub (HF_ENDPOINT)', () => {
  let content: TestServer;
  let hub: TestServer;
  const TOKEN = 'hf_test_secret_token_0123456789';
  beforeAll(async () => {
    content = await startServer();
    const tfjs = new Map<string, Served>(
      fs.readdirSync(fixture('tfjs/mlp')).map((n) => [`web/${n}`, bytesOf(`tfjs/mlp/${n}`)] as [string, Served]),
    );
    const repos = new Map<string, HubRepo>([
      [
        'acme/mlp-h5',
        {
          files: new Map([
            ['mlp.h5', bytesOf('keras-h5/mlp.h5')],
            ['README.md', new TextEncoder().encode('# mlp\n')],
          ]),
          revisions: ['v1'],
        },
      ],
      ['acme/functional', { files: new Map([['functional.keras', bytesOf('keras3/functional.keras')]]) }],
      ['acme/tfjs', { files: tfjs }],
      ['acme/gated', { files: new Map([['mlp.h5', bytesOf('keras-h5/mlp.h5')]]), token: TOKEN }],
      [
        'acme/many',
        {
          files: new Map([
            ['a/mlp.h5', bytesOf('keras-h5/mlp.h5')],
            ['b/convnet.h5', bytesOf('keras-h5/convnet.h5')],
          ]),
        },
      ],
    ]);
    hub = await startHub(repos, content);
  });
  afterAll(async () => {
    await hub.close();
    await content.close();
  });
  const env = () => ({ HF_ENDPOINT: hub.url });

  it.each([
    ['hf://acme/mlp-h5', 'keras-h5/mlp.h5'],
    ['hf://acme/mlp-h5@v1/mlp.h5', 'keras-h5/mlp.h5'],
    ['hf://acme/functional', 'keras3/functional.keras'],
    ['hf://acme/tfjs', 'tfjs/mlp/model.json'],
    ['hf://acme/many/b/convnet.h5', 'keras-h5/convnet.h5'],
  ])('%s gives the local totals of %s', async (uri, p) => {
    const r = await cli(['inspect', uri, '--format', 'json'], env());
    expect(r.code, r.stderr).toBeLessThan(2);
    expect(totals(r)).toEqual(await local(p));
  });

  it('the large file is redirected to the content server, and the token is not forwarded there', async () => {
    const beforeHub = hub.requests.length;
    const beforeContent = content.requests.length;
    const r = await cli(['inspect', 'hf://acme/gated', '--format', 'json'], { ...env(), HF_TOKEN: TOKEN });
    expect(r.code, r.stderr).toBeLessThan(2);
    expect(totals(r)).toEqual(await local('keras-h5/mlp.h5'));
    const toHub = hub.requests.slice(beforeHub);
    const toContent = content.requests.slice(beforeContent);
    expect(toHub.length).toBeGreaterThan(0);
    expect(toContent.length).toBeGreaterThan(0);
    expect(toHub.every((q) => q.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(toContent.some((q) => 'authorization' in q.headers)).toBe(false);
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
  });

  it('a gated repository without a token: one line naming HF_TOKEN, exit 2', async () => {
    const r = await cli(['inspect', 'hf://acme/gated'], env());
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^kerascope: hf:\/\/acme\/gated: .*HF_TOKEN.*\(HTTP 401\)$/m);
  });

  it('a wrong token is not printed', async () => {
    const r = await cli(['inspect', 'hf://acme/gated'], { ...env(), HF_TOKEN: 'hf_wrong_token_987' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/HF_TOKEN is not accepted/);
    expect(r.stderr).not.toContain('hf_wrong_token_987');
  });

  it('a missing repository, revision and path: one line each, exit 2', async () => {
    const missing = await cli(['inspect', 'hf://acme/nothing'], env());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^kerascope: hf:\/\/acme\/nothing: the repository does not exist, or is private or gated/);
    const rev = await cli(['inspect', 'hf://acme/mlp-h5@v9'], env());
    expect(rev.stderr).toMatch(/revision "v9" not found \(HTTP 404\)/);
    const p = await cli(['inspect', 'hf://acme/mlp-h5/nope.h5'], env());
    expect(p.stderr).toMatch(/no file or folder "nope.h5" in the repository/);
    for (const r of [missing, rev, p]) expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a repository of several models lists them and asks for a path (exit 2)', async () => {
    const r = await cli(['inspect', 'hf://acme/many'], env());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('2 models in the repository; name one: hf://acme/many/a/mlp.h5, hf://acme/many/b/convnet.h5');
  });
});
