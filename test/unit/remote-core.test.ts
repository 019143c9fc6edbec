// The remote inputs' pure parts: hf:// URIs, the model chosen from a listing, Content-Range and multipart
// bodies, Retry-After, the list, shards and resume of scan --urls; and RemoteFile's block arithmetic over a
// transport that serves bytes from memory (the real-server tests are test/remote.test.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { doneIn, listEntries, parseShard, shardOf } from '../../src/cli/scan-urls.js';
import { displayUrl, type HttpRequest, type HttpResponse, retryAfterMs } from '../../src/io/http.js';
import { parseContentRange, parseMultipart, RemoteFile, RemoteSession } from '../../src/io/http-source.js';
import { listRepo, modelsIn, parseHubUri, resolveUrl } from '../../src/io/hub.js';
import { InputError } from '../../src/model/errors.js';

describe('hf:// URIs', () => {
  it.each([
    ['hf://owner/repo', { repo: 'owner/repo', revision: 'main', path: '' }],
    ['hf://owner/repo/', { repo: 'owner/repo', revision: 'main', path: '' }],
    ['hf://owner/repo@v1.0', { repo: 'owner/repo', revision: 'v1.0', path: '' }],
    ['hf://owner/repo@v1/web/model.json', { repo: 'owner/repo', revision: 'v1', path: 'web/model.json' }],
    ['hf://owner/repo@refs/pr/12/a.h5', { repo: 'owner/repo', revision: 'refs/pr/12', path: 'a.h5' }],
    ['hf://owner/repo@release%2Fv2/a.h5', { repo: 'owner/repo', revision: 'release/v2', path: 'a.h5' }],
    ['hf://o.w-n_er/re.po/./x//y.h5', { repo: 'o.w-n_er/re.po', revision: 'main', path: 'x/y.h5' }],
  ])('%s', (uri, want) => {
    expect(parseHubUri(uri)).toEqual(want);
  });

  it('is null for other schemes, an error for malformed ones', () => {
    expect(parseHubUri('https://huggingface.co/x')).toBeNull();
    for (const bad of ['hf://only', 'hf://owner/repo/../../etc/passwd', 'hf://datasets/x/y', 'hf://own er/repo', 'hf://owner/repo@'])
      expect(() => parseHubUri(bad), bad).toThrow(InputError);
  });

  it('resolve URLs encode the revision and each path segment', () => {
    const u = parseHubUri('hf://o/r@refs/pr/1/a b/c#d.h5')!;
    expect(resolveUrl('https://hub.example', u, u.path)).toBe('https://hub.example/o/r/resolve/refs%2Fpr%2F1/a%20b/c%23d.h5');
  });
});

describe('the model chosen from a listing', () => {
  const files = (...paths: string[]) => new Map(paths.map((p) => [p, 1]));
  it('finds files and folders, and claims what belongs to them', () => {
    const listing = files(
      'README.md',
      'model.keras',
      'keras3/config.json',
      'keras3/metadata.json',
      'keras3/model.weights.h5',
      'sm/saved_model.pb',
      'sm/variables/variables.index',
      'sm/keras.h5',
      'web/model.json',
      'web/group1-shard1of2.bin',
      'arch/net.json',
      'arch/net_weights.h5',
      'loose/weights.hdf5',
    );
    expect(modelsIn(listing, '')).toEqual(['arch/net.json', 'keras3', 'loose/weights.hdf5', 'model.keras', 'sm', 'web/model.json']);
    expect(modelsIn(listing, 'web')).toEqual(['web/model.json']);
  });
  it('a KerasHub preset or Keras 3 repository at the top is the repository itself', () => {
    expect(modelsIn(files('config.json', 'metadata.json', 'model.weights.h5', 'tokenizer.json', 'assets/vocab.txt'), '')).toEqual(['']);
  });
});

describe('HTTP details', () => {
  it('Content-Range', () => {
    expect(parseContentRange('bytes 0-99/1000')).toEqual({ start: 0, end: 99, total: 1000 });
    expect(parseContentRange('bytes */1000')).toEqual({ start: 0, end: -1, total: 1000 });
    expect(parseContentRange('bytes 5-9/*')).toEqual({ start: 5, end: 9, total: null });
    expect(parseContentRange('items 0-1/2')).toBeNull();
  });

  it('multipart/byteranges', () => {
    const enc = new TextEncoder();
    const body = enc.encode(
      '\r\n--XYZ\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 2-4/10\r\n\r\ncde\r\n--XYZ\r\nContent-Range: bytes 8-9/10\r\n\r\nij\r\n--XYZ--\r\n',
    );
    const parts = parseMultipart(body, 'multipart/byteranges; boundary=XYZ')!;
    expect(parts.map((p) => [p.start, new TextDecoder().decode(p.bytes)])).toEqual([
      [2, 'cde'],
      [8, 'ij'],
    ]);
    expect(parseMultipart(enc.encode('--XYZ\r\nContent-Range: bytes 0-99/10\r\n\r\nab'), 'multipart/byteranges; boundary=XYZ')).toBeNull();
  });

  it('Retry-After in seconds or as a date; URLs shown without credentials or query', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs('soon')).toBeNull();
    expect(displayUrl('https://u:p@h.example/a/b.h5?X-Amz-Signature=s#f')).toBe('https://h.example/a/b.h5');
  });
});

describe('RemoteFile over an in-memory transport', () => {
  const data = new Uint8Array(1_000_000).map((_, i) => (i * 7) & 0xff);
  function transport(log: HttpRequest[], opts: { multi?: boolean } = {}) {
    return (req: HttpRequest): HttpResponse => {
      log.push(req);
      const ranges = req.ranges ?? [[0, data.length]];
      const base = { url: req.url, complete: true, requests: 1 };
      if (ranges.length === 1 || opts.multi === false) {
        const [s, e] = ranges[0]!;
        const body = data.slice(s, Math.min(e, data.length));
        return {
          ...base,
          status: 206,
          headers: { 'content-range': `bytes ${s}-${s + body.length - 1}/${data.length}`, etag: '"a"' },
          body,
          received: body.length,
        };
      }
      const enc = new TextEncoder();
      const chunks: Uint8Array[] = [];
      for (const [s, e] of ranges)
        chunks.push(enc.encode(`\r\n--B\r\nContent-Range: bytes ${s}-${e - 1}/${data.length}\r\n\r\n`), data.slice(s, e));
      chunks.push(enc.encode('\r\n--B--\r\n'));
      const body = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      let at = 0;
      for (const c of chunks) {
        body.set(c, at);
        at += c.length;
      }
      return {
        ...base,
        status: 206,
        headers: { 'content-type': 'multipart/byteranges; boundary=B', etag: '"a"' },
        body,
        received: body.length,
      };
    };
  }

  it('reads what was asked, from blocks kept; hints ride along with the next miss', () => {
    const log: HttpRequest[] = [];
    const f = new RemoteFile(new RemoteSession(transport(log)), 'x', 'http://h/x', { firstRead: 8192 });
    expect(f.size).toBe(1_000_000);
    expect(f.read(100, 50)).toEqual(data.slice(100, 150)); // within the first request's block
    expect(log).toHaveLength(1);
    f.prefetch([
      [50_000, 10],
      [90_000, 10],
    ]);
    expect(f.read(20_000, 10)).toEqual(data.slice(20_000, 20_010));
    expect(log).toHaveLength(2);
    expect(log[1]!.ranges).toEqual([
      [16_384, 24_576],
      [49_152, 57_344],
      [81_920, 90_112],
    ]);
    expect(log[1]!.ifRange).toBe('"a"');
    expect(f.read(50_000, 10)).toEqual(data.slice(50_000, 50_010));
    expect(f.read(90_000, 30)).toEqual(data.slice(90_000, 90_030));
    expect(log).toHaveLength(2); // both hinted blocks came with the second request
    expect(f.read(999_990, 100)).toEqual(data.slice(999_990)); // the file's last, short block
  });

  it('a server answering several ranges with the first only is asked one range at a time', () => {
    const log: HttpRequest[] = [];
    const f = new RemoteFile(new RemoteSession(transport(log, { multi: false })), 'x', 'http://h/x', { firstRead: 8192 });
    expect(f.size).toBe(1_000_000); // hints count once the size is known
    f.prefetch([[60_000, 10]]);
    expect(f.read(30_000, 10)).toEqual(data.slice(30_000, 30_010));
    expect(f.read(60_000, 10)).toEqual(data.slice(60_000, 60_010));
    expect(log.map((r) => r.ranges?.length)).toEqual([1, 2, 1]);
  });
});

describe('scan --urls lists', () => {
  it('entries: blank lines and comments skipped, each once', () => {
    expect(listEntries('# x\n a \n\nb\r\na\n#c\n')).toEqual(['a', 'b']);
  });
  it('shards are disjoint and cover the list', () => {
    const list = Array.from({ length: 11 }, (_, i) => i);
    const shards = [1, 2, 3].map((i) => shardOf(list, parseShard(`${i}/3`)));
    expect(shards).toEqual([
      [0, 3, 6, 9],
      [1, 4, 7, 10],
      [2, 5, 8],
    ]);
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '1-3']) expect(() => parseShard(bad), bad).toThrow();
  });
  it('resume: the paths of report and error lines; a cut last line and a missing file are fine', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-resume-'));
    try {
      const out = path.join(dir, 'out.jsonl');
      fs.writeFileSync(out, '{"path":"hf://a/b","totals":{}}\n{"path":"https://x/y.h5","error":"e"}\n{"summary":{}}\n{"path":"hf://c/');
      expect([...doneIn(out)].sort()).toEqual(['hf://a/b', 'https://x/y.h5']);
      expect(doneIn(path.join(dir, 'none.jsonl')).size).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('small files', () => {
  it('a file up to 512 KiB is fetched whole at its first miss (two requests at most)', () => {
    const data = new Uint8Array(300_000).map((_, i) => i & 0xff);
    const log: HttpRequest[] = [];
    const t = (req: HttpRequest): HttpResponse => {
      log.push(req);
      const [s, e] = req.ranges![0]!;
      const body = data.slice(s, Math.min(e, data.length));
      const headers = { 'content-range': `bytes ${s}-${s + body.length - 1}/${data.length}` };
      return { status: 206, url: req.url, headers, body, complete: true, requests: 1, received: body.length };
    };
    const f = new RemoteFile(new RemoteSession(t), 'x', 'http://h/x', { firstRead: 65_536 });
    expect(f.read(200_000, 10)).toEqual(data.slice(200_000, 200_010));
    expect(f.read(100_000, 10)).toEqual(data.slice(100_000, 100_010));
    expect(f.read(299_000, 1000)).toEqual(data.slice(299_000));
    expect(log.map((r) => r.ranges)).toEqual([[[0, 65_536]], [[65_536, 300_000]]]);
  });
});

describe('the listing of a hostile repository', () => {
  it('drops paths with control or bidi characters (they would reach messages)', () => {
    const body = new TextEncoder().encode(
      JSON.stringify([
        { type: 'file', path: 'ok.h5', size: 10 },
        { type: 'file', path: 'evil\u001b[2J.h5', size: 10 },
        { type: 'file', path: 'rtl\u202egpj.h5', size: 10 },
        { type: 'directory', path: 'd', size: 0 },
        { type: 'file', path: 'big.h5', size: 134, lfs: { size: 5_000_000_000 } },
      ]),
    );
    const session = new RemoteSession((req) => ({
      status: 200,
      url: req.url,
      headers: {},
      body,
      complete: true,
      requests: 1,
      received: body.length,
    }));
    const files = listRepo(session, 'https://hub.example', parseHubUri('hf://o/r')!, 'hf://o/r');
    expect([...files]).toEqual([
      ['ok.h5', 10],
      ['big.h5', 5_000_000_000],
    ]);
  });
});
