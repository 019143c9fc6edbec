// The human report: a table like Keras `model.summary()` with Stored # and Status, totals, findings.
import Table from 'cli-table3';
import type { Report } from '../model/types.js';
import { bytes, count, shape } from './format.js';

export interface TableOptions {
  /** `inspect --explain`: a Formula column with each layer's arithmetic, keyed by `path/…/name`. */
  formulas?: Map<string, string>;
}

export function renderTable(r: Report, opts: TableOptions = {}): string {
  const out: string[] = [];
  // The writer (`Keras 2.9.0`, `TensorFlow.js tfjs-layers 4.22.0`), then the Keras version a converter kept.
  const keras = r.kerasVersion && !r.producer?.includes(r.kerasVersion) ? `, Keras ${r.kerasVersion}` : '';
  const version = `${r.producer ? `, ${r.producer}` : ''}${keras}`;
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
      t.push([`${indent}${l.name}${type}`, shape(l.outputShape), count(params), ...formula, count(l.params.stored), l.status]);
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
  if (r.findings.length) {
    out.push('');
    out.push(`Findings (${r.findings.length}):`);
    for (const f of r.findings) out.push(`  ${f.severity.padEnd(7)} ${f.code}: ${f.message}`);
  } else {
    out.push('');
    out.push('No findings: every stored tensor matches its layer formula.');
  }
  return out.join('\n');
}
