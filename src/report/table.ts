// The human report: a table like Keras `model.summary()` with Stored # and Status, totals, findings.
import { categoryOf } from '../model/findings.js';
import Table from 'cli-table3';
import type { LayerStatus, Report } from '../model/types.js';
import { bytes, count, shape } from './format.js';
import { colors, ellipsize, fitColumns, severityText, statusText, type TextStyle, textWidth, wrapWords } from './style.js';
import { clip, moreText, summarizeFindings } from './summarize.js';
import { terminalSafe } from './escape/terminal.js';
import { showTrainableColumn, trainableMark } from './trainable.js';

export interface TableOptions extends TextStyle {
  /** `inspect --explain`: a Formula column with each layer's arithmetic, keyed by `path/…/name`. */
  formulas?: Map<string, string>;
  /** Keras' `Connected to` column, keyed by `path/…/name` (`connectionsColumn(graph)`); functional models. */
  connections?: Map<string, string>;
}

export function renderTable(report: Report, options: TableOptions = {}): string {
  const r = terminalSafe(report);
  const opts = terminalSafe(options);
  const width = opts.width ?? 80;
  const c = colors(opts.color);
  const out: string[] = [];
  // Keras' `Model: "name"`, then the file; the writer (`Keras 2.9.0`, `TensorFlow.js tfjs-layers 4.22.0`),
  // then the Keras version a converter kept.
  const keras = r.kerasVersion && !r.producer?.includes(r.kerasVersion) ? `, Keras ${r.kerasVersion}` : '';
  const version = `${r.producer ? `, ${r.producer}` : ''}${keras}`;
  if (r.model) out.push(`Model: "${r.model.name}"`);
  out.push(`${r.model ? 'File' : 'Model'}: ${r.file} (${r.format}${version})`);
  // Keras leaves the InputLayer out of a Sequential model's summary.
  const shown = r.model?.className === 'Sequential' ? r.layers.filter((l) => !(l.depth === 0 && l.className === 'InputLayer')) : r.layers;
  if (shown.length) {
    const f = opts.formulas;
    // Like Keras `show_trainable`: a Trainable column as soon as one layer is frozen.
    const trainableOf = trainableMark;
    const showTrainable = showTrainableColumn(shown);
    const conn = opts.connections;
    const head = [
      'Layer (type)',
      'Output Shape',
      'Param #',
      ...(f ? ['Formula'] : []),
      'Stored #',
      'Status',
      ...(showTrainable ? ['Trainable'] : []),
      ...(conn ? ['Connected to'] : []),
    ];
    const aligns: ('left' | 'right' | 'center')[] = [
      'left',
      'left',
      'right',
      ...(f ? ['left' as const] : []),
      'right',
      'left',
      ...(showTrainable ? ['center' as const] : []),
      ...(conn ? ['left' as const] : []),
    ];
    const body = shown.map((l) => {
      const indent = '  '.repeat(l.depth);
      const type = l.className ? ` (${l.className})` : '';
      const params = l.className === null || l.params.trainable === null ? null : l.params.trainable + (l.params.nonTrainable ?? 0);
      const formula = f ? [f.get([...l.path, l.name].join('/')) ?? (l.className === null ? '' : '?')] : [];
      const connected = conn ? [conn.get([...l.path, l.name].join('/')) ?? '-'] : [];
      return [
        `${indent}${l.name}${type}`,
        shape(l.outputShape),
        count(params),
        ...formula,
        count(l.params.stored),
        l.status,
        ...(showTrainable ? [trainableOf(l)] : []),
        ...connected,
      ];
    });
    // Fit the terminal: long names, shapes and formulas are shortened with `…`, never broken.
    const natural = head.map((h, i) => Math.max(textWidth(h), ...body.map((row) => textWidth(row[i]!))) + 2);
    const flexible = [0, 1, ...(f ? [3] : []), ...(conn ? [head.length - 1] : [])];
    const colWidths = fitColumns(natural, flexible, width, 10);
    const statusCol = head.indexOf('Status');
    const t = new Table({
      head,
      style: { head: [], border: [] },
      chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
      colAligns: aligns,
      colWidths,
    });
    for (const row of body) {
      const cells = row.map((cell, i) => (i === statusCol ? cell : ellipsize(clip(cell), colWidths[i]! - 2)));
      cells[statusCol] = statusText(row[statusCol] as LayerStatus, c);
      t.push(cells);
    }
    out.push(t.toString());
  }
  const tt = r.totals;
  out.push(` Total params: ${count(tt.params)} (${bytes(tt.paramBytes)})`);
  if (tt.trainable === null) {
    out.push(' Trainable / non-trainable: unknown (no architecture says which weights train)');
  } else {
    out.push(` Trainable params: ${count(tt.trainable)} (${bytes(tt.trainableBytes ?? 0)})`);
    out.push(` Non-trainable params: ${count(tt.nonTrainable)} (${bytes(tt.nonTrainableBytes ?? 0)})`);
  }
  out.push(` Stored: ${count(tt.stored)} values (${bytes(tt.storedBytes)} on disk)`);
  if (tt.optimizerStored) out.push(` Optimizer state stored: ${count(tt.optimizerStored)} values (not model parameters)`);
  if (tt.metricsStored) out.push(` Metric state stored: ${count(tt.metricsStored)} values (not model parameters)`);
  out.push('');
  out.push(...renderFindings(r, { width, color: opts.color }));
  return out.join('\n');
}

/** The findings, one each, wrapped at the width under their message; or the line that says there are none. */
export function renderFindings(report: Report, opts: TextStyle = {}): string[] {
  const r = terminalSafe(report);
  const c = colors(opts.color);
  const width = opts.width ?? 80;
  if (!r.findings.length) {
    // --manifest-only never looked at the shards: say so rather than that every tensor matches.
    return [
      r.meta.shards === 'not checked'
        ? 'No findings in model.json; the weight shards were not checked (--manifest-only).'
        : 'No findings: every stored tensor matches its layer formula.',
    ];
  }
  const out: string[] = [];
  // Security apart from integrity. Many findings of one kind: a few examples and a count (the JSON keeps
  // every one); messages cut before they are wrapped, so rendering stays linear whatever the input.
  for (const category of ['security', 'integrity'] as const) {
    const mine = r.findings.filter((f) => categoryOf(f.code) === category);
    if (!mine.length) continue;
    if (out.length) out.push('');
    out.push(`${category === 'security' ? 'Security' : 'Integrity'} findings (${count(mine.length)}):`);
    for (const row of summarizeFindings(mine)) {
      const severity = 'finding' in row ? row.finding.severity : row.severity;
      const text = 'finding' in row ? `${row.finding.code}: ${clip(row.finding.message, 2000)}` : `${row.code}: ${moreText(row)}`;
      const lead = `  ${severity.padEnd(8)} `;
      const lines = wrapWords(text, width, lead, ' '.repeat(lead.length));
      lines[0] = `  ${severityText(severity, c, 8)} ${lines[0]!.slice(lead.length)}`;
      for (const line of lines) out.push(line);
    }
  }
  return out;
}
