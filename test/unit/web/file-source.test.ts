// The page's ByteSource (src/web/file-source.ts) in Node: a stand-in Blob whose slice is read synchronously
// (FileReaderSync exists only in browser Workers; the page test covers the real one). Reads through the block
// cache must give exactly the bytes asked for, across block edges and past the end; and every fixture read
// through it gives the same report as the file on disk.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/inspect.js';
import { inspect } from '../../../src/node/inspect.js';
import { renderJson } from '../../../src/report/json.js';
import { extras } from '../../../src/web/extras.js';
import { BlockCache, FileSource, type SyncBlobReader } from '../../../src/web/file-source.js';
import { errorLine, inspectDrop } from '../../../src/web/inspect-drop.js';
import type { InspectRequest } from '../../../src/web/protocol.js';
import { inspectArgs, MODELS_DIR, realModels } from '../../helpers/real-models.js';

/** Just what FileSource uses of a Blob: its size and slice. */
class FakeBlob {
  constructor(readonly bytes: Uint8Array) {}
  get size(): number {
    return this.bytes.length;
  }
  slice(start: number, end: number): FakeBlob {
    return new FakeBlob(this.bytes.slice(start, end));
  }
}
const readFake: SyncBlobReader = (b) => {
  const bytes = (b as unknown as FakeBlob).bytes;
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer;
};
const asBlobs = (m: Map<string, Uint8Array>) => new Map([...m].map(([k, v]) => [k, new FakeBlob(v) as unknown as Blob]));

describe('FileSource reads', () => {
  const bytes = new Uint8Array(300_000).map((_, i) => (i * 7 + (i >> 9)) & 0xff);
  const files = asBlobs(
    new Map([
      ['d/a.bin', bytes],
      ['d/sub/b.bin', bytes.subarray(0, 10)],
      ['top.bin', bytes.subarray(0, 3)],
    ]),
  );
  const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

  it('exactly the bytes asked for: within a block, across block edges, large, at and past the end', () => {
    const cache = new BlockCache(readFake);
    const src = new FileSource(files, 'd/a.bin', cache);
    expect(src.size).toBe(300_000);
    for (const [off, len] of [
      [0, 8],
      [65_530, 12],
      [65_536, 1],
      [10, 200_000],
      [131_000, 70_000],
      [299_990, 50],
      [300_000, 5],
      [400_000, 5],
      [5, 0],
    ]) {
      const want = bytes.slice(Math.min(off!, 300_000), Math.min(300_000, off! + len!));
      const got = src.read(off!, len!);
      expect(got.length, `${off}+${len}`).toBe(want.length);
      expect(same(got, want), `${off}+${len}`).toBe(true);
    }
  });

  it('reads a block once while it stays cached, and keeps at most 64 blocks', () => {
    const cache = new BlockCache(readFake);
    const src = new FileSource(files, 'd/a.bin', cache);
    src.read(100, 10);
    src.read(2_000, 10);
    src.read(60_000, 5_000);
    expect(cache.stats).toEqual({ reads: 1, bytes: 65_536 });
    const big = new FakeBlob(new Uint8Array(70 * 65_536));
    const many = new FileSource(new Map([['x', big as unknown as Blob]]), 'x', cache);
    for (let b = 0; b < 70; b++) many.read(b * 65_536, 1);
    many.read(0, 1); // evicted by the 70 others: read again
    expect(cache.stats.reads).toBe(1 + 70 + 1);
  });

  it('a copy each time: what a caller keeps is not changed by later reads', () => {
    const src = new FileSource(files, 'd/a.bin', new BlockCache(readFake));
    const first = src.read(0, 4);
    first[0] = 255 - first[0]!;
    expect(same(src.read(0, 4), bytes.slice(0, 4))).toBe(true);
  });

  it('siblings within the dropped tree only, folders listed', () => {
    const src = new FileSource(files, 'd/a.bin', new BlockCache(readFake));
    expect(src.sibling('sub/b.bin')?.size).toBe(10);
    expect(src.sibling('../d/a.bin')?.name).toBe('d/a.bin');
    expect(src.sibling('../../etc/passwd')).toBeNull();
    expect(src.sibling('../top.bin')).toBeNull(); // dropped, but outside the model's folder
    expect(src.sibling('sub/b.bin')?.sibling('../a.bin')?.size).toBe(300_000);
    expect(src.sibling('sub/b.bin')?.sibling('../../top.bin')).toBeNull();
    expect(new FileSource(files, 'top.bin', new BlockCache(readFake)).sibling('d/a.bin')?.size).toBe(300_000);
    expect(src.sibling('/d/a.bin')).toBeNull();
    expect(src.sibling('https://example.com/a.bin')).toBeNull();
    expect(src.sibling('missing.bin')).toBeNull();
    expect(src.sibling('sub')?.list?.()).toEqual(['b.bin']);
    expect(src.list()).toBeNull();
  });
});

/** Every file in the folders of `files`, by the path a user would give. */
function tree(files: string[]): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const dir of new Set(files.map((f) => path.dirname(f)))) {
    for (const name of fs.readdirSync(dir)) {
      const p = path.join(dir, name);
      if (fs.statSync(p).isFile()) out.set(p, new Uint8Array(fs.readFileSync(p)));
    }
  }
  return out;
}

async function both(file: string, weights?: string): Promise<[unknown, unknown]> {
  const onDisk = await inspect(file, weights ? { weights } : {}).catch((e: Error) => ({ error: e.message }));
  const blobs = asBlobs(tree(weights ? [file, weights] : [file]));
  const cache = new BlockCache(readFake);
  const viaFiles = await analyze(new FileSource(blobs, file, cache), {
    weights: weights ? new FileSource(blobs, weights, cache) : undefined,
  }).then(
    (x) => x.report,
    (e: Error) => ({ error: e.message }),
  );
  return [viaFiles, onDisk];
}

const models = realModels();

describe('through FileSource, the same report as from the files on disk', () => {
  it.skipIf(!models)('every model in ../shared/models', async () => {
    for (const m of models ?? []) {
      const { file, weights } = inspectArgs(m);
      const [viaFiles, disk] = await both(path.relative('.', file), weights && path.relative('.', weights));
      expect(viaFiles, m.id).toEqual(disk);
    }
  });

  it('the HDF5, .keras and TF.js fixtures, healthy and damaged', async () => {
    const inputs = ['fixtures/keras-h5', 'fixtures/keras3', 'fixtures/bad', 'fixtures/bad/unreadable', 'fixtures/tfjs'].flatMap((d) =>
      fs.readdirSync(d).flatMap((f) => {
        const p = path.join(d, f);
        if (/\.(h5|keras)$/.test(f)) return [p];
        return fs.existsSync(path.join(p, 'model.json')) ? [path.join(p, 'model.json')] : [];
      }),
    );
    expect(inputs.filter((f) => f.endsWith('model.json')).length).toBeGreaterThan(8);
    expect(inputs.length).toBeGreaterThan(20);
    for (const file of inputs) {
      const [viaFiles, disk] = await both(file);
      expect(viaFiles, file).toEqual(disk);
    }
  });
});

describe("inspectDrop: the Worker's work on dropped files", () => {
  const drop = (files: string[], base: string): InspectRequest => ({
    type: 'inspect',
    id: 1,
    files: files.map((f) => ({ path: path.relative(base, f), file: new FakeBlob(new Uint8Array(fs.readFileSync(f))) as unknown as File })),
  });

  it.skipIf(!models)('pairs an architecture JSON with its weights, and gathers the report, explanations and downloads', async () => {
    const m = models!.find((x) => x.id === 'fml_keras_3layer')!;
    const files = m.files.map((f) => path.join(MODELS_DIR, f));
    const stages: string[] = [];
    const res = await inspectDrop(drop(files, MODELS_DIR), readFake, (stage) => stages.push(stage));
    expect([stages[0], stages.at(-1)]).toEqual(['opening', 'rendering']);
    expect(stages.every((x) => ['opening', 'reading', 'rendering'].includes(x))).toBe(true);
    expect([res.main, res.weights]).toEqual(m.files);
    expect(res.report.totals.params).toBe(m.totals.params);
    expect(res.report.totals.stored).toBe(m.totals.stored);
    expect(res.downloads.map((d) => d.filename)).toEqual(['KERAS_3layer.kerascope.json', 'KERAS_3layer.sarif', 'KERAS_3layer.card.md']);
    expect(res.downloads[0]!.text).toBe(`${renderJson(res.report)}\n`);
    expect(JSON.parse(res.downloads[1]!.text).runs[0].results).toHaveLength(res.report.findings.length);
    for (const l of m.layers.filter((x) => x.className === 'Dense')) {
      expect(res.explain[l.name]).toContain(`= ${l.params!.toLocaleString('en-US')}`);
      expect(res.formulas[l.name]).toMatch(/^\d+·\d+ \+ \d+$/);
    }
    // The layer graph from the card renderer: one box per layer of this small model (nothing folds), and no
    // inline stylesheet (the page's CSP forbids it; its style.css carries the rules).
    expect(res.graphSvg).toContain('class="ks-graph"');
    expect(res.graphSvg).not.toContain('<style');
    expect(res.graphSvg!.match(/class="ks-node/g)?.length).toBe(m.layers.filter((l) => l.className !== null).length);
    // Each box names the one layer it draws (nothing folds here), in the graph's order.
    expect(Object.values(res.graphUnits)).toEqual(m.layers.filter((l) => l.className !== null).map((l) => [l.name]));
    // The card download carries the EXPECTED.json total.
    expect(res.downloads[2]!.text).toContain(m.totals.params!.toLocaleString('en-US'));
    // Ranges only: never more than the dropped bytes, in whole blocks.
    expect(res.stats.bytes).toBeLessThanOrEqual(res.stats.inputBytes);
  });

  it.skipIf(!models)('the graph and card hooks (src/web/extras.ts) reach the result when they return something', async () => {
    const m = models!.find((x) => x.id === 'fml_keras_3layer')!;
    const saved = { ...extras };
    try {
      extras.graph = (i) => ({ svg: `<svg data-layers="${i.graph?.layers.length}"/>`, units: { n0: ['x'] } });
      extras.cardMarkdown = (i) => `# ${i.report.file}`;
      const res = await inspectDrop(
        drop(
          m.files.map((f) => path.join(MODELS_DIR, f)),
          MODELS_DIR,
        ),
        readFake,
      );
      expect(res.graphSvg).toBe('<svg data-layers="5"/>');
      expect(res.graphUnits).toEqual({ n0: ['x'] });
      expect(res.downloads.find((d) => d.label === 'Markdown card')).toMatchObject({
        filename: 'KERAS_3layer.card.md',
        text: `# ${m.files[0]}`,
      });
    } finally {
      Object.assign(extras, saved);
    }
  });

  it("damaged or ambiguous drops end in the CLI's one line", async () => {
    const bad = path.resolve('fixtures/bad/unreadable');
    const line = (files: string[]) => inspectDrop(drop(files, bad), readFake).then(() => null, errorLine);
    expect(await line([path.join(bad, 'empty.h5')])).toBe('kerascope: empty.h5: empty file');
    expect(await line([path.join(bad, 'empty.h5'), path.join(bad, 'truncated.h5')])).toBe(
      'kerascope: 2 files: several HDF5 files (empty.h5, truncated.h5): drop one model at a time',
    );
    expect(errorLine(new TypeError('x is not a function'))).toBe('kerascope: internal error: x is not a function');
  });
});
