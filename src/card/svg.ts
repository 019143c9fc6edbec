// The layer graph as a standalone SVG, laid out by dagre (@dagrejs/dagre): one box per unit of the folded
// graph (a layer or a folded block), edges as polylines with arrow heads. Pure: runs in a browser too.
import dagre from '@dagrejs/dagre';
import type { FoldedGraph } from './fold.js';
import { escapeHtml } from '../report/escape/html.js';
import { unitLines } from './mermaid.js';

const CHAR_W = 7.3; // 12px monospace advance, rounded up
const LINE_H = 16;
const PAD_X = 10;
const PAD_Y = 8;

/** XML text and attribute values (src/report/escape/html.ts): entities, and controls as visible escapes. */
export const escapeXml = escapeHtml;

export interface SvgOptions {
  /** Accessible name of the drawing. */
  title?: string;
  /**
   * Put the drawing's stylesheet inside the SVG (default). A page whose Content-Security-Policy forbids
   * inline styles (the web page) leaves it out and serves `GRAPH_CSS` from its own stylesheet.
   */
  embedStyle?: boolean;
}

/** The drawing's styles; colours follow the `--ks-*` CSS variables so a page can theme them. */
export const GRAPH_CSS =
  '.ks-graph{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}.ks-graph rect{fill:var(--ks-node-bg,#f6f8fa);stroke:var(--ks-node-border,#8c959f)}.ks-graph .ks-fold rect{stroke-dasharray:4 2}.ks-graph text{fill:var(--ks-fg,#1f2328)}.ks-graph .ks-sub{fill:var(--ks-muted,#59636e)}.ks-graph path{fill:none;stroke:var(--ks-edge,#8c959f)}.ks-graph marker path{fill:var(--ks-edge,#8c959f);stroke:none}';

/** Draws a folded layer graph; each node is `<g class="ks-node" data-unit="n3">` around one `<rect>`. */
export function renderGraphSvg(g: FoldedGraph, opts: SvgOptions = {}): string {
  const layout = new dagre.graphlib.Graph();
  layout.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 28, marginx: 8, marginy: 8 });
  layout.setDefaultEdgeLabel(() => ({}));
  const lines = new Map<string, string[]>();
  for (const u of g.units) {
    const ls = unitLines(u);
    lines.set(u.id, ls);
    const width = Math.ceil(Math.max(...ls.map((l) => l.length)) * CHAR_W + 2 * PAD_X);
    layout.setNode(u.id, { width, height: ls.length * LINE_H + 2 * PAD_Y });
  }
  for (const e of g.edges) layout.setEdge(e.from, e.to);
  dagre.layout(layout);
  const { width = 0, height = 0 } = layout.graph();
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="ks-graph" viewBox="0 0 ${Math.ceil(width)} ${Math.ceil(height)}" width="${Math.ceil(width)}" height="${Math.ceil(height)}" role="img" aria-label="${escapeXml(opts.title ?? 'layer graph')}">`,
    ...(opts.embedStyle === false ? [] : [`<style>${GRAPH_CSS}</style>`]),
    '<defs><marker id="ks-arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="8" markerHeight="8" orient="auto"><path d="M0,0L8,4L0,8z"/></marker></defs>',
  ];
  for (const e of layout.edges()) {
    const pts = layout.edge(e).points ?? [];
    if (!pts.length) continue;
    const d = pts.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join('');
    out.push(`<path d="${d}" marker-end="url(#ks-arrow)"/>`);
  }
  for (const u of g.units) {
    const n = layout.node(u.id);
    const x = n.x - n.width / 2;
    const y = n.y - n.height / 2;
    const ls = lines.get(u.id)!;
    const cls = u.layers.length > 1 ? 'ks-node ks-fold' : 'ks-node';
    out.push(
      `<g class="${cls}" data-unit="${u.id}"><title>${u.layers.map((l) => escapeXml(`${l.name} (${l.className})`)).join('\n')}</title>`,
    );
    out.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${n.width}" height="${n.height}" rx="4"/>`);
    ls.forEach((l, i) => {
      out.push(
        `<text x="${(x + PAD_X).toFixed(1)}" y="${(y + PAD_Y + (i + 1) * LINE_H - 4).toFixed(1)}"${i ? ' class="ks-sub"' : ''}>${escapeXml(l)}</text>`,
      );
    });
    out.push('</g>');
  }
  out.push('</svg>');
  return out.join('\n');
}
