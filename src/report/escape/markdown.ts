// Markdown (the gate's verdict for job summaries and PR comments, `explain --format markdown`, the model
// card): a string from a model is text, never markup. Three contexts:
// - mdText: inline text. Control, bidi and zero-width characters as visible escapes; `<` `>` `&` as
//   entities (no HTML, no autolink `<…>`); the punctuation that makes inline markup (code, emphasis, links
//   and images, tables, strikethrough, math, headings) backslash-escaped, and a URL scheme's colon and
//   `www.`'s dot so no bare URL is autolinked; what would start a block at the start of a line escaped; and
//   where GitHub links plain text after rendering (`@user` mentions, `#123` and `GH-123` references,
//   commit-like hex words) an empty HTML comment splits the text so nothing is linked and nobody notified.
// - mdCell: the same for a table cell (pipes escaped, line breaks already visible escapes).
// - mdCode: a code span whose fence is longer than any backtick run inside, for names shown as code.
import { visible } from '../../model/text.js';

const SPLIT = '<!-- -->';

/**
 * Punctuation that makes inline markup anywhere: code, emphasis, links and images, tables, strikethrough,
 * math, headings. An underscore inside a word (`conv2d_1`) cannot open or close emphasis and stays as it is.
 */
const INLINE = /[\\`*[\]|~$#]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g;

export function mdText(s: string): string {
  let t = visible(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(INLINE, '\\$&')
    // A bare URL or address is not autolinked: its scheme's colon and `www.`'s dot escaped.
    .replace(/\b(https?|ftp|mailto|xmpp|file|data|javascript|vbscript):/gi, '$1\\:')
    .replace(/\b(www)\./gi, '$1\\.')
    // What would start a block if the text began a line: a list, a quote, a setext underline, a numbered item.
    .replace(/^([-+=])/, '\\$1')
    .replace(/^(\d+)([.)])/, '$1\\$2');
  // GitHub's post-render linkers work on the decoded text: split it where they would match.
  t = t
    .replace(/@(?=[A-Za-z0-9_])/g, `@${SPLIT}`)
    .replace(/\\#(?=[0-9])/g, `\\#${SPLIT}`)
    .replace(/\b(GH)-(?=[0-9])/gi, `$1${SPLIT}-`)
    // (a commit-like word: 7 to 40 hex digits with at least one letter and one digit)
    .replace(/\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])([0-9a-f])(?=[0-9a-f]{6,39}\b)/gi, `$1${SPLIT}`);
  return t;
}

/** Text for a GFM table cell: mdText (pipes are escaped there, line breaks are visible escapes). */
export function mdCell(s: string): string {
  return mdText(s);
}

/**
 * A code span holding `s` literally: a fence one backtick longer than the longest run inside, padded with a
 * space where the text starts or ends with a backtick or a space. In a table cell (`cell`) pipes are
 * escaped (GFM reads `\|` in a cell's code span as `|`). Line breaks and other controls are visible escapes.
 */
export function mdCode(s: string, cell = true): string {
  let t = visible(s);
  if (cell) t = t.replace(/\|/g, '\\|');
  let longest = 0;
  for (const m of t.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  const pad = t === '' || /^[` ]|[` ]$/.test(t) ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}
