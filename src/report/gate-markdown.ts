// Markdown for a pull request comment or a GitHub job summary: a one-line verdict, then before → after tables.
import type { CheckResult } from '../gate/check.js';
import type { DiffResult } from '../gate/diff.js';
import type { LayerChange, TotalsChange } from '../gate/types.js';
import { arrow, describeLayer, diskBytes, signedAmount } from './gate-text.js';
import { count, shape } from './format.js';
import { percentText, plural } from '../model/text.js';
import { mdCell, mdCode } from './escape/markdown.js';

/** Text for a table cell or a line: Markdown as text, never markup (src/report/escape/markdown.ts). */
export const cell = mdCell;
export const code = (s: string) => mdCode(s);

function totalsTable(t: TotalsChange): string[] {
  const row = (what: string, c: TotalsChange['params'], unit: (n: number | null) => string = count) => {
    const d = c.delta ?? 0;
    const amount = d === 0 ? '0' : signedAmount(d, unit);
    const change = c.delta === null ? '' : `${amount}${c.percent === null || d === 0 ? '' : ` (${percentText(c.percent, true)})`}`;
    return `| ${what} | ${c.before === null ? '–' : unit(c.before)} | ${unit(c.after)} | ${change} |`;
  };
  return [
    '| | Before | After | Change |',
    '| --- | ---: | ---: | ---: |',
    row('Total params', t.params),
    row('Trainable params', t.trainable),
    row('Non-trainable params', t.nonTrainable),
    row('Size on disk', t.diskBytes, diskBytes),
  ];
}

function layersTable(layers: LayerChange[]): string[] {
  if (!layers.length) return ['No layer added, removed or changed.'];
  const params = (c: LayerChange) => `${c.before ? count(c.before.params) : '–'} → ${c.after ? count(c.after.params) : '–'}`;
  const out = (c: LayerChange) => `${c.before ? shape(c.before.outputShape) : '–'} → ${c.after ? shape(c.after.outputShape) : '–'}`;
  return [
    '| Layer | Class | Change | Params before → after | Output shape before → after |',
    '| --- | --- | --- | ---: | --- |',
    ...layers.map(
      (c) =>
        `| ${code(c.name)} | ${cell((c.after ?? c.before)!.className ?? '?')} | ${cell(describeLayer(c))} | ${params(c)} | ${cell(out(c))} |`,
    ),
  ];
}

/**
 * The hidden first line of every Markdown verdict of `check`: a workflow (or the action, given a token) finds
 * its own pull-request comment by it and updates that comment instead of adding one per push.
 */
export const CHECK_MARKER = '<!-- kerascope check -->';

/** How to accept an intended change: the command to run, and the files to commit after it. */
export interface AcceptHint {
  command: string;
  commit: string[];
}

export function acceptMarkdown(h: AcceptHint): string {
  return `To accept this change as intended, run ${code(h.command)}${h.commit.length ? `, then commit ${h.commit.map(code).join(', ')}` : ''}.`;
}

export interface CheckMarkdownOptions {
  /** Start with CHECK_MARKER (default); a set of entries writes it once, at its top. */
  marker?: boolean;
  hint?: AcceptHint | null;
}

export function renderCheckMarkdown(r: CheckResult, opts: CheckMarkdownOptions = {}): string {
  const verdict = r.verdict === 'pass' ? '✅ **kerascope check passed**' : '❌ **kerascope check failed**';
  const out = [
    ...(opts.marker === false ? [] : [CHECK_MARKER]),
    `${verdict}: ${cell(r.summary)}`,
    '',
    `Model ${code(r.file)} (${cell(r.format)})${r.baseline ? ` against baseline ${code(r.baseline)}` : ''}.`,
    '',
    ...totalsTable(r.totals),
  ];
  if (r.budgets.length) {
    out.push('', '| Budget | Limit | Result |', '| --- | --- | --- |');
    for (const b of r.budgets) out.push(`| ${code(`--${b.budget}`)} | ${cell(b.limit)} | ${b.ok ? '✅' : '❌'} ${cell(b.message)} |`);
  }
  if (r.baseline)
    out.push(
      '',
      `**Layers** (${r.sameArchitecture ? 'same architecture hash' : 'architecture hash differs'})`,
      '',
      ...layersTable(r.layers),
    );
  if (r.errors.length) {
    out.push('', '**Error findings**', '');
    for (const e of r.errors)
      out.push(`- ${e.new ? '❌' : 'known:'} ${code(e.code)}${e.layer ? ` (${code(e.layer)})` : ''}: ${cell(e.message)}`);
  }
  if (opts.hint && r.verdict === 'fail') out.push('', acceptMarkdown(opts.hint));
  return out.join('\n');
}

export function renderDiffMarkdown(r: DiffResult): string {
  const changed = r.layers.filter((c) => c.kind !== 'renamed').length;
  const p = r.totals.params;
  const verdict = `**kerascope diff**: ${changed ? `${plural(changed, 'layer')} changed` : 'no layer changed'}, total params ${arrow(p)}`;
  const out = [
    verdict,
    '',
    `${code(r.before.file)} (${cell(r.before.format)}) → ${code(r.after.file)} (${cell(r.after.format)})`,
    '',
    ...totalsTable(r.totals),
    '',
    ...layersTable(r.layers),
    '',
  ];
  const w = r.weightsCompat;
  if (!w.applicable) out.push(`Weights: not applicable (${cell(w.reason ?? '')}).`);
  else {
    out.push(`- ${w.topological!.ok ? '✅' : '❌'} \`load_weights\` (topological order): ${cell(w.topological!.message)}`);
    out.push(`- ${w.byName!.ok ? '✅' : '❌'} \`load_weights(by_name=True)\`: ${cell(w.byName!.message)}`);
  }
  return out.join('\n');
}
