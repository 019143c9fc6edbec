// `kerascope audit FILE…`: only the security and integrity findings, as a table, JSON (JSON Lines for several
// files) or SARIF 2.1.0 (one run, every file's results). Several files work like `inspect`: a file that
// cannot be read gets its line on stderr and the others are still audited; the exit status is the worst.
import { type Command, InvalidArgumentError } from 'commander';
import { exitStatus } from '../audit/index.js';
import { InputError } from '../model/errors.js';
import { stringifyJson } from '../model/strings.js';
import type { Finding, Severity } from '../model/types.js';
import { inspect } from '../node/inspect.js';
import { auditFindings, renderAuditJson, renderAuditTable } from '../report/audit.js';
import { mergeSarif } from '../report/sarif.js';
import { StdinInput } from './inspect.js';
import { failOnOption, type ModelOptions, modelCommand, parseWidth } from './options.js';
import { terminal } from './terminal.js';
import type { CliRun } from './run.js';
import { stdoutInfo, writeErr, writeOut } from './stdio.js';

type AuditCliOptions = ModelOptions & { width?: number; failOn: Severity };

export function registerAudit(program: Command, run: CliRun): void {
  failOnOption(modelCommand(program.command('audit'), ['table', 'json', 'jsonl', 'sarif'], true))
    .description('security and integrity findings only: what would run code or read other files, what does not add up')
    .option('--width <columns>', 'table: fit this many columns (default: the terminal width, 80 when not a terminal)', parseWidth)
    .action(async (files: string[], o: AuditCliOptions) => {
      if (files.length > 1 && o.weights) throw new InvalidArgumentError('--weights goes with one architecture file, not several');
      if (files.length > 1 && o.format === 'json')
        throw new InvalidArgumentError('several files need --format jsonl (one JSON document per line), sarif or table');
      if (files.filter((f) => f === '-').length > 1) throw new InvalidArgumentError('standard input (-) can be read once');
      let worst = 0;
      const sarif: { file: string; findings: Finding[] }[] = [];
      const stdin = new StdinInput(run);
      try {
        for (const [i, file] of files.entries()) {
          try {
            const report = await inspect(await stdin.or(file), { ...run.load, weights: o.weights, manifestOnly: o.manifestOnly });
            const findings = auditFindings(report);
            if (o.format === 'sarif') sarif.push({ file: report.file, findings });
            else if (o.format === 'json') writeOut(`${renderAuditJson(report, findings)}\n`);
            else if (o.format === 'jsonl') writeOut(`${stringifyJson(JSON.parse(renderAuditJson(report, findings)))}\n`);
            else writeOut(`${i > 0 ? '\n' : ''}${renderAuditTable(report, findings, terminal(stdoutInfo(), o.width))}\n`);
            worst = Math.max(worst, exitStatus(findings, o.failOn));
          } catch (e) {
            if (files.length === 1 || !(e instanceof InputError)) throw e;
            writeErr(`kerascope: ${e.file}: ${e.message}\n`);
            worst = 2;
          }
        }
      } finally {
        stdin.remove();
      }
      if (o.format === 'sarif') writeOut(`${stringifyJson(mergeSarif(sarif), 2)}\n`);
      process.exitCode = worst;
    });
}
