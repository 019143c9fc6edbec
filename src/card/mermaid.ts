// The layer graph as a Mermaid flowchart (GitHub and the Hugging Face Hub render it): one node per unit of
// the folded graph (a layer, or a folded block), edges as the model wires them.
import { mermaidLabel } from '../report/escape/mermaid.js';
import { count, shape } from '../report/format.js';
import type { FoldedGraph, Unit } from './fold.js';

/** Mermaid label text (src/report/escape/mermaid.ts): one line, no `%%`, quotes and brackets as entity codes. */
export const mermaidText = mermaidLabel;

export function unitLines(u: Unit): string[] {
  return [u.title, `${shape(u.outputShape)} · ${count(u.params)} params`];
}

export function renderMermaid(g: FoldedGraph): string {
  const out = ['flowchart TD'];
  for (const u of g.units) out.push(`  ${u.id}["${unitLines(u).map(mermaidText).join('<br/>')}"]`);
  for (const e of g.edges) out.push(`  ${e.from} --> ${e.to}`);
  return out.join('\n');
}
