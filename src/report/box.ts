// A bordered table for cells already laid out (wrapped and cut to their columns): the same box-drawing
// output as cli-table3's default style, drawn in one pass. cli-table3 re-measures a cell's whole text for
// every line it draws (a debug label), which made a table of long wrapped messages take seconds.
import { ellipsize, textWidth } from './style.js';

/**
 * `head` and `rows` of cells (a cell is lines joined by `\n`), in columns of `widths` (each counting one
 * space of padding on either side, as cli-table3's `colWidths`). A line wider than its column is cut with `…`.
 */
export function renderBox(head: string[], rows: string[][], widths: number[]): string {
  const rule = (l: string, m: string, r: string) => l + widths.map((w) => '─'.repeat(w)).join(m) + r;
  const out: string[] = [rule('┌', '┬', '┐')];
  const draw = (cells: string[]) => {
    const lines = cells.map((c) => c.split('\n'));
    const height = Math.max(1, ...lines.map((l) => l.length));
    for (let k = 0; k < height; k++) {
      const parts = widths.map((w, i) => {
        const room = Math.max(0, w - 2);
        const text = ellipsize(lines[i]?.[k] ?? '', room);
        return ` ${text}${' '.repeat(Math.max(0, room - textWidth(text)))} `;
      });
      out.push(`│${parts.join('│')}│`);
    }
  };
  draw(head);
  for (const row of rows) {
    out.push(rule('├', '┼', '┤'));
    draw(row);
  }
  out.push(rule('└', '┴', '┘'));
  return out.join('\n');
}
