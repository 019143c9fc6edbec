// Every real model in ../shared/models/EXPECTED.json: per-layer and total counts must equal the file's
// numbers (stored tensor sizes, and TF.js 4.22 countParams() where it could build the model), and healthy
// files must raise no error finding.
import { describe, expect, it } from 'vitest';
import { inspect } from '../../src/index.js';
import { inspectArgs, realModels, realSavedModels } from '../helpers/real-models.js';

const legacy = realModels();
const models = legacy === null ? null : [...legacy, ...(realSavedModels() ?? [])];

describe.skipIf(models === null)('real models (../shared/models)', () => {
  for (const m of models ?? []) {
    it(`${m.id}: totals, per-layer counts and findings match EXPECTED.json`, async () => {
      const { file, weights } = inspectArgs(m);
      const r = await inspect(file, { weights });
      const formatOf: Record<string, string> = { 'h5-weights+json': 'keras-h5-weights', 'h5-full': 'keras-h5' };
      expect(r.format).toBe(formatOf[m.format] ?? m.format);

      expect(r.totals.stored).toBe(m.totals.stored);
      expect(r.totals.optimizerStored).toBe(m.totals.optimizerStored);
      if (m.totals.metricsStored !== undefined) expect(r.totals.metricsStored).toBe(m.totals.metricsStored);
      if (m.totals.params !== null) {
        expect(r.totals.params).toBe(m.totals.params);
        expect(r.totals.trainable).toBe(m.totals.trainable);
        expect(r.totals.nonTrainable).toBe(m.totals.nonTrainable);
      } else if (m.format !== 'tfjs-graph') {
        // TF.js could not build it (custom layers): Total params is what is stored.
        expect(r.totals.params).toBe(m.totals.stored);
      }

      const rows = new Map(r.layers.map((l) => [l.name, l]));
      for (const want of m.layers) {
        const got = rows.get(want.name);
        if (want.className === null) {
          // A stored group listed under the file's own (generated) name; when kerascope shows it under that
          // name (graph models) it must hold the same count.
          if (got) expect(got.params.stored, want.name).toBe(want.stored);
          continue;
        }
        // Keras' summary of a Sequential model has no row for its InputLayer (it stores nothing).
        if (!got && want.className === 'InputLayer' && want.stored === 0) continue;
        expect(got, `layer ${want.name}`).toBeDefined();
        expect(got!.className).toBe(want.className);
        if (typeof want.params === 'number') {
          expect(got!.params.stored, `${want.name} stored`).toBe(want.stored);
          expect(got!.params.expected, `${want.name} formula`).toBe(want.params);
          expect(got!.params.trainable, `${want.name} trainable`).toBe(want.trainable);
          expect(got!.params.nonTrainable, `${want.name} non-trainable`).toBe(want.nonTrainable);
        } else if (m.format !== 'keras-v3') {
          expect(got!.params.stored, `${want.name} stored`).toBe(want.stored);
        }
      }
      // Stored groups listed by EXPECTED add up to the stored total.
      const groupSum = m.layers.filter((l) => l.className === null).reduce((n, l) => n + l.stored, 0);
      if (groupSum > 0) expect(groupSum).toBe(r.totals.stored);

      const errors = r.findings.filter((f) => ['critical', 'high'].includes(f.severity)).map((f) => f.code);
      const missingShards = m.notes.some((n) => n.startsWith('shards missing'));
      expect(errors).toEqual(missingShards ? ['shard-missing'] : []);
    });
  }
});
