// The CI gate's pure parts: budget parsing and exact boundaries, layer matching, the transposed-kernel hint,
// baseline serialization and version checks. Values are hand arithmetic written here.
import { describe, expect, it } from 'vitest';
import {
  BASELINE_SCHEMA_VERSION,
  makeBaseline,
  matchLayers,
  parseBaseline,
  parseBytes,
  parseCount,
  parseGrowth,
  percentChange,
  serializeBaseline,
  shapeHint,
  withinGrowth,
  type LayerSummary,
  type ModelSummary,
} from '../../../src/gate/index.js';
import { InputError } from '../../../src/model/errors.js';
import { command, escapeData, escapeProperty } from '../../../src/report/github.js';

describe('budget values', () => {
  it('counts: k, M, B are decimal (×1000, ×10^6, ×10^9); fractions must land on a whole count', () => {
    expect(parseCount('1234 params')).toBe(1234);
    expect(parseCount('1234params')).toBe(1234);
    expect(parseCount('1 param')).toBe(1);
    expect(parseCount('10k')).toBe(10_000);
    expect(parseCount('10K')).toBe(10_000);
    expect(parseCount('25M')).toBe(25_000_000);
    expect(parseCount('2.5M')).toBe(2_500_000);
    expect(parseCount('1.5B')).toBe(1_500_000_000);
    expect(() => parseCount('1.2345k')).toThrow(/whole number/);
    expect(() => parseCount('25MB')).toThrow(/not a count/);
    expect(() => parseCount('-5')).toThrow(/not a count/);
  });
  it('a bare number is refused for every budget, and the message shows the forms that say what it means', () => {
    expect(() => parseCount('1234')).toThrow(
      '"1234" is ambiguous: a budget says its unit — write 1234 params for an exact count or 1234k / 1234M for thousands / millions',
    );
    expect(() => parseBytes('512')).toThrow('"512" is ambiguous: a budget says its unit — write 512B for bytes or 512MB for mebibytes');
    expect(() => parseGrowth('2')).toThrow(
      '"2" is ambiguous: a budget says its unit — write 2% for a percentage of the baseline or 2 params (2k) for a count',
    );
    expect(() => parseGrowth(' 2.5 ')).toThrow(/"2\.5" is ambiguous/);
  });
  it('bytes: KB, MB, GB, TB are 1024-based, as Keras prints sizes', () => {
    expect(parseBytes('512B')).toBe(512);
    expect(parseBytes('64KB')).toBe(64 * 1024);
    expect(parseBytes('100MB')).toBe(100 * 1024 * 1024);
    expect(parseBytes('1.5GB')).toBe(1.5 * 1024 * 1024 * 1024);
    expect(parseBytes('2 mib')).toBe(2 * 1024 * 1024);
    expect(() => parseBytes('100M')).toThrow(/not a size/);
    expect(() => parseBytes('0.3KB')).toThrow(/whole number of bytes/); // 307.2 bytes
  });
  it('growth: a percentage or an absolute count', () => {
    expect(parseGrowth('2%')).toMatchObject({ kind: 'percent', num: 2n, den: 1n });
    expect(parseGrowth('20.5%')).toMatchObject({ kind: 'percent', num: 205n, den: 10n });
    expect(parseGrowth('10k')).toMatchObject({ kind: 'absolute', count: 10_000 });
    expect(parseGrowth('5 params')).toMatchObject({ kind: 'absolute', count: 5 });
    expect(() => parseGrowth('2 percent')).toThrow(/growth budget/);
  });
});

describe('growth boundaries are exact', () => {
  it('20% passes +20.0% (1000 → 1200) and fails +20.1% (1000 → 1201)', () => {
    const g = parseGrowth('20%');
    expect(withinGrowth(g, 1000, 1200)).toBe(true);
    expect(withinGrowth(g, 1000, 1201)).toBe(false);
  });
  it('fractional percentages: 0.1% of 4389 is 4.389, so +4 passes and +5 fails', () => {
    const g = parseGrowth('0.1%');
    expect(withinGrowth(g, 4389, 4393)).toBe(true);
    expect(withinGrowth(g, 4389, 4394)).toBe(false);
  });
  it('no floating point: 12.195121% < 5/41 < 12.195122%', () => {
    expect(withinGrowth(parseGrowth('12.195121%'), 41, 46)).toBe(false);
    expect(withinGrowth(parseGrowth('12.195122%'), 41, 46)).toBe(true);
  });
  it('absolute: +10,000 within 10k, +10,001 not; shrinking always passes; growth from 0 fails a percentage', () => {
    const g = parseGrowth('10k');
    expect(withinGrowth(g, 5, 10_005)).toBe(true);
    expect(withinGrowth(g, 5, 10_006)).toBe(false);
    expect(withinGrowth(parseGrowth('0%'), 100, 50)).toBe(true);
    expect(withinGrowth(parseGrowth('0%'), 100, 100)).toBe(true);
    expect(withinGrowth(parseGrowth('50%'), 0, 1)).toBe(false);
  });
  it('percent change is rounded to 4 decimals', () => {
    expect(percentChange(25, 30)).toBe(20);
    expect(percentChange(45, 25)).toBe(-44.4444);
    expect(percentChange(0, 3)).toBeNull();
  });
});

const layer = (
  name: string,
  className: string,
  params: number,
  shapes: number[][],
  out: (number | null)[] = [null, shapes.at(-1)?.[0] ?? 0],
): LayerSummary => ({
  name,
  className,
  outputShape: out,
  params,
  trainable: params,
  nonTrainable: 0,
  weights: shapes.map((s, i) => ({ name: `w${i}`, shape: s })),
  inputs: [],
});

describe('layer matching', () => {
  it('by name first, then by structure in order: renumbered names are renames', () => {
    const a = [layer('dense_3', 'Dense', 20, [[4, 4], [4]]), layer('dense_4', 'Dense', 5, [[4, 1], [1]])];
    const b = [layer('dense_7', 'Dense', 20, [[4, 4], [4]]), layer('dense_8', 'Dense', 5, [[4, 1], [1]])];
    expect(matchLayers(a, b)).toEqual({
      pairs: [
        { before: 0, after: 0, byName: false },
        { before: 1, after: 1, byName: false },
      ],
      removed: [],
      added: [],
    });
  });
  it('a layer whose structure changed under a new name is a removal and an addition', () => {
    const a = [layer('dense_3', 'Dense', 20, [[4, 4], [4]])];
    const b = [layer('dense_9', 'Dense', 25, [[4, 5], [5]])];
    expect(matchLayers(a, b)).toEqual({ pairs: [], removed: [0], added: [0] });
  });
  it('by structure and inputs: two same-shaped branches renamed in another order are matched through their inputs', () => {
    const on = (l: LayerSummary, ...inputs: string[]) => ({ ...l, inputs });
    const dense = (name: string) => layer(name, 'Dense', 20, [[4, 4], [4]]);
    const a = [
      layer('in_a', 'InputLayer', 0, [], [null, 4]),
      layer('in_b', 'InputLayer', 0, [], [null, 4]),
      on(dense('dense_1'), 'in_a'),
      on(dense('dense_2'), 'in_b'),
    ];
    const b = [
      layer('in_a', 'InputLayer', 0, [], [null, 4]),
      layer('in_b', 'InputLayer', 0, [], [null, 4]),
      on(dense('dense_7'), 'in_b'),
      on(dense('dense_8'), 'in_a'),
    ];
    expect(matchLayers(a, b).pairs.filter((p) => !p.byName)).toEqual([
      { before: 3, after: 2, byName: false },
      { before: 2, after: 3, byName: false },
    ]);
  });
  it('same name wins over same structure', () => {
    const a = [layer('x', 'Dense', 20, [[4, 4], [4]]), layer('y', 'Dense', 20, [[4, 4], [4]])];
    const b = [layer('y', 'Dense', 20, [[4, 4], [4]])];
    expect(matchLayers(a, b)).toEqual({ pairs: [{ before: 1, after: 0, byName: true }], removed: [0], added: [] });
  });
});

describe('shape hints', () => {
  it('channels-first conv kernel', () => {
    expect(shapeHint([4, 4, 128, 256], [2048, 256, 4, 4])).toMatch(/kernel looks transposed \(channels-first export\?\)/);
    expect(shapeHint([3, 3, 1, 8], [8, 1, 3, 3])).toMatch(/channels-first/);
  });
  it('a transposed Dense kernel; an unrelated shape gets no hint', () => {
    expect(shapeHint([36, 10], [10, 36])).toMatch(/looks transposed/);
    expect(shapeHint([36, 10], [36, 12])).toBe('');
  });
});

function summary(): ModelSummary {
  return {
    file: 'm.h5',
    format: 'keras-h5',
    model: 'm',
    kerasVersion: '2.9.0',
    sha256: 'a'.repeat(64),
    architectureHash: `sha256:${'b'.repeat(64)}`,
    totals: { params: 25, trainable: 25, nonTrainable: 0, stored: 25, storedBytes: 100, diskBytes: 2000 },
    files: [{ path: 'm.h5', bytes: 2000, sha256: 'a'.repeat(64) }],
    errors: [],
    layers: [layer('dense', 'Dense', 20, [[4, 4], [4]]), layer('dense_1', 'Dense', 5, [[4, 1], [1]])],
  };
}

describe('baseline file', () => {
  it('one layer per line, stable key order, and it reads back to the same object', () => {
    const b = makeBaseline(summary(), '9.9.9');
    const text = serializeBaseline(b);
    const lines = text.split('\n');
    expect(lines.filter((l) => l.trimStart().startsWith('{"name":'))).toHaveLength(2);
    expect(lines.slice(1, 4)).toEqual(['  "schemaVersion": 2,', '  "kind": "kerascope-baseline",', '  "kerascopeVersion": "9.9.9",']);
    expect(parseBaseline(text, 'b.json')).toEqual(b);
    expect(serializeBaseline(parseBaseline(text, 'b.json'))).toBe(text);
  });
  it('another schema version is refused with what to do, never read', () => {
    const doc = JSON.parse(serializeBaseline(makeBaseline(summary(), '0.0.1')));
    const read = (v: unknown) => () => parseBaseline(JSON.stringify({ ...doc, schemaVersion: v }), 'b.json');
    expect(read(0)).toThrow(InputError);
    expect(read(0)).toThrow(
      /schema version 0 \(written by kerascope 0\.0\.1\) is older than the versions this kerascope reads \(1, 2\); re-record it/,
    );
    expect(read(BASELINE_SCHEMA_VERSION + 1)).toThrow(/schema version 3 .* is newer .*; upgrade kerascope/);
    expect(read('1')).toThrow(/no valid schemaVersion/);
    expect(() => parseBaseline('{"kind": "other"}', 'b.json')).toThrow(/not a kerascope baseline/);
    expect(() => parseBaseline('{', 'b.json')).toThrow(/not valid JSON/);
    expect(() => parseBaseline(JSON.stringify({ ...doc, totals: { ...doc.totals, params: '25' } }), 'b.json')).toThrow(/totals\.params/);
    expect(() => parseBaseline(JSON.stringify({ ...doc, layers: [{ name: 'x' }] }), 'b.json')).toThrow(/layers\[0\]/);
  });
});

describe('GitHub workflow commands', () => {
  it('escape as @actions/core does: data %, CR, LF; properties also : and ,', () => {
    expect(escapeData('50% done\r\nnext')).toBe('50%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
    expect(command('error', { file: 'models/a,b.h5', title: 'kerascope: x' }, 'line1\nline2')).toBe(
      '::error file=models/a%2Cb.h5,title=kerascope%3A x::line1%0Aline2',
    );
  });
});

describe('src/gate runs in a browser', () => {
  it('imports no Node module, and nothing outside src/gate but types, model/errors, model/text, model/strings and the one SHA-256 (io/sha256)', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    const dir = path.resolve(import.meta.dirname, '..', '..', '..', 'src', 'gate');
    for (const f of fs.readdirSync(dir)) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      expect(text, f).not.toMatch(/from ['"]node:/);
      const outside = [...text.matchAll(/^import (?!type )[^;]*from '(\.\.\/[^']+)'/gm)].map((m) => m[1]);
      expect(
        // (model/strings.js: the strict-JSON writer, pure string code)
        outside.filter((m) => !['../model/errors.js', '../model/text.js', '../model/strings.js', '../io/sha256.js'].includes(m ?? '')),
        f,
      ).toEqual([]);
    }
  });
  it('SHA-256 through crypto.subtle (FIPS 180-2 test vector "abc")', async () => {
    const { sha256Hex } = await import('../../../src/gate/index.js');
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
  it('the Node front end streams a file to the same digest (FIPS 180-2 vectors "abc" and the 448-bit message)', async () => {
    const { sha256File } = await import('../../../src/node/sha256.js');
    const { sha256Hex } = await import('../../../src/io/sha256.js');
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-sha-'));
    try {
      const msg = 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq';
      fs.writeFileSync(path.join(dir, 'a'), msg);
      expect(await sha256File(path.join(dir, 'a'))).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
      expect(await sha256Hex(msg)).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
      // 3 MB: several stream chunks, one digest.
      const big = new Uint8Array(3 * 1024 * 1024).map((_, i) => (i * 7) & 0xff);
      fs.writeFileSync(path.join(dir, 'b'), big);
      expect(await sha256File(path.join(dir, 'b'))).toBe(await sha256Hex(big));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('damaged baselines', () => {
  it('600 seeded mutations: each is read or refused with an InputError, and what is read checks and renders', async () => {
    const { runCheck } = await import('../../../src/gate/index.js');
    const { renderCheckMarkdown } = await import('../../../src/report/gate-markdown.js');
    const { renderCheckText } = await import('../../../src/report/gate-text.js');
    const { renderCheckGithub } = await import('../../../src/report/github.js');
    const text = serializeBaseline(makeBaseline(summary(), '0.1.0'));
    let seed = 99;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const junk = ['null', '"x"', '-1', '[]', '{}', '1e999', '[[1]]', 'true', '0.5', '[null]'];
    let read = 0;
    let refused = 0;
    for (let i = 0; i < 600; i++) {
      let t = text;
      const op = rand(3);
      if (op === 0) t = t.slice(0, rand(t.length));
      else if (op === 1) {
        // Replace one JSON value (after a colon) with junk.
        const colons = [...t.matchAll(/:\s*/g)].map((m) => m.index! + m[0].length);
        const at = colons[rand(colons.length)]!;
        const end = t.slice(at).search(/[,}\]\n]/);
        t = `${t.slice(0, at)}${junk[rand(junk.length)]}${t.slice(at + Math.max(end, 1))}`;
      } else {
        const at = rand(t.length);
        t = `${t.slice(0, at)}${'{}[],:"0a'[rand(9)]}${t.slice(at + 1)}`;
      }
      let b: ReturnType<typeof parseBaseline> | undefined;
      try {
        b = parseBaseline(t, 'b.json');
      } catch (e) {
        expect(e, t).toBeInstanceOf(InputError);
        refused++;
        continue;
      }
      read++;
      const r = runCheck(summary(), b, 'b.json', { growth: parseGrowth('2%') });
      expect(typeof (renderCheckMarkdown(r) + renderCheckText(r) + renderCheckGithub(r))).toBe('string');
    }
    expect(read).toBeGreaterThan(10);
    expect(refused).toBeGreaterThan(100);
  });
});

describe('text output colours', () => {
  it('ANSI colours only when asked (the CLI asks on a TTY), never otherwise', async () => {
    const { runCheck, makeBaseline: mk } = await import('../../../src/gate/index.js');
    const { renderCheckText } = await import('../../../src/report/gate-text.js');
    const before = summary();
    const after = {
      ...summary(),
      totals: { ...before.totals, params: 30 },
      layers: [before.layers[0]!, layer('dense_1', 'Dense', 10, [[4, 2], [2]])],
    };
    const r = runCheck(after, mk(before, '0.1.0'), 'b.json', { growth: parseGrowth('10%') });
    expect(r.verdict).toBe('fail');
    expect(renderCheckText(r, true)).toContain('\u001b[31mFAIL');
    expect(renderCheckText(r, false)).not.toContain('\u001b[');
  });
});

describe('weights compatibility on Reports', () => {
  type Row = import('../../../src/model/types.js').LayerRow;
  const row = (name: string, className: string | null, weights: [string, number[] | null, number[] | null][]): Row => ({
    name,
    className,
    path: [],
    outputShape: null,
    depth: 0,
    status: 'ok',
    params: { expected: null, stored: 0, trainable: null, nonTrainable: null },
    weights: weights.map(([n, e, s]) => ({ name: n, expectedShape: e, storedShape: s, dtype: 'float32', trainable: true })),
  });
  const report = (file: string, layers: Row[]) => ({ file, layers }) as unknown as import('../../../src/model/types.js').Report;
  it('a weight count that differs: Keras numbers the layer among those with weights, from 0', async () => {
    const { weightsCompat } = await import('../../../src/gate/index.js');
    const arch = report('arch.json', [
      row('input_1', 'InputLayer', []),
      row('dense', 'Dense', [
        ['kernel', [4, 4], null],
        ['bias', [4], null],
      ]),
      row('bn', 'BatchNormalization', [
        ['gamma', [4], null],
        ['beta', [4], null],
        ['moving_mean', [4], null],
        ['moving_variance', [4], null],
      ]),
    ]);
    const file = report('w.h5', [
      row('dense', null, [
        ['dense/kernel:0', null, [4, 4]],
        ['dense/bias:0', null, [4]],
      ]),
      row('bn', null, [
        ['bn/gamma:0', null, [4]],
        ['bn/beta:0', null, [4]],
      ]),
    ]);
    const w = weightsCompat(arch, file);
    expect(w.topological).toEqual({
      ok: false,
      layerIndex: 1,
      layer: 'bn',
      message:
        'layer #1 `bn`: expects 4 weights (gamma, beta, moving_mean, moving_variance), the file stores 2 for `bn` (bn/gamma:0 (4,), bn/beta:0 (4,))',
    });
    expect(w.byName).toMatchObject({ ok: false, layer: 'bn' });
  });
  it('by name: a layer the file lacks keeps its initial weights; a shape that differs fails', async () => {
    const { weightsCompat } = await import('../../../src/gate/index.js');
    const arch = report('arch.json', [
      row('a', 'Dense', [
        ['kernel', [3, 4], null],
        ['bias', [4], null],
      ]),
      row('b', 'Dense', [
        ['kernel', [4, 2], null],
        ['bias', [2], null],
      ]),
    ]);
    const onlyA = weightsCompat(
      arch,
      report('w.h5', [
        row('a', null, [
          ['k', null, [3, 4]],
          ['b', null, [4]],
        ]),
      ]),
    );
    expect(onlyA.topological!.message).toBe(
      'layer count differs: the architecture has 2 layers with weights, the file stores 1 (missing: `b`)',
    );
    expect(onlyA.byName).toEqual({
      ok: true,
      layerIndex: null,
      layer: null,
      keepInitial: ['b'],
      message: 'loads by name; 1 layer not in the file keeps its initial weights: `b`',
    });
    const transposed = weightsCompat(
      arch,
      report('w.h5', [
        row('a', null, [
          ['k', null, [4, 3]],
          ['b', null, [4]],
        ]),
        row('b', null, [
          ['k', null, [4, 2]],
          ['b', null, [2]],
        ]),
      ]),
    );
    expect(transposed.topological!.message).toBe(
      'layer #0 `a`, weight `kernel`: expects (3, 4), stored (4, 3) — the same dimensions in another order: the weight looks transposed',
    );
    expect(transposed.byName!.message).toBe(
      'layer `a`, weight `kernel`: expects (3, 4), stored (4, 3) — the same dimensions in another order: the weight looks transposed',
    );
  });
});
