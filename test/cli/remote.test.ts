// Remote inputs against real HTTP servers started here on 127.0.0.1 (node:http; fetch is not mocked): plain
// URLs and the Hub's layout give the same totals as the local files, with the requests and bytes they cost;
// every failure is one line and exit 2 within the timeout; the token never leaves the Hub's origin.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { MODELS_DIR, realModels } from '../helpers/real-models.js';
import { COMMIT, type HubRepo, type Served, startHub, startServer, type TestServer } from '../helpers/http-server.js';

const BIN = path.join(ROOT, 'bin', 'kerascope.js');
/** A fixture folder's files as a repository's, plus extra files. */
const folder = (dir: string, extra: Record<string, Uint8Array> = {}) =>
  new Map<string, Served>([
    ...fs.readdirSync(fixture(dir)).map((n) => [n, bytesOf(`${dir}/${n}`)] as [string, Served]),
    ...Object.entries(extra),
  ]);
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

describe('other commands take URLs', () => {
  it('--weights URL pairs with a local architecture; diff of a URL and its local file finds nothing', async () => {
    files.files.set('/m/mlp_weights.h5', bytesOf('keras-h5/mlp_weights.h5'));
    const paired = await cli(['inspect', fixture('keras-h5/mlp.json'), '--weights', `${files.url}/m/mlp_weights.h5`, '--format', 'json']);
    expect(paired.code, paired.stderr).toBeLessThan(2);
    expect(totals(paired)).toEqual(await local('keras-h5/mlp.json', '--weights', fixture('keras-h5/mlp_weights.h5')));
    const diff = await cli(['diff', `${files.url}/m/mlp.h5`, fixture('keras-h5/mlp.h5'), '--format', 'json']);
    expect(diff.code, diff.stderr).toBe(0);
    const d = JSON.parse(diff.stdout) as {
      before: { totals: unknown; architectureHash: string };
      after: { totals: unknown; architectureHash: string };
    };
    expect(d.before.totals).toEqual(d.after.totals);
    expect(d.before.architectureHash).toBe(d.after.architectureHash);
    const audit = await cli(['audit', `${files.url}/m/convnet.h5`, '--format', 'json']);
    const auditLocal = await cli(['audit', fixture('keras-h5/convnet.h5'), '--format', 'json']);
    expect(audit.code).toBe(auditLocal.code);
    expect(JSON.parse(audit.stdout).findings).toEqual(JSON.parse(auditLocal.stdout).findings);
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
      ['acme/preset', { files: folder('kerashub/count_mismatch', { 'README.md': new TextEncoder().encode('# preset\n') }) }],
      ['acme/k3-unzipped', { files: folder('keras3/weights_only') }],
      [
        'acme/savedmodel',
        {
          files: new Map<string, Served>([
            ['saved_model.pb', new Uint8Array([8, 1, 18, 0])],
            ['variables/variables.index', new Uint8Array(16)],
            ['variables/variables.data-00000-of-00001', new Uint8Array(64)],
            ['README.md', new TextEncoder().encode('# sm\n')],
          ]),
        },
      ],
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

  it('a KerasHub preset: the backbone from registered_name, counts from the stored weights, the recorded count compared', async () => {
    const r = await cli(['inspect', 'hf://acme/preset', '--format', 'json'], env());
    expect(r.code, r.stderr).toBeLessThan(2);
    expect(totals(r)).toEqual(await local('kerashub/count_mismatch'));
    const j = JSON.parse(r.stdout) as {
      meta: Record<string, string>;
      findings: { code: string; message: string }[];
      model: { className: string };
    };
    expect(j.model.className).toBe('TinyBackbone');
    expect(j.meta.kerasHubClass).toBe('keras_hub>TinyBackbone');
    // metadata.json says 50; the mlp's weights hold 3·4+4 + 4·4+4 + 4·1+1 = 41.
    expect(j.findings.find((f) => f.code === 'preset-count-mismatch')?.message).toBe(
      'metadata.json records 50 parameters, the stored weights hold 41 values (fewer than recorded)',
    );
  });

  it("Keras 3's unzipped layout resolves to its folder; its files after the first are read at the first's commit", async () => {
    const before = hub.requests.length;
    const r = await cli(['inspect', 'hf://acme/k3-unzipped', '--format', 'json'], env());
    expect(r.code, r.stderr).toBeLessThan(2);
    expect(totals(r)).toEqual(await local('keras3/weights_only'));
    const resolves = hub.requests.slice(before).filter((q) => q.url.includes('/resolve/'));
    expect(resolves[0]!.url).toBe('/acme/k3-unzipped/resolve/main/config.json');
    expect(resolves.length).toBeGreaterThan(1);
    expect(resolves.slice(1).every((q) => q.url.startsWith(`/acme/k3-unzipped/resolve/${COMMIT}/`))).toBe(true);
  });

  it('a SavedModel directory resolves through the listing to its folder', async () => {
    const r = await cli(['inspect', 'hf://acme/savedmodel', '--format', 'json'], env());
    expect(r.stderr).not.toContain('models in the repository');
    expect(r.stdout + r.stderr).toMatch(/saved.?model/i);
  });

  it('nothing is written to disk', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-remote-tmp-'));
    try {
      const r = await cli(['inspect', 'hf://acme/functional'], { ...env(), TMPDIR: tmp });
      expect(r.code, r.stderr).toBeLessThan(2);
      expect(fs.readdirSync(tmp)).toEqual([]);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
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

describe('cost follows metadata: a large .h5 of 50 layers', () => {
  let big: TestServer;
  let file: string;
  let tmp: string;
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-remote-'));
    file = path.join(tmp, 'big.h5');
    // The benchmark's writer (scripts/bench-models.mjs): 50 Dense layers, their data between their metadata.
    const { writeLegacyH5 } = (await import(path.join(ROOT, 'scripts', 'bench-models.mjs'))) as {
      writeLegacyH5: (f: string, n: number, i: number, u: number) => Promise<void>;
    };
    await writeLegacyH5(file, 50, 512, 512);
    big = await startServer(new Map([['/big.h5', { path: file }]]));
  });
  afterAll(async () => {
    await big.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('is read in ≤ 16 requests and ≤ 1 MiB, with the local totals', async () => {
    const r = await cli(['inspect', `${big.url}/big.h5`, '--format', 'json']);
    expect(r.code, r.stderr).toBeLessThan(2);
    const l = await cli(['inspect', file, '--format', 'json']);
    expect(totals(r)).toEqual(totals(l));
    const bytes = big.requests.reduce((n, q) => n + q.bytes, 0);
    console.log(`big.h5 (${fs.statSync(file).size} B) over HTTP: ${big.requests.length} requests, ${bytes} B`);
    if (process.env.TRACE_HTTP) for (const q of big.requests) console.log(q.status, q.bytes, String(q.headers.range).slice(0, 200));
    expect(big.requests.length).toBeLessThanOrEqual(16);
    expect(bytes).toBeLessThanOrEqual(1024 * 1024);
  });
});

describe('failures: one line, exit 2, within the timeout', () => {
  let srv: TestServer;
  let bigFile: string;
  let tmp: string;
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-remote-'));
    bigFile = path.join(tmp, 'big.h5');
    const { writeLegacyH5 } = (await import(path.join(ROOT, 'scripts', 'bench-models.mjs'))) as {
      writeLegacyH5: (f: string, n: number, i: number, u: number) => Promise<void>;
    };
    await writeLegacyH5(bigFile, 20, 512, 512);
    srv = await startServer(
      new Map<string, Served>([
        ['/mlp.h5', bytesOf('keras-h5/mlp.h5')],
        ['/convnet.h5', bytesOf('keras-h5/convnet.h5')],
        ['/big.h5', { path: bigFile }],
      ]),
    );
  });
  afterAll(async () => {
    await srv.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  const oneLine = (r: Run, re: RegExp) => {
    expect(r.code, r.stdout).toBe(2);
    expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(re);
  };
  const since = () => {
    const n = srv.requests.length;
    return () => srv.requests.slice(n);
  };

  it('a missing file: not found (HTTP 404)', async () => {
    oneLine(await cli(['inspect', `${srv.url}/none.h5`]), /^kerascope: http:\/\/127\.0\.0\.1:\d+\/none\.h5: not found \(HTTP 404\)$/);
  });

  it('a refused connection', async () => {
    const gone = await startServer();
    await gone.close();
    oneLine(await cli(['inspect', `${gone.url}/m.h5`]), new RegExp(`connection refused by 127\\.0\\.0\\.1:${gone.port}$`));
  });

  it('a server that never answers, and one that stalls mid-answer: stopped at --timeout', async () => {
    srv.behaviour.hang = new Set(['/mlp.h5']);
    srv.behaviour.stall = new Set(['/convnet.h5']);
    try {
      const hang = await cli(['inspect', `${srv.url}/mlp.h5`, '--timeout', '2']);
      // The request's own limit, or the run's (counted from the process's start), whichever comes first.
      const stopped = 'still reading after 2 s; stopped \\(raise the limit with --timeout SECONDS\\)';
      oneLine(hang, new RegExp(`mlp\\.h5: (no answer within 2 s \\(raise the limit with --timeout SECONDS\\)|${stopped})$`));
      const stall = await cli(['inspect', `${srv.url}/convnet.h5`, '--timeout', '2']);
      oneLine(stall, new RegExp(`convnet\\.h5: (the server stopped sending for 2 s|${stopped})`));
      // 2 s, plus the process's start and the local work (a loaded machine: generous).
      for (const r of [hang, stall]) expect(r.ms).toBeLessThan(2000 + 8000);
    } finally {
      srv.behaviour.hang = undefined;
      srv.behaviour.stall = undefined;
    }
  });

  it('a server that trickles (never stalling long enough for the stall limit) is stopped at the run limit', async () => {
    srv.behaviour.drip = new Set(['/mlp.h5']);
    try {
      const r = await cli(['inspect', `${srv.url}/mlp.h5`, '--timeout', '3']);
      oneLine(r, /mlp\.h5: still reading after 3 s; stopped \(raise the limit with --timeout SECONDS\)$/);
      expect(r.ms).toBeLessThan(3000 + 8000);
    } finally {
      srv.behaviour.drip = undefined;
    }
  });

  it('a server that ignores Range: a small file is taken whole, a large one abandoned after a few MiB', async () => {
    srv.behaviour.ignoreRange = true;
    try {
      const small = await cli(['inspect', `${srv.url}/mlp.h5`, '--format', 'json']);
      expect(small.code, small.stderr).toBeLessThan(2);
      expect(totals(small)).toEqual(await local('keras-h5/mlp.h5'));
      const reqs = since();
      const big = await cli(['inspect', `${srv.url}/big.h5`]);
      oneLine(big, /big\.h5: the server ignores Range requests .*gave up after 4\.0 MiB/);
      // The server wrote what its socket took before the client hung up; far from the 21 MB file.
      expect(reqs()).toHaveLength(1);
    } finally {
      srv.behaviour.ignoreRange = false;
    }
  });

  it('429 with Retry-After is waited for, then the file is read', async () => {
    srv.behaviour.tooMany = { count: 2, retryAfter: '1' };
    const reqs = since();
    try {
      const r = await cli(['inspect', `${srv.url}/mlp.h5`, '--format', 'json']);
      expect(r.code, r.stderr).toBeLessThan(2);
      expect(totals(r)).toEqual(await local('keras-h5/mlp.h5'));
      const got = reqs();
      expect(got.slice(0, 2).map((q) => q.status)).toEqual([429, 429]);
      expect(got[1]!.at - got[0]!.at).toBeGreaterThanOrEqual(950);
      expect(got[2]!.at - got[1]!.at).toBeGreaterThanOrEqual(950);
    } finally {
      srv.behaviour.tooMany = undefined;
    }
  });

  it('429 asking for longer than the timeout: one line at once', async () => {
    srv.behaviour.tooMany = { count: 1, retryAfter: '3600' };
    try {
      oneLine(
        await cli(['inspect', `${srv.url}/mlp.h5`, '--timeout', '5']),
        /rate limited \(HTTP 429\); the server asks to retry after 3600 s$/,
      );
    } finally {
      srv.behaviour.tooMany = undefined;
    }
  });

  it('a connection reset mid-body is retried; a connection that always resets is one line', async () => {
    srv.behaviour.reset = new Map([['/convnet.h5', 100]]);
    srv.behaviour.resetTimes = 1;
    try {
      const once = await cli(['inspect', `${srv.url}/convnet.h5`, '--format', 'json']);
      expect(once.code, once.stderr).toBeLessThan(2);
      expect(totals(once)).toEqual(await local('keras-h5/convnet.h5'));
      srv.behaviour.resetTimes = 1000;
      oneLine(await cli(['inspect', `${srv.url}/convnet.h5`]), /convnet\.h5: the connection was cut while reading/);
    } finally {
      srv.behaviour.reset = undefined;
    }
  });

  it('a file that changes between requests (its ETag) is an error, not a mixed read', async () => {
    srv.behaviour.changeAfter = new Map([['/big.h5', 1]]);
    const reqs = since();
    try {
      oneLine(
        await cli(['inspect', `${srv.url}/big.h5`]),
        /big\.h5: the file changed on the server while it was being read \(its ETag changed\)$/,
      );
      const got = reqs();
      expect(got.length).toBeGreaterThanOrEqual(2);
      // Every request after the first carried the first answer's ETag as If-Range.
      expect(got.slice(1).every((q) => q.headers['if-range'] === `"v1-${fs.statSync(bigFile).size}"`)).toBe(true);
    } finally {
      srv.behaviour.changeAfter = undefined;
    }
  });
});

describe('scan --urls', () => {
  let content: TestServer;
  let hub: TestServer;
  let tmp: string;
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-urls-'));
    content = await startServer();
    hub = await startHub(
      new Map<string, HubRepo>([
        ['acme/mlp-h5', { files: new Map([['mlp.h5', bytesOf('keras-h5/mlp.h5')]]) }],
        ['acme/functional', { files: new Map([['functional.keras', bytesOf('keras3/functional.keras')]]) }],
        [
          'acme/two',
          {
            files: new Map([
              ['a/mlp.h5', bytesOf('keras-h5/mlp.h5')],
              ['b/model.json', bytesOf('tfjs/mlp/model.json')],
              ...fs
                .readdirSync(fixture('tfjs/mlp'))
                .filter((n) => n !== 'model.json')
                .map((n) => [`b/${n}`, bytesOf(`tfjs/mlp/${n}`)] as [string, Served]),
            ]),
          },
        ],
      ]),
      content,
    );
  });
  afterAll(async () => {
    await hub.close();
    await content.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  const list = () =>
    [
      '# models to audit',
      `${files.url}/m/mlp.h5`,
      'hf://acme/functional',
      '',
      `${files.url}/m/tfjs/model.json`,
      'hf://acme/mlp-h5',
      `${files.url}/m/missing.h5`,
      `${files.url}/m/convnet.h5`,
    ].join('\n');
  const lines = (r: Run) =>
    r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  it('reports every entry as one JSON line (an error line for a failed one), then a summary', async () => {
    const file = path.join(tmp, 'list.txt');
    fs.writeFileSync(file, list());
    const r = await cli(['scan', '--urls', file, '--format', 'jsonl', '--jobs', '3'], { HF_ENDPOINT: hub.url });
    expect(r.code, r.stderr).toBe(2); // one entry is missing
    const out = lines(r);
    const summary = out.pop() as { summary: Record<string, number> };
    expect(out.map((l) => l.path).sort()).toEqual(
      [
        `${files.url}/m/mlp.h5`,
        'hf://acme/functional',
        `${files.url}/m/tfjs/model.json`,
        'hf://acme/mlp-h5',
        `${files.url}/m/missing.h5`,
        `${files.url}/m/convnet.h5`,
      ].sort(),
    );
    const byPath = new Map(out.map((l) => [l.path as string, l]));
    expect(byPath.get(`${files.url}/m/missing.h5`)!.error).toBe(`${files.url}/m/missing.h5: not found (HTTP 404)`);
    expect((byPath.get('hf://acme/mlp-h5') as { totals: unknown }).totals).toEqual((await local('keras-h5/mlp.h5')).totals);
    expect((byPath.get('hf://acme/functional') as { totals: unknown }).totals).toEqual((await local('keras3/functional.keras')).totals);
    const cost = byPath.get(`${files.url}/m/convnet.h5`)!.remote as { requests: number; bytes: number; seconds: number };
    expect(cost.requests).toBeGreaterThan(0);
    expect(cost.bytes).toBeLessThanOrEqual(fs.statSync(fixture('keras-h5/convnet.h5')).size + 64 * 1024);
    expect(summary.summary).toMatchObject({ entries: 6, scanned: 6, skipped: 0, ok: 5, unreadable: 1 });
  });

  it('--shard I/N splits the list into disjoint shares that cover it; --resume skips what an output holds', async () => {
    const file = path.join(tmp, 'list2.txt');
    fs.writeFileSync(file, list());
    const a = await cli(['scan', '--urls', file, '--format', 'jsonl', '--shard', '1/2'], { HF_ENDPOINT: hub.url });
    const b = await cli(['scan', '--urls', file, '--format', 'jsonl', '--shard', '2/2'], { HF_ENDPOINT: hub.url });
    const pa = lines(a)
      .filter((l) => l.path)
      .map((l) => l.path as string);
    const pb = lines(b)
      .filter((l) => l.path)
      .map((l) => l.path as string);
    expect(pa.filter((p) => pb.includes(p))).toEqual([]);
    expect([...pa, ...pb].sort()).toHaveLength(6);
    // Entries 1, 3, 5 of the list (comments and blanks skipped) go to shard 1/2.
    expect(pa.sort()).toEqual([`${files.url}/m/mlp.h5`, `${files.url}/m/tfjs/model.json`, `${files.url}/m/missing.h5`].sort());
    const out = path.join(tmp, 'out.jsonl');
    fs.writeFileSync(out, a.stdout);
    const before = files.requests.length;
    const rest = await cli(['scan', '--urls', file, '--format', 'jsonl', '--resume', out], { HF_ENDPOINT: hub.url });
    const pr = lines(rest);
    expect((pr.pop() as { summary: Record<string, number> }).summary).toMatchObject({ entries: 6, skipped: 3, scanned: 3 });
    expect(pr.map((l) => l.path).sort()).toEqual(pb.sort());
    // Nothing of the skipped entries was fetched again.
    expect(files.requests.slice(before).some((q) => q.url === '/m/mlp.h5' || q.url === '/m/tfjs/model.json')).toBe(false);
  });

  it('a repository of several models is scanned model by model', async () => {
    const file = path.join(tmp, 'list3.txt');
    fs.writeFileSync(file, 'hf://acme/two\n');
    const r = await cli(['scan', '--urls', file, '--format', 'jsonl'], { HF_ENDPOINT: hub.url });
    expect(r.code, r.stderr).toBe(0);
    const out = lines(r);
    const summary = out.pop() as { summary: Record<string, number> };
    expect(out.map((l) => l.path).sort()).toEqual(['hf://acme/two/a/mlp.h5', 'hf://acme/two/b/model.json']);
    expect((out.find((l) => l.path === 'hf://acme/two/a/mlp.h5') as { totals: unknown }).totals).toEqual(
      (await local('keras-h5/mlp.h5')).totals,
    );
    expect((out.find((l) => l.path === 'hf://acme/two/b/model.json') as { totals: unknown }).totals).toEqual(
      (await local('tfjs/mlp/model.json')).totals,
    );
    expect(summary.summary).toMatchObject({ entries: 1, scanned: 2, ok: 2 });
    // Resumed with one model done: only the other is scanned.
    const out1 = path.join(tmp, 'two.jsonl');
    fs.writeFileSync(out1, `${JSON.stringify(out[0])}\n`);
    const again = lines(await cli(['scan', '--urls', file, '--format', 'jsonl', '--resume', out1], { HF_ENDPOINT: hub.url }));
    again.pop();
    expect(again.map((l) => l.path)).toEqual([out[1]!.path]);
  });

  it('reads the list from standard input', async () => {
    const child = spawn(process.execPath, [BIN, 'scan', '--urls', '-', '--format', 'jsonl'], {
      cwd: ROOT,
      env: { ...process.env, HF_HOME: NO_HOME, HF_TOKEN: '', HF_ENDPOINT: hub.url },
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stdin.end(`hf://acme/mlp-h5\n${files.url}/m/mlp.h5\n`);
    const code = await new Promise((r) => child.on('close', r));
    expect(code).toBe(0);
    const out = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out).toHaveLength(3);
    expect(out[2]).toMatchObject({ summary: { entries: 2, ok: 2 } });
  });
});

describe('real models in the Hub layout (../shared/models)', () => {
  const models = realModels();
  const readable = (models ?? []).filter((m) => !m.files.some((f) => f.endsWith('saved_model.pb')));
  let content: TestServer;
  let hub: TestServer;
  beforeAll(async () => {
    if (!models) return;
    content = await startServer();
    const repos = new Map<string, HubRepo>();
    for (const m of readable) {
      const dir = path.join(MODELS_DIR, m.id);
      repos.set(`shared/${m.id.replace(/[^A-Za-z0-9._-]/g, '-')}`, {
        files: new Map(fs.readdirSync(dir).map((n) => [n, { path: path.join(dir, n) }] as [string, Served])),
      });
    }
    hub = await startHub(repos, content, 64 * 1024);
  });
  afterAll(async () => {
    await hub?.close();
    await content?.close();
  });

  it.skipIf(!models)('scan --urls over every repository gives EXPECTED.json stored totals; the cost per model', async () => {
    const list = readable.map((m) => `hf://shared/${m.id.replace(/[^A-Za-z0-9._-]/g, '-')}`);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-shared-'));
    const file = path.join(tmp, 'list.txt');
    fs.writeFileSync(file, list.join('\n'));
    try {
      const r = await cli(['scan', '--urls', file, '--format', 'jsonl', '--jobs', '4'], { HF_ENDPOINT: hub.url });
      const out = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const summary = out.pop() as { summary: { seconds: number; requests: number; bytes: number } };
      expect(out).toHaveLength(readable.length);
      for (const m of readable) {
        const line = out.find((l) => l.path === `hf://shared/${m.id.replace(/[^A-Za-z0-9._-]/g, '-')}`) as {
          error?: string;
          totals?: { stored: number };
          remote: { requests: number; bytes: number; seconds: number };
        };
        expect(line.error, m.id).toBeUndefined();
        expect(line.totals!.stored, m.id).toBe(m.totals.stored);
        const size = m.files.reduce((n, f) => n + fs.statSync(path.join(MODELS_DIR, f)).size, 0);
        console.log(`${m.id}: ${line.remote.requests} requests, ${line.remote.bytes} B of ${size} B, ${line.remote.seconds} s`);
      }
      console.log(`all: ${JSON.stringify(summary.summary)}`);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
