// Mermaid labels (the card's layer graph, inside `["…"]`): control characters (newlines included) as visible
// escapes, so a label stays on its line and a `%%` comment line or `%%{init}%%` directive cannot be formed;
// `%` itself, quotes, angle brackets, ampersands, backticks and `#` as Mermaid entity codes (`#37;`).
import { visible } from '../../model/text.js';

export function mermaidLabel(s: string): string {
  return visible(s).replace(/[&"<>`#%\\]/g, (c) => `#${c.charCodeAt(0)};`);
}
