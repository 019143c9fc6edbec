// `kerascope inspect FILE`: the per-layer audit as a table or JSON.
import type { Command } from 'commander';
import { exitStatus } from '../audit/index.js';
import { formulaColumn } from '../explain.js';
import { inspectModel } from '../node/inspect.js';
import { renderJson } from '../report/json.js';
import { renderTable } from '../report/table.js';
import { type ModelOptions, modelCommand, parseDepth } from './options.js';

export function registerInspect(program: Command): void {
  modelCommand(program.command('inspect'), ['table', 'json'])
    .description('per-layer parameter counts from the layer formulas, checked against the stored tensors')
    .option('-d, --depth <n>', 'expand nested models this many levels deep', parseDepth, 0)
    .option('--explain', "table: add a Formula column with each layer's parameter arithmetic (see `kerascope explain`)")
    .action(async (file: string, o: ModelOptions & { depth: number; explain?: boolean }) => {
      const { report, graph } = await inspectModel(file, { weights: o.weights, depth: o.depth, manifestOnly: o.manifestOnly });
      const table = () => renderTable(report, o.explain ? { formulas: formulaColumn(graph) } : {});
      process.stdout.write(`${o.format === 'json' ? renderJson(report) : table()}\n`);
      process.exitCode = exitStatus(report.findings);
    });
}
