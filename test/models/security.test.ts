// Security findings on the fixtures made by scripts/fixtures/security.mjs: exact codes, layer paths,
// severities, and the exit codes a user sees. Expected values come from the fixtures' inputs (the blob's
// text, the names written into configs), not from kerascope's output.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspect } from '../../src/node/inspect.js';
import type { Finding } from '../../src/model/types.js';
import { toSarif } from '../../src/report/sarif.js';
import { CATALOGUE } from '../../src/model/findings.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { realModelFiles } from '../helpers/real-models.js';

const SEC = path.join(ROOT, 'fixtures', 'security');
const fx = (name: string) => path.join(SEC, name);
const QKERAS = realModelFiles('the QKeras custom-module test', 'fml_qkeras_v3_3layer/qkeras-v3_3layer.keras')?.[0];
const HEALTHY_HDF5 = realModelFiles(
  'the healthy-HDF5 test',
  'fdeep_lstm_bidirectional/lstm.h5',
  'fc_tiny_xception_kdef/tiny_XCEPTION_KDEF.hdf5',
  'panyin_stock_lstm_keras3/model.keras',
);

/** The fixture's stand-in for bytecode: base64 of this sentence (see scripts/fixtures/security.mjs). */
const BLOB_TEXT = 'kerascope test blob: plain text, not Python bytecode';

async function findings(file: string): Promise<Finding[]> {
  return (await inspect(file)).findings;
}
const pick = (fs_: Finding[], code: string) => fs_.filter((f) => f.code === code);
const brief = (fs_: Finding[]) => fs_.map((f) => [f.severity, f.code, f.layer, f.weight]);

describe('Lambda bytecode', () => {
  const bytes = Buffer.byteLength(BLOB_TEXT);
  const sha = createHash('sha256').update(BLOB_TEXT).digest('hex');

  it('tf.keras h5: function_type lambda is an error with the blob size and SHA-256, never its text', async () => {
    const fs_ = await findings(fx('lambda-tfkeras.h5'));
    const lam = pick(fs_, 'lambda-bytecode');
    expect(brief(lam)).toEqual([['critical', 'lambda-bytecode', 'lambda', null]]);
    expect(lam[0]!.message).toContain(`${bytes} bytes`);
    expect(lam[0]!.message).toContain(sha);
    expect(lam[0]!.message).not.toContain('plain text');
  });

  it('Keras 3 __lambda__ inside a nested model is reported at its config path', async () => {
    const lam = pick(await findings(fx('lambda-keras3.keras')), 'lambda-bytecode');
    expect(brief(lam)).toEqual([['critical', 'lambda-bytecode', 'inner/lambda', null]]);
    expect(lam[0]!.message).toContain(sha);
  });

  it('custom loss and metric in training_config are warnings', async () => {
    const custom = pick(await findings(fx('lambda-tfkeras.h5')), 'custom-training-object');
    expect(custom.map((f) => f.severity)).toEqual(['medium', 'medium']);
    expect(custom[0]!.message).toContain('my_custom_loss');
    expect(custom[1]!.message).toContain('mylib.metrics');
  });
});

describe('modules named in the config', () => {
  it('os / builtins / keras.utils.get_file are errors at their layer paths; a Keras-named Lambda is a warning', async () => {
    const fs_ = await findings(fx('dangerous-modules.keras'));
    expect(brief(pick(fs_, 'dangerous-module'))).toEqual([
      ['critical', 'dangerous-module', 'bidirectional/forward_layer', null],
      ['critical', 'dangerous-module', 'dense', null],
      ['critical', 'dangerous-module', 'dense', null],
    ]);
    const msgs = pick(fs_, 'dangerous-module').map((f) => f.message);
    expect(msgs[0]).toContain('builtins.exec');
    expect(msgs[1]).toContain('os.system');
    expect(msgs[2]).toContain('keras.utils.get_file');
    expect(brief(pick(fs_, 'lambda'))).toEqual([['medium', 'lambda', 'relu_lambda', null]]);
  });

  it('TFSMLayer and TorchModuleWrapper are errors', async () => {
    const fs_ = await findings(fx('tfsm-torch.keras'));
    expect(brief(pick(fs_, 'tfsm-layer'))).toEqual([['high', 'tfsm-layer', 'tfsm', null]]);
    expect(pick(fs_, 'tfsm-layer')[0]!.message).toContain('/tmp/some_saved_model');
    expect(brief(pick(fs_, 'torch-module-wrapper'))).toEqual([['critical', 'torch-module-wrapper', 'torch', null]]);
    // The wrapper's `module` field is pickled bytes, not a Python module name.
    expect(pick(fs_, 'custom-module')).toEqual([]);
  });

  it('lookup vocabularies given as a path and as a URL are errors', async () => {
    const v = pick(await findings(fx('vocabulary.json')), 'vocabulary-path');
    expect(brief(v)).toEqual([
      ['high', 'vocabulary-path', 'string_lookup', null],
      ['high', 'vocabulary-path', 'integer_lookup', null],
    ]);
    expect(v[0]!.message).toContain('"/etc/passwd"');
    expect(v[1]!.message).toContain('"https://example.com/vocab.txt"');
  });

  it.skipIf(!QKERAS)('a healthy QKeras model: custom-module warnings for each of its 7 custom layers, no error, exit 0', async () => {
    const qkeras = QKERAS!;
    const fs_ = await findings(qkeras);
    expect(fs_.filter((f) => ['critical', 'high'].includes(f.severity))).toEqual([]);
    const custom = pick(fs_, 'custom-module');
    // The file's config: fc1, relu1, fc2, relu2, fc3, relu3, output are qkeras classes (softmax is keras Activation).
    expect(custom.map((f) => f.layer)).toEqual(['fc1', 'relu1', 'fc2', 'relu2', 'fc3', 'relu3', 'output']);
    expect(custom.every((f) => f.severity === 'medium' && f.message.includes('qkeras.qlayers'))).toBe(true);
    expect(runCli(['audit', qkeras]).code).toBe(0);
    expect(runCli(['inspect', qkeras]).code).toBe(0);
  });
});

describe('.keras archive members', () => {
  it('traversal and absolute names are critical, duplicates and strays high', async () => {
    const fs_ = await findings(fx('zip-traversal.keras'));
    expect(brief(fs_.filter((f) => f.code.startsWith('zip-')))).toEqual([
      ['critical', 'zip-path-traversal', null, null],
      ['critical', 'zip-path-traversal', null, null],
      ['high', 'zip-duplicate-member', null, null],
      ['high', 'zip-unexpected-member', null, null],
    ]);
    const msgs = fs_.map((f) => f.message).join('\n');
    for (const name of ['"config.json" 2 times', '"../evil.txt"', '"/tmp/absolute.txt"', '"payload.py"']) expect(msgs).toContain(name);
  });

  it('a member declaring ~4 GB in a 1 KB archive is a zip bomb (and is never inflated)', async () => {
    const bomb = pick(await findings(fx('zip-bomb.keras')), 'zip-bomb');
    expect(bomb.map((f) => f.severity)).toEqual(['high']);
    // Declared by the fixture: 0xfff00000 bytes for assets/bomb.bin.
    expect(bomb[0]!.message).toContain(`${(0xfff00000).toLocaleString('en-US')} bytes`);
  });
});

describe('HDF5 structure', () => {
  it('soft and external links are reported, not followed', async () => {
    const fs_ = await findings(fx('h5-links.h5'));
    expect(brief(fs_.filter((f) => f.code.startsWith('hdf5-')))).toEqual([
      ['high', 'hdf5-soft-link', 'dense', 'dense/alias'],
      ['high', 'hdf5-external-link', 'dense', 'dense/elsewhere'],
    ]);
    expect(fs_.map((f) => f.message).join('\n')).toContain('other_file.h5:/secret');
  });

  it('a dataset with External Data Files storage is an error naming the external file', async () => {
    const ext = pick(await findings(fx('h5-external-storage.h5')), 'hdf5-external-storage');
    expect(brief(ext)).toEqual([['critical', 'hdf5-external-storage', 'dense', 'dense/external']]);
    expect(ext[0]!.message).toContain('"external_weights.bin"');
  });

  it('external storage is found in a .keras weights member read in place (stored) and extracted (deflated)', async () => {
    const { zipBytes } = (await import('../../scripts/fixtures/security.mjs')) as {
      zipBytes: (m: { name: string; data: Buffer | string; method?: number }[]) => Buffer;
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-test-'));
    try {
      const cfg = JSON.stringify({ module: 'keras', class_name: 'Sequential', config: { name: 's', layers: [] } });
      for (const method of [0, 8]) {
        const file = path.join(dir, `ext-${method}.keras`);
        fs.writeFileSync(
          file,
          zipBytes([
            { name: 'config.json', data: cfg },
            { name: 'model.weights.h5', data: fs.readFileSync(fx('h5-external-storage.h5')), method },
          ]),
        );
        const ext = pick(await findings(file), 'hdf5-external-storage');
        expect(brief(ext), `method ${method}`).toEqual([['critical', 'hdf5-external-storage', 'dense', 'dense/external']]);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a dataset declaring 10^12 float32 values in a ~10 KB file is a shape bomb', async () => {
    const bomb = pick(await findings(fx('h5-shape-bomb.h5')), 'hdf5-shape-bomb');
    expect(brief(bomb)).toEqual([['high', 'hdf5-shape-bomb', 'dense', 'dense/huge']]);
    // 1,000,000 × 1,000,000 elements × 4 bytes.
    expect(bomb[0]!.message).toContain(`${(1_000_000 * 1_000_000 * 4).toLocaleString('en-US')} bytes`);
  });

  it.skipIf(!HEALTHY_HDF5)('healthy HDF5 models get no HDF5 findings (every dataset header parsed)', async () => {
    for (const f of HEALTHY_HDF5!) {
      const fs_ = await findings(f);
      expect(
        fs_.filter((x) => x.code.startsWith('hdf5-')),
        f,
      ).toEqual([]);
    }
  });
});

describe('TF.js', () => {
  it('a shard path leaving the folder is an error and not opened', async () => {
    const fs_ = await findings(fx('tfjs-shard-outside/model.json'));
    expect(brief(pick(fs_, 'shard-path-outside'))).toEqual([['high', 'shard-path-outside', null, null]]);
  });
});

describe('kerascope audit (CLI)', () => {
  const errorFixtures = [
    'lambda-tfkeras.h5',
    'lambda-keras3.keras',
    'dangerous-modules.keras',
    'tfsm-torch.keras',
    'vocabulary.json',
    'zip-traversal.keras',
    'zip-bomb.keras',
    'h5-links.h5',
    'h5-external-storage.h5',
    'h5-shape-bomb.h5',
    'tfjs-shard-outside/model.json',
  ];
  it.each(errorFixtures)('%s exits 1', (name) => {
    const r = runCli(['audit', fx(name)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
  });

  it('prints only security and integrity findings (no optimizer-state note) and exits 0 on a clean model', () => {
    const r = runCli(['audit', path.join(ROOT, 'fixtures', 'keras-h5', 'mlp.h5'), '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { findings: Finding[] };
    expect(doc.findings).toEqual([]);
    const full = runCli(['inspect', path.join(ROOT, 'fixtures', 'keras-h5', 'mlp.h5'), '--format', 'json']);
    expect((JSON.parse(full.stdout) as { findings: Finding[] }).findings.map((f) => f.code)).toContain('optimizer-state');
  });

  it('--format sarif: SARIF 2.1.0 with catalogue rules, levels and the layer path as logical location', () => {
    const r = runCli(['audit', fx('lambda-keras3.keras'), '--format', 'sarif']);
    expect(r.code).toBe(1);
    const s = JSON.parse(r.stdout);
    expect(s.version).toBe('2.1.0');
    const run = s.runs[0];
    expect(run.tool.driver.name).toBe('kerascope');
    expect(run.tool.driver.rules.map((x: { id: string }) => x.id)).toEqual(Object.keys(CATALOGUE));
    const res = run.results.find((x: { ruleId: string }) => x.ruleId === 'lambda-bytecode');
    expect(res.level).toBe('error');
    expect(run.tool.driver.rules[res.ruleIndex].id).toBe('lambda-bytecode');
    expect(res.locations[0].physicalLocation.artifactLocation.uri).toBe(encodeURI(fx('lambda-keras3.keras').replace(/^\//, 'file:///')));
    expect(res.locations[0].logicalLocations[0].fullyQualifiedName).toBe('inner/lambda');
    const warn = run.results.find((x: { ruleId: string }) => x.ruleId === 'no-weights');
    expect(warn.level).toBe('warning');
  });

  it('SARIF maps info findings to note', () => {
    const s = toSarif({
      file: 'm.h5',
      findings: [{ severity: 'info', code: 'optimizer-state', layer: null, weight: null, message: 'x' }],
    }) as {
      runs: { results: { level: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    expect(s.runs[0]!.results[0]!.level).toBe('note');
    expect(s.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('m.h5');
  });
});

describe('hardened reading', () => {
  it('over-budget nesting is a one-line exit-2 error; --debug adds the stack', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-test-'));
    try {
      let deep: unknown = { class_name: 'Dense', config: { name: 'd', units: 1 } };
      for (let i = 0; i < 300; i++) deep = { class_name: 'Sequential', config: { name: `m${i}`, layers: [deep] } };
      const file = path.join(dir, 'deep.json');
      fs.writeFileSync(file, JSON.stringify(deep));
      const r = runCli(['inspect', file]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('nests deeper than 256 levels');
      const d = runCli(['inspect', file, '--debug']);
      expect(d.code).toBe(2);
      expect(d.stderr).toContain('at ');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a compressed weights member leaves no temp files behind, including when it is damaged', async () => {
    const { zipBytes } = (await import('../../scripts/fixtures/security.mjs')) as {
      zipBytes: (m: { name: string; data: Buffer | string; method?: number }[]) => Buffer;
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-test-'));
    const tmpBefore = new Set(fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('kerascope-') && !n.startsWith('kerascope-test-')));
    try {
      const cfg = JSON.stringify({ module: 'keras', class_name: 'Sequential', config: { name: 's', layers: [] } });
      const good = zipBytes([
        { name: 'config.json', data: cfg },
        { name: 'model.weights.h5', data: fs.readFileSync(fx('h5-links.h5')), method: 8 },
      ]);
      const bad = zipBytes([
        { name: 'config.json', data: cfg },
        { name: 'model.weights.h5', data: Buffer.from('not hdf5 at all, just text'), method: 8 },
      ]);
      fs.writeFileSync(path.join(dir, 'good.keras'), good);
      fs.writeFileSync(path.join(dir, 'bad.keras'), bad);
      const good_ = await inspect(path.join(dir, 'good.keras'));
      // The extracted copy is scanned before its name is removed: its links are found, its headers parsed.
      expect(
        good_.findings
          .map((f) => f.code)
          .filter((c) => c.startsWith('hdf5-'))
          .sort(),
      ).toEqual(['hdf5-external-link', 'hdf5-soft-link']);
      await expect(inspect(path.join(dir, 'bad.keras'))).rejects.toMatchObject({ name: 'InputError' });
      const after = fs
        .readdirSync(os.tmpdir())
        .filter((n) => n.startsWith('kerascope-') && !n.startsWith('kerascope-test-') && !tmpBefore.has(n));
      expect(after).toEqual([]);
      expect(fs.readdirSync(dir).sort()).toEqual(['bad.keras', 'good.keras']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
