// Names that lie to a reader: a model, layer, class, weight, file or archive member name (or a version
// string) holding control characters (terminal sequences, CR and backspace that overwrite a row),
// bidirectional controls that reorder text (U+202E makes `exe.txt` read `txt.exe`), zero-width characters
// that make two names look alike, or a lone surrogate (half a character). Every output shows such a name
// escaped; this pass reports it as a deception attempt, naming it in its escaped form.
import type { Graph } from '../graph/index.js';
import { finding } from '../model/findings.js';
import { clipText, hasDeceptive, visible } from '../model/text.js';
import type { Finding, LayerNode, LoadedModel } from '../model/types.js';

/** More findings than this of one model say nothing more (the summaries count them anyway). */
const MAX_FINDINGS = 1000;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this looks for
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** What kinds of lying characters `s` holds, in words. */
export function deceptiveKinds(s: string): string[] {
  const kinds: string[] = [];
  if (CONTROL.test(s)) kinds.push('control characters');
  if (/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(s)) kinds.push('bidirectional controls');
  if (/[\u00ad\u180e\u200b-\u200d\u2060-\u2064\ufeff]/.test(s)) kinds.push('zero-width characters');
  if (/[\u2028\u2029\ufff9-\ufffb]/.test(s)) kinds.push('line separators or annotation controls');
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s)) kinds.push('a lone surrogate');
  return kinds;
}

export function scanNames(saved: LoadedModel, graph: Graph | null): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  const reported = new Set<string>();
  const check = (what: string, name: string | null | undefined, layer: string | null = null) => {
    if (typeof name !== 'string' || out.length >= MAX_FINDINGS || !hasDeceptive(name)) return;
    const key = `${what}\u0000${name}`;
    if (seen.has(key)) return;
    seen.add(key);
    const shown = clipText(visible(name), 160);
    out.push(
      finding(
        'deceptive-name',
        layer,
        null,
        `the ${what} "${shown}" holds ${deceptiveKinds(name).join(' and ')}, which can hide or disguise text (shown escaped)`,
      ),
    );
  };
  if (graph) {
    check('model name', graph.name);
    const visit = (n: LayerNode) => {
      const path = [...n.path, n.name].join('/');
      check('layer name', n.name, path);
      if (hasDeceptive(n.name)) reported.add(n.name);
      check('class name', n.className, path);
      for (const c of n.children) visit(c);
    };
    for (const l of graph.layers) visit(l);
  }
  // A weight named after a layer already reported says nothing new: only names the layers do not cover.
  const covered = (n: string) => {
    for (const layer of reported) if (n === layer || n.startsWith(`${layer}/`) || n.startsWith(`layers/${layer}/`)) return true;
    return false;
  };
  for (const t of [...saved.tensors, ...saved.optimizer, ...(saved.metrics ?? []), ...(saved.modelVariables ?? [])]) {
    if (!covered(t.layerKey)) check('weight group', t.layerKey, t.layerKey);
    if (!covered(t.name) && !(hasDeceptive(t.layerKey) && t.name.startsWith(t.layerKey))) check('weight name', t.name, t.layerKey);
  }
  for (const f of saved.files) check('file name', f.path);
  for (const m of saved.archiveMembers ?? []) check('archive member name', m.name);
  check('Keras version', saved.kerasVersion);
  check('backend', saved.backend);
  check('producer', saved.producer);
  for (const [k, v] of Object.entries(saved.meta)) check(`${k} field`, v);
  return out;
}
