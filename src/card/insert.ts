// Adding a card to a README that is not one yet: kerascope's blocks go in at a documented place and the
// author's text stays byte for byte. The place is the line `<!-- kerascope:insert -->` when the file has
// one (the blocks follow it), else after the front matter and the title (the first line, when it is a
// `# ` heading), else at the top after the front matter. The front matter gains only the keys it lacks,
// written through the YAML library's document model and appended after the author's keys, so not one of
// the author's lines changes. Later runs find the blocks and refresh only them (`updateCard`).
import { Document, isMap, parseDocument } from 'yaml';
import type { Inspection } from '../inspect.js';
import { BLOCKS, type CardOptions, frontMatter, NOTE, renderBlocks, renderFrontMatter, splitFrontMatter, wrapBlock } from './markdown.js';

/** The line that marks where `kerascope card -o FILE` inserts its blocks into an existing file. */
export const INSERT_MARKER = '<!-- kerascope:insert -->';

/**
 * Front matter keys the text lacks, added after the author's (their lines untouched). A front matter
 * that is not a YAML mapping is left as it is. Returns the whole text.
 */
export function addMissingFrontMatter(text: string, fm: Record<string, unknown>): string {
  const { front } = splitFrontMatter(text);
  if (front === null) return `${renderFrontMatter(fm)}\n${text}`;
  const doc = parseDocument(front);
  if (doc.errors.length || !(doc.contents === null || isMap(doc.contents))) return text;
  const missing = Object.entries(fm).filter(([k]) => !doc.has(k));
  if (!missing.length) return text;
  const nl = text.startsWith('---\r\n') ? '\r\n' : '\n';
  const add = new Document(Object.fromEntries(missing)).toString().replace(/\n/g, nl);
  const open = 3 + nl.length;
  // The text is `---` NL, the author's lines (each ending in NL), `---` NL, the rest: the keys go last.
  const merged = `${text.slice(0, open + front.length)}${add}${text.slice(open + front.length)}`;
  // The result must parse to the author's keys plus the added ones; else leave the front matter alone.
  const check = parseDocument(splitFrontMatter(merged).front ?? '');
  return check.errors.length || missing.some(([k]) => !check.has(k)) ? text : merged;
}

/** Where the blocks go: the offset just after the marker line, or after the front matter and title. */
function insertionPoint(text: string): number {
  const lines = text.split(/(?<=\n)/);
  let offset = 0;
  for (const line of lines) {
    if (line.trim() === INSERT_MARKER) return offset + line.length;
    offset += line.length;
  }
  const { rest } = splitFrontMatter(text);
  let at = text.length - rest.length;
  // Blank lines after the front matter, then a level-1 title line.
  const m = /^(?:[ \t]*\r?\n)*#[ \t][^\n]*(?:\n|$)/.exec(rest);
  if (m) at += m[0].length;
  return at;
}

/** The existing text with kerascope's blocks added (see the module comment). */
export function insertCard(existing: string, inspection: Inspection, opts: CardOptions = {}): string {
  const blocks = renderBlocks(inspection, opts);
  const hasLicense = /^#{1,6}[ \t]+License\b/im.test(existing);
  const names = BLOCKS.filter((n) => n !== 'license' || (opts.license && !hasLicense));
  const nl = existing.includes('\r\n') ? '\r\n' : '\n';
  const chunk = [wrapBlock('note', NOTE), ...names.map((n) => wrapBlock(n, blocks[n]))].join('\n\n').replace(/\n/g, nl);
  const withFront = addMissingFrontMatter(existing, frontMatter(inspection.report, opts));
  const at = insertionPoint(withFront);
  const before = withFront.slice(0, at);
  const after = withFront.slice(at);
  const lead = before === '' || before.endsWith('\n\n') || before.endsWith('\r\n\r\n') ? '' : before.endsWith('\n') ? nl : nl + nl;
  return `${before}${lead}${chunk}${nl}${after.startsWith('\n') || after.startsWith('\r\n') || after === '' ? '' : nl}${after}`;
}
