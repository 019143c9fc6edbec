// The model card as one self-contained HTML page: the same Markdown rendered by `marked`, the layer graph
// drawn as SVG (dagre layout) in place of the Mermaid block, the front matter as a table, inline CSS for
// light, dark and print. No script loads anything, no stylesheet, font or image is fetched: raw HTML from
// the Markdown is kept only for the few tags the card itself writes, and images only as data: URLs.
import { Marked, type Tokens } from 'marked';
import { parse as parseYaml } from 'yaml';
import type { Inspection } from '../inspect.js';
import { VERSION } from '../version.js';
import { foldGraph } from './fold.js';
import { type CardOptions, renderCardMarkdown, splitFrontMatter } from './markdown.js';
import { escapeXml, renderGraphSvg } from './svg.js';

const ALLOWED_HTML = /^(?:<!--[\s\S]*?-->|<\/?details>|<\/?summary>|<summary>[^<>&]*<\/summary>|<br\s*\/?>|&nbsp;)$/i;

const CSS = `
:root{color-scheme:light dark;--ks-fg:#1f2328;--ks-bg:#ffffff;--ks-muted:#59636e;--ks-border:#d1d9e0;--ks-node-bg:#f6f8fa;--ks-node-border:#8c959f;--ks-edge:#8c959f;--ks-accent:#0969da}
@media (prefers-color-scheme:dark){:root{--ks-fg:#e6edf3;--ks-bg:#0d1117;--ks-muted:#9198a1;--ks-border:#3d444d;--ks-node-bg:#151b23;--ks-node-border:#656c76;--ks-edge:#656c76;--ks-accent:#4493f8}}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--ks-fg);background:var(--ks-bg);max-width:1100px;margin:0 auto;padding:24px}
h1,h2{border-bottom:1px solid var(--ks-border);padding-bottom:.3em}
table{border-collapse:collapse;margin:12px 0;display:block;overflow-x:auto;max-width:100%}
th,td{border:1px solid var(--ks-border);padding:4px 10px;text-align:left;vertical-align:top;overflow-wrap:break-word}
td code{overflow-wrap:anywhere}
th[align=right],td[align=right]{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap;overflow-wrap:normal}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:90%}
blockquote{color:var(--ks-muted);border-left:4px solid var(--ks-border);margin:0;padding:0 1em}
a{color:var(--ks-accent)}
.ks-graph-wrap{overflow:auto;border:1px solid var(--ks-border);padding:8px;max-height:80vh}
.ks-meta td:first-child{font-weight:600}
@media print{body{max-width:none;padding:0;font-size:11pt}.ks-graph-wrap{max-height:none;overflow:visible;border:none}details::details-content{content-visibility:visible;display:block}table{display:table}a{color:inherit}}
`;

/** The card as a complete HTML document (one file, nothing fetched). */
export function renderCardHtml(inspection: Inspection, opts: CardOptions = {}): string {
  // The page draws the graph inline in place of the Mermaid block: no image file to link.
  const markdown = renderCardMarkdown(inspection, { ...opts, graph: 'mermaid' });
  const { front, rest } = splitFrontMatter(markdown);
  const svg = inspection.graph ? renderGraphSvg(foldGraph(inspection.graph, inspection.report, opts.fold), { title: 'layer graph' }) : '';
  const marked = new Marked({
    gfm: true,
    renderer: {
      code({ text, lang }: Tokens.Code) {
        if (lang === 'mermaid' && svg) return `<div class="ks-graph-wrap">${svg}</div>\n`;
        return `<pre><code>${escapeXml(text)}</code></pre>\n`;
      },
      html({ text }: Tokens.HTML | Tokens.Tag) {
        const allowed = text.split('\n').every((line) => !line.trim() || ALLOWED_HTML.test(line.trim()));
        return allowed ? text : escapeXml(text);
      },
      image({ href, text }: Tokens.Image) {
        return href.startsWith('data:image/') ? `<img src="${escapeXml(href)}" alt="${escapeXml(text)}">` : escapeXml(text);
      },
    },
  });
  const body = marked.parse(rest, { async: false }) as string;
  const fm = front === null ? null : (parseYaml(front) as Record<string, unknown> | null);
  const meta =
    fm && Object.keys(fm).length
      ? `<table class="ks-meta">${Object.entries(fm)
          .map(([k, v]) => `<tr><td>${escapeXml(k)}</td><td>${escapeXml(Array.isArray(v) ? v.join(', ') : String(v))}</td></tr>`)
          .join('')}</table>\n`
      : '';
  const title = /^#\s+(.+)$/m.exec(rest)?.[1] ?? 'Model card';
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="kerascope ${VERSION}">`,
    // Belt and braces: even a link or image that slipped through could not be fetched.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'unsafe-inline'">`,
    `<title>${escapeXml(title)}</title>`,
    `<style>${CSS}</style>`,
    // Printing opens the collapsed full layer table.
    "<script>addEventListener('beforeprint',()=>{for(const d of document.querySelectorAll('details'))d.open=true})</script>",
    '</head>',
    '<body>',
    body.includes('</h1>') ? body.replace('</h1>', `</h1>\n${meta}`) : meta + body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
