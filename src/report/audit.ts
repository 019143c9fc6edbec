// `kerascope audit` renderings: only the security and integrity findings of a report, as a table or JSON
// (SARIF is in sarif.ts).
import { categoryOf, SEVERITIES } from '../model/findings.js';
import type { Finding, Report } from '../model/types.js';
import { colors, ellipsize, fitColumns, severityText, type TextStyle, textWidth, wrapWords } from './style.js';
import { clip, moreText, summarizeFindings } from './summarize.js';
import { renderBox } from './box.js';
import { stringifyJson } from './escape/json.js';
import { terminalSafe } from './escape/terminal.js';

/**
 * Findings `kerascope audit` leaves out: notes about stored state, not risks or integrity. What could not be
 * checked (`shape-unknown`, `no-architecture`, `graph-model`, `unverified-layer`) stays: no finding means checked.
 */
const NOT_AUDIT = new Set(['architecture-only', 'optimizer-state', 'metric-state']);

export function isAuditFinding(f: Finding): boolean {
  return !NOT_AUDIT.has(f.code);
}

/** The report narrowed to what `audit` shows. */
export function auditFindings(r: Report): Finding[] {
  return r.findings.filter(isAuditFinding);
}

export function renderAuditJson(r: Report, findings = auditFindings(r)): string {
  return stringifyJson({ schemaVersion: 2, file: r.file, format: r.format, kerasVersion: r.kerasVersion, findings }, 2);
}

export function renderAuditTable(report: Report, allFindings = auditFindings(report), style: TextStyle = {}): string {
  const r = terminalSafe(report);
  const findings = terminalSafe(allFindings);
  const head = `Audit: ${r.file} (${r.format}${r.kerasVersion ? `, Keras ${r.kerasVersion}` : ''})`;
  if (!findings.length) return `${head}\nNo security or integrity findings: every count was checked.`;
  // Security apart from integrity: one table each, with its own tally.
  const parts = [head];
  for (const category of ['security', 'integrity'] as const) {
    const mine = findings.filter((f) => categoryOf(f.code) === category);
    if (!mine.length) {
      parts.push(`${category === 'security' ? 'Security' : 'Integrity'}: no findings.`);
      continue;
    }
    const tally = SEVERITIES.map((s) => [s, mine.filter((f) => f.severity === s).length] as const)
      .filter(([, n]) => n > 0)
      .map(([s, n]) => `${n} ${s}`)
      .join(', ');
    parts.push(`${category === 'security' ? 'Security' : 'Integrity'} (${tally}):\n${auditBox(mine, style)}`);
  }
  return parts.join('\n');
}

function auditBox(findings: Finding[], style: TextStyle): string {
  const widths = auditWidths(findings, style.width ?? 80);
  const rows: string[][] = [];
  const c = colors(style.color);
  // Many findings of one kind: a few examples and a count (JSON and SARIF keep every one). Messages are cut,
  // then wrapped between words only (`SHA-256` stays whole); a path longer than the column breaks after a `/`.
  for (const row of summarizeFindings(findings)) {
    if ('finding' in row) {
      const f = row.finding;
      const message = wrapWords(clip(f.message, 2000), widths[3]! - 2, '', '', true, true).join('\n');
      rows.push([severityText(f.severity, c), f.code, ellipsize(clip(f.layer ?? '-'), widths[2]! - 2), message]);
    } else {
      rows.push([severityText(row.severity, c), row.code, '…', wrapWords(moreText(row), widths[3]! - 2, '', '', true, true).join('\n')]);
    }
  }
  return renderBox(['Severity', 'Code', 'Layer', 'Finding'], rows, widths);
}

/** Severity and code as wide as they need, the layer shortened first, the message the rest (at least 20). */
function auditWidths(findings: Finding[], width: number): number[] {
  const natural = [
    Math.max(8, ...findings.map((f) => textWidth(f.severity))) + 2,
    Math.max(4, ...findings.map((f) => textWidth(f.code))) + 2,
    Math.max(5, ...findings.map((f) => textWidth(f.layer ?? '-'))) + 2,
    Math.max(...findings.map((f) => textWidth(f.message))) + 2,
  ];
  return fitColumns(natural, [3, 2], width, 10).map((w, i) => (i === 3 ? Math.max(w, 22) : w));
}
