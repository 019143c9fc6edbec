// Every code in the finding catalogue is produced by at least one input here, and the finding reference
// (docs/findings.md) is the catalogue's: its table generated from it, one section per code. Inputs are the
// project's fixtures, or small models built in memory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import h5wasm from 'h5wasm/node';
import { afterAll, describe, expect, it } from 'vitest';
import { H5wasmReader, scanHdf5 } from '../../src/hdf5/index.js';
import { analyze } from '../../src/inspect.js';
import { MemorySource } from '../../src/io/byte-source.js';
import { CATALOGUE, type FindingCode } from '../../src/model/findings.js';
import type { Finding } from '../../src/model/types.js';
import { inspect } from '../../src/node/inspect.js';
import { findingsTable } from '../../scripts/findings-table.mjs';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-catalogue-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const json = (x: unknown) => new TextEncoder().encode(JSON.stringify(x));
const fromMemory = async (files: Record<string, Uint8Array>, main: string) =>
  (await analyze(new MemorySource(new Map(Object.entries(files)), main))).report.findings;

/** A Keras 2 Sequential architecture with the given layers (first one on 3 inputs). */
const sequential = (layers: object[]) => ({
  class_name: 'Sequential',
  keras_version: '2.9.0',
  backend: 'tensorflow',
  config: { name: 's', layers },
});
const dense = (name: string, units: number, extra: object = {}) => ({
  class_name: 'Dense',
  config: { name, units, use_bias: true, ...extra },
});

/** A weights-only legacy HDF5 whose layer_names lists a group that is missing and a weight that is missing. */
async function danglingNames(): Promise<string> {
  await h5wasm.ready;
  const file = path.join(tmp, 'dangling.h5');
  const f = new h5wasm.File(file, 'w');
  f.create_attribute('layer_names', ['dense', 'ghost'], null, 'S5');
  const g = f.create_group('dense');
  g.create_attribute('weight_names', ['dense/kernel:0', 'dense/bias:0'], null, 'S14');
  g.create_group('dense').create_dataset({ name: 'kernel:0', data: new Float32Array(12), shape: [3, 4] });
  f.close();
  return file;
}

/** The HDF5 whole-file scan of a real file, with one answer of the file replaced. */
async function scanWith(file: string, patch: (f: H5wasmReader) => void): Promise<Finding[]> {
  const f = await H5wasmReader.open(MemorySource.of(file, new Uint8Array(fs.readFileSync(file))));
  try {
    patch(f);
    return scanHdf5(f);
  } finally {
    f.close();
  }
}

const F = (p: string) => path.join('fixtures', p);
const fixture = (p: string) => async () => (await inspect(F(p))).findings;

const PRODUCERS: Record<FindingCode, () => Promise<Finding[]>> = {
  'shape-mismatch': fixture('bad/h5-shape-mismatch.h5'),
  'missing-weight': fixture('bad/h5-missing-weight.h5'),
  'unexpected-weight': fixture('bad/h5-extra-weight.h5'),
  'layer-weights-missing': fixture('bad/h5-layer-missing.h5'),
  'orphan-weights': fixture('bad/h5-orphan-group.h5'),
  'config-unreadable': () =>
    fromMemory({ 'model.json': json({ modelTopology: { class_name: 'Sequential', config: 5 }, weightsManifest: [] }) }, 'model.json'),
  'unknown-layer': fixture('security/tfsm-torch.keras'),
  'shape-unknown': fixture('security/lambda-tfkeras.h5'),
  'no-architecture': fixture('keras-h5/mlp_weights.h5'),
  // A nested model holding a custom layer: the custom layer has `unknown-layer`, the nested model this.
  'unverified-layer': () =>
    fromMemory(
      {
        'a.json': json(
          sequential([
            dense('d', 4, { batch_input_shape: [null, 3] }),
            { class_name: 'Sequential', config: { name: 'inner', layers: [{ class_name: 'MyLayer', config: { name: 'mine' } }] } },
          ]),
        ),
      },
      'a.json',
    ),
  'optimizer-state': fixture('keras-h5/mlp.h5'),
  'metric-state': fixture('wild/windows.keras'),
  'subclassed-model': fixture('wild/subclassed.keras'),
  'preset-count-mismatch': fixture('kerashub/count_mismatch'),
  'weight-data-missing': async () => (await inspect(await danglingNames())).findings,
  'unlisted-dataset': fixture('security/h5-external-storage.h5'),
  'companion-weights': () =>
    fromMemory(
      {
        'm/arch.json': new Uint8Array(fs.readFileSync(F('keras-h5/mlp.json'))),
        'm/arch_weights.h5': new Uint8Array(fs.readFileSync(F('keras-h5/mlp_weights.h5'))),
      },
      'm/arch.json',
    ),
  'companion-weights-ambiguous': fixture('wild/ambiguous/arch.json'),
  'architecture-only': () => fromMemory({ 'a.json': json(sequential([dense('d', 4, { batch_input_shape: [null, 3] })])) }, 'a.json'),
  'no-weights': fixture('security/dangerous-modules.keras'),
  'graph-model': fixture('variants/tfjs-graph/model.json'),
  'shard-missing': fixture('bad/tfjs-missing-shard/model.json'),
  'shard-size-mismatch': fixture('bad/tfjs-truncated-shard/model.json'),
  'shard-path-outside': fixture('security/tfjs-shard-outside/model.json'),
  'hdf5-soft-link': fixture('security/h5-links.h5'),
  'hdf5-external-link': fixture('security/h5-links.h5'),
  'hdf5-external-storage': fixture('security/h5-external-storage.h5'),
  // h5wasm cannot write a virtual dataset: the scan is given one dataset that reports virtual sources.
  'hdf5-virtual-dataset': () =>
    scanWith(F('keras-h5/mlp.h5'), (f) => {
      const original = f.dataset.bind(f);
      f.dataset = (p: string) => ({ ...original(p), virtualSources: ['other.h5:/data'] });
    }),
  // Dataset object addresses that point at no object header.
  'hdf5-unparsed-header': () =>
    scanWith(F('keras-h5/mlp.h5'), (f) => {
      const original = f.objectAddress.bind(f);
      f.objectAddress = (p: string) => (f.kind(p) === 'dataset' ? 1 : original(p));
    }),
  'hdf5-shape-bomb': fixture('security/h5-shape-bomb.h5'),
  'lambda-bytecode': fixture('security/lambda-keras3.keras'),
  'lambda-external-function': () =>
    fromMemory(
      {
        'a.json': json(
          sequential([
            dense('d', 4, { batch_input_shape: [null, 3] }),
            { class_name: 'Lambda', config: { name: 'l', function: 'scale', function_type: 'raw', module: 'mypkg.fns' } },
          ]),
        ),
      },
      'a.json',
    ),
  lambda: fixture('security/dangerous-modules.keras'),
  'dangerous-module': fixture('security/dangerous-modules.keras'),
  'custom-module': () =>
    fromMemory(
      {
        'a.json': json(
          sequential([{ class_name: 'QDense', module: 'qkeras.qlayers', config: { name: 'q', units: 4, batch_input_shape: [null, 3] } }]),
        ),
      },
      'a.json',
    ),
  'custom-training-object': fixture('security/lambda-tfkeras.h5'),
  'tfsm-layer': fixture('security/tfsm-torch.keras'),
  'torch-module-wrapper': fixture('security/tfsm-torch.keras'),
  'vocabulary-path': fixture('security/vocabulary.json'),
  'zip-unexpected-member': fixture('security/zip-traversal.keras'),
  'zip-path-traversal': fixture('security/zip-traversal.keras'),
  'zip-duplicate-member': fixture('security/zip-traversal.keras'),
  'zip-bomb': fixture('security/zip-bomb.keras'),
  // A layer named with a right-to-left override: `evil\u202etxt.exe` reads as `evilexe.txt`.
  'deceptive-name': () =>
    fromMemory({ 'arch.json': json(sequential([dense('evil\u202etxt.exe', 2, { batch_input_shape: [null, 3] })])) }, 'arch.json'),
  'hdf5-attribute-unreadable': fixture('regress/h5-weight-names-unreadable.h5'),
  'savedmodel-file-op': fixture('savedmodel/op-readfile'),
  'savedmodel-network-op': fixture('savedmodel/op-rpc'),
  'savedmodel-python-op': fixture('savedmodel/op-pyfunc'),
  'savedmodel-vocabulary-file': fixture('savedmodel/op-vocabulary'),
  'savedmodel-entry-outside-shard': fixture('savedmodel/bad-shard-short'),
  'savedmodel-no-keras': fixture('savedmodel/module'),
  'savedmodel-entry-size-mismatch': fixture('savedmodel/bad-entry-size'),
  // A checkpoint key whose path the object graph does not have.
  'savedmodel-unmapped-entry': fixture('savedmodel/unmapped'),
};

describe('every catalogue code is produced by an input', () => {
  for (const code of Object.keys(CATALOGUE) as FindingCode[]) {
    it(code, async () => {
      const found = (await PRODUCERS[code]()).filter((f) => f.code === code);
      expect(found.length).toBeGreaterThan(0);
      expect(found.every((f) => f.severity === CATALOGUE[code].severity)).toBe(true);
    });
  }

  it('a layer storing more values than its formula is always explained weight by weight', async () => {
    const { audit } = await import('../../src/audit/index.js');
    const saved = {
      file: 'x.json',
      format: 'tfjs-layers' as const,
      kerasVersion: null,
      backend: null,
      config: sequential([dense('d', 4, { batch_input_shape: [null, 3] })]),
      trainingConfig: null,
      // Dense(4) on 3 inputs needs 3·4 + 4 = 16 values; a second bias makes 20 stored.
      tensors: [
        { layerKey: 'd', name: 'd/kernel', shape: [3, 4], dtype: 'float32', bytes: 48 },
        { layerKey: 'd', name: 'd/bias', shape: [4], dtype: 'float32', bytes: 16 },
        { layerKey: 'd', name: 'd/bias', shape: [4], dtype: 'float32', bytes: 16 },
      ],
      optimizer: [],
      files: [],
      problems: [],
      matchBy: 'name' as const,
      meta: {},
    };
    const r = audit(saved);
    expect(r.layers[0]!.params).toMatchObject({ expected: 16, stored: 20 });
    expect(r.findings.map((f) => [f.code, f.weight])).toEqual([['unexpected-weight', 'd/bias']]);
  });
});

it('the finding table of docs/findings.md is generated from the catalogue', () => {
  const page = fs.readFileSync('docs/findings.md', 'utf8');
  const block = page.match(/<!-- findings:start[^>]*-->\n([\s\S]*?)<!-- findings:end -->/);
  expect(block, 'docs/findings.md has a generated findings block').not.toBeNull();
  expect(block![1]!.trim()).toBe(findingsTable().trim());
});

it('docs/findings.md has one section per catalogue code (the anchor the table links to), and no other', () => {
  const page = fs.readFileSync('docs/findings.md', 'utf8');
  const sections = [...page.matchAll(/^### `([a-z0-9-]+)`$/gm)].map((m) => m[1]);
  expect([...sections].sort()).toEqual(Object.keys(CATALOGUE).sort());
  // Each section says the catalogue's severity and kind.
  for (const [code, e] of Object.entries(CATALOGUE)) {
    const body = page
      .slice(page.indexOf(`### \`${code}\``))
      .split('\n')
      .slice(1, 4)
      .join(' ');
    expect(body, code).toContain(`**${e.severity} · ${e.family}.**`);
  }
});
