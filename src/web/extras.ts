// The two outputs the page takes from the model-card renderer (src/card/): the layer graph as SVG and the
// Markdown card. The worker calls these once per inspection; the page shows the SVG and adds a
// "Markdown card" download. The SVG leaves its stylesheet out (the page's Content-Security-Policy allows no
// inline style): the same rules, GRAPH_CSS, are appended to the page's style.css by scripts/build-web.mjs.
// With the SVG goes which layers each drawn box holds (`data-unit` → top-level layer names), so the page can
// mark the boxes of layers whose status is not `ok`.
import { foldGraph, renderCardMarkdown, renderGraphSvg } from '../card/index.js';
import type { Inspection } from '../inspect.js';

export interface WebGraph {
  /** SVG markup of the layer graph (the same renderer and folding as the HTML card). */
  svg: string;
  /** Each box's `data-unit` id → the names of the top-level layers it draws. */
  units: Record<string, string[]>;
}

export interface WebExtras {
  /** The layer graph, or null when the model has none. */
  graph(inspection: Inspection): WebGraph | null;
  /** The model card as Markdown, or null. */
  cardMarkdown(inspection: Inspection): string | null;
}

export const extras: WebExtras = {
  graph: (i) => {
    if (!i.graph) return null;
    const folded = foldGraph(i.graph, i.report, 'auto');
    return {
      svg: renderGraphSvg(folded, { embedStyle: false }),
      units: Object.fromEntries(folded.units.map((u) => [u.id, u.layers.map((l) => l.name)])),
    };
  },
  cardMarkdown: (i) => renderCardMarkdown(i),
};
