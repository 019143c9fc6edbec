// The two outputs the page takes from the model-card renderer (src/card/): the layer graph as SVG and the
// Markdown card. The worker calls these once per inspection; the page shows the SVG and adds a
// "Markdown card" download. The SVG leaves its stylesheet out (the page's Content-Security-Policy allows no
// inline style): the same rules, GRAPH_CSS, are appended to the page's style.css by scripts/build-web.mjs.
import { renderCardMarkdown, renderInspectionSvg } from '../card/index.js';
import type { Inspection } from '../inspect.js';

export interface WebExtras {
  /** SVG markup of the layer graph (the same renderer as the HTML card), or null. */
  graphSvg(inspection: Inspection): string | null;
  /** The model card as Markdown, or null. */
  cardMarkdown(inspection: Inspection): string | null;
}

export const extras: WebExtras = {
  graphSvg: (i) => (i.graph ? renderInspectionSvg(i.graph, i.report, 'auto', { embedStyle: false }) : null),
  cardMarkdown: (i) => renderCardMarkdown(i),
};
