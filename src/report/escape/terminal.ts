// Terminal text (every text renderer, and every line on stderr). A string from a model is printed with its
// control, bidirectional and zero-width characters as visible escapes (`\x1b`, `\u202e`, `\n`): no byte
// sequence the model chose reaches the terminal as a control sequence (CSI, OSC title or clipboard or
// hyperlink, CR or backspace overwriting a row), and no name can pose as another by reordering or hiding.
import { mapStrings } from '../../model/strings.js';
import { DECEPTIVE_SOURCE, escapeChar, hasDeceptive, visible } from '../../model/text.js';

export { mapStrings };

/** One string for the terminal. */
export function escapeTerminal(s: string): string {
  return visible(s);
}

/**
 * A value (a report, a check result, a finding list, …) with every string in it made terminal-safe, keys of
 * objects and of Maps included: what the text renderers take first, so that widths are measured on the
 * escaped text. Shares whatever did not change.
 */
export function terminalSafe<T>(x: T): T {
  return mapStrings(x, escapeTerminal) as T;
}

// What the guard changes: DECEPTIVE_SOURCE less the newline and the tab (kerascope's own, always kept).
const GUARDED = new RegExp(DECEPTIVE_SOURCE.replace('\\u0000-\\u001f', '\\u0000-\\u0008\\u000b-\\u001f'));
if (GUARDED.source === DECEPTIVE_SOURCE) throw new Error('terminal guard: DECEPTIVE_SOURCE changed');

// Colour and style sequences kerascope itself writes (picocolors and the gate's own): SGR with numbers only.
const OWN_SGR = new RegExp(`^${String.fromCharCode(0x1b)}\\[[0-9;]{0,12}m`);

/**
 * The last guard before standard output or error: text already rendered, in which only kerascope's own
 * newlines, tabs and colour sequences may stay; any other control, bidirectional or zero-width character (one
 * a renderer let through) becomes its visible escape. Inside JSON, YAML or Markdown output the escapes that
 * can appear (`\u0085`, `\u202e`: raw C0 controls never occur in JSON) read back as the same character.
 */
export function guardOutput(text: string, allowColor: boolean): string {
  // Most output (a JSON report above all) has newlines and tabs only: one regular-expression pass, no loop.
  if (!GUARDED.test(text)) return text;
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Fast path: printable ASCII and ordinary characters.
    if (c >= 0x20 && c < 0x7f) continue;
    if (c === 0x0a || c === 0x09) continue;
    const ch = text[i]!;
    if (!hasDeceptive(c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? text.slice(i, i + 2) : ch)) {
      if (c >= 0xd800 && c <= 0xdbff) i++;
      continue;
    }
    if (c === 0x1b && allowColor) {
      const m = OWN_SGR.exec(text.slice(i, i + 16));
      if (m) {
        i += m[0].length - 1;
        continue;
      }
    }
    out += text.slice(last, i) + escapeChar(ch);
    last = i + 1;
  }
  return last === 0 ? text : out + text.slice(last);
}
