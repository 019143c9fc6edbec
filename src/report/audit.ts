// `kerascope audit` renderings: only the security and integrity findings of a report, as a table or JSON
// (SARIF is in sarif.ts).
import Table from 'cli-table3';
import type { Finding, Report } from '../model/types.js';
import { colors, fitColumns, severityText, type TextStyle, textWidth } from './style.js';

/** Findings `kerascope audit` leaves out: informational notes about coverage, not risks or integrity. */
const NOT_AUDIT = new Set(['shape-unknown', 'no-architecture', 'architecture-only', 'graph-model', 'optimizer-state', 'metric-state']);

export function isAuditFinding(f: Finding): boolean {
  return !NOT_AUDIT.has(f.code);
}

/** The report narrowed to what `audit` shows. */
export function auditFindings(r: Report): Finding[] {
  return r.findings.filter(isAuditFinding);
}

export function renderAuditJson(r: Report, findings = auditFindings(r)): string {
  return JSON.stringify({ schemaVersion: 1, file: r.file, format: r.format, kerasVersion: r.kerasVersion, findings }, null, 2);
}

export function renderAuditTable(r: Report, findings = auditFindings(r), style: TextStyle = {}): string {
  const head = `Audit: ${r.file} (${r.format}${r.kerasVersion ? `, Keras ${r.kerasVersion}` : ''})`;
  if (!findings.length) return `${head}\nNo security or integrity findings.`;
  const t = new Table({
    head: ['Severity', 'Code', 'Layer', 'Finding'],
    style: { head: [], border: [] },
    wordWrap: true,
    // Wrap between words only (`SHA-256` stays whole), in columns that fit the terminal.
    wrapOnWordBoundary: true,
    colWidths: auditWidths(findings, style.width ?? 80),
  });
  const c = colors(style.color);
  for (const f of findings) t.push([severityText(f.severity, c), f.code, f.layer ?? '-', f.message]);
  const n = (s: string) => findings.filter((f) => f.severity === s).length;
  return `${head}\n${t.toString()}\n ${n('error')} error(s), ${n('warning')} warning(s), ${n('info')} note(s)`;
}

/** Severity, code and layer as wide as they need (the layer shortened first), the message the rest, at least 24. */
function auditWidths(findings: Finding[], width: number): number[] {
  const longestWord = (s: string) => Math.max(0, ...s.split(/\s+/).map(textWidth));
  const natural = [
    Math.max(8, ...findings.map((f) => textWidth(f.severity))) + 2,
    Math.max(4, ...findings.map((f) => textWidth(f.code))) + 2,
    Math.max(5, ...findings.map((f) => longestWord(f.layer ?? '-'))) + 2,
    Math.max(...findings.map((f) => textWidth(f.message))) + 2,
  ];
  const fitted = fitColumns(natural, [3, 2], width, 12);
  // The message column keeps its longest word whole.
  fitted[3] = Math.max(fitted[3]!, Math.min(natural[3]!, Math.max(24, ...findings.map((f) => longestWord(f.message) + 2))));
  return fitted;
}
