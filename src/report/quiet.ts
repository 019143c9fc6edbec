// `inspect --quiet`: the totals line and the findings, for scripts and logs.
import type { Report } from '../model/types.js';
import { bytes, count } from './format.js';
import type { TextStyle } from './style.js';
import { renderFindings } from './table.js';
import { terminalSafe } from './escape/terminal.js';

export function renderQuiet(report: Report, opts: TextStyle = {}): string {
  const r = terminalSafe(report);
  const t = r.totals;
  const split = t.trainable === null ? '' : `, trainable ${count(t.trainable)}, non-trainable ${count(t.nonTrainable)}`;
  const head = `${r.file}: ${count(t.params)} params (${bytes(t.paramBytes)})${split}; stored ${count(t.stored)} values`;
  return r.findings.length ? [head, ...renderFindings(r, opts)].join('\n') : head;
}
