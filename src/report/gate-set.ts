// `kerascope check` over every entry of a `.kerascope.json`: each entry's verdict under its name, then one
// line for the whole set. An entry whose model or baseline cannot be read keeps its place with the reason.
import type { CheckResult } from '../gate/check.js';
import { GATE_SCHEMA_VERSION } from '../gate/types.js';
import { plural } from '../model/text.js';
import { type AcceptHint, acceptMarkdown, CHECK_MARKER, cell, code, renderCheckMarkdown } from './gate-markdown.js';
import { acceptText, renderCheckText } from './gate-text.js';
import { terminalSafe } from './escape/terminal.js';
import { command, renderCheckGithub } from './github.js';

export type EntryOutcome =
  | { name: string; model: string; result: CheckResult; error?: undefined }
  | { name: string; model: string; result?: undefined; error: { file: string; message: string } };

export type SetVerdict = 'pass' | 'fail' | 'error';

export interface CheckSet {
  schemaVersion: typeof GATE_SCHEMA_VERSION;
  kind: 'kerascope-check-set';
  config: string;
  /** `error` when an entry could not be read, else `fail` when one failed, else `pass`. */
  verdict: SetVerdict;
  entries: {
    name: string;
    model: string;
    verdict: SetVerdict;
    result: CheckResult | null;
    error: { file: string; message: string } | null;
  }[];
  summary: string;
}

const entryVerdict = (o: EntryOutcome): SetVerdict => (o.error ? 'error' : o.result.verdict);

export function checkSet(config: string, outcomes: EntryOutcome[]): CheckSet {
  const verdicts = outcomes.map(entryVerdict);
  const count = (v: SetVerdict) => verdicts.filter((x) => x === v).length;
  const verdict: SetVerdict = count('error') ? 'error' : count('fail') ? 'fail' : 'pass';
  const parts = [`${count('pass')} passed`, `${count('fail')} failed`];
  if (count('error')) parts.push(`${count('error')} unreadable`);
  return {
    schemaVersion: GATE_SCHEMA_VERSION,
    kind: 'kerascope-check-set',
    config,
    verdict,
    entries: outcomes.map((o) => ({
      name: o.name,
      model: o.model,
      verdict: entryVerdict(o),
      result: o.result ?? null,
      error: o.error ?? null,
    })),
    summary: `${plural(outcomes.length, 'entry', 'entries')}: ${parts.join(', ')}`,
  };
}

/** Exit status of a set: the worst entry's (2 unreadable, 1 failed, 0 passed). */
export function checkSetExitStatus(s: CheckSet): 0 | 1 | 2 {
  return s.verdict === 'error' ? 2 : s.verdict === 'fail' ? 1 : 0;
}

export function renderCheckSetText(set: CheckSet, color: boolean, hint: AcceptHint | null): string {
  const s = terminalSafe(set);
  const out: string[] = [];
  s.entries.forEach((e, i) => {
    out.push(`[${i + 1}/${s.entries.length}] ${e.name}`);
    if (e.result) out.push(renderCheckText(e.result, color));
    else out.push(`ERROR: ${e.error!.file}: ${e.error!.message}`);
    out.push('');
  });
  out.push(`kerascope check ${s.verdict === 'pass' ? 'passed' : 'failed'}: ${s.summary}`);
  if (hint && s.verdict === 'fail') out.push(acceptText(terminalSafe(hint)));
  return out.join('\n');
}

export function renderCheckSetMarkdown(s: CheckSet, hint: AcceptHint | null): string {
  const icon = s.verdict === 'pass' ? '✅' : '❌';
  const out = [CHECK_MARKER, `${icon} **kerascope check ${s.verdict === 'pass' ? 'passed' : 'failed'}**: ${cell(s.summary)}`, ''];
  out.push('| Entry | Model | Verdict |', '| --- | --- | --- |');
  for (const e of s.entries) {
    const v = e.result ? `${e.verdict === 'pass' ? '✅' : '❌'} ${cell(e.result.summary)}` : `❌ unreadable: ${cell(e.error!.message)}`;
    out.push(`| ${cell(e.name)} | ${code(e.model)} | ${v} |`);
  }
  for (const e of s.entries) {
    out.push('', `### ${cell(e.name)}`, '');
    if (e.result) out.push(renderCheckMarkdown(e.result, { marker: false }));
    else out.push(`❌ **kerascope could not read ${code(e.error!.file)}**: ${cell(e.error!.message)}`);
  }
  if (hint && s.verdict === 'fail') out.push('', acceptMarkdown(hint));
  return out.join('\n');
}

export function renderCheckSetGithub(set: CheckSet, hint: AcceptHint | null): string {
  const s = terminalSafe(set);
  const out: string[] = [];
  for (const e of s.entries) {
    if (e.result) out.push(renderCheckGithub(e.result));
    else out.push(command('error', { file: e.error!.file, title: `kerascope: ${e.name} unreadable` }, e.error!.message));
  }
  if (hint && s.verdict === 'fail')
    out.push(command('notice', { title: 'kerascope: how to accept this change' }, acceptText(terminalSafe(hint))));
  return out.join('\n');
}
