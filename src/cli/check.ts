// `kerascope check FILE --baseline B --max-growth 2% --max-params 25M …`: the CI gate, for one model; and
// `kerascope check` with no FILE: every entry of `.kerascope.json` (or --config FILE), each named in the output.
// Exit 0 within budget, 1 over a budget or on a new error finding, 2 unreadable model, baseline or config.
import type { Command } from 'commander';
import {
  type Budgets,
  type CheckResult,
  CONFIG_FILE,
  checkExitStatus,
  identityMismatch,
  makeBaseline,
  runCheck,
  serializeBaseline,
} from '../gate/index.js';
import type { Growth } from '../gate/units.js';
import { InputError } from '../model/errors.js';
import { DEFAULT_FAIL_ON, SEVERITIES } from '../model/findings.js';
import type { Severity } from '../model/types.js';
import { renderCheckErrorGithub, renderCheckErrorMarkdown } from '../report/gate-error.js';
import { type AcceptHint, renderCheckMarkdown } from '../report/gate-markdown.js';
import { renderGateJson } from '../report/gate-json.js';
import {
  checkSet,
  checkSetExitStatus,
  type EntryOutcome,
  renderCheckSetGithub,
  renderCheckSetMarkdown,
  renderCheckSetText,
} from '../report/gate-set.js';
import { renderCheckText } from '../report/gate-text.js';
import { renderCheckGithub } from '../report/github.js';
import {
  bytesOption,
  countOption,
  growthOption,
  kerascopeVersion,
  loadSummary,
  readBaseline,
  readGateConfig,
  useColor,
  writeAtomic,
} from './gate-io.js';
import { parseFormat, parseSeverity } from './options.js';
import type { CliRun } from './run.js';
import { writeErr, writeOut } from './stdio.js';

interface CheckOptions {
  weights?: string;
  baseline?: string;
  maxGrowth?: Growth;
  maxParams?: { text: string; value: number };
  maxTrainable?: { text: string; value: number };
  maxBytes?: { text: string; value: number };
  update?: boolean;
  config?: string;
  markdownFile?: string;
  failOn: Severity;
  format: string;
}

/** A word as a shell reads it back: quoted only when it needs to be. */
export function shellWord(s: string): string {
  return /^[\w./@%+=:,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The accept hint, when --update would accept what failed (a growth budget: the baseline moves to this model). */
function growthHint(r: CheckResult, command: string, baseline: string | null): AcceptHint | null {
  if (!baseline || !r.budgets.some((b) => b.budget === 'max-growth' && !b.ok)) return null;
  return { command, commit: [baseline] };
}

function render(format: string, r: CheckResult, hint: AcceptHint | null): string {
  if (format === 'json') return renderGateJson(r);
  if (format === 'markdown') return renderCheckMarkdown(r, { hint });
  if (format === 'github') return renderCheckGithub(r, hint);
  return renderCheckText(r, useColor(), hint);
}

/** Checks one model; with --update and a pass, rewrites its baseline. Throws InputError for unreadable input. */
async function checkOne(
  run: CliRun,
  file: string,
  weights: string | undefined,
  baselineFile: string | null,
  budgets: Budgets,
  update: boolean,
  failOn: Severity,
): Promise<CheckResult> {
  const baseline = baselineFile ? readBaseline(baselineFile) : null;
  const { summary } = await loadSummary(run, file, weights, { hash: update, failOn });
  // A baseline records which model it is for: checking another model against it is no verdict (exit 2).
  const other = baseline ? identityMismatch(baseline, summary) : null;
  if (other && !update) throw new InputError(baselineFile!, other);
  if (other) writeErr(`kerascope: ${baselineFile}: ${other.replace(/: check the model .*$/, '')}; recording this model (--update)\n`);
  const result = runCheck(summary, baseline, baselineFile, { ...budgets, growth: update ? undefined : budgets.growth });
  if (update && baselineFile) {
    if (result.verdict === 'pass') {
      writeAtomic(baselineFile, serializeBaseline(makeBaseline(summary, kerascopeVersion())), true);
      writeErr(`kerascope: ${baselineFile}: baseline updated\n`);
    } else {
      writeErr(`kerascope: ${baselineFile}: not updated (${result.summary})\n`);
    }
  }
  return result;
}

export function registerCheck(program: Command, run: CliRun): void {
  program
    .command('check')
    .description(
      `compare the model with a baseline and/or budgets (no FILE: every entry of ${CONFIG_FILE}); exit 1 when over budget or on an error finding`,
    )
    .argument(
      '[file]',
      `model file: .h5/.hdf5, .keras, TF.js model.json, or an architecture .json; without it, the entries of ${CONFIG_FILE}`,
    )
    .option('-w, --weights <file>', 'weights to pair with an architecture JSON')
    .option('-b, --baseline <file>', 'baseline written by `kerascope baseline`')
    .option(
      '--max-growth <n>',
      'largest allowed growth of total params over the baseline: a percentage (2%) or a count (10k, 500 params)',
      growthOption,
    )
    .option(
      '--max-params <n>',
      'largest allowed total params: 25M, 10k, 1.5B or an exact 1234 params (a bare number is refused)',
      countOption,
    )
    .option('--max-trainable <n>', 'largest allowed trainable params (as --max-params)', countOption)
    .option('--max-bytes <n>', 'largest allowed size on disk of the model files: 100MB, 64KB, 512B (1024-based)', bytesOption)
    .option('--update', 'rewrite the baseline with this model (the change is intended); absolute budgets and error findings still apply')
    .option(
      '--fail-on <level>',
      `findings at or above this severity count as errors (a new one fails the check): ${SEVERITIES.join(', ')}`,
      parseSeverity,
      DEFAULT_FAIL_ON,
    )
    .option('-c, --config <file>', `the config to read when no FILE is given (default ${CONFIG_FILE})`)
    .option('--markdown-file <file>', 'also write the Markdown verdict to this file (one run gives annotations and a job summary)')
    .option(
      '-f, --format <format>',
      'output format: text, json, markdown or github',
      parseFormat(['text', 'json', 'markdown', 'github']),
      'text',
    )
    .addHelpText(
      'after',
      `\nBudgets are inclusive and exact: --max-growth 20% passes +20.0% and fails +20.1%. Every budget says its unit:\n--max-growth 2 is refused (2% or 2 params?).\nWithout FILE, ${CONFIG_FILE} lists the models: [{ "model": "model.keras", "baseline": "kerascope.baseline.json", "maxGrowth": "2%" }].\nExit codes: 0 within budget, 1 over budget or a new error finding, 2 unreadable model, baseline or config.`,
    )
    .action(async (file: string | undefined, o: CheckOptions, cmd: Command) => {
      if (file === undefined) return checkConfig(run, o, cmd);
      if (o.config) cmd.error('error: --config reads the models from the config file: give either FILE or --config');
      if (!o.baseline && !o.maxGrowth && !o.maxParams && !o.maxTrainable && !o.maxBytes) {
        cmd.error('error: nothing to check: give --baseline and/or a budget (--max-params, --max-trainable, --max-bytes)');
      }
      if (o.maxGrowth && !o.baseline) cmd.error('error: --max-growth needs --baseline (the size to grow from)');
      if (o.update && !o.baseline) cmd.error('error: --update needs --baseline (the file to rewrite)');
      const budgets: Budgets = { growth: o.maxGrowth, maxParams: o.maxParams, maxTrainable: o.maxTrainable, maxBytes: o.maxBytes };
      let result: CheckResult;
      try {
        result = await checkOne(run, file, o.weights, o.baseline ?? null, budgets, Boolean(o.update), o.failOn);
      } catch (e) {
        // Unreadable: the one line on stderr and exit 2 still follow (main.ts); the annotation and the Markdown
        // verdict say it too, so a job summary or PR comment is never empty.
        if (e instanceof InputError) unreadable(o, e);
        throw e;
      }
      const command = [
        'kerascope',
        'check',
        file,
        ...(o.weights ? ['--weights', o.weights] : []),
        '--baseline',
        o.baseline ?? '',
        '--update',
      ]
        .map(shellWord)
        .join(' ');
      const hint = growthHint(result, command, o.baseline ?? null);
      writeOut(`${render(o.format, result, hint)}\n`);
      if (o.markdownFile) writeAtomic(o.markdownFile, `${renderCheckMarkdown(result, { hint })}\n`, true, 'the Markdown verdict');
      process.exitCode = checkExitStatus(result);
    });
}

function unreadable(o: CheckOptions, e: InputError): void {
  if (o.format === 'github') writeOut(`${renderCheckErrorGithub(e.file, e.message)}\n`);
  if (o.format === 'markdown') writeOut(`${renderCheckErrorMarkdown(e.file, e.message)}\n`);
  if (o.markdownFile) writeAtomic(o.markdownFile, `${renderCheckErrorMarkdown(e.file, e.message)}\n`, true, 'the Markdown verdict');
}

async function checkConfig(run: CliRun, o: CheckOptions, cmd: Command): Promise<void> {
  if (o.weights || o.baseline || o.maxGrowth || o.maxParams || o.maxTrainable || o.maxBytes) {
    cmd.error(
      `error: without FILE the models and budgets come from ${o.config ?? CONFIG_FILE}; give a FILE to use --weights, --baseline or --max-*`,
    );
  }
  const config = o.config ?? CONFIG_FILE;
  const entries = readGateConfig(config);
  const outcomes: EntryOutcome[] = [];
  for (const e of entries) {
    try {
      outcomes.push({
        name: e.name,
        model: e.model,
        result: await checkOne(run, e.model, e.weights ?? undefined, e.baseline, e.budgets, Boolean(o.update), o.failOn),
      });
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      outcomes.push({ name: e.name, model: e.model, error: { file: err.file, message: err.message } });
    }
  }
  const set = checkSet(config, outcomes);
  const grown = outcomes.filter((x) => x.result && growthHint(x.result, '', entries.find((e) => e.name === x.name)!.baseline));
  const hint: AcceptHint | null = grown.length
    ? {
        command: ['kerascope', 'check', ...(o.config ? ['--config', o.config] : []), '--update'].map(shellWord).join(' '),
        commit: grown.map((x) => entries.find((e) => e.name === x.name)!.baseline!),
      }
    : null;
  const out =
    o.format === 'json'
      ? renderGateJson(set)
      : o.format === 'markdown'
        ? renderCheckSetMarkdown(set, hint)
        : o.format === 'github'
          ? renderCheckSetGithub(set, hint)
          : renderCheckSetText(set, useColor(), hint);
  writeOut(`${out}\n`);
  if (o.markdownFile) writeAtomic(o.markdownFile, `${renderCheckSetMarkdown(set, hint)}\n`, true, 'the Markdown verdict');
  process.exitCode = checkSetExitStatus(set);
}
