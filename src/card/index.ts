// Model cards (issue 11): the factual part of a model card, generated from an inspection, as Markdown or as
// one self-contained HTML page; the layer graph as Mermaid or SVG. Pure core: the browser page uses it too.
export { type CardFacts, cardFacts, inputsOutputs, macSummary, memoryByDtype, trainingOf } from './facts.js';
export { FOLD_ABOVE, type FoldedGraph, type FoldMode, foldGraph, type Unit } from './fold.js';
export { sha256Files } from './hash.js';
export { renderCardHtml } from './html.js';
export { estimateMacs, MAC_CLASSES } from '../layers/index.js';
export type { MacEstimate } from '../layers/registry.js';
export {
  BLOCKS,
  type BlockName,
  CardMarkerError,
  type CardOptions,
  defaultTitle,
  GRAPH_FILE,
  type GraphMode,
  hasBlocks,
  mergeFrontMatter,
  PLACEHOLDERS,
  renderBlocks,
  renderCardMarkdown,
  splitFrontMatter,
  FrontMatterError,
  TemplateError,
  updateCard,
} from './markdown.js';
export { addMissingFrontMatter, INSERT_MARKER, insertCard } from './insert.js';
export { renderMermaid } from './mermaid.js';
export { shortestFloat32 } from './float.js';
export { type LicenseInfo, licenseInfo } from './license.js';
export { libraryName, loadSnippet } from './usage.js';
export { GRAPH_CSS, renderGraphSvg, type SvgOptions } from './svg.js';

import type { Graph } from '../graph/index.js';
import type { Report } from '../model/types.js';
import { foldGraph, type FoldMode } from './fold.js';
import { type SvgOptions, renderGraphSvg as svgOf } from './svg.js';

/** The layer graph of an inspection as SVG in one call (folded as the card folds it). */
export function renderInspectionSvg(graph: Graph, report: Report, fold: FoldMode = 'auto', opts: SvgOptions = {}): string {
  return svgOf(foldGraph(graph, report, fold), opts);
}
