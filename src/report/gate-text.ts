// Text output of `check` and `diff` (colours only when asked, i.e. on a TTY), and the phrases the Markdown
// and GitHub renderers share.
import type { CheckResult } from '../gate/check.js';
import type { DiffResult } from '../gate/diff.js';
import type { Change, LayerChange, TotalsChange } from '../gate/types.js';
import type { WeightsCompat } from '../gate/weights.js';
import { bytes, count, shape } from './format.js';
import { MINUS, percentText, signedCount } from '../model/text.js';
import { terminalSafe } from './escape/terminal.js';

const signed = signedCount;

/** `25 → 30 (+5, +20%)`; `25` when unchanged. */
export function arrow(c: Change, unit: (n: number | null) => string = count): string {
  if (c.before === null) return unit(c.after);
  if (c.delta === 0) return `${unit(c.after)} (unchanged)`;
  const d = c.delta === null ? '' : ` (${signedAmount(c.delta, unit)}${c.percent === null ? '' : `, ${percentText(c.percent, true)}`})`;
  return `${unit(c.before)} → ${unit(c.after)}${d}`;
}

export const diskBytes = (n: number | null) => (n === null ? '?' : `${bytes(n)}`);

/** A signed change in the given unit: `+5`, `−1,024` for counts, `+1.00 KB` for sizes; the one minus sign (U+2212). */
export function signedAmount(n: number, unit: (n: number | null) => string = count): string {
  if (unit === count) return signedCount(n);
  return `${n > 0 ? '+' : n < 0 ? MINUS : '±'}${unit(Math.abs(n))}`;
}

export function layerLabel(c: LayerChange): string {
  const cls = (c.after ?? c.before)!.className;
  return `${c.name}${cls ? ` (${cls})` : ''}`;
}

/** What changed in one layer, in words: `params 5 → 10 (+5); output shape (None, 1) → (None, 2)`. */
export function describeLayer(c: LayerChange): string {
  const a = c.before;
  const b = c.after;
  if (c.kind === 'added') return `added: ${count(b!.params)} params, output shape ${shape(b!.outputShape)}`;
  if (c.kind === 'removed') return `removed: ${count(a!.params)} params, output shape ${shape(a!.outputShape)}`;
  const parts: string[] = [];
  if (c.renamedFrom) parts.push(`renamed from ${c.renamedFrom}`);
  if (c.aspects.includes('class')) parts.push(`class ${a!.className} → ${b!.className}`);
  if (c.aspects.includes('params')) parts.push(`params ${count(a!.params)} → ${count(b!.params)} (${signed(c.delta)})`);
  if (c.aspects.includes('outputShape')) parts.push(`output shape ${shape(a!.outputShape)} → ${shape(b!.outputShape)}`);
  if (c.aspects.includes('weights') && !c.aspects.includes('params')) {
    parts.push(`weight shapes ${a!.weights.map((w) => shape(w.shape)).join(' ')} → ${b!.weights.map((w) => shape(w.shape)).join(' ')}`);
  }
  if (c.aspects.includes('trainable')) {
    parts.push(
      `trainable ${count(a!.trainable)} → ${count(b!.trainable)}, non-trainable ${count(a!.nonTrainable)} → ${count(b!.nonTrainable)}${a!.params === b!.params ? (b!.trainable! < a!.trainable! ? ' (frozen)' : ' (unfrozen)') : ''}`,
    );
  }
  return parts.join('; ');
}

export function weightsLine(w: WeightsCompat): string[] {
  if (!w.applicable) return [`Weights: not applicable (${w.reason})`];
  const t = w.topological!;
  const n = w.byName!;
  return [
    `Weights: would the second file's weights load into the first file's architecture?`,
    `  load_weights (topological order): ${t.ok ? 'yes' : 'no'} — ${t.message}`,
    `  load_weights(by_name=True):       ${n.ok ? 'yes' : 'no'} — ${n.message}`,
  ];
}

interface Paint {
  red: (s: string) => string;
  green: (s: string) => string;
  yellow: (s: string) => string;
  bold: (s: string) => string;
}

function paint(color: boolean): Paint {
  const w = (code: number) => (s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  return { red: w(31), green: w(32), yellow: w(33), bold: w(1) };
}

const MARK: Record<LayerChange['kind'], string> = { added: '+', removed: '-', changed: '~', renamed: '=' };

function layerLines(layers: LayerChange[], p: Paint): string[] {
  if (!layers.length) return ['  no layer added, removed or changed'];
  const width = Math.min(
    40,
    layers.reduce((w, c) => Math.max(w, layerLabel(c).length), 0),
  );
  return layers.map((c) => {
    const line = `  ${MARK[c.kind]} ${layerLabel(c).padEnd(width)}  ${describeLayer(c)}`;
    return c.kind === 'added' ? p.green(line) : c.kind === 'removed' ? p.red(line) : c.kind === 'changed' ? p.yellow(line) : line;
  });
}

function totalsLines(t: TotalsChange): string[] {
  return [
    `  Total params:          ${arrow(t.params)}`,
    `  Trainable params:      ${arrow(t.trainable)}`,
    `  Non-trainable params:  ${arrow(t.nonTrainable)}`,
    `  Size on disk:          ${arrow(t.diskBytes, diskBytes)}`,
  ];
}

/** `To accept this change as intended, run: …` and the files to commit, for a failed check. */
export function acceptText(h: { command: string; commit: string[] }): string {
  return `To accept this change as intended, run: ${h.command}${h.commit.length ? `\nthen commit ${h.commit.join(', ')}` : ''}`;
}

export function renderCheckText(result: CheckResult, color = false, hint: { command: string; commit: string[] } | null = null): string {
  const r = terminalSafe(result);
  const p = paint(color);
  const out = [p.bold(`Check: ${r.file} (${r.format})${r.baseline ? ` against ${r.baseline}` : ''}`)];
  if (r.baseline) {
    out.push(`Layers (${r.sameArchitecture ? 'same architecture hash' : 'architecture hash differs'}):`, ...layerLines(r.layers, p));
  }
  out.push('Totals:', ...totalsLines(r.totals));
  if (r.budgets.length) {
    out.push('Budgets:');
    for (const b of r.budgets) out.push(`  ${b.ok ? p.green('ok  ') : p.red('FAIL')} --${b.budget} ${b.limit}: ${b.message}`);
  }
  if (r.errors.length) {
    out.push('Error findings:');
    for (const e of r.errors) out.push(`  ${e.new ? p.red('FAIL') : 'known'} ${e.code}${e.layer ? ` (${e.layer})` : ''}: ${e.message}`);
  }
  out.push(r.verdict === 'pass' ? p.green(`PASS: ${r.summary}`) : p.red(`FAIL: ${r.summary}`));
  if (hint && r.verdict === 'fail') out.push(acceptText(terminalSafe(hint)));
  return out.join('\n');
}

export function renderDiffText(result: DiffResult, color = false): string {
  const r = terminalSafe(result);
  const p = paint(color);
  return [
    p.bold(`Diff: ${r.before.file} (${r.before.format}) → ${r.after.file} (${r.after.format})`),
    `Layers (${r.sameArchitecture ? 'same architecture hash' : 'architecture hash differs'}):`,
    ...layerLines(r.layers, p),
    'Totals:',
    ...totalsLines(r.totals),
    ...weightsLine(r.weightsCompat),
  ].join('\n');
}
