// The audit table's box drawing (src/report/box.ts) against cli-table3's own output, and long messages.
import Table from 'cli-table3';
import { describe, expect, it } from 'vitest';
import { renderBox } from '../../../src/report/box.js';
import { renderAuditTable } from '../../../src/report/audit.js';
import type { Report } from '../../../src/model/types.js';
import { textWidth } from '../../../src/report/style.js';

describe('renderBox', () => {
  it('draws what cli-table3 draws for the same laid-out cells', () => {
    const widths = [10, 8, 7, 22];
    const head = ['Severity', 'Code', 'Layer', 'Finding'];
    const rows = [
      ['error', 'x-code', 'dense', 'one line'],
      ['warning', 'y', '-', 'first line\nsecond line\nthird'],
      ['info', 'a-very-long-code', 'l', 'wide 漢字 text, cut at the edge of the column'],
      ['', '', '', ''],
    ];
    const t = new Table({ head, style: { head: [], border: [] }, colWidths: widths });
    for (const r of rows) t.push(r);
    expect(renderBox(head, rows, widths)).toBe(t.toString());
  });

  it('a finding whose message runs to 15,000 characters: clipped, wrapped, every line as wide as the table', () => {
    const shape = `(${Array.from({ length: 5000 }, () => '1').join(', ')})`;
    const report = {
      file: 'm.json',
      format: 'tfjs-layers',
      kerasVersion: null,
      findings: [
        { code: 'shape-mismatch', severity: 'high', layer: 'dense', message: `dense/kernel: stored ${shape}, expected (2, 2)` },
        { code: 'shape-mismatch', severity: 'high', layer: 'x'.repeat(200_000), message: 'y'.repeat(200_000) },
      ],
    } as unknown as Report;
    const out = renderAuditTable(report, undefined, { width: 80 });
    const lines = out.split('\n');
    // The box lines (the audit table's heading lines, security and integrity, are above it).
    const table = lines.filter((l) => /^[┌│├└]/.test(l));
    expect(table.length).toBeGreaterThan(10);
    expect(table.every((l) => textWidth(l) === 80)).toBe(true);
    // 2,000 characters at most per message in the table, in lines of the Finding column's width.
    expect(table.length).toBeLessThan(120);
    expect(out).toContain('…');
  });
});
