// Terminal presentation shared by the text renderers: colour (picocolors, only when asked: the CLI decides
// from the terminal, NO_COLOR and FORCE_COLOR), display widths (string-width: wide and combining
// characters), shortening with `…`, and wrapping at word boundaries only.
import pc from 'picocolors';
import stringWidth from 'string-width';
import type { LayerStatus, Severity } from '../model/types.js';

export interface TextStyle {
  /** Columns to fit (default 80). */
  width?: number;
  /** ANSI colours for severities and statuses (default off). */
  color?: boolean;
}

export type Colors = ReturnType<typeof pc.createColors>;

export function colors(on: boolean | undefined): Colors {
  return pc.createColors(on === true);
}

export function severityText(s: Severity, c: Colors, pad = 0): string {
  const text = s.padEnd(pad);
  return s === 'critical' ? c.bold(c.red(text)) : s === 'high' ? c.red(text) : s === 'medium' ? c.yellow(text) : c.dim(text);
}

export function statusText(s: LayerStatus, c: Colors): string {
  return s === 'ok' ? c.dim(s) : s === 'mismatch' || s === 'no weights stored' ? c.red(s) : c.yellow(s);
}

/** Display width of a string (ANSI codes ignored, wide characters 2). */
export function textWidth(s: string): number {
  return stringWidth(s);
}

/** `s` shortened to `max` columns with a trailing `…` when it is wider. */
export function ellipsize(s: string, max: number): string {
  if (textWidth(s) <= max) return s;
  if (max <= 1) return '…';
  let out = '';
  for (const ch of s) {
    if (textWidth(out + ch) > max - 1) break;
    out += ch;
  }
  return `${out}…`;
}

/**
 * Words of `text` laid out in lines of at most `width` columns, the first after `first`, the rest after
 * `indent`. Words are never broken; with `paths`, a word wider than a line (a file path) may break after a
 * `/`. Anything else wider than a line stays whole on a line of its own, or with `cut` (a table cell, which
 * would cut it anyway, and slowly) is shortened to the line with `…`.
 */
export function wrapWords(text: string, width: number, first: string, indent: string, paths = false, cut = false): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  const room = width - textWidth(indent);
  const words = text
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((w) => (paths && textWidth(w) > room ? splitPath(w, room) : [w]))
    .map((w) => (cut && w.length > room && textWidth(w) > room ? ellipsize(w, Math.max(1, room)) : w));
  for (const word of words) {
    const candidate = empty ? line + word : `${line} ${word}`;
    if (!empty && textWidth(candidate) > width) {
      lines.push(line);
      line = indent + word;
    } else line = candidate;
    empty = false;
  }
  lines.push(line);
  return lines;
}

/** A path in pieces of at most `max` columns, each ending after a `/` (a piece with no `/` in reach stays whole). */
function splitPath(word: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = word;
  while (textWidth(rest) > max) {
    const cut = rest.lastIndexOf('/', max - 1);
    if (cut <= 0) break;
    pieces.push(rest.slice(0, cut + 1));
    rest = rest.slice(cut + 1);
  }
  pieces.push(rest);
  return pieces;
}

/**
 * Column widths (cli-table3 `colWidths`: content plus one space each side) that fit `total` columns with
 * the borders: the flexible columns give up width, the widest first, down to `min` each.
 */
export function fitColumns(natural: number[], flexible: number[], total: number, min = 12): number[] {
  const widths = [...natural];
  const used = () => widths.reduce((a, b) => a + b, 0) + widths.length + 1;
  while (used() > total) {
    const candidates = flexible.filter((i) => widths[i]! > min);
    if (!candidates.length) break;
    const widest = candidates.reduce((a, b) => (widths[b]! > widths[a]! ? b : a));
    widths[widest]! -= 1;
  }
  return widths;
}
