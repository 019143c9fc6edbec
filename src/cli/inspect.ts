// `kerascope inspect FILE…`: the per-layer audit as a table or JSON, for one file or several in turn.
import { type Command, InvalidArgumentError } from 'commander';
import { exitStatus } from '../audit/index.js';
import { formulaColumn } from '../explain/index.js';
import type { ByteSource } from '../io/byte-source.js';
import { InputError } from '../model/errors.js';
import { inspectModel } from '../node/inspect.js';
import { type Spooled, spooledSource, spoolStdin } from '../node/stdin.js';
import { escapeTerminal } from '../report/escape/terminal.js';
import { stringifyJson } from '../report/escape/json.js';
import { renderJson } from '../report/json.js';
import { connectionsColumn } from '../report/connections.js';
import { renderQuiet } from '../report/quiet.js';
import { renderTable } from '../report/table.js';
import { failOnOption, type ModelOptions, modelCommand, parseDepth, parseWidth } from './options.js';
import type { Severity } from '../model/types.js';
import { terminal } from './terminal.js';
import { stdoutInfo, writeErr, writeOut } from './stdio.js';
import type { CliRun } from './run.js';

type InspectCliOptions = ModelOptions & {
  failOn: Severity;
  depth: number;
  explain?: boolean;
  quiet?: boolean;
  width?: number;
  connections?: boolean;
};

export function registerInspect(program: Command, run: CliRun): void {
  failOnOption(modelCommand(program.command('inspect'), ['table', 'json', 'jsonl'], true))
    .description('per-layer parameter counts from the layer formulas, checked against the stored tensors')
    .option('-d, --depth <n>', 'expand nested models this many levels deep', parseDepth, 0)
    .option('--explain', "table: add a Formula column with each layer's parameter arithmetic (see `kerascope explain`)")
    .option('--connections', "table: Keras' Connected to column for functional models (on by itself from 120 columns)")
    .option('-q, --quiet', 'table: only the totals line and the findings')
    .option('--width <columns>', 'table: fit this many columns (default: the terminal width, 80 when not a terminal)', parseWidth)
    .action(async (files: string[], o: InspectCliOptions) => {
      if (files.length > 1 && o.weights) throw new InvalidArgumentError('--weights goes with one architecture file, not several');
      if (files.length > 1 && o.format === 'json')
        throw new InvalidArgumentError('several files need --format jsonl (one JSON document per line) or table');
      if (files.filter((f) => f === '-').length > 1) throw new InvalidArgumentError('standard input (-) can be read once');
      const term = terminal(stdoutInfo(), o.width);
      let worst = 0;
      const stdin = new StdinInput(run);
      try {
        for (const [i, file] of files.entries()) {
          try {
            const input = await stdin.or(file);
            const { report, graph } = await inspectModel(input, {
              ...run.load,
              weights: o.weights,
              depth: o.depth,
              manifestOnly: o.manifestOnly,
            });
            let out: string;
            if (o.format === 'json') out = renderJson(report);
            else if (o.format === 'jsonl') out = stringifyJson(report);
            else if (o.quiet) out = renderQuiet(report, { width: term.width, color: term.color });
            else {
              const functional = graph !== null && graph.className !== 'Sequential' && graph.layers.length > 1;
              const connections = functional && (o.connections || term.width >= 120) ? connectionsColumn(graph) : undefined;
              out = renderTable(report, {
                ...(o.explain ? { formulas: formulaColumn(graph) } : {}),
                connections,
                width: term.width,
                color: term.color,
              });
            }
            if (i > 0 && o.format === 'table') writeOut('\n');
            // The newline written apart: joined to a large report, it would make a copy of all of it to write.
            writeOut(out);
            writeOut('\n');
            worst = Math.max(worst, exitStatus(report.findings, o.failOn));
          } catch (e) {
            // With several files, one that cannot be read is reported and the others still are.
            if (files.length === 1 || !(e instanceof InputError)) throw e;
            writeErr(`kerascope: ${escapeTerminal(e.file)}: ${escapeTerminal(e.message)}\n`);
            if (process.argv.includes('--debug') && e.stack) writeErr(`${e.stack}\n`);
            worst = 2;
          }
        }
      } finally {
        stdin.remove();
      }
      process.exitCode = worst;
    });
}

/**
 * A command's model argument: the path, or for `-` standard input, spooled to a private file by the watchdog
 * already or here (a run without it) and read from there; `remove` deletes what was spooled here.
 */
export class StdinInput {
  private own: Spooled | null = null;
  constructor(private readonly run: CliRun) {}

  async or(file: string): Promise<string | ByteSource> {
    if (file !== '-') return file;
    if (!this.run.stdin) this.own ??= await spoolStdin({ budgets: this.run.load.budgets });
    const spooled = this.run.stdin ?? this.own!;
    return spooledSource({ file: spooled.file, size: spooled.size, remove: () => {} });
  }

  remove(): void {
    this.own?.remove();
  }
}
