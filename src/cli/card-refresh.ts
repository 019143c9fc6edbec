// Refreshing an existing Markdown card on disk with memory proportional to the blocks it rewrites, not to the
// file: the card is read twice in 1 MB chunks, never whole. The first pass checks the markers line by line
// (exactly one begin/end pair per block, src/card/markers.ts) and notes where each block lies and where the
// front matter ends; the second copies the author's bytes unchanged around the fresh blocks into a temp file
// in the same folder, renamed over the card at the end. A card whose markers break the rules is refused
// before anything is written; a card that would not change is not rewritten.
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { endMarker, findBlocks, MarkerTracker, mayBeMarker } from '../card/markers.js';
import { mergeFrontMatter, splitFrontMatter } from '../card/markdown.js';
import { InputError } from '../model/errors.js';

const CHUNK = 1 << 20;
/** Bytes of a line kept to classify it: a marker line is far shorter. */
const HEAD = 256;
/** Largest front matter read (it is read whole, to merge the generated keys). */
const MAX_FRONT = 4 << 20;

interface Line {
  /** File offsets of the line's first byte and of its end (its newline, or the end of the file). */
  start: number;
  end: number;
  /** The line's first HEAD bytes. */
  head: Buffer;
}

/** The lines of an open file, streamed. */
function* lines(fd: number): Generator<Line> {
  const buf = Buffer.alloc(CHUNK);
  let pos = 0;
  let lineStart = 0;
  let head: Buffer[] = [];
  let headLen = 0;
  for (;;) {
    const n = fs.readSync(fd, buf, 0, CHUNK, pos);
    if (n === 0) break;
    let i = 0;
    while (i < n) {
      const found = buf.indexOf(0x0a, i);
      const stop = found === -1 || found >= n ? n : found;
      if (headLen < HEAD) {
        const take = Math.min(stop - i, HEAD - headLen);
        head.push(Buffer.from(buf.subarray(i, i + take)));
        headLen += take;
      }
      if (stop < n) {
        yield { start: lineStart, end: pos + stop, head: Buffer.concat(head) };
        head = [];
        headLen = 0;
        lineStart = pos + stop + 1;
        i = stop + 1;
      } else i = n;
    }
    pos += n;
  }
  yield { start: lineStart, end: pos, head: Buffer.concat(head) };
}

/** The line's text for the marker rules (a line longer than HEAD can never be an exact marker). */
const lineText = (l: Line) => l.head.toString('utf8') + (l.end - l.start > HEAD ? '…' : '');
const isFence = (l: Line) => /^---\r?$/.test(lineText(l));

interface Plan {
  /** Offset after the front matter's closing line (0: none). */
  frontEnd: number;
  blocks: { name: string; start: number; end: number }[];
  markers: boolean;
}

function plan(fd: number): Plan {
  const tracker = new MarkerTracker();
  const blocks: Plan['blocks'] = [];
  let begin = 0;
  let lineNo = 0;
  let front: 'maybe' | 'inside' | 'done' = 'maybe';
  let frontEnd = 0;
  for (const l of lines(fd)) {
    lineNo++;
    if (front === 'maybe') front = isFence(l) ? 'inside' : 'done';
    else if (front === 'inside' && isFence(l)) {
      front = 'done';
      frontEnd = l.end + 1;
    }
    if (l.head.length === 0 || !mayBeMarker(l.head[0]!)) continue;
    const e = tracker.line(lineText(l), lineNo);
    if (e?.kind === 'begin') begin = l.start;
    else if (e?.kind === 'end') blocks.push({ name: e.name, start: begin, end: l.start + endMarker(e.name).length });
  }
  tracker.finish();
  return { frontEnd, blocks, markers: tracker.any };
}

function readRange(fd: number, start: number, end: number): Buffer {
  const out = Buffer.alloc(end - start);
  let got = 0;
  while (got < out.length) {
    const n = fs.readSync(fd, out, got, out.length - got, start + got);
    if (n === 0) break;
    got += n;
  }
  return out.subarray(0, got);
}

/** Whether the file's bytes [start, end) are `bytes`, read in chunks. */
function sameBytes(fd: number, start: number, end: number, bytes: Buffer): boolean {
  if (end - start !== bytes.length) return false;
  for (let at = 0; at < bytes.length; at += CHUNK) {
    const part = readRange(fd, start + at, Math.min(end, start + at + CHUNK));
    if (!part.equals(bytes.subarray(at, at + part.length))) return false;
  }
  return true;
}

function copyRange(from: number, to: number, start: number, end: number): void {
  const buf = Buffer.alloc(Math.min(CHUNK, Math.max(1, end - start)));
  for (let at = start; at < end; ) {
    const n = fs.readSync(from, buf, 0, Math.min(buf.length, end - at), at);
    if (n === 0) break;
    fs.writeSync(to, buf, 0, n);
    at += n;
  }
}

/**
 * Refreshes the card at `file` with the blocks of `fresh` (a whole generated card). Returns what happened;
 * `not a card` when the file has no marker line at all (the caller decides). Throws CardMarkerError when the
 * markers break the rules (nothing written).
 */
export function refreshCardFile(file: string, fresh: string): 'refreshed' | 'unchanged' | 'not a card' {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    throw new InputError(file, `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let tmp: string | null = null;
  try {
    const p = plan(fd);
    if (!p.markers) return 'not a card';
    const freshBlocks = new Map(findBlocks(fresh).map((s) => [s.name, Buffer.from(fresh.slice(s.start, s.end))]));
    const { front: freshFront } = splitFrontMatter(fresh);
    if (p.frontEnd > MAX_FRONT) throw new InputError(file, `the front matter is larger than ${MAX_FRONT >> 20} MB; not refreshed`);
    const frontText = p.frontEnd ? readRange(fd, 0, p.frontEnd).toString('utf8') : '';
    const newFront =
      freshFront === null ? frontText : mergeFrontMatter(frontText, (parseDocument(freshFront).toJS() ?? {}) as Record<string, unknown>);
    const replaced = p.blocks.filter((b) => freshBlocks.has(b.name));
    const changed = newFront !== frontText || replaced.some((b) => !sameBytes(fd, b.start, b.end, freshBlocks.get(b.name)!));
    if (!changed) return 'unchanged';
    const size = fs.fstatSync(fd).size;
    const dir = path.dirname(path.resolve(file));
    tmp = path.join(
      dir,
      `.${path.basename(file)}.${process.pid}.${globalThis.crypto.getRandomValues(new Uint32Array(1))[0]!.toString(16)}.tmp`,
    );
    const out = fs.openSync(tmp, 'wx');
    try {
      fs.writeSync(out, newFront);
      let cursor = p.frontEnd;
      for (const b of replaced) {
        copyRange(fd, out, cursor, b.start);
        fs.writeSync(out, freshBlocks.get(b.name)!);
        cursor = b.end;
      }
      copyRange(fd, out, cursor, size);
    } finally {
      fs.closeSync(out);
    }
    fs.renameSync(tmp, file);
    tmp = null;
    return 'refreshed';
  } catch (e) {
    const code = (e as NodeJS.ErrnoException)?.code;
    if (typeof code === 'string' && !(e instanceof InputError)) throw new InputError(file, `cannot write the card (${code})`);
    throw e;
  } finally {
    fs.closeSync(fd);
    if (tmp) fs.rmSync(tmp, { force: true });
  }
}
