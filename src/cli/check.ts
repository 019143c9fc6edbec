// `kerascope check FILE --baseline B --max-growth 2% --max-params 25M …`: the CI gate.
// Exit 0 within budget, 1 over a budget or on a new error finding, 2 unreadable model or baseline.
import type { Command } from 'commander';
import {
  checkExitStatus,
  identityMismatch,
  makeBaseline,
  runCheck,
  serializeBaseline,
  type Baseline,
  type Budgets,
} from '../gate/index.js';
import { InputError } from '../model/errors.js';
import { renderCheckErrorGithub, renderCheckErrorMarkdown } from '../report/gate-error.js';
import type { Growth } from '../gate/units.js';
import { renderCheckMarkdown } from '../report/gate-markdown.js';
import { renderGateJson } from '../report/gate-json.js';
import { renderCheckText } from '../report/gate-text.js';
import { renderCheckGithub } from '../report/github.js';
import { bytesOption, countOption, growthOption, kerascopeVersion, loadSummary, readBaseline, useColor, writeAtomic } from './gate-io.js';
import { DEFAULT_FAIL_ON, SEVERITIES } from '../model/findings.js';
import type { Severity } from '../model/types.js';
import { parseFormat, parseSeverity } from './options.js';
import { writeErr, writeOut } from './stdio.js';

interface CheckOptions {
  weights?: string;
  baseline?: string;
  maxGrowth?: Growth;
  maxParams?: { text: string; value: number };
  maxTrainable?: { text: string; value: number };
  maxBytes?: { text: string; value: number };
  update?: boolean;
  failOn: Severity;
  format: string;
}

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('compare the model with a baseline and/or budgets; exit 1 when over budget or on an error finding')
    .argument('<file>', 'model file: .h5/.hdf5, .keras, TF.js model.json, or an architecture .json')
    .option('-w, --weights <file>', 'weights to pair with an architecture JSON')
    .option('-b, --baseline <file>', 'baseline written by `kerascope baseline`')
    .option(
      '--max-growth <n>',
      'largest allowed growth of total params over the baseline: a percentage (2%) or a count (10k)',
      growthOption,
    )
    .option('--max-params <n>', 'largest allowed total params (k, M, B suffixes: ×1000, ×10^6, ×10^9)', countOption)
    .option('--max-trainable <n>', 'largest allowed trainable params (k, M, B suffixes)', countOption)
    .option('--max-bytes <n>', 'largest allowed size on disk of the model files (KB, MB, GB: 1024-based)', bytesOption)
    .option('--update', 'rewrite the baseline with this model (the change is intended); absolute budgets and error findings still apply')
    .option(
      '--fail-on <level>',
      `findings at or above this severity count as errors (a new one fails the check): ${SEVERITIES.join(', ')}`,
      parseSeverity,
      DEFAULT_FAIL_ON,
    )
    .option(
      '-f, --format <format>',
      'output format: text, json, markdown or github',
      parseFormat(['text', 'json', 'markdown', 'github']),
      'text',
    )
    .addHelpText(
      'after',
      '\nBudgets are inclusive and exact: --max-growth 20% passes +20.0% and fails +20.1%.\nExit codes: 0 within budget, 1 over budget or a new error finding, 2 unreadable model or baseline.',
    )
    .action(async (file: string, o: CheckOptions, cmd: Command) => {
      if (!o.baseline && !o.maxGrowth && !o.maxParams && !o.maxTrainable && !o.maxBytes) {
        cmd.error('error: nothing to check: give --baseline and/or a budget (--max-params, --max-trainable, --max-bytes)');
      }
      if (o.maxGrowth && !o.baseline) cmd.error('error: --max-growth needs --baseline (the size to grow from)');
      if (o.update && !o.baseline) cmd.error('error: --update needs --baseline (the file to rewrite)');
      let baseline: Baseline | null;
      let summary: Awaited<ReturnType<typeof loadSummary>>['summary'];
      try {
        baseline = o.baseline ? readBaseline(o.baseline) : null;
        summary = (await loadSummary(file, o.weights, { hash: Boolean(o.update), failOn: o.failOn })).summary;
        const other = baseline ? identityMismatch(baseline, summary) : null;
        if (other && !o.update) throw new InputError(o.baseline!, other);
        if (other) writeErr(`kerascope: ${o.baseline}: ${other.replace(/: check the model .*$/, '')}; recording this model (--update)\n`);
      } catch (e) {
        // The CI formats still leave a verdict on stdout; the one line on stderr and exit 2 follow as usual.
        if (e instanceof InputError && (o.format === 'github' || o.format === 'markdown')) {
          writeOut(`${o.format === 'github' ? renderCheckErrorGithub(e.file, e.message) : renderCheckErrorMarkdown(e.file, e.message)}\n`);
        }
        throw e;
      }
      const budgets: Budgets = {
        growth: o.update ? undefined : o.maxGrowth,
        maxParams: o.maxParams,
        maxTrainable: o.maxTrainable,
        maxBytes: o.maxBytes,
      };
      const result = runCheck(summary, baseline, o.baseline ?? null, budgets);
      const out =
        o.format === 'json'
          ? renderGateJson(result)
          : o.format === 'markdown'
            ? renderCheckMarkdown(result)
            : o.format === 'github'
              ? renderCheckGithub(result)
              : renderCheckText(result, useColor());
      writeOut(`${out}\n`);
      process.exitCode = checkExitStatus(result);
      if (o.update && o.baseline) {
        if (result.verdict === 'pass') {
          writeAtomic(o.baseline, serializeBaseline(makeBaseline(summary, kerascopeVersion())), true);
          writeErr(`kerascope: ${o.baseline}: baseline updated\n`);
        } else {
          writeErr(`kerascope: ${o.baseline}: not updated (${result.summary})\n`);
        }
      }
    });
}
