// The library API has a deadline: with `timeoutS` or an AbortSignal, inspect() and friends settle within it
// on every input, rejecting with a typed error (InspectionStopped) when they stop.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MemorySource } from '../../src/io/byte-source.js';
import { inspect as inspectSrc } from '../../src/node/inspect.js';

// The built library (a worker thread needs a JavaScript file to run).
const lib = async () => (await import('../../dist/index.js' as string)) as typeof import('../../src/index.js');
const SPINS = 'fixtures/regress/hangs/keras3-hdf5-gcol-loop.keras'; // h5wasm walks its global heap for ever

describe('inspect() with a deadline', () => {
  it('a file that makes the HDF5 library spin: rejected with InspectionStopped (time) at the deadline', async () => {
    const { inspect, InspectionStopped, InputError } = await lib();
    const t0 = Date.now();
    const e = await inspect(SPINS, { hdf5: 'h5wasm', timeoutS: 2 }).catch((x: unknown) => x);
    const ms = Date.now() - t0;
    expect(e).toBeInstanceOf(InspectionStopped);
    expect(e).toBeInstanceOf(InputError);
    expect(e).toMatchObject({ file: SPINS, kind: 'time', message: 'still reading after 2 s; stopped' });
    expect(ms).toBeGreaterThanOrEqual(2000);
    expect(ms).toBeLessThan(6000);
  });

  it('an AbortSignal stops it at once (kind aborted), and one already aborted before it starts', async () => {
    const { inspect, explainFile, InspectionStopped } = await lib();
    const ctl = new AbortController();
    const t0 = Date.now();
    setTimeout(() => ctl.abort(), 500);
    const e = await inspect(SPINS, { hdf5: 'h5wasm', signal: ctl.signal }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InspectionStopped);
    expect(e).toMatchObject({ kind: 'aborted' });
    expect(Date.now() - t0).toBeLessThan(3000);
    const before = await explainFile('fixtures/keras-h5/mlp.h5', { signal: AbortSignal.abort() }).catch((x: unknown) => x);
    expect(before).toMatchObject({ kind: 'aborted', file: 'fixtures/keras-h5/mlp.h5' });
  });

  it('within its budget the answer is the one without a deadline; budgets and errors cross to the worker', async () => {
    const { inspect, inspectModel, InputError, InspectionStopped } = await lib();
    for (const file of ['fixtures/keras-h5/mlp.h5', 'fixtures/keras3/mlp.keras', 'fixtures/tfjs/mlp/model.json'])
      expect(await inspect(file, { timeoutS: 20 }), file).toEqual(await inspect(file));
    const m = await inspectModel('fixtures/keras3/functional.keras', { timeoutS: 20, depth: 1 });
    expect(m.graph?.layers.map((l) => l.name)).toEqual(
      (await inspectModel('fixtures/keras3/functional.keras')).graph?.layers.map((l) => l.name),
    );
    const over = await inspect('fixtures/keras-h5/mlp.h5', { timeoutS: 20, budgets: { tensors: 2 } }).catch((x: unknown) => x);
    expect(over).toBeInstanceOf(InputError);
    expect(over).not.toBeInstanceOf(InspectionStopped);
    expect((over as Error).message).toMatch(/over the tensors budget of 2 /);
    await expect(inspect('no/such/file.h5', { timeoutS: 20 })).rejects.toBeInstanceOf(InputError);
  });

  it('a source (no path to hand a thread) is raced against the deadline in this thread', async () => {
    const bytes = new Uint8Array(fs.readFileSync('fixtures/keras-h5/mlp.h5'));
    const src = () => MemorySource.of('mlp.h5', bytes);
    const plain = await inspectSrc(src());
    expect(await inspectSrc(src(), { timeoutS: 20 })).toEqual(plain);
    const ctl = new AbortController();
    ctl.abort(new Error('caller gave up'));
    await expect(inspectSrc(src(), { signal: ctl.signal })).rejects.toMatchObject({ kind: 'aborted', file: 'mlp.h5' });
  });
});
