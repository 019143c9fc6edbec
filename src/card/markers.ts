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

/** What a line is: a begin or end marker, a line that looks like a marker without being one, or text. */
export type MarkerLine = { kind: 'begin' | 'end'; name: string } | 'malformed' | null;

export function markerLine(line: string): MarkerLine {
  if (!LOOSE.test(line)) return null;
  const m = EXACT.exec(line);
  return m ? { kind: m[1] as 'begin' | 'end', name: m[2]! } : 'malformed';
}

/**
 * The marker rules, fed one line at a time (the whole text, or a file streamed line by line): throws a
 * CardMarkerError naming the line that breaks them, and says where each block begins and ends.
 */
export class MarkerTracker {
  private readonly seen = new Set<string>();
  private open: { name: string; line: number } | null = null;
  /** Any line that is or looks like a marker so far. */
  any = false;

  /** The event of line `lineNo` (1-based), or null for a line of text. */
  line(text: string, lineNo: number): { kind: 'begin' | 'end'; name: string } | null {
    const m = markerLine(text);
    if (m === null) return null;
    this.any = true;
    if (m === 'malformed') throw new CardMarkerError(`line ${lineNo} looks like a kerascope marker but is not one; not refreshed`);
    const { kind, name } = m;
    if (kind === 'begin') {
      if (this.open)
        throw new CardMarkerError(
          `line ${lineNo}: block ${name} begins inside block ${this.open.name} (line ${this.open.line}); not refreshed`,
        );
      if (this.seen.has(name)) throw new CardMarkerError(`line ${lineNo}: a second block ${name}; not refreshed`);
      this.open = { name, line: lineNo };
    } else {
      if (!this.open) throw new CardMarkerError(`line ${lineNo}: the end of block ${name} without its begin; not refreshed`);
      if (this.open.name !== name)
        throw new CardMarkerError(
          `line ${lineNo}: the end of block ${name} inside block ${this.open.name} (line ${this.open.line}); not refreshed`,
        );
      this.seen.add(name);
      this.open = null;
    }
    return m;
  }

  /** At the end of the text: a block still open is an error. */
  finish(): void {
    if (this.open) throw new CardMarkerError(`line ${this.open.line}: block ${this.open.name} has no end marker; not refreshed`);
  }
}

/** Only a line starting with `<`, a space or a tab can be a marker: the test is cheap for every other line. */
export const mayBeMarker = (firstCode: number) => firstCode === 0x3c || firstCode === 0x20 || firstCode === 0x09;

/**
 * Every block of `text`, in order, or a CardMarkerError naming the line that breaks the rules. Reads the
 * text line by line without copying it.
 */
export function findBlocks(text: string): BlockSpan[] {
  const spans: BlockSpan[] = [];
  const tracker = new MarkerTracker();
  let begin = 0;
  let at = 0;
  let lineNo = 0;
  while (at <= text.length) {
    let nl = text.indexOf('\n', at);
    if (nl < 0) nl = text.length;
    lineNo++;
    if (mayBeMarker(text.charCodeAt(at))) {
      const e = tracker.line(text.slice(at, nl), lineNo);
      if (e?.kind === 'begin') begin = at;
      else if (e?.kind === 'end') spans.push({ name: e.name, start: begin, end: at + endMarker(e.name).length });
    }
    at = nl + 1;
  }
  tracker.finish();
  return spans;
}

/** True when some line of `text` is (or looks like) a kerascope marker. */
export function hasMarkers(text: string): boolean {
  let at = 0;
  while (at <= text.length) {
    let nl = text.indexOf('\n', at);
    if (nl < 0) nl = text.length;
    if (mayBeMarker(text.charCodeAt(at)) && LOOSE.test(text.slice(at, Math.min(nl, at + 200)))) return true;
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
