// The two HDF5 readers behind the loaders give the same reports: the TypeScript reader (the default) and
// h5wasm's HDF5 library (the reference, and the fallback for a file the TypeScript reader does not support).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { H5Meta, Hdf5Unsupported } from '../src/hdf5/index.js';
import { analyze } from '../src/inspect.js';
import { MemorySource } from '../src/io/byte-source.js';
import type { Report } from '../src/model/types.js';
import { inspect } from '../src/node/inspect.js';
import { inspectArgs, realModels } from './helpers/real-models.js';

function hdf5Inputs(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    // fixtures/regress/hangs/: inputs that make the HDF5 library spin; only the CLI's watchdog ends them.
    if (e.isDirectory()) return e.name === 'hangs' ? [] : hdf5Inputs(p);
    return /\.(h5|hdf5|keras)$/.test(e.name) ? [p] : [];
  });
}

/** The report, with the readers' own wording of why an attribute is unreadable set aside (the finding is the same). */
const outcome = (p: Promise<Report>) =>
  p.then(
    (r) => ({
      report: {
        ...r,
        findings: r.findings.map((f) =>
          f.code === 'hdf5-attribute-unreadable' ? { ...f, message: f.message.replace(/\(.*\)/, '(…)') } : f,
        ),
      },
    }),
    (e: Error) => ({ error: e.message }),
  );

describe('TypeScript reader and h5wasm give the same report', () => {
  it('every HDF5 and .keras fixture', async () => {
    const files = hdf5Inputs('fixtures');
    expect(files.length).toBeGreaterThan(30);
    for (const file of files) {
      const ts = await outcome(inspect(file, { hdf5: 'typescript' }));
      const wasm = await outcome(inspect(file, { hdf5: 'h5wasm' }));
      if ('error' in wasm) expect(ts, file).toHaveProperty('error');
      else expect(ts, file).toEqual(wasm);
    }
  });

  const models = realModels();
  it.skipIf(!models)('every real model', async () => {
    for (const m of models ?? []) {
      const { file, weights } = inspectArgs(m);
      const ts = await inspect(file, { weights, hdf5: 'typescript' });
      expect(ts).toEqual(await inspect(file, { weights, hdf5: 'h5wasm' }));
      expect(ts.meta.hdf5Reader, m.id).toBeUndefined();
    }
  });
});

describe('fallback', () => {
  it('a file the TypeScript reader does not support is read again by h5wasm, and the report says so', async () => {
    const bytes = new Uint8Array(fs.readFileSync('fixtures/keras-h5/mlp.h5'));
    const expected = (await analyze(MemorySource.of('mlp.h5', bytes), { hdf5: 'h5wasm' })).report;
    const open = vi.spyOn(H5Meta, 'open').mockImplementation(() => {
      throw new Hdf5Unsupported('shared object header messages');
    });
    try {
      const { report } = await analyze(MemorySource.of('mlp.h5', bytes));
      expect(open).toHaveBeenCalled();
      expect(report.meta.hdf5Reader).toBe('h5wasm (the TypeScript reader does not support this file: shared object header messages)');
      expect({ ...report, meta: {} }).toEqual({ ...expected, meta: {} });
      // Told to use the TypeScript reader only, the same file is an error, not a silent fallback.
      await expect(analyze(MemorySource.of('mlp.h5', bytes), { hdf5: 'typescript' })).rejects.toBeInstanceOf(Hdf5Unsupported);
    } finally {
      open.mockRestore();
    }
  });

  it('damage the TypeScript reader sees is one InputError naming the file', async () => {
    const bytes = new Uint8Array(fs.readFileSync('fixtures/keras-h5/mlp.h5'));
    const bad = bytes.slice();
    bad[14] = (bad[14] ?? 0) ^ 0xff; // the superblock checksum no longer matches
    await expect(analyze(MemorySource.of('bad.h5', bad))).rejects.toMatchObject({
      name: 'InputError',
      file: 'bad.h5',
      message: expect.stringMatching(/^not a readable HDF5 file \(.*checksum/),
    });
  });
});

// Reader disagreements the fuzz campaign found, each a small patched copy of a project fixture.
describe('damaged files: both readers say the same', () => {
  const both = async (file: string) => [
    await outcome(inspect(file, { hdf5: 'typescript' })),
    await outcome(inspect(file, { hdf5: 'h5wasm' })),
  ];

  it('an object header failing its checksum is an error from both (h5wasm no longer calls the object absent)', async () => {
    // lstm.h5, one byte of /model_weights/lstm/lstm/lstm_cell's v2 object header changed.
    const [ts, wasm] = await both('fixtures/regress/readers/unreadable/object-header-checksum.h5');
    expect(ts).toHaveProperty('error', expect.stringMatching(/checksum/));
    expect(wasm).toHaveProperty('error', expect.stringMatching(/checksum/));
  });

  it('an attribute value overrunning its message makes the attribute list unreadable in both', async () => {
    // mlp.h5, keras_version's string size 5 → 0xff05 (HDF5: "ran off end of input buffer while decoding").
    const [ts, wasm] = await both('fixtures/regress/readers/attr-value-overruns-message.h5');
    expect(ts).toEqual(wasm);
    const r = (ts as { report: Report }).report;
    expect(r.findings.map((f) => f.code)).toContain('hdf5-attribute-unreadable');
  });

  it('an attribute name of size 0 makes the list unreadable in both; a name whose last byte is not NUL is read (as HDF5)', async () => {
    // h5-shape-bomb.h5, the size of the root's first attribute name set to 0.
    const [ts, wasm] = await both('fixtures/regress/readers/attr-name-size-zero.h5');
    expect(ts).toEqual(wasm);
    expect('report' in ts!).toBe(true);
    // h5-external-storage.h5, the NUL ending `keras_version` replaced: HDF5 reads the first size - 1 bytes.
    const [ts2, wasm2] = await both('fixtures/regress/readers/attr-name-last-byte-not-nul.h5');
    expect(ts2).toEqual(wasm2);
    expect((ts2 as { report: Report }).report.kerasVersion).toBe('2.9.0');
  });

  it('a global heap collection whose size leads past its free space into a bad object: the strings are unreadable in both', async () => {
    // keras3/weights_only/model.weights.h5, the collection size 4096 → 6144: HDF5 walks on past the free space.
    const [ts, wasm] = await both('fixtures/regress/readers/gcol-size-past-free-space.h5');
    expect(ts).toEqual(wasm);
    const r = (ts as { report: Report }).report;
    expect(r.findings.some((f) => f.code === 'hdf5-attribute-unreadable' && f.severity === 'error')).toBe(true);
  });

  it('a group B-tree key outside the local heap: listing works, a lookup through it fails, in both', async () => {
    // h5-links.h5, the root B-tree node's first key 0 → 255 (the heap holds 88 bytes).
    const [ts, wasm] = await both('fixtures/regress/readers/unreadable/group-btree-key-outside-heap.h5');
    expect(ts).toHaveProperty('error');
    expect(wasm).toHaveProperty('error');
  });

  it.each([
    // mlp_weights.h5, /dense/dense/bias:0's contiguous data moved to 4 bytes before the end of the file.
    ['contiguous-data-past-eof.h5', /past the end of the file/],
    // mlp_weights.h5, the root's attribute info message flagged shareable (HDF5 shares only 6 classes).
    ['unshareable-message-flagged-shareable.h5', /unshareable class flagged as shareable/],
    // lambda-tfkeras.h5, /model_weights/dense/dense/kernel:0's dataspace: maximum dims (4, 2) → (3, 2).
    ['dataspace-dim-above-maxdim.h5', /dataspace dim 0 size of 4 is greater than maxdim size of 3/],
    // lambda-tfkeras.h5, the same dataset's float32 type: exponent size 8 → 0, then mantissa size 23 → 0.
    ['float-type-exponent-size-zero.h5', /exponent size can't be zero/],
    ['float-type-mantissa-size-zero.h5', /mantissa size can't be zero/],
    // lambda-tfkeras.h5 (superblock v0): status flags 0 → 8 (HDF5 knows 1, 2, 4), then 0 → 0x01000000
    // (a 4-byte field HDF5 wants below 256).
    ['superblock-flag-unknown.h5', /bad flag value for superblock/],
    ['superblock-status-flags-above-255.h5', /bad superblock status flags/],
    // mlp.h5, /optimizer_weights/Adam/dense_2/bias/v:0's datatype message retyped 3 → 7 (checksum
    // recomputed): no datatype, so neither a dataset, a datatype nor a group.
    ['object-of-no-type.h5', /unable to determine object type/],
    // keras3/weights_only/model.weights.h5, /vars's link info flags 0 → 0x80 (checksum recomputed).
    ['link-info-unknown-flag.h5', /bad flag value for message/],
    // The same header, its last (null) message 8 → 6 bytes: a 2-byte gap in a chunk with a null message.
    ['header-gap-after-null-message.h5', /gap in chunk with no null messages/],
  ])('%s: an error from both', async (name, tsMessage) => {
    const [ts, wasm] = await both(`fixtures/regress/readers/unreadable/${name}`);
    expect(ts).toHaveProperty('error', expect.stringMatching(tsMessage));
    expect(wasm).toHaveProperty('error');
  });

  it('a link name holding a NUL ends there, as in HDF5 (a C string): the member is listed under the shorter name', async () => {
    // lstm.h5, /model_weights/lstm/lstm/lstm_cell's link `recurrent_kernel:0` → `recur2\0nt_kernel:0` (checksum recomputed).
    const [ts, wasm] = await both('fixtures/regress/readers/link-name-with-nul.h5');
    expect(ts).toEqual(wasm);
    const r = (ts as { report: Report }).report;
    expect(r.findings.some((f) => f.code === 'unlisted-dataset' && f.message.includes('lstm_cell/recur2 '))).toBe(true);
  });

  it('a dataset with a second dataspace message: HDF5 decodes only the first of each class, so both read it', async () => {
    // lstm.h5, /model_weights/lstm_1/lstm_1/lstm_cell_1/kernel:0's fill value message retyped 5 → 1 (a 2-byte "dataspace").
    const [ts, wasm] = await both('fixtures/regress/readers/second-dataspace-message.h5');
    expect(ts).toEqual(wasm);
    expect('report' in ts!).toBe(true);
  });

  it('a floating-point type whose exponent lies outside its precision: the attribute is unreadable in both', async () => {
    // security/lambda-tfkeras.h5, weight_names of /model_weights/lambda given a float type with bad bit fields.
    const [ts, wasm] = await both('fixtures/regress/readers/float-type-exponent-out-of-range.h5');
    expect(ts).toEqual(wasm);
    const r = (ts as { report: Report }).report;
    expect(r.findings.map((f) => f.code)).toContain('hdf5-attribute-unreadable');
  });
});
