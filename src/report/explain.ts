// `kerascope explain` output: text for a terminal, a markdown table for documentation (model cards), JSON
// (schema/explain.schema.json) with each expression as a tree. Everything printed is read off the
// expression trees the formula table built; nothing here computes a count.
import { print } from '../layers/expr.js';
import {
  type ClassFormula,
  type ExplainedEntry,
  type ExplainedLayer,
  type Explanation,
  arithmeticText,
  generalText,
  layerKey,
} from '../explain/index.js';
import { count } from './format.js';
import { stringifyJson } from './escape/json.js';
import { mdCell, mdCode, mdText } from './escape/markdown.js';
import { terminalSafe } from './escape/terminal.js';

export type ExplainFormat = 'text' | 'markdown' | 'json';

const axes = (xs: string[]) => `(${xs.join(', ')}${xs.length === 1 ? ',' : ''})`;

/** `in = 3, units = 4` */
function sizesText(l: ExplainedLayer): string {
  return l.sizes.map((s) => `${s.name} = ${s.value === null ? '?' : count(s.value)}`).join(', ');
}

/** `use_bias = true, center = true` */
function settingsText(l: ExplainedLayer): string {
  return Object.entries(l.settings)
    .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
    .join(', ');
}

/** The variables of a layer, one line each: name, symbolic shape, shape, trainable. */
function variableLines(l: ExplainedLayer, indent: string, values = true): string[] {
  const rows = l.variables.map((v) => [
    v.name,
    axes(v.factors.map((f) => print(f, 'symbols'))),
    axes(v.factors.map((f) => (f.value === null ? '?' : String(f.value)))),
    v.count === null ? '?' : count(v.count),
    v.trainable ? 'trainable' : 'non-trainable',
  ]);
  const widths = [0, 1, 2, 3].map((i) => rows.reduce((w, r) => Math.max(w, r[i]!.length), 0));
  return rows.map((r) =>
    values
      ? `${indent}${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padEnd(widths[1]!)}  = ${r[2]!.padEnd(widths[2]!)}  ${r[3]!.padStart(widths[3]!)}  ${r[4]}`
      : `${indent}${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padEnd(widths[1]!)}  ${r[4]}`,
  );
}

/** `= 16`, or `= 256 (128 trainable + 128 non-trainable)` when both kinds are present. */
function resultText(l: { params: number | null; trainable: number | null; nonTrainable: number | null }): string {
  const split = l.trainable && l.nonTrainable ? ` (${count(l.trainable)} trainable + ${count(l.nonTrainable)} non-trainable)` : '';
  return `${count(l.params)}${split}`;
}

function layerText(l: ExplainedEntry): string[] {
  const title = `${layerKey(l)} (${l.className})`;
  if (l.source === 'stored') {
    return [title, `  not from a formula (${l.note ?? 'unknown'}): ${count(l.params)} stored values counted`];
  }
  const sizes = sizesText(l);
  const settings = settingsText(l);
  return [
    `${title}${sizes ? `: ${sizes}` : ''}`,
    ...(settings ? [`  settings: ${settings}`] : []),
    ...variableLines(l, '  '),
    `  params = ${generalText(l)}`,
    `  = ${arithmeticText(l)} = ${resultText(l)}`,
  ];
}

/** `partial`: only some layers are shown (`--layer`); the totals are still the whole model's. */
export interface ExplainRenderOptions {
  partial?: boolean;
}

export function renderExplainText(explanation: Explanation, opts: ExplainRenderOptions = {}): string {
  const e = terminalSafe(explanation);
  const out: string[] = [
    `Model: ${e.file} (${e.format}${e.kerasVersion ? `, ${/^\d/.test(e.kerasVersion) ? 'Keras ' : ''}${e.kerasVersion}` : ''})`,
    '',
  ];
  if (e.note) out.push(`${e.note[0]!.toUpperCase()}${e.note.slice(1)}.`, '');
  else if (!e.layers.length) out.push('No layer with weights.', '');
  for (const l of e.layers) {
    for (const line of layerText(l)) out.push(line);
    out.push('');
  }
  const t = e.total;
  if (opts.partial) out.push('Whole model:');
  else if (e.layers.length > 12) out.push(`Total = the sum of the ${e.layers.length} layers above = ${count(t.params)}`);
  else if (e.layers.length)
    out.push(`Total = ${e.layers.map((l) => `${layerKey(l)} ${count(l.params)}`).join(' + ')} = ${count(t.params)}`);
  out.push(` Total params: ${count(t.params)}`);
  if (t.trainable === null) out.push(' Trainable / non-trainable: unknown (no architecture says which weights train)');
  else out.push(` Trainable params: ${count(t.trainable)}`, ` Non-trainable params: ${count(t.nonTrainable)}`);
  return out.join('\n');
}

const cell = mdCell;

export function renderExplainMarkdown(e: Explanation, opts: ExplainRenderOptions = {}): string {
  const out = ['| Layer | Class | Sizes | Formula | Arithmetic | Params |', '| --- | --- | --- | --- | --- | ---: |'];
  for (const l of e.layers) {
    const formula = l.source === 'stored' ? 'stored (no formula)' : mdCode(generalText(l));
    const arithmetic = l.source === 'stored' ? cell(l.note ?? '') : cell(arithmeticText(l));
    out.push(`| ${cell(layerKey(l))} | ${cell(l.className)} | ${cell(sizesText(l))} | ${formula} | ${arithmetic} | ${count(l.params)} |`);
  }
  const t = e.total;
  const sum = opts.partial ? 'whole model' : e.layers.map((l) => count(l.params)).join(' + ') || '0';
  out.push(`| **Total** | | | | ${cell(sum)} | **${count(t.params)}** |`);
  if (t.trainable !== null) {
    out.push('', `Trainable params: ${count(t.trainable)} · Non-trainable params: ${count(t.nonTrainable)}`);
  }
  return out.join('\n');
}

/** Two-space JSON with lists of plain values (shapes) kept on one line. */
export function compactJson(x: unknown): string {
  return stringifyJson(x, 2)
    .replace(
      /\[\s*([^[\]{}]*?)\s*\]/g,
      (_, inner: string) =>
        `[${inner
          .split(/,\s*/)
          .map((s) => s.trim())
          .join(', ')}]`,
    )
    .replace(/\{\s*("op": "(?:sym|num)"[^{}[\]]*?)\s*\}/g, (_, inner: string) => `{ ${inner.split(/,\s*\n\s*/).join(', ')} }`);
}

export function renderExplainJson(e: Explanation): string {
  return compactJson(e);
}

export function renderExplain(e: Explanation, format: ExplainFormat, opts: ExplainRenderOptions = {}): string {
  return format === 'json' ? renderExplainJson(e) : format === 'markdown' ? renderExplainMarkdown(e, opts) : renderExplainText(e, opts);
}

// ── a class's general formula ────────────────────────────────────────────────────────────────────────

/** Meaning of the common named sizes, for the `--class` output. */
const MEANING: Record<string, string> = {
  in: 'input width: the last axis of the input (the channel axis for convolutions)',
  units: 'config units (Keras 1: output_dim)',
  filters: 'config filters',
  groups: 'config groups',
  depth_multiplier: 'config depth_multiplier',
  k: 'config kernel_size',
  kernel_h: 'config kernel_size[0]',
  kernel_w: 'config kernel_size[1]',
  kernel_d: 'config kernel_size[0]',
  C: 'channels: the size of the normalized axis of the input',
  input_dim: 'config input_dim (vocabulary size)',
  output_dim: 'config output_dim',
  heads: 'config num_heads',
  key_dim: 'config key_dim',
  value_dim: 'config value_dim (default key_dim)',
  dim_q: 'last axis of the query input',
  dim_k: 'last axis of the key input (default: value)',
  dim_v: 'last axis of the value input',
  out: "config output_shape (default: the query's last axis)",
  q_heads: 'config num_query_heads',
  kv_heads: 'config num_key_value_heads',
  head_dim: 'config head_dim',
};

export function renderClassFormula(formula: ClassFormula, format: ExplainFormat, withValues: boolean): string {
  const f = format === 'text' ? terminalSafe(formula) : formula;
  const l = f.layer;
  if (format === 'json') {
    // `layer` has the shape of one layer of schema/explain.schema.json ($defs/layer).
    return compactJson({
      schemaVersion: 1,
      className: f.className,
      config: f.config,
      inputShapes: f.inputShapes,
      general: generalText(l),
      layer: { ...l, source: 'formula' },
    });
  }
  const alias = f.entry !== f.className ? ` (served by the ${f.entry} entry)` : '';
  if (format === 'markdown') {
    const rows = ['| Variable | Shape | Elements | Trainable |', '| --- | --- | --- | --- |'];
    for (const v of l.variables) {
      rows.push(
        `| ${cell(v.name)} | ${cell(axes(v.factors.map((x) => print(x, 'symbols'))))} | ${mdCode(print(v.expression, 'symbols'))} | ${v.trainable ? 'yes' : 'no'} |`,
      );
    }
    return [
      `**${mdText(f.className)}**${mdText(alias)}: ${mdCode(generalText(l), false)}`,
      '',
      ...(l.variables.length ? rows : ['no weights']),
    ].join('\n');
  }
  const out = [`${f.className}${alias}`];
  if (!l.variables.length) {
    out.push('  no weights: 0 parameters');
    return out.join('\n');
  }
  for (const item of variableLines(l, '  ', withValues)) out.push(item);
  out.push(`  params = ${generalText(l)}`);
  const named = l.sizes.filter((s) => MEANING[s.name]);
  if (named.length) {
    out.push('  where');
    for (const s of named) out.push(`    ${s.name}: ${MEANING[s.name]}`);
  }
  const input = f.inputShapes.map((s) => `(${s.map((d) => (d === null ? 'None' : d)).join(', ')})`).join(', ');
  out.push(`${withValues ? 'With' : 'Example:'} config ${JSON.stringify(f.config)} on input ${input}:`);
  out.push(`  ${sizesText(l)}`);
  out.push(`  = ${arithmeticText(l)} = ${resultText(l)}`);
  return out.join('\n');
}
