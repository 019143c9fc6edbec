// The gate configured like size-limit: `.kerascope.json` lists models with their budgets; `check` and
// `baseline` with no FILE work through every entry. Counts come from the fixtures' own manifests (hand
// arithmetic: fixtures/gate/base is a 4→5 Dense, 25 params; wide is 4→6, 30 params).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parseGateConfig } from '../../src/gate/index.js';
import { InputError } from '../../src/model/errors.js';
import { ROOT, runCli } from '../helpers/cli.js';

const ajv = new Ajv2020({ allErrors: true });
const schemaOf = (name: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'schema', `${name}.schema.json`), 'utf8'));
ajv.addSchema(schemaOf('check'), 'check.schema.json');
const validSet = ajv.compile(schemaOf('check-set'));
const validConfig = ajv.compile(schemaOf('config'));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-config-'));

/** A project folder: the gate fixtures copied in as models/, a config beside them. */
function project(entries: unknown): string {
  const dir = fs.mkdtempSync(path.join(tmp, 'p-'));
  fs.cpSync(path.join(ROOT, 'fixtures', 'gate'), path.join(dir, 'models'), { recursive: true });
  fs.writeFileSync(path.join(dir, '.kerascope.json'), JSON.stringify(entries, null, 2));
  return dir;
}

describe('parseGateConfig', () => {
  const bad = (doc: unknown, message: RegExp) => {
    let thrown: unknown;
    try {
      parseGateConfig(JSON.stringify(doc), '.kerascope.json');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as Error).message).toMatch(message);
  };
  it('reads entries with budgets parsed exactly, names defaulting to the model path', () => {
    const entries = parseGateConfig(
      JSON.stringify([
        { model: 'a.keras', baseline: 'a.json', maxGrowth: '2%', maxParams: '25M' },
        { name: 'small', model: 'b.h5', maxBytes: '1.5MB', maxTrainable: '1234 params' },
      ]),
      'c.json',
    );
    expect(entries.map((e) => e.name)).toEqual(['a.keras', 'small']);
    expect(entries[0]!.budgets.maxParams!.value).toBe(25_000_000);
    expect(entries[0]!.budgets.growth).toMatchObject({ kind: 'percent', num: 2n, den: 1n });
    expect(entries[1]!.budgets.maxBytes!.value).toBe(1.5 * 1024 * 1024);
    expect(entries[1]!.budgets.maxTrainable!.value).toBe(1234);
  });
  it('refuses a bare number (JSON number or string) with the sentence that shows both forms', () => {
    bad([{ model: 'a.h5', maxParams: 25 }], /entry 1: "maxParams": "25" is ambiguous: .* 25 params for an exact count or 25k/);
    bad([{ model: 'a.h5', baseline: 'b.json', maxGrowth: '2' }], /"2" is ambiguous: .* 2% for a percentage of the baseline or 2 params/);
    bad([{ model: 'a.h5', maxBytes: 100 }], /"100" is ambiguous: .* 100B for bytes or 100MB/);
  });
  it('refuses unknown keys, missing models, growth without a baseline, nothing to check, duplicates, non-arrays', () => {
    bad([{ model: 'a.h5', maxParms: '1M' }], /entry 1: unknown key "maxParms"/);
    bad([{ maxParams: '1M' }], /entry 1 has no "model"/);
    bad([{ model: 'a.h5', maxGrowth: '2%' }], /"maxGrowth" needs a "baseline"/);
    bad([{ model: 'a.h5' }], /nothing to check/);
    bad(
      [
        { model: 'a.h5', maxParams: '1M' },
        { model: 'a.h5', maxParams: '2M' },
      ],
      /entry 2: another entry is already named "a.h5"/,
    );
    bad({ model: 'a.h5' }, /a JSON array of entries/);
    bad([], /has no entries/);
    // A "__proto__" key is an own key of the parsed entry: refused by name, never a prototype.
    expect(() => parseGateConfig('[{"model": "a.h5", "maxParams": "1M", "__proto__": {"model": "x"}}]', 'c.json')).toThrow(
      /entry 1: unknown key "__proto__"/,
    );
  });
  it('the committed schema agrees with the parser on what is valid', () => {
    expect(validConfig([{ model: 'a.keras', baseline: 'b.json', maxGrowth: '2%', maxParams: '25M', maxBytes: '100MB' }])).toBe(true);
    expect(validConfig([{ model: 'a.keras', maxParams: '1234 params' }])).toBe(true);
    expect(validConfig([{ model: 'a.keras', maxParams: 25 }])).toBe(false);
    expect(validConfig([{ model: 'a.keras', maxGrowth: '2' }])).toBe(false);
    expect(validConfig([{ model: 'a.keras', other: 1 }])).toBe(false);
  });
});

describe('kerascope check / baseline with no FILE', () => {
  it('baseline writes every entry’s baseline; check names each entry and exits with the worst status', () => {
    const dir = project([
      { name: 'base', model: 'models/base/model.json', baseline: 'base.baseline.json', maxParams: '25 params' },
      { name: 'wide', model: 'models/wide/model.json', baseline: 'wide.baseline.json', maxGrowth: '10%' },
    ]);
    const b = runCli(['baseline'], dir);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toContain('base: baseline written to base.baseline.json: 25 params (25 trainable), 2 layers');
    // Record "wide" from the base model, so that checking the wide model is a growth of 25 → 30 (+20%).
    fs.copyFileSync(path.join(dir, 'base.baseline.json'), path.join(dir, 'wide.baseline.json'));
    const r = runCli(['check', '--format', 'json'], dir);
    expect(r.code, r.stderr).toBe(1);
    const set = JSON.parse(r.stdout);
    expect(validSet(set), JSON.stringify(validSet.errors)).toBe(true);
    expect(set.entries.map((e: { name: string; verdict: string }) => [e.name, e.verdict])).toEqual([
      ['base', 'pass'],
      ['wide', 'fail'],
    ]);
    expect(set.entries[1].result.budgets[0]).toMatchObject({ budget: 'max-growth', allowed: 27, actual: 30, ok: false });
    expect(set.summary).toBe('2 entries: 1 passed, 1 failed');
    const text = runCli(['check'], dir);
    expect(text.stdout).toContain('[1/2] base\n');
    expect(text.stdout).toContain('[2/2] wide\n');
    expect(text.stdout).toContain('FAIL: 1 budget broken: max-growth');
    expect(text.stdout).toContain('kerascope check failed: 2 entries: 1 passed, 1 failed');
    expect(text.stdout).toContain('To accept this change as intended, run: kerascope check --update\nthen commit wide.baseline.json');
    // --update moves the grown entry's baseline; then every entry passes.
    expect(runCli(['check', '--update'], dir).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'wide.baseline.json'), 'utf8')).totals.params).toBe(30);
    expect(runCli(['check'], dir).code).toBe(0);
  });
  it('an unreadable entry keeps its place in every format; exit 2; paths are relative to --config', () => {
    const dir = project([
      { model: 'models/base/model.json', maxParams: '1k' },
      { name: 'gone', model: 'models/no-such.h5', maxParams: '1k' },
    ]);
    const cfg = path.join(dir, '.kerascope.json');
    const j = runCli(['check', '--config', cfg, '--format', 'json'], tmp);
    expect(j.code).toBe(2);
    const set = JSON.parse(j.stdout);
    expect(validSet(set), JSON.stringify(validSet.errors)).toBe(true);
    expect(set.entries[0]).toMatchObject({ verdict: 'pass', model: path.join(dir, 'models/base/model.json') });
    expect(set.entries[1]).toMatchObject({ verdict: 'error', result: null, error: { file: path.join(dir, 'models/no-such.h5') } });
    const md = runCli(['check', '--config', cfg, '--format', 'markdown'], tmp);
    const lines = md.stdout.split('\n');
    expect(lines[0]).toBe('<!-- kerascope check -->');
    expect(lines[1]).toBe('❌ **kerascope check failed**: 2 entries: 1 passed, 0 failed, 1 unreadable');
    expect(lines).toContain('### gone');
    expect(md.stdout.match(/<!-- kerascope check -->/g)).toHaveLength(1);
    const gh = runCli(['check', '--config', cfg, '--format', 'github'], tmp);
    expect(gh.stdout).toMatch(/^::error file=[^,]*no-such\.h5,title=kerascope%3A gone unreadable::no such file/m);
  });
  it('a missing config, a broken one, and FILE-only options without FILE are one line, exit 2', () => {
    const empty = fs.mkdtempSync(path.join(tmp, 'empty-'));
    const none = runCli(['check'], empty);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^kerascope: \.kerascope\.json: no such file: give a model .* or list your models in \.kerascope\.json/);
    fs.writeFileSync(path.join(empty, '.kerascope.json'), '[{"model": "m.h5", "maxParams": 5}]');
    const bare = runCli(['check'], empty);
    expect(bare.code).toBe(2);
    expect(bare.stderr.trim().split('\n')).toHaveLength(1);
    expect(bare.stderr).toContain('"5" is ambiguous');
    expect(runCli(['check', '--max-params', '1M'], empty).code).toBe(2);
  });
});

describe('budgets on the command line say their unit', () => {
  it('--max-growth 2 is a usage error showing both forms; 2% and 2 params are accepted', () => {
    const r = runCli(['check', 'fixtures/gate/wide/model.json', '--max-params', '30']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"30" is ambiguous: a budget says its unit — write 30 params for an exact count or 30k / 30M');
    expect(runCli(['check', 'fixtures/gate/wide/model.json', '--max-params', '30 params']).code).toBe(0);
    expect(runCli(['check', 'fixtures/gate/wide/model.json', '--max-params', '29 params']).code).toBe(1);
  });
});

describe('one number formatter for every gate output', () => {
  it('signed counts use one minus sign, percentages two decimals rounded away from zero, plurals agree', async () => {
    const { percentText, plural, signedCount } = await import('../../src/model/text.js');
    expect([signedCount(5), signedCount(-101488), signedCount(0)]).toEqual(['+5', '\u2212101,488', '±0']);
    // 20 / 45 = 44.444…%: shown as 44.45%, never rounded down to a value a 44.44% budget would allow.
    expect(percentText((-20 / 45) * 100, true)).toBe('\u221244.45%');
    expect([percentText(20, true), percentText(20.001, true), percentText(19.1989, true), percentText(0.004, true)]).toEqual([
      '+20%',
      '+20.01%',
      '+19.2%',
      '+<0.01%',
    ]);
    expect([plural(1, 'budget'), plural(2, 'budget'), plural(1, 'entry', 'entries'), plural(1000, 'layer')]).toEqual([
      '1 budget',
      '2 budgets',
      '1 entry',
      '1,000 layers',
    ]);
  });
  it('text, Markdown and annotations print the same change the same way (45 → 25 params: −20, −44.45%)', () => {
    const args = ['diff', 'fixtures/gate/extra/model.json', 'fixtures/gate/base/model.json'];
    const text = runCli(args).stdout;
    const md = runCli([...args, '--format', 'markdown']).stdout;
    const gh = runCli([...args, '--format', 'github']).stdout;
    expect(text).toContain('Total params:          45 → 25 (\u221220, \u221244.45%)');
    expect(md).toContain('| Total params | 45 | 25 | \u221220 (\u221244.45%) |');
    expect(gh).toContain('total params 45 → 25 (\u221220, \u221244.45%25)'); // % escaped as a workflow command
    for (const out of [text, md, gh]) expect(out).not.toMatch(/\(s\)|-20\b|44\.4444/);
  });
});
