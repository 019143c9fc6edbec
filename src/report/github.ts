// GitHub Actions workflow commands: `::error file=…,title=…::message`, `::warning …`, `::notice …`, one per
// broken budget, error finding or changed layer. Escaping as @actions/core does it: in the message
// `%` `\r` `\n` become `%25` `%0D` `%0A`; in property values also `:` → `%3A` and `,` → `%2C`.
import type { CheckResult } from '../gate/check.js';
import type { DiffResult } from '../gate/diff.js';
import type { LayerChange } from '../gate/types.js';
import { acceptText, arrow, describeLayer, layerLabel } from './gate-text.js';
import { plural } from '../model/text.js';
import { terminalSafe } from './escape/terminal.js';

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function command(kind: 'error' | 'warning' | 'notice', props: { file?: string; title: string }, message: string): string {
  const p = [props.file !== undefined ? `file=${escapeProperty(props.file)}` : null, `title=${escapeProperty(props.title)}`]
    .filter(Boolean)
    .join(',');
  return `::${kind} ${p}::${escapeData(message)}`;
}

function layerCommands(file: string, layers: LayerChange[]): string[] {
  return layers.map((c) =>
    command(
      c.kind === 'renamed' ? 'notice' : 'warning',
      { file, title: `kerascope: layer ${c.kind}` },
      `${layerLabel(c)}: ${describeLayer(c)}`,
    ),
  );
}

// The renderers first make every string of the result terminal-safe (control, bidi and zero-width
// characters as visible escapes: the log viewer reads ANSI sequences), then `command` escapes for the
// workflow command, so no model text can end a command or start another.

export function renderCheckGithub(result: CheckResult, hint: { command: string; commit: string[] } | null = null): string {
  const r = terminalSafe(result);
  const out: string[] = [];
  for (const b of r.budgets.filter((x) => !x.ok))
    out.push(command('error', { file: r.file, title: `kerascope: --${b.budget} ${b.limit} exceeded` }, b.message));
  for (const e of r.errors.filter((x) => x.new))
    out.push(command('error', { file: r.file, title: `kerascope: ${e.code}` }, `${e.layer ? `${e.layer}: ` : ''}${e.message}`));
  for (const item of layerCommands(r.file, r.layers)) out.push(item);
  out.push(
    command(
      'notice',
      { file: r.file, title: `kerascope check ${r.verdict === 'pass' ? 'passed' : 'failed'}` },
      `${r.summary}; total params ${arrow(r.totals.params)}`,
    ),
  );
  if (hint && r.verdict === 'fail')
    out.push(command('notice', { file: r.file, title: 'kerascope: how to accept this change' }, acceptText(hint)));
  return out.join('\n');
}

export function renderDiffGithub(result: DiffResult): string {
  const r = terminalSafe(result);
  const out = layerCommands(r.after.file, r.layers);
  const w = r.weightsCompat;
  if (w.applicable && !w.topological!.ok)
    out.push(
      command('error', { file: r.after.file, title: 'kerascope: weights would not load (topological order)' }, w.topological!.message),
    );
  if (w.applicable && !w.byName!.ok)
    out.push(command('warning', { file: r.after.file, title: 'kerascope: weights would not load by name' }, w.byName!.message));
  out.push(
    command(
      'notice',
      { file: r.after.file, title: 'kerascope diff' },
      `${plural(r.layers.length, 'layer change')}; total params ${arrow(r.totals.params)}`,
    ),
  );
  return out.join('\n');
}
