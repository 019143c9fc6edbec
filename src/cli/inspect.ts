// `kerascope inspect FILE`: the per-layer audit as a table or JSON.
import type { Command } from 'commander';
import { exitStatus } from '../audit/index.js';
import { explainFile, formulaColumn } from '../explain.js';
import { inspect } from '../inspect.js';
import { renderJson } from '../report/json.js';
import { renderTable } from '../report/table.js';
import { parseDepth, parseFormat } from './options.js';

export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description('per-layer parameter counts from the layer formulas, checked against the stored tensors')
    .argument('<file>', 'model file: .h5/.hdf5, .keras, TF.js model.json, or an architecture .json')
    .option('-w, --weights <file>', 'weights to pair with an architecture JSON (HDF5, or a Keras 3 .weights.json sharding index)')
    .option('-f, --format <format>', 'output format: table or json', parseFormat(['table', 'json']), 'table')
    .option('-d, --depth <n>', 'expand nested models this many levels deep', parseDepth, 0)
    .option('--manifest-only', 'TF.js: read model.json without checking its shard files')
    .option('--explain', "table: add a Formula column with each layer's parameter arithmetic (see `kerascope explain`)")
    .action(async (file: string, o: { weights?: string; format: string; depth: number; manifestOnly?: boolean; explain?: boolean }) => {
      const opts = { weights: o.weights, depth: o.depth, manifestOnly: o.manifestOnly };
      if (o.explain && o.format !== 'json') {
        const { report, graph } = await explainFile(file, opts);
        process.stdout.write(`${renderTable(report, { formulas: formulaColumn(graph) })}\n`);
        process.exitCode = exitStatus(report.findings);
        return;
      }
      const report = await inspect(file, opts);
      process.stdout.write(`${o.format === 'json' ? renderJson(report) : renderTable(report)}\n`);
      process.exitCode = exitStatus(report.findings);
    });
}
