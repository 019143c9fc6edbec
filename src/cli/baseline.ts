// `kerascope baseline FILE -o kerascope.baseline.json`: records the model for later `check`s.
import type { Command } from 'commander';
import { makeBaseline, serializeBaseline } from '../gate/index.js';
import { count } from '../report/format.js';
import { kerascopeVersion, loadSummary, writeAtomic } from './gate-io.js';
import { writeErr, writeOut } from './stdio.js';
import { DEFAULT_FAIL_ON, SEVERITIES } from '../model/findings.js';
import type { Severity } from '../model/types.js';
import { parseSeverity } from './options.js';

export function registerBaseline(program: Command): void {
  program
    .command('baseline')
    .description('record the model (per-layer counts, shapes, totals, architecture hash, SHA-256) in a baseline file for `check`')
    .argument('<file>', 'model file: .h5/.hdf5, .keras, TF.js model.json, or an architecture .json')
    .option('-w, --weights <file>', 'weights to pair with an architecture JSON')
    .option('-o, --output <file>', 'baseline file to write', 'kerascope.baseline.json')
    .option('--force', 'overwrite an existing baseline file')
    .option('--stdout', 'print the baseline instead of writing a file')
    .option('--fail-on <level>', `record findings at or above this severity: ${SEVERITIES.join(', ')}`, parseSeverity, DEFAULT_FAIL_ON)
    .action(async (file: string, o: { weights?: string; output: string; force?: boolean; stdout?: boolean; failOn: Severity }) => {
      const { summary } = await loadSummary(file, o.weights, { hash: true, failOn: o.failOn });
      const text = serializeBaseline(makeBaseline(summary, kerascopeVersion()));
      if (o.stdout) writeOut(text);
      else {
        writeAtomic(o.output, text, Boolean(o.force));
        const t = summary.totals;
        writeOut(
          `Baseline written to ${o.output}: ${count(t.params)} params (${count(t.trainable)} trainable), ${summary.layers.length} layers, ${summary.architectureHash.slice(0, 19)}…\n`,
        );
      }
      if (summary.errors.length) {
        writeErr(
          `kerascope: ${file}: the model has ${summary.errors.length} finding(s) at ${o.failOn} or above (${[...new Set(summary.errors.map((e) => e.code))].join(', ')}); recorded in the baseline\n`,
        );
        process.exitCode = 1;
      }
    });
}
