// Issue 21, point 6: five severities, security apart from integrity, --fail-on, SARIF security-severity and help.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CATALOGUE, type FindingCode } from '../../src/model/findings.js';
import { ROOT, runCli } from '../helpers/cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-severity-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const MEDIUM_ONLY = 'fixtures/wild/ambiguous/arch.json'; // companion-weights-ambiguous (medium)
const CRITICAL = 'fixtures/security/lambda-keras3.keras'; // lambda-bytecode (critical) + no-weights (medium)
const HIGH = 'fixtures/bad/h5-shape-mismatch.h5'; // shape-mismatch (high)

describe('the scale', () => {
  it('a code-carrying Lambda is critical, a missing shard high, a custom module medium, an unchecked count low', () => {
    const sev = (c: FindingCode) => CATALOGUE[c].severity;
    expect([sev('lambda-bytecode'), sev('shard-missing'), sev('custom-module'), sev('unverified-layer'), sev('optimizer-state')]).toEqual([
      'critical',
      'high',
      'medium',
      'low',
      'info',
    ]);
  });
});

describe('--fail-on', () => {
  it('default high: a medium finding alone exits 0, a high one 1', () => {
    expect(runCli(['inspect', MEDIUM_ONLY]).code).toBe(0);
    expect(runCli(['inspect', HIGH]).code).toBe(1);
  });
  it('medium makes the medium finding fail; critical lets the high one pass (inspect and audit alike)', () => {
    expect(runCli(['inspect', MEDIUM_ONLY, '--fail-on', 'medium']).code).toBe(1);
    expect(runCli(['audit', MEDIUM_ONLY, '--fail-on', 'medium']).code).toBe(1);
    expect(runCli(['inspect', HIGH, '--fail-on', 'critical']).code).toBe(0);
    expect(runCli(['audit', CRITICAL, '--fail-on', 'critical']).code).toBe(1);
  });
  it('an unknown level is a usage error (exit 2)', () => {
    const r = runCli(['inspect', HIGH, '--fail-on', 'error']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/critical, high, medium, low, info/);
  });
});

describe('security apart from integrity', () => {
  it('the audit table has one section each', () => {
    const r = runCli(['audit', CRITICAL]);
    expect(r.stdout).toMatch(/Security \(1 critical\):/);
    expect(r.stdout).toMatch(/Integrity \(1 medium\):/);
    expect(r.stdout.indexOf('lambda-bytecode')).toBeLessThan(r.stdout.indexOf('Integrity ('));
  });
  it('the scan summary counts models with security and with integrity findings apart', () => {
    const dir = path.join(tmp, 'scan');
    fs.mkdirSync(dir);
    for (const f of [CRITICAL, HIGH, 'fixtures/keras-h5/mlp.h5']) fs.copyFileSync(path.join(ROOT, f), path.join(dir, path.basename(f)));
    const r = runCli(['scan', dir, '--jobs', '1']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/│ Security\s+│ Integrity\s+│ Codes\s+│ Status/);
    expect(r.stdout).toMatch(/│ !\s+│ \S*lambda-keras3\.keras.*│ 1 critical\s+│ 1 medium\s+│ [^│]*lambda[^│]*│ security/);
    expect(r.stdout).toMatch(/│\s+│ \S*h5-shape-mismatch\.h5.*│ -\s+│ 1 high\s+│ shape-mismatch\s+│ integrity/);
    expect(r.stdout).toContain('3 models: 1 ok, 1 with security findings, 1 with integrity findings (high or above), 0 unreadable');
  });
});

describe('SARIF', () => {
  const sarif = JSON.parse(runCli(['audit', CRITICAL, '--format', 'sarif']).stdout);
  const rules = sarif.runs[0].tool.driver.rules as {
    id: string;
    help: { text: string; markdown: string };
    properties: Record<string, unknown>;
  }[];
  const rule = (id: string) => rules.find((r) => r.id === id)!;
  it("security rules carry GitHub's numeric security-severity (over 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium)", () => {
    expect(rule('lambda-bytecode').properties['security-severity']).toBe('9.5');
    expect(rule('tfsm-layer').properties['security-severity']).toBe('8.0');
    expect(rule('custom-module').properties['security-severity']).toBe('5.5');
    expect(rule('lambda-bytecode').properties.tags).toEqual(['security']);
    // Integrity findings are not security alerts.
    expect(rule('shape-mismatch').properties).not.toHaveProperty('security-severity');
  });
  it('every rule has help with the fix and a link to its anchor in docs/findings.md', () => {
    for (const r of rules) {
      expect(r.help.text).toContain(CATALOGUE[r.id as FindingCode].fix);
      expect(r.help.markdown).toContain(`docs/findings.md#${r.id}`);
    }
  });
  it('results keep error / warning / note levels: critical → error, medium → warning', () => {
    const level = (id: string) => sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === id).level;
    expect([level('lambda-bytecode'), level('no-weights')]).toEqual(['error', 'warning']);
  });
});
