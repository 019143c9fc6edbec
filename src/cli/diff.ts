// `kerascope diff A B`: layer by layer what changed, the totals, and whether B's weights would load into A.
import type { Command } from 'commander';
import { runDiff } from '../gate/index.js';
import { renderDiffMarkdown } from '../report/gate-markdown.js';
import { renderGateJson } from '../report/gate-json.js';
import { renderDiffText } from '../report/gate-text.js';
import { renderDiffGithub } from '../report/github.js';
import { loadSummary, useColor } from './gate-io.js';
import type { CliRun } from './run.js';
import { parseFormat } from './options.js';
import { writeOut } from './stdio.js';

export function registerDiff(program: Command, run: CliRun): void {
  program
    .command('diff')
    .description(
      "what changed between two models, across formats; and would the second file's weights load into the first one's architecture",
    )
    .argument('<a>', 'the model before (or the architecture, with --weights-compat)')
    .argument('<b>', 'the model after (or the weights file, with --weights-compat)')
    .option('--weights-a <file>', 'weights to pair with A when A is an architecture JSON')
    .option('--weights-b <file>', 'weights to pair with B when B is an architecture JSON')
    .option('--weights-compat', "exit 1 unless B's stored weights would load into A by topological order (Keras load_weights)")
    .option(
      '-f, --format <format>',
      'output format: text, json, markdown or github',
      parseFormat(['text', 'json', 'markdown', 'github']),
      'text',
    )
    .action(async (a: string, b: string, o: { weightsA?: string; weightsB?: string; weightsCompat?: boolean; format: string }) => {
      const before = await loadSummary(run, a, o.weightsA);
      const after = await loadSummary(run, b, o.weightsB);
      const result = runDiff(before, after);
      const out =
        o.format === 'json'
          ? renderGateJson(result)
          : o.format === 'markdown'
            ? renderDiffMarkdown(result)
            : o.format === 'github'
              ? renderDiffGithub(result)
              : renderDiffText(result, useColor());
      writeOut(`${out}\n`);
      const w = result.weightsCompat;
      process.exitCode = o.weightsCompat && !(w.applicable && w.topological!.ok) ? 1 : 0;
    });
}
