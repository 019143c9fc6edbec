// The model card as one self-contained HTML page: the same Markdown rendered by `marked`, the layer graph
// drawn as SVG (dagre layout) in place of the Mermaid block, the front matter as a table, inline CSS for
// light, dark and print. No script at all (the Content-Security-Policy allows none), nothing fetched: the
// HTML that comes out of the Markdown passes sanitize-html with an allow-list of the elements a card uses,
// links only to http:, https: and mailto:, images only as data: URLs (docs/escaping.md).
import { Marked, type Tokens } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { parse as parseYaml } from 'yaml';
import type { Inspection } from '../inspect.js';
import { escapeHtml, safeHref } from '../report/escape/html.js';
import { VERSION } from '../version.js';
import { foldGraph } from './fold.js';
import { type CardOptions, cardTitle, renderCardMarkdown, splitFrontMatter } from './markdown.js';
import { renderGraphSvg } from './svg.js';

/** Raw HTML lines the card's own Markdown writes (anything else in the Markdown is shown as text). */
const ALLOWED_HTML = /^(?:<!--(?:(?!-->)[^<>])*-->|<\/?details>|<\/?summary>|<summary>[^<>&]*<\/summary>|<br\s*\/?>|&nbsp;)$/i;

/** What the sanitizer keeps: the elements and attributes a rendered card has, nothing else. */
const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'p',
    'a',
    'ul',
    'ol',
    'li',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'code',
    'pre',
    'em',
    'strong',
    'del',
    'blockquote',
    'details',
    'summary',
    'br',
    'hr',
    'img',
    'div',
    'span',
    'input',
  ],
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt'],
    th: ['align'],
    td: ['align'],
    div: ['class', 'data-ks-graph'],
    ol: ['start'],
    input: ['type', 'checked', 'disabled'],
  },
  allowedClasses: { div: ['ks-graph-wrap'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['data'] },
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
};

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

/** The page's policy: no script of any kind, nothing fetched; styles inline, images as data: URLs only. */
export const CARD_CSP =
  "default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const GRAPH_SLOT = '<div class="ks-graph-wrap" data-ks-graph="1"></div>';

/** The card as a complete HTML document (one file, nothing fetched, no script). */
export function renderCardHtml(inspection: Inspection, opts: CardOptions = {}): string {
  // The page draws the graph inline in place of the Mermaid block: no image file to link.
  const markdown = renderCardMarkdown(inspection, { ...opts, graph: 'mermaid' });
  const { front, rest } = splitFrontMatter(markdown);
  const svg = inspection.graph ? renderGraphSvg(foldGraph(inspection.graph, inspection.report, opts.fold), { title: 'layer graph' }) : '';
  const marked = new Marked({
    gfm: true,
    renderer: {
      code({ text, lang }: Tokens.Code) {
        if (lang === 'mermaid' && svg) return `${GRAPH_SLOT}\n`;
        return `<pre><code>${escapeHtml(text)}</code></pre>\n`;
      },
      html({ text }: Tokens.HTML | Tokens.Tag) {
        const allowed = text.split('\n').every((line) => !line.trim() || ALLOWED_HTML.test(line.trim()));
        return allowed ? text : escapeHtml(text);
      },
      link({ href, tokens }: Tokens.Link) {
        const inner = this.parser.parseInline(tokens);
        return safeHref(href) ? `<a href="${escapeHtml(href)}">${inner}</a>` : inner;
      },
      image({ href, text }: Tokens.Image) {
        return href.startsWith('data:image/') ? `<img src="${escapeHtml(href)}" alt="${escapeHtml(text)}">` : escapeHtml(text);
      },
    },
  });
  // The Markdown's HTML through the sanitizer; the SVG (written by kerascope, every text escaped) after it.
  const clean = sanitizeHtml(marked.parse(rest, { async: false }) as string, SANITIZE);
  const body = svg ? clean.replace(GRAPH_SLOT, () => `<div class="ks-graph-wrap">${svg}</div>`) : clean;
  const fm = front === null ? null : (parseYaml(front) as Record<string, unknown> | null);
  const meta =
    fm && Object.keys(fm).length
      ? `<table class="ks-meta">${Object.entries(fm)
          .map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(Array.isArray(v) ? v.join(', ') : String(v))}</td></tr>`)
          .join('')}</table>\n`
      : '';
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="kerascope ${VERSION}">`,
    `<meta http-equiv="Content-Security-Policy" content="${CARD_CSP}">`,
    `<title>${escapeHtml(cardTitle(inspection, opts))}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    body.includes('</h1>') ? body.replace('</h1>', () => `</h1>\n${meta}`) : meta + body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
