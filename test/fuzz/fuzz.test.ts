// A short seeded fuzz run inside `npm test`: mutated real model files and configs must end in a Report or
// an InputError within a time bound, never any other exception; a few CLI runs check exit 2 and a one-line
// stderr. `npm run fuzz` runs the same engine longer (scripts/fuzz.mjs).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inspect } from '../../src/node/inspect.js';
import { InputError } from '../../src/model/errors.js';
import { runCli } from '../helpers/cli.js';
import { MISSING_SEEDS, makeCase, runCase } from '../../scripts/fuzz-cases.mjs';

interface Case {
  file: string;
  kind: string;
  op: string;
}
interface Result extends Case {
  outcome: string;
  detail: string;
  ms: number;
}

const SEED = 4242;
const CASES = 1000;
const TIME_MS = 10_000;
// Without ../shared/models the run mutates the fixtures alone (one line says which real seeds are missing);
// under CI=true the real seeds are required.
if (MISSING_SEEDS.length) {
  const line = `the fuzz run has no real-model seeds: ${MISSING_SEEDS.join(', ')} missing (real models live beside the project in ../shared/models)`;
  if (process.env.CI === 'true') throw new Error(`real models are required under CI=true, but ${line}`);
  console.warn(`fuzzing the fixtures only: ${line}`);
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-fuzz-test-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('fuzz (seeded, short)', () => {
  it(`${CASES} mutated files and configs end in a report or an InputError`, async () => {
    const results: Result[] = [];
    for (let i = 0; i < CASES; i++) {
      const c = (await makeCase(SEED, i, dir)) as Case;
      results.push((await runCase(inspect, InputError, c, TIME_MS)) as Result);
    }
    const bad = results.filter((r) => r.outcome !== 'report' && r.outcome !== 'input-error');
    expect(bad.map((r) => `${r.kind} ${r.op}: ${r.outcome} ${r.detail}`)).toEqual([]);
    // Both outcomes occur: the mutations are neither all harmless nor all fatal.
    expect(results.filter((r) => r.outcome === 'report').length).toBeGreaterThan(CASES / 10);
    expect(results.filter((r) => r.outcome === 'input-error').length).toBeGreaterThan(CASES / 10);
    // Every kind of mutation ran.
    const ops = new Set(results.map((r) => r.op.replace(/^shard:/, '')));
    for (const op of [
      'bitflip',
      'truncate',
      'insert',
      'json:wrongType',
      'json:hugeNumber',
      'json:negativeDim',
      'json:cycle',
      'json:missingKey',
    ]) {
      expect(ops, op).toContain(op);
    }
  }, 300_000);

  it('the CLI turns damaged inputs into exit 2 and one line on stderr', async () => {
    const src = path.join(dir, 'cli');
    fs.mkdirSync(src, { recursive: true });
    const h5 = fs.readFileSync(path.resolve('fixtures/keras-h5/mlp.h5'));
    const keras = fs.readFileSync(path.resolve('fixtures/keras3/mlp.keras'));
    const damaged: [string, Buffer][] = [
      ['truncated.h5', h5.subarray(0, 700)],
      ['truncated.keras', keras.subarray(0, keras.length - 30)],
      ['zeroed-superblock.h5', Buffer.concat([h5.subarray(0, 8), Buffer.alloc(64), h5.subarray(72)])],
      ['garbage.json', Buffer.from('{"modelTopology": {"class_name": "Sequential", "config": {"layers": [')],
    ];
    for (const [name, bytes] of damaged) {
      const file = path.join(src, name);
      fs.writeFileSync(file, bytes);
      for (const cmd of ['inspect', 'audit']) {
        const r = runCli([cmd, file]);
        expect(r.code, `${cmd} ${name}`).toBe(2);
        const lines = r.stderr.trim().split('\n');
        expect(lines, `${cmd} ${name}: ${r.stderr}`).toHaveLength(1);
        expect(lines[0]).toMatch(new RegExp(`^kerascope: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
        expect(lines[0]).not.toContain('internal error');
      }
    }
  });
});

describe('fuzz campaign generator (scripts/fuzz-campaign.mjs), a short seeded run in process', () => {
  it('structure-aware cases of every kind end in a report or an InputError', async () => {
    const { generate } = await import('../../scripts/fuzz-campaign.mjs');
    const out: string[] = [];
    const kinds = new Set<string>();
    // 27 consecutive cases cover the nine kinds (h5 ×2, keras ×2, tfjs ×2, json, generated, savedmodel) three times.
    for (let i = 1000; i < 1027; i++) {
      const c = (await generate(77, i, dir)) as { file: string; kind: string; op: string };
      kinds.add(c.kind);
      try {
        await inspect(c.file);
      } catch (e) {
        if (!(e instanceof InputError) || e.message.includes('\n'))
          out.push(`${i} ${c.kind} ${c.op}: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    expect(out).toEqual([]);
    expect([...kinds].sort()).toEqual(['generated', 'h5', 'json', 'keras', 'savedmodel', 'tfjs']);
  }, 120_000);
});
