// The human report: a table like Keras `model.summary()` with Stored # and Status, totals, findings.
import Table from 'cli-table3';
import type { Report } from '../model/types.js';
import { bytes, count, shape } from './format.js';
import { clip, moreText, summarizeFindings } from './summarize.js';

export interface TableOptions {
  /** `inspect --explain`: a Formula column with each layer's arithmetic, keyed by `path/…/name`. */
  formulas?: Map<string, string>;
}

export function renderTable(r: Report, opts: TableOptions = {}): string {
  const out: string[] = [];
  // `2.9.0` is a Keras version; TF.js writes its own (`tfjs-layers 4.22.0`).
  const version = r.kerasVersion ? (/^\d/.test(r.kerasVersion) ? `, Keras ${r.kerasVersion}` : `, ${r.kerasVersion}`) : '';
  out.push(`Model: ${r.file} (${r.format}${version})`);
  if (r.layers.length) {
    const f = opts.formulas;
    const t = new Table({
      head: ['Layer (type)', 'Output Shape', 'Param #', ...(f ? ['Formula'] : []), 'Stored #', 'Status'],
      style: { head: [], border: [] },
      chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
      colAligns: ['left', 'left', 'right', ...(f ? ['left' as const] : []), 'right', 'left'],
    });
    for (const l of r.layers) {
      const indent = '  '.repeat(l.depth);
      const type = l.className ? ` (${l.className})` : '';
      const params = l.className === null || l.params.trainable === null ? null : l.params.trainable + (l.params.nonTrainable ?? 0);
      const formula = f ? [f.get([...l.path, l.name].join('/')) ?? (l.className === null ? '' : '?')] : [];
      t.push([clip(`${indent}${l.name}${type}`), clip(shape(l.outputShape)), count(params), ...formula, count(l.params.stored), l.status]);
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
  if (r.findings.length) {
    out.push('');
    out.push(`Findings (${r.findings.length}):`);
    for (const row of summarizeFindings(r.findings)) {
      if ('finding' in row) out.push(`  ${row.finding.severity.padEnd(7)} ${row.finding.code}: ${clip(row.finding.message, 2000)}`);
      else out.push(`  ${row.severity.padEnd(7)} ${row.code}: ${moreText(row)}`);
    }
  } else {
    out.push('');
    out.push('No findings: every stored tensor matches its layer formula.');
  }
  return out.join('\n');
}
