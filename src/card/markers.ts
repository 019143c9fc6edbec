// kerascope's block markers in a Markdown card: a line `<!-- kerascope:begin NAME -->` and, further down, a
// line `<!-- kerascope:end NAME -->`, each a whole line of its own. A card is refreshed only when its markers
// are exactly one begin/end pair per block: unique names, no nesting, nothing unpaired, no line that looks
// like a marker without being one. Model text can never form a marker: every renderer escapes `<` (as `&lt;`
// in Markdown text, `#60;` in Mermaid) and keeps a line break out of a line, and kerascope's own lines never
// start with model text; `checkBody` refuses a generated block that would break this anyway.

export class CardMarkerError extends Error {}

const EXACT = /^<!-- kerascope:(begin|end) ([\w-]+) -->\r?$/;
/** What a reader (or an older kerascope) could take for a marker: a line starting with a kerascope comment. */
const LOOSE = /^[ \t]*<!--[ \t]*kerascope:/;

export interface BlockSpan {
  name: string;
  /** Offset of the begin line's first character. */
  start: number;
  /** Offset just after the end marker (before its line break). */
  end: number;
}

export const beginMarker = (name: string) => `<!-- kerascope:begin ${name} -->`;
export const endMarker = (name: string) => `<!-- kerascope:end ${name} -->`;

/**
 * Every block of `text`, in order, or a CardMarkerError naming the line that breaks the rules. Reads the
 * text line by line without copying it.
 */
export function findBlocks(text: string): BlockSpan[] {
  const spans: BlockSpan[] = [];
  const seen = new Set<string>();
  let open: { name: string; start: number; line: number } | null = null;
  let at = 0;
  let lineNo = 0;
  while (at <= text.length) {
    let nl = text.indexOf('\n', at);
    if (nl < 0) nl = text.length;
    lineNo++;
    // Only lines that start with `<` can be markers: the test is cheap for every other line.
    if (text.charCodeAt(at) === 0x3c || text.charCodeAt(at) === 0x20 || text.charCodeAt(at) === 0x09) {
      const line = text.slice(at, nl);
      if (LOOSE.test(line)) {
        const m = EXACT.exec(line);
        if (!m) throw new CardMarkerError(`line ${lineNo} looks like a kerascope marker but is not one; not refreshed`);
        const [, kind, name] = m as unknown as [string, 'begin' | 'end', string];
        if (kind === 'begin') {
          if (open)
            throw new CardMarkerError(`line ${lineNo}: block ${name} begins inside block ${open.name} (line ${open.line}); not refreshed`);
          if (seen.has(name)) throw new CardMarkerError(`line ${lineNo}: a second block ${name}; not refreshed`);
          open = { name, start: at, line: lineNo };
        } else {
          if (!open) throw new CardMarkerError(`line ${lineNo}: the end of block ${name} without its begin; not refreshed`);
          if (open.name !== name)
            throw new CardMarkerError(
              `line ${lineNo}: the end of block ${name} inside block ${open.name} (line ${open.line}); not refreshed`,
            );
          seen.add(name);
          spans.push({ name, start: open.start, end: at + endMarker(name).length });
          open = null;
        }
      }
    }
    at = nl + 1;
  }
  if (open) throw new CardMarkerError(`line ${open.line}: block ${open.name} has no end marker; not refreshed`);
  return spans;
}

/** True when some line of `text` is (or looks like) a kerascope marker. */
export function hasMarkers(text: string): boolean {
  let at = 0;
  while (at <= text.length) {
    let nl = text.indexOf('\n', at);
    if (nl < 0) nl = text.length;
    const c = text.charCodeAt(at);
    if ((c === 0x3c || c === 0x20 || c === 0x09) && LOOSE.test(text.slice(at, Math.min(nl, at + 200)))) return true;
    at = nl + 1;
  }
  return false;
}

/** A generated block's body, refused if a line of it could be read as a marker (it never should). */
export function checkBody(name: string, body: string): string {
  if (hasMarkers(body)) throw new Error(`internal error: the generated ${name} block has a line that reads as a marker`);
  return body;
}

/** The block `name` with its markers. */
export function wrapBlock(name: string, body: string): string {
  return `${beginMarker(name)}\n${checkBody(name, body)}\n${endMarker(name)}`;
}
