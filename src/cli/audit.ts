// `kerascope audit FILE`: only the security and integrity findings, as a table, JSON or SARIF 2.1.0.
import type { Command } from 'commander';
import { exitStatus } from '../audit/index.js';
import { inspect } from '../node/inspect.js';
import { auditFindings, renderAuditJson, renderAuditTable } from '../report/audit.js';
import { renderSarif } from '../report/sarif.js';
import { type ModelOptions, modelCommand, parseWidth } from './options.js';
import { terminal } from './terminal.js';
import { stdoutInfo, writeOut } from './stdio.js';
import { remoteOptions } from './limits.js';

export function registerAudit(program: Command): void {
  modelCommand(program.command('audit'), ['table', 'json', 'sarif'])
    .description('security and integrity findings only: what would run code or read other files, what does not add up')
    .option('--width <columns>', 'table: fit this many columns (default: the terminal width, 80 when not a terminal)', parseWidth)
    .action(async (file: string, o: ModelOptions & { width?: number }) => {
      const report = await inspect(file, { weights: o.weights, manifestOnly: o.manifestOnly, remote: remoteOptions() });
      const findings = auditFindings(report);
      const out =
        o.format === 'sarif'
          ? renderSarif({ file: report.file, findings })
          : o.format === 'json'
            ? renderAuditJson(report, findings)
            : renderAuditTable(report, findings, terminal(stdoutInfo(), o.width));
      writeOut(`${out}\n`);
      process.exitCode = exitStatus(findings);
    });
}
