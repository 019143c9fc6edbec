// The two outputs the page takes from the model-card work (branch `cards`): the layer graph as SVG and
// the Markdown card. They are not in this branch yet, so both hooks return null and the page shows
// neither the graph panel nor the card button. When merging, the lead wires them here, e.g.
//   graphSvg:     (i) => renderGraphSvg(i.graph, i.report)
//   cardMarkdown: (i) => renderCardMarkdown(i.report, i.graph)
// Nothing else in src/web needs to change: the worker calls these once per inspection, the page shows
// the SVG (already escaped markup from the renderer) and adds a "Markdown card" download.
import type { Inspection } from '../inspect.js';

export interface WebExtras {
  /** SVG markup of the layer graph (the same renderer as the HTML card), or null. */
  graphSvg(inspection: Inspection): string | null;
  /** The model card as Markdown, or null. */
  cardMarkdown(inspection: Inspection): string | null;
}

export const extras: WebExtras = {
  graphSvg: () => null,
  cardMarkdown: () => null,
};
