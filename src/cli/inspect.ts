// `kerascope inspect FILE`: the per-layer audit as a table or JSON.
import type { Command } from 'commander';
import { exitStatus } from '../audit/index.js';
import { inspect } from '../node/inspect.js';
import { renderJson } from '../report/json.js';
import { renderTable } from '../report/table.js';
import { type ModelOptions, modelCommand, parseDepth } from './options.js';

export function registerInspect(program: Command): void {
  modelCommand(program.command('inspect'), ['table', 'json'])
    .description('per-layer parameter counts from the layer formulas, checked against the stored tensors')
    .option('-d, --depth <n>', 'expand nested models this many levels deep', parseDepth, 0)
    .action(async (file: string, o: ModelOptions & { depth: number }) => {
      const report = await inspect(file, { weights: o.weights, depth: o.depth, manifestOnly: o.manifestOnly });
      process.stdout.write(`${o.format === 'json' ? renderJson(report) : renderTable(report)}\n`);
      process.exitCode = exitStatus(report.findings);
    });
}
