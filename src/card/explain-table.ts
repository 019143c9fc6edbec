// The card's "How the counts arise": one row per class and formula (a MobileNetV2 has 52 BatchNormalization
// layers, all `4·C`), the layers each row stands for, their summed count; the full per-layer table of
// `kerascope explain` below it in a collapsed <details> block.
import type { Explanation } from '../explain/index.js';
import { generalText } from '../explain/index.js';
import { renderExplainMarkdown } from '../report/explain.js';
import { count } from '../report/format.js';

export interface FormulaRow {
  className: string;
  /** The general formula (`kernel_h·kernel_w·in·filters + filters`), or null for stored counts. */
  formula: string | null;
  layers: string[];
  params: number;
}

/** Layers grouped by class and formula, in order of first appearance. */
export function formulaRows(e: Explanation): FormulaRow[] {
  const rows = new Map<string, FormulaRow>();
  for (const l of e.layers) {
    const formula = l.source === 'stored' ? null : generalText(l);
    const key = `${l.className}\u0000${formula ?? ''}`;
    const row = rows.get(key) ?? { className: l.className, formula, layers: [], params: 0 };
    row.layers.push(l.path.length ? [...l.path, l.name].join('/') : l.name);
    row.params += l.params ?? 0;
    rows.set(key, row);
  }
  return [...rows.values()];
}

/** The folded table and the full one (collapsed); `cell` escapes a table cell, `code` quotes text. */
export function explainTables(e: Explanation, cell: (s: string) => string, code: (s: string) => string): string {
  const rows = formulaRows(e);
  const out = ['| Class | Formula | Layers | Params |', '| --- | --- | --- | ---: |'];
  for (const r of rows) {
    const names = r.layers.length > 3 ? `${r.layers.slice(0, 2).join(', ')}, …, ${r.layers[r.layers.length - 1]}` : r.layers.join(', ');
    const times = r.layers.length > 1 ? `×${r.layers.length}: ` : '';
    out.push(
      `| ${cell(r.className)} | ${r.formula === null ? 'stored (no formula)' : cell(code(r.formula))} | ${times}${cell(names)} | ${count(r.params)} |`,
    );
  }
  out.push(`| **Total** | | ${e.layers.length} layers | **${count(e.total.params)}** |`);
  if (e.total.trainable !== null)
    out.push('', `Trainable params: ${count(e.total.trainable)} · Non-trainable params: ${count(e.total.nonTrainable)}`);
  out.push('', '<details>', '', '<summary>Every layer, with its arithmetic</summary>', '', renderExplainMarkdown(e), '', '</details>');
  return out.join('\n');
}
