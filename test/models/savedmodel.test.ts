// TensorFlow SavedModel directories (fixtures/savedmodel/, encoded by scripts/fixtures/savedmodel.mjs from the
// documented field numbers): counts by hand arithmetic, the checkpoint-key mapping, the op audit, hostile
// variants, and the promise that a saved_model.pb is read by ranges, never whole.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { loadSavedModel } from '../../src/formats/savedmodel/index.js';
import { crc32c, maskCrc } from '../../src/formats/savedmodel/table.js';
import { type ByteSource, MemorySource } from '../../src/io/byte-source.js';
import { TF_OPS } from '../../src/model/tf-ops.js';
import type { Report } from '../../src/model/types.js';
import { discover } from '../../src/node/discover.js';
import { inspect } from '../../src/node/inspect.js';
import { runCli } from '../helpers/cli.js';

const FX = 'fixtures/savedmodel';
const fx = (d: string) => path.join(FX, d);
const rows = (r: Report) => Object.fromEntries(r.layers.map((l) => [l.name, l.params.stored]));
// Findings at the default failing level (high or above).
const errors = (r: Report) => r.findings.filter((f) => f.severity === 'critical' || f.severity === 'high');
const varint = (n: number) => {
  const out: number[] = [];
  do {
    out.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    n = Math.floor(n / 128);
  } while (n > 0);
  return Buffer.from(out);
};
/** A length-delimited protobuf field. */
const field = (num: number, body: Buffer) => Buffer.concat([varint(num * 8 + 2), varint(body.length), body]);
/** A SavedModel folder in memory: the op-readfile fixture with `extra` appended to its saved_model.pb. */
function withExtraGraph(extra: Buffer): Map<string, Uint8Array> {
  const dir = fx('op-readfile');
  const files = new Map<string, Uint8Array>();
  for (const rel of ['keras_metadata.pb', 'variables/variables.index', 'variables/variables.data-00000-of-00001'])
    files.set(`m/${rel}`, fs.readFileSync(path.join(dir, rel)));
  files.set('m/saved_model.pb', Buffer.concat([fs.readFileSync(path.join(dir, 'saved_model.pb')), extra]));
  return files;
}

describe('SavedModel counts (hand arithmetic)', () => {
  it('Sequential: Dense(4) on 3 = 3·4+4 = 16, Dense(2) = 4·2+2 = 10; Adam 5 scalars + 2·26 slots = 57; loss metric 2', async () => {
    const r = await inspect(fx('sequential'));
    expect(r.format).toBe('savedmodel');
    expect(r.producer).toBe('TensorFlow 2.10.1');
    expect(r.kerasVersion).toBe('2.10.0');
    expect(rows(r)).toMatchObject({ d1: 16, d2: 10 });
    expect(r.totals).toMatchObject({ params: 26, stored: 26, trainable: 26, optimizerStored: 57, metricsStored: 2 });
    expect(errors(r)).toEqual([]);
    expect(r.layers.every((l) => l.status === 'ok')).toBe(true);
  });

  it('the folder and its saved_model.pb given directly give the same report', async () => {
    const dir = await inspect(fx('sequential'));
    const pb = await inspect(path.join(fx('sequential'), 'saved_model.pb'));
    expect(pb.totals).toEqual(dir.totals);
    expect(pb.layers).toEqual(dir.layers);
  });

  it('files picked one by one (no variables/ folder, as a browser may give them) read the same', async () => {
    const dir = fx('sequential');
    const files = new Map<string, Uint8Array>();
    for (const rel of ['saved_model.pb', 'keras_metadata.pb', 'variables/variables.index', 'variables/variables.data-00000-of-00001'])
      files.set(`picked/${path.basename(rel)}`, fs.readFileSync(path.join(dir, rel)));
    const saved = loadSavedModel(new MemorySource(files, 'picked/saved_model.pb'));
    expect(saved.problems).toEqual([]);
    expect(saved.tensors.reduce((n, t) => n + t.shape.reduce((a, b) => a * b, 1), 0)).toBe(26);
    expect(saved.files.map((f) => [f.path, f.present])).toEqual([
      ['picked/saved_model.pb', true],
      ['picked/keras_metadata.pb', true],
      ['picked/variables.index', true],
      ['picked/variables.data-00000-of-00001', true],
    ]);
  });

  it('TF < 2.5: the Keras JSON read from saved_model.pb (no keras_metadata.pb), same counts', async () => {
    const r = await inspect(fx('tf24'));
    expect(fs.existsSync(path.join(fx('tf24'), 'keras_metadata.pb'))).toBe(false);
    expect(r.meta.kerasMetadata).toMatch(/saved_model\.pb/);
    expect(r.producer).toBe('TensorFlow 2.4.0');
    expect(r.totals).toMatchObject({ params: 26, stored: 26, optimizerStored: 57, metricsStored: 2 });
  });

  it('Functional with a nested Sequential: proj 16, head (Dense(2) on 4) 10 under layer_with_weights-1/layer_with_weights-0; 2 metrics = 4', async () => {
    const r = await inspect(fx('functional'));
    expect(rows(r)).toMatchObject({ in: 0, proj: 16, head: 10 });
    // Adam: 5 scalars + m, v for proj's 16 values.
    expect(r.totals).toMatchObject({ params: 26, stored: 26, optimizerStored: 5 + 2 * 16, metricsStored: 4 });
    expect(errors(r)).toEqual([]);
  });

  it('RNN: LSTM(2) on [5,3] = 4·(3·2 + 2·2 + 2) = 48 stored as variables/0..2 at the root; Dense(1) on 2 = 3', async () => {
    const r = await inspect(fx('rnn'));
    expect(rows(r)).toMatchObject({ lstm: 48, out: 3 });
    expect(r.totals).toMatchObject({ params: 51, stored: 51, optimizerStored: 0, metricsStored: 0 });
    expect(r.findings).toEqual([]);
  });

  it('a plain tf.Module: variables listed by object-graph path (w 3·2 = 6, sub/b 2 → 8), no formula', async () => {
    const r = await inspect(fx('module'));
    expect(rows(r)).toEqual({ w: 6, 'sub/b': 2 });
    expect(r.totals.stored).toBe(8);
    expect(r.findings.map((f) => f.code)).toEqual(['savedmodel-no-keras']);
  });

  it('a subclassed model without a config: variables listed under the layers that own them (dense 3·4+4 = 16, dense_1 4·2+2 = 10)', async () => {
    const r = await inspect(fx('subclassed'));
    expect(rows(r)).toEqual({ dense: 16, dense_1: 10 });
    expect(r.totals.stored).toBe(26);
    expect(r.findings.map((f) => [f.code, f.severity])).toEqual([['subclassed-model', 'low']]);
  });

  it('a TF1 SavedModel (name-based checkpoint): variables by name (3·2 + 2 = 8), Adam slots 2·8 + 3 counters = 19, the save/ scope not flagged', async () => {
    const r = await inspect(fx('tf1'));
    expect(rows(r)).toEqual({ 'dense/kernel': 6, 'dense/bias': 2 });
    expect(r.totals).toMatchObject({ stored: 8, optimizerStored: 19 });
    expect(r.producer).toBe('TensorFlow 1.15.0');
    expect(errors(r)).toEqual([]);
  });

  it("a layer with an edge back to the model does not take the other layers' variables (d1 16, d2 10)", async () => {
    const r = await inspect(fx('back-edge'));
    expect(rows(r)).toMatchObject({ d1: 16, d2: 10 });
    expect(errors(r)).toEqual([]);
  });

  it('a key the object graph lacks is counted under the model and warned about', async () => {
    const r = await inspect(fx('unmapped'));
    expect(r.totals.stored).toBe(26 + 3);
    expect(r.findings.find((f) => f.code === 'savedmodel-unmapped-entry')?.message).toContain('ghost/w');
  });

  it('a Lambda with bytecode in the Keras metadata is the usual lambda-bytecode error', async () => {
    const r = await inspect(fx('lambda'));
    expect(errors(r).map((f) => f.code)).toEqual(['lambda-bytecode']);
  });
});

describe('SavedModel op audit', () => {
  const cases: [string, string, string, string | null, string][] = [
    ['op-readfile', 'savedmodel-file-op', 'ReadFile', null, '/etc/passwd'],
    ['op-writefile-fn', 'savedmodel-file-op', 'WriteFile', '__inference_call_77', '/tmp/kerascope-written'],
    ['op-printv2-file', 'savedmodel-file-op', 'PrintV2', null, 'file:///tmp/kerascope.log'],
    ['op-debug', 'savedmodel-file-op', 'DebugIdentityV2', '__inference_dbg_5', 'file:///tmp/tfdbg'],
    ['op-immutableconst', 'savedmodel-file-op', 'ImmutableConst', null, '/etc/shadow'],
    ['op-matchingfiles', 'savedmodel-file-op', 'MatchingFiles', '__inference_ls_3', '/home/*/.ssh/*'],
    ['op-dataset', 'savedmodel-file-op', 'TFRecordDatasetV2', '__inference_ds_4', '/data/secret.tfrecord'],
    ['op-save-outside', 'savedmodel-file-op', 'SaveV2', '__inference_call_9', '/tmp/exfil'],
    ['op-save-literal-in-saver', 'savedmodel-file-op', 'SaveV2', '__inference__traced_save_555', '/tmp/owned'],
    ['op-distributedsave', 'savedmodel-file-op', 'DistributedSave', '__inference_dsave_2', '/tmp/ds'],
    ['op-dataservice', 'savedmodel-network-op', 'DataServiceDatasetV4', '__inference_svc_6', 'evil.example:5050'],
    ['op-rpc', 'savedmodel-network-op', 'RpcClient', null, 'evil.example:9000'],
    ['op-pyfunc', 'savedmodel-python-op', 'EagerPyFunc', '__inference_py_8', 'pyfunc_0'],
  ];
  for (const [dir, code, op, fn, target] of cases) {
    it(`${dir}: one ${code} error naming ${op}, ${fn ?? 'the top-level graph'} and ${target}`, async () => {
      const r = await inspect(fx(dir));
      const found = errors(r);
      expect(found.map((f) => f.code)).toEqual([code]);
      const m = found[0]!.message;
      expect(m).toContain(`op ${op}`);
      expect(m).toContain(fn ? `function ${JSON.stringify(fn)}` : 'top-level graph');
      expect(m).toContain(JSON.stringify(target));
      // The checkpoint's own SaveV2/RestoreV2/MergeV2Checkpoints (saver functions) are never flagged.
      if (dir !== 'op-save-literal-in-saver') expect(found.some((f) => /__traced_(save|restore)/.test(f.message))).toBe(false);
    });
  }

  it('a vocabulary file lookup is a warning, not an error', async () => {
    const r = await inspect(fx('op-vocabulary'));
    expect(errors(r)).toEqual([]);
    expect(r.findings.filter((f) => f.code === 'savedmodel-vocabulary-file')).toHaveLength(1);
  });

  it('benign look-alikes (PrintV2 to stderr, DebugIdentity without URLs, saver functions) are not flagged', async () => {
    const r = await inspect(fx('op-benign'));
    expect(r.findings.filter((f) => f.code.startsWith('savedmodel-'))).toEqual([]);
  });

  it('the CLI exits 1 on a dangerous op and 0 on the clean model', () => {
    expect(runCli(['inspect', fx('op-readfile')]).code).toBe(1);
    expect(runCli(['inspect', fx('sequential')]).code).toBe(0);
  });
});

describe('hostile SavedModels', () => {
  for (const [dir, message] of [
    ['bad-truncated-index', /variables\.index: no table magic number/],
    ['bad-crc', /fails its CRC32C check/],
    ['bad-pb-truncated', /saved_model\.pb: field 2 at byte 3 declares \d+ bytes, past the end/],
    ['bad-shape-bomb', /over the declaredBytes budget/],
  ] as const) {
    it(`${dir}: one line on stderr, exit 2`, () => {
      const r = runCli(['inspect', fx(dir)]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    });
  }

  it('an entry whose byte size is not its shape·dtype (3·4·4 = 48, the index says 16) is an error naming it', async () => {
    const r = await inspect(fx('bad-entry-size'));
    expect(errors(r).map((f) => f.code)).toEqual(['savedmodel-entry-size-mismatch']);
    expect(errors(r)[0]!.message).toContain('needs 48 bytes, the index says 16');
  });

  it('a variables/ folder that is a symbolic link out of the SavedModel is not followed', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-sm-link-'));
    try {
      fs.mkdirSync(path.join(tmp, 'm'));
      for (const f of ['saved_model.pb', 'keras_metadata.pb']) fs.copyFileSync(path.join(fx('sequential'), f), path.join(tmp, 'm', f));
      fs.cpSync(path.join(fx('sequential'), 'variables'), path.join(tmp, 'elsewhere'), { recursive: true });
      fs.symlinkSync(path.join(tmp, 'elsewhere'), path.join(tmp, 'm', 'variables'));
      const r = await inspect(path.join(tmp, 'm'));
      expect(r.findings.filter((f) => f.code === 'shard-path-outside').map((f) => f.message)).toEqual([
        'variables/variables.index resolves (through a symbolic link) outside the SavedModel folder; kerascope did not open it',
      ]);
      expect(r.totals.stored).toBe(0);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('a SavedModel in text format (saved_model.pbtxt) is refused in one line', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-sm-txt-'));
    try {
      fs.writeFileSync(path.join(tmp, 'saved_model.pbtxt'), 'saved_model_schema_version: 1\n');
      const r = runCli(['inspect', tmp]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toBe(
        `kerascope: ${tmp}: is a TensorFlow SavedModel in text format (saved_model.pbtxt); kerascope reads the binary saved_model.pb`,
      );
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('a missing data shard is a shard-missing error naming it', async () => {
    const r = await inspect(fx('bad-shard-missing'));
    expect(errors(r).map((f) => f.code)).toEqual(['shard-missing']);
    expect(errors(r)[0]!.message).toContain('variables/variables.data-00000-of-00001');
    expect(r.files.find((f) => f.path.endsWith('variables.data-00000-of-00001'))?.present).toBe(false);
    expect(r.totals.stored).toBe(26);
  });

  it('entries past the end of their shard: one error with the count (all 14 data-bearing entries after byte 100)', async () => {
    const r = await inspect(fx('bad-shard-short'));
    const e = errors(r);
    expect(e.map((f) => f.code)).toEqual(['savedmodel-entry-outside-shard']);
    expect(e[0]!.message).toMatch(/is 100 bytes but \d+ checkpoint entries/);
  });
});

it('docs/savedmodel.md lists every op of the catalogue with its reason', () => {
  const doc = fs.readFileSync('docs/savedmodel.md', 'utf8');
  for (const [op, e] of Object.entries(TF_OPS)) expect(doc, op).toContain(`| \`${op}\` | ${e.kind} | ${e.reason}`);
});

describe('readers', () => {
  it('names from the file reach finding messages quoted, control characters escaped', () => {
    const node = Buffer.concat([field(1, Buffer.from('r\u0007\u001b[2J')), field(2, Buffer.from('ReadFile'))]);
    const fn = Buffer.concat([field(1, field(1, Buffer.from('fn\u001b]0;title\u0007'))), field(3, node)]);
    const saved = loadSavedModel(new MemorySource(withExtraGraph(field(2, field(2, field(2, field(1, fn))))), 'm/saved_model.pb'));
    const m = saved.problems.filter((p) => p.code === 'savedmodel-file-op').map((p) => p.message);
    expect(m).toContain('op ReadFile (node "r\\u0007\\u001b[2J") in function "fn\\u001b]0;title\\u0007": reads a whole file');
    for (const x of m) expect([...x].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)).toBe(false);
  });

  it('301 ReadFile nodes (300 in one function, 1 in the graph): 200 listed, then one line counting the other 101', () => {
    const node = (i: number) => Buffer.concat([field(1, Buffer.from(`r${i}`)), field(2, Buffer.from('ReadFile'))]);
    const fn = Buffer.concat([
      field(1, field(1, Buffer.from('__inference_many_1'))),
      ...Array.from({ length: 300 }, (_, i) => field(3, node(i))),
    ]);
    const saved = loadSavedModel(new MemorySource(withExtraGraph(field(2, field(2, field(2, field(1, fn))))), 'm/saved_model.pb'));
    const ops = saved.problems.filter((p) => p.code === 'savedmodel-file-op');
    expect(ops).toHaveLength(200 + 1);
    expect(ops.at(-1)!.message).toBe('101 more nodes of such ops are in the graph or its functions (not listed one by one)');
  });

  it('CRC-32C matches the published check value, and LevelDB masking', () => {
    // The CRC-32C of "123456789" is 0xE3069283 (RFC 3720, appendix B.4 check value).
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    // mask(c) = rotr(c, 15) + 0xa282ead8 (mod 2^32): for 0 the constant itself.
    expect(maskCrc(0)).toBe(0xa282ead8);
  });

  it('a saved_model.pb with 40 MB of Const tensor content is audited reading under 5% of it', () => {
    // Protobuf messages concatenate: a second meta graph whose graph holds one big Const node.
    const content = Buffer.alloc(40 * 1024 * 1024, 7);
    const tensor = Buffer.concat([Buffer.from([0x08, 0x01]), field(4, content)]); // dtype float, tensor_content
    const nodeDef = Buffer.concat([
      field(1, Buffer.from('big')),
      field(2, Buffer.from('Const')),
      field(5, Buffer.concat([field(1, Buffer.from('value')), field(2, field(8, tensor))])),
    ]);
    const files = withExtraGraph(field(2, field(2, field(1, nodeDef))));
    const pb = files.get('m/saved_model.pb')!;
    let read = 0;
    const counting = (s: ByteSource): ByteSource => ({
      name: s.name,
      size: s.size,
      read: (o, n) => {
        const b = s.read(o, n);
        if (s.name.endsWith('saved_model.pb')) read += b.length;
        return b;
      },
      sibling: (rel) => {
        const x = s.sibling(rel);
        return x ? counting(x) : null;
      },
      close: () => s.close(),
    });
    const saved = loadSavedModel(counting(new MemorySource(files, 'm/saved_model.pb')));
    expect(saved.problems.filter((p) => p.code === 'savedmodel-file-op')).toHaveLength(1);
    expect(pb.length).toBeGreaterThan(40 * 1024 * 1024);
    expect(read / pb.length).toBeLessThan(0.05);
  });
});

describe('SavedModel folders in scan', () => {
  it('a SavedModel folder is one model (its variables/ not searched); scan reports each and exits 1 on the dangerous one', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-sm-scan-'));
    try {
      fs.cpSync(fx('sequential'), path.join(tmp, 'clean'), { recursive: true });
      fs.cpSync(fx('op-readfile'), path.join(tmp, 'nested', 'evil'), { recursive: true });
      const found = [...discover(tmp)].map((f) => path.relative(tmp, f.file)).sort();
      expect(found).toEqual(['clean', path.join('nested', 'evil')]);
      const r = runCli(['scan', tmp, '--format', 'jsonl']);
      expect(r.code).toBe(1);
      const lines = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Report & { summary?: unknown })
        .filter((l) => !l.summary); // the last record is the scan's summary
      expect(lines.map((l) => l.totals.stored)).toEqual([26, 26]);
      expect(lines.flatMap((l) => l.findings.filter((f) => f.severity === 'critical').map((f) => f.code))).toEqual(['savedmodel-file-op']);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('SavedModel through the other commands', () => {
  it('inspect, explain and diff JSON of SavedModels are valid against the committed schemas', () => {
    const check = (schema: string, args: string[]) => {
      const validate = new Ajv2020({ allErrors: true, strict: false }).compile(
        JSON.parse(fs.readFileSync(path.join('schema', schema), 'utf8')),
      );
      const r = runCli(args);
      expect([0, 1]).toContain(r.code);
      const ok = validate(JSON.parse(r.stdout));
      expect(validate.errors ?? [], `${schema} ${args.join(' ')}`).toEqual([]);
      expect(ok).toBe(true);
    };
    for (const d of ['sequential', 'module', 'op-readfile', 'bad-shard-missing'])
      check('report.schema.json', ['inspect', fx(d), '--format', 'json']);
    check('explain.schema.json', ['explain', fx('rnn'), '--format', 'json']);
    check('diff.schema.json', ['diff', 'fixtures/keras-h5/mlp.h5', fx('mlp'), '--format', 'json']);
  });

  it('diff: a SavedModel and the same model saved as .h5 are unchanged, and their weights load into each other', () => {
    const r = runCli(['diff', 'fixtures/keras-h5/mlp.h5', fx('mlp'), '--format', 'json']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.sameArchitecture).toBe(true);
    expect(d.layers).toEqual([]);
    // Dense(4) on 3 = 16, Dense(4) = 20, Dense(1) = 5 → 41 on both sides.
    expect(d.totals.params).toMatchObject({ before: 41, after: 41, delta: 0 });
    expect(d.weightsCompat.topological.ok).toBe(true);
    expect(d.weightsCompat.byName.ok).toBe(true);
  });

  it('baseline then check on a SavedModel passes; explain and card name the format', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-sm-gate-'));
    try {
      const base = path.join(tmp, 'b.json');
      expect(runCli(['baseline', fx('sequential'), '-o', base]).code).toBe(0);
      expect(runCli(['check', fx('sequential'), '--baseline', base]).code).toBe(0);
      const ex = runCli(['explain', fx('rnn')]);
      expect(ex.code).toBe(0);
      expect(ex.stdout).toContain('(savedmodel');
      const card = runCli(['card', fx('sequential')]);
      expect(card.code).toBe(0);
      expect(card.stdout).toContain('TensorFlow SavedModel directory (`savedmodel`)');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
