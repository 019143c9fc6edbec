// One escaping module per kind of sink (docs/escaping.md): every renderer writes a string that came from a
// model through one of these, never any other way.
export { escapeHtml, safeHref } from './html.js';
export { stringifyJson, wellFormed } from './json.js';
export { mdCell, mdCode, mdText } from './markdown.js';
export { mermaidLabel } from './mermaid.js';
export { escapeTerminal, guardOutput, mapStrings, terminalSafe } from './terminal.js';
export { yamlDocument, yamlScalar } from './yaml.js';
