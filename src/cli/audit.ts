// `kerascope audit FILE`: only the security and integrity findings, as a table, JSON or SARIF 2.1.0.
import Table from 'cli-table3';
import type { Command } from 'commander';
import { exitStatus } from '../audit/index.js';
import { inspect } from '../inspect.js';
import type { Finding, Report } from '../model/types.js';
import { renderSarif } from '../report/sarif.js';
import { isAuditFinding } from '../security/index.js';
import { parseFormat } from './options.js';

export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description('security and integrity findings only: what would run code or read other files, what does not add up')
    .argument('<file>', 'model file: .h5/.hdf5, .keras, TF.js model.json, or an architecture .json')
    .option('-w, --weights <file>', 'weights to pair with an architecture JSON (HDF5, or a Keras 3 .weights.json sharding index)')
    .option('-f, --format <format>', 'output format: table, json or sarif', parseFormat(['table', 'json', 'sarif']), 'table')
    .option('--manifest-only', 'TF.js: read model.json without checking its shard files')
    .action(async (file: string, o: { weights?: string; format: string; manifestOnly?: boolean }) => {
      const report = await inspect(file, { weights: o.weights, manifestOnly: o.manifestOnly });
      const findings = report.findings.filter(isAuditFinding);
      const out = o.format === 'sarif' ? renderSarif({ file: report.file, findings })
        : o.format === 'json' ? JSON.stringify(auditJson(report, findings), null, 2)
        : renderAuditTable(report, findings);
      process.stdout.write(`${out}\n`);
      process.exitCode = exitStatus(findings);
    });
}

function auditJson(r: Report, findings: Finding[]) {
  return { schemaVersion: 1, file: r.file, format: r.format, kerasVersion: r.kerasVersion, findings };
}

function renderAuditTable(r: Report, findings: Finding[]): string {
  const head = `Audit: ${r.file} (${r.format}${r.kerasVersion ? `, Keras ${r.kerasVersion}` : ''})`;
  if (!findings.length) return `${head}\nNo security or integrity findings.`;
  const t = new Table({
    head: ['Severity', 'Code', 'Layer', 'Finding'],
    style: { head: [], border: [] },
    wordWrap: true,
    wrapOnWordBoundary: false,
    colWidths: [10, 24, 28, 80],
  });
  for (const f of findings) t.push([f.severity, f.code, f.layer ?? '-', f.message]);
  const n = (s: string) => findings.filter((f) => f.severity === s).length;
  return `${head}\n${t.toString()}\n ${n('error')} error(s), ${n('warning')} warning(s), ${n('info')} note(s)`;
}
