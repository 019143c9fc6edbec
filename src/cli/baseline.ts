// `kerascope baseline FILE -o kerascope.baseline.json`: records the model for later `check`s.
import type { Command } from 'commander';
import { CONFIG_FILE, makeBaseline, serializeBaseline } from '../gate/index.js';
import { InputError } from '../model/errors.js';
import { count } from '../report/format.js';
import { plural } from '../model/text.js';
import { kerascopeVersion, loadSummary, readGateConfig, writeAtomic } from './gate-io.js';
import type { CliRun } from './run.js';
import { writeErr, writeOut } from './stdio.js';
import { DEFAULT_FAIL_ON, SEVERITIES } from '../model/findings.js';
import type { Severity } from '../model/types.js';
import { parseSeverity } from './options.js';

interface BaselineOptions {
  weights?: string;
  output: string;
  force?: boolean;
  stdout?: boolean;
  config?: string;
  failOn: Severity;
}

/** `kerascope baseline` with no FILE: the baseline of every config entry that names one, each written atomically. */
async function baselineConfig(run: CliRun, o: BaselineOptions, cmd: Command): Promise<void> {
  if (o.weights || o.stdout || o.output !== DEFAULT_OUTPUT) {
    cmd.error(
      `error: without FILE the models and baseline files come from ${o.config ?? CONFIG_FILE}; give a FILE to use --weights, --output or --stdout`,
    );
  }
  const config = o.config ?? CONFIG_FILE;
  const entries = readGateConfig(config).filter((e) => e.baseline !== null);
  if (!entries.length) throw new InputError(config, 'no entry names a "baseline" file to write');
  let errors = 0;
  for (const e of entries) {
    const { summary } = await loadSummary(run, e.model, e.weights ?? undefined, { hash: true, failOn: o.failOn });
    writeAtomic(e.baseline!, serializeBaseline(makeBaseline(summary, kerascopeVersion())), Boolean(o.force));
    const t = summary.totals;
    writeOut(
      `${e.name}: baseline written to ${e.baseline}: ${count(t.params)} params (${count(t.trainable)} trainable), ${plural(summary.layers.length, 'layer')}\n`,
    );
    if (summary.errors.length) errors++;
  }
  if (errors) {
    writeErr(`kerascope: ${config}: ${plural(errors, 'model')} with findings at ${o.failOn} or above; recorded in the baselines\n`);
    process.exitCode = 1;
  }
}

const DEFAULT_OUTPUT = 'kerascope.baseline.json';

export function registerBaseline(program: Command, run: CliRun): void {
  program
    .command('baseline')
    .description('record the model (per-layer counts, shapes, totals, architecture hash, SHA-256) in a baseline file for `check`')
    .argument(
      '[file]',
      `model file: .h5/.hdf5, .keras, TF.js model.json, or an architecture .json; without it, every entry of ${CONFIG_FILE} that names a baseline`,
    )
    .option('-w, --weights <file>', 'weights to pair with an architecture JSON')
    .option('-o, --output <file>', 'baseline file to write', DEFAULT_OUTPUT)
    .option('--force', 'overwrite an existing baseline file')
    .option('--stdout', 'print the baseline instead of writing a file')
    .option('-c, --config <file>', `the config to read when no FILE is given (default ${CONFIG_FILE})`)
    .option('--fail-on <level>', `record findings at or above this severity: ${SEVERITIES.join(', ')}`, parseSeverity, DEFAULT_FAIL_ON)
    .action(async (file: string | undefined, o: BaselineOptions, cmd: Command) => {
      if (file === undefined) return baselineConfig(run, o, cmd);
      if (o.config) cmd.error('error: --config reads the models from the config file: give either FILE or --config');
      const { summary } = await loadSummary(run, file, o.weights, { hash: true, failOn: o.failOn });
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
          `kerascope: ${file}: the model has ${plural(summary.errors.length, 'finding')} at ${o.failOn} or above (${[...new Set(summary.errors.map((e) => e.code))].join(', ')}); recorded in the baseline\n`,
        );
        process.exitCode = 1;
      }
    });
}
