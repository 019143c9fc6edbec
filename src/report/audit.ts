// `kerascope audit` renderings: only the security and integrity findings of a report, as a table or JSON
// (SARIF is in sarif.ts).
import Table from 'cli-table3';
import type { Finding, Report } from '../model/types.js';
import { clip, moreText, summarizeFindings } from './summarize.js';

/** Findings `kerascope audit` leaves out: informational notes about coverage, not risks or integrity. */
const NOT_AUDIT = new Set(['shape-unknown', 'no-architecture', 'architecture-only', 'graph-model', 'optimizer-state']);

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

export function renderAuditTable(r: Report, findings = auditFindings(r)): string {
  const head = `Audit: ${r.file} (${r.format}${r.kerasVersion ? `, Keras ${r.kerasVersion}` : ''})`;
  if (!findings.length) return `${head}\nNo security or integrity findings.`;
  const t = new Table({
    head: ['Severity', 'Code', 'Layer', 'Finding'],
    style: { head: [], border: [] },
    wordWrap: true,
    wrapOnWordBoundary: false,
    colWidths: [10, 24, 28, 80],
  });
  for (const row of summarizeFindings(findings)) {
    if ('finding' in row) t.push([row.finding.severity, row.finding.code, clip(row.finding.layer ?? '-', 120), clip(row.finding.message, 600)]);
    else t.push([row.severity, row.code, '…', moreText(row)]);
  }
  const n = (s: string) => findings.filter((f) => f.severity === s).length;
  return `${head}\n${t.toString()}\n ${n('error')} error(s), ${n('warning')} warning(s), ${n('info')} note(s)`;
}
