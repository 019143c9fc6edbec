// Budgets are options of the call, not of the process: inspections running at the same time in one process,
// each with its own budgets, each obey their own (and the defaults are untouched afterwards).
import { describe, expect, it } from 'vitest';
import { inspect } from '../../src/node/inspect.js';
import { DEFAULT_BUDGETS } from '../../src/model/budgets.js';
import { InputError } from '../../src/model/errors.js';
import { runCli } from '../helpers/cli.js';

const H5 = 'fixtures/keras-h5/mlp.h5';
const KERAS = 'fixtures/keras3/mlp.keras';

describe('per-call budgets', () => {
  it('two inspections at once, one tight and one default, on each reader: each obeys its own', async () => {
    const runs = await Promise.allSettled([
      inspect(H5, { budgets: { tensors: 2 } }),
      inspect(H5),
      inspect(KERAS, { budgets: { jsonBytes: 64 } }),
      inspect(KERAS, {}),
      inspect(H5, { hdf5: 'h5wasm', budgets: { attributeEntries: 1 } }),
      inspect(H5, { hdf5: 'h5wasm' }),
    ]);
    const [tight, loose, tightZip, looseZip, tightWasm, looseWasm] = runs;
    // The default runs read the files: the h5 stores more than 2 tensors (weights + biases of its layers).
    expect(loose.status).toBe('fulfilled');
    const stored = loose.status === 'fulfilled' ? loose.value.layers.reduce((n, l) => n + l.weights.length, 0) : 0;
    expect(stored).toBeGreaterThan(2);
    expect(tight.status).toBe('rejected');
    expect(tight.status === 'rejected' && tight.reason).toBeInstanceOf(InputError);
    expect(tight.status === 'rejected' && (tight.reason as Error).message).toMatch(/over the tensors budget of 2 \(/);
    expect(looseZip.status).toBe('fulfilled');
    expect(tightZip.status === 'rejected' && (tightZip.reason as Error).message).toMatch(
      /config\.json is \d+ bytes, over the jsonBytes budget of 64 /,
    );
    expect(looseWasm.status).toBe('fulfilled');
    expect(tightWasm.status === 'rejected' && (tightWasm.reason as Error).message).toMatch(/over the attributeEntries budget of 1 /);
    // The same totals from both readers under the defaults.
    if (loose.status === 'fulfilled' && looseWasm.status === 'fulfilled') expect(looseWasm.value.totals).toEqual(loose.value.totals);
    expect(DEFAULT_BUDGETS.tensors).toBe(1_000_000);
    expect(Object.isFrozen(DEFAULT_BUDGETS)).toBe(true);
  });

  it('an unknown budget or a value that is not a positive number is a RangeError of the call', async () => {
    await expect(inspect(H5, { budgets: { tensors: 0 } })).rejects.toThrow(RangeError);
    await expect(inspect(H5, { budgets: { nope: 1 } as never })).rejects.toThrow(/unknown budget nope/);
  });

  it('the CLI hands --budget to every scan worker (each file is read under it)', () => {
    const r = runCli(['scan', 'fixtures/keras-h5', '--format', 'jsonl', '--budget', 'tensors=2', '-j', '1']);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { file: string; error?: string; summary?: unknown })
      .filter((l) => !l.summary); // the last record is the scan's summary
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(l.error ?? '').toMatch(/over the tensors budget of 2 /);
    expect(r.code).toBe(2);
    expect(runCli(['inspect', H5, '--budget', 'constructor=5']).stderr).toMatch(/^kerascope: --budget takes NAME=N/);
    expect(runCli(['inspect', H5, '--budget', 'tensors=0']).stderr).toBe('kerascope: --budget tensors must be a positive number\n');
  });
});
