// The verdict of a check that could not run (an unreadable model or baseline, a baseline of another model), in
// the formats a CI job reads: a GitHub `::error` naming the file, a Markdown verdict naming the error. Text
// and JSON runs say it on stderr only (one line, exit 2), as every command does for bad input.
import { CHECK_MARKER } from './gate-markdown.js';
import { command } from './github.js';

export function renderCheckErrorGithub(file: string, message: string): string {
  return command('error', { file, title: 'kerascope check could not run' }, `${file}: ${message}`);
}

/** Inline code for a Markdown verdict: backticks and line breaks cannot close it or start a new block. */
const code = (s: string) => `\`${s.replace(/`/g, "'").replace(/[\r\n]+/g, ' ')}\``;
const text = (s: string) => s.replace(/[\r\n]+/g, ' ').replace(/([\\`*_{}[\]<>()#+!|~])/g, '\\$1');

export function renderCheckErrorMarkdown(file: string, message: string): string {
  return `${CHECK_MARKER}\n❌ **kerascope check could not run**: ${code(file)}: ${text(message)}\n\nNothing was compared: the check fails (exit 2).`;
}
