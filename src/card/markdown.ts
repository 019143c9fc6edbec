// The model card as Markdown: Hugging Face front matter (written by the `yaml` library), generated blocks
// between `<!-- kerascope:begin NAME -->` / `<!-- kerascope:end NAME -->` markers, and sections with a
// prompt for what only the author knows. `updateCard` refreshes the blocks of an existing card and leaves
// every byte outside them as it was.
import { atLeast, DEFAULT_FAIL_ON } from '../model/findings.js';
import { parseDocument } from 'yaml';
import { explainReport } from '../explain/index.js';
import type { Inspection } from '../inspect.js';
import type { FileEntry, Finding, Report } from '../model/types.js';
import { mdCell as escapeCell, mdCode, mdText } from '../report/escape/markdown.js';
import { YAML_OPTIONS, yamlDocument, yamlScalar } from '../report/escape/yaml.js';
import { bytes, count, shape } from '../report/format.js';
import { VERSION } from '../version.js';
import { type CardFacts, cardFacts } from './facts.js';
import { explainTables } from './explain-table.js';
import { type FoldedGraph, type FoldMode, foldGraph } from './fold.js';
import { MAC_CLASSES } from '../layers/index.js';
import { licenseInfo, licenseText } from './license.js';
import { renderMermaid } from './mermaid.js';
import { CardMarkerError, findBlocks, hasMarkers, wrapBlock } from './markers.js';
import { libraryName, loadSnippet } from './usage.js';

export { CardMarkerError, wrapBlock };

export interface CardOptions {
  title?: string;
  license?: string;
  tags?: string[];
  pipelineTag?: string;
  baseModel?: string;
  datasets?: string[];
  /** Per-layer multiply-accumulate estimates in the Size block. */
  details?: boolean;
  /** Folding of repeated chains in the table and the graph (default `auto`: above 30 top-level layers). */
  fold?: FoldMode;
  /** SHA-256 (hex) of each file of the model, by `FileEntry.path` (see `sha256Files`). */
  hashes?: Record<string, string>;
  /** A Markdown template with `{{placeholders}}` (see `PLACEHOLDERS`) instead of the default layout. */
  template?: string;
  /** The path the How-to-get-started code loads (default: the model file's name). */
  loadPath?: string;
  /**
   * How the graph block shows the graph: a Mermaid flowchart (GitHub renders it; default), an image link
   * to an SVG file written beside the card (`graphFile`; the Hub shows images, not Mermaid), or both.
   */
  graph?: GraphMode;
  /** The SVG file's path relative to the card (default `model_graph.svg`). */
  graphFile?: string;
}

export type GraphMode = 'mermaid' | 'svg' | 'both';
export const GRAPH_FILE = 'model_graph.svg';

/** The generated blocks, in the default card's order. */
export const BLOCKS = ['overview', 'usage', 'io', 'architecture', 'graph', 'size', 'explain', 'training', 'integrity', 'license'] as const;
export type BlockName = (typeof BLOCKS)[number];

/** Every placeholder a template may use: the blocks, plus `title` and `front_matter`-free author prompts. */
export const PLACEHOLDERS: Record<string, string> = {
  title: 'the title (--title, else the file or folder name)',
  overview: 'format, Keras version and backend or TF.js producer, files with sizes and SHA-256, date saved',
  usage: 'how to get started: the call that loads the file (Keras 3, tf.keras or TF.js)',
  io: 'inputs and outputs: names, shapes, dtypes',
  architecture: 'the per-layer table (folded for long models, the full table in <details>)',
  graph: 'the layer graph as a Mermaid flowchart',
  size: 'params, memory by dtype, optimizer state, multiply-accumulate estimate',
  explain: 'how the counts arise: the explain table',
  training: 'optimizer and its settings, loss, metrics',
  integrity: "the audit's result: findings, verified layers, custom and unsafe layers",
  license: 'the license named by --license (SPDX id and name), else a prompt for the author',
};

const AUTHOR_SECTIONS: [string, string][] = [
  ['Intended use', 'Who should use this model, for what, and what it must not be used for.'],
  ['Training data', 'What data the model was trained on, where it comes from, and how it was prepared.'],
  ['Evaluation', 'How the model was evaluated: data, metrics, results.'],
  ['Limitations', 'Known failure modes, biases and risks.'],
];

const LICENSE_PROMPT = 'The license the model is published under, and any conditions of use.';

/** Markdown table cell: text, never markup (src/report/escape/markdown.ts). */
export const mdCell = escapeCell;

const code = (s: string) => mdCode(s);

export function frontMatter(report: Report, opts: CardOptions): Record<string, unknown> {
  const library = libraryName(report);
  const fm: Record<string, unknown> = { library_name: library };
  fm.tags = [...new Set([library, ...(opts.tags ?? [])])];
  if (opts.license) fm.license = licenseInfo(opts.license).id;
  if (opts.pipelineTag) fm.pipeline_tag = opts.pipelineTag;
  if (opts.baseModel) fm.base_model = opts.baseModel;
  if (opts.datasets?.length) fm.datasets = [...new Set(opts.datasets)];
  return fm;
}

export function renderFrontMatter(fm: Record<string, unknown>): string {
  return `---\n${yamlDocument(fm)}---\n`;
}

const FORMAT_NAMES: Record<string, string> = {
  'keras-h5': 'Keras legacy HDF5 (full model)',
  'keras-h5-weights': 'Keras weights HDF5',
  'keras-v3': 'Keras 3 archive (.keras)',
  'tfjs-layers': 'TensorFlow.js layers model',
  'tfjs-graph': 'TensorFlow.js graph model',
  'keras-json': 'Keras architecture JSON (no weights)',
  savedmodel: 'TensorFlow SavedModel directory',
};

function baseName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

const GENERIC_STEMS = new Set(['model', 'models', 'weights', 'saved_model', 'keras_model', 'model_weights', 'checkpoint']);

/**
 * A title a reader recognizes: the file's name without its extension (`classifier` from
 * `classifier.keras`), or its folder's name when the file name says nothing (`mobilenet_v2` from
 * `mobilenet_v2/model.json`).
 */
export function defaultTitle(file: string): string {
  const parts = file.split(/[\\/]/).filter((x) => x && x !== '.');
  const stem = (parts.pop() ?? file).replace(/(\.weights)?\.(keras|h5|hdf5|json)$/i, '');
  const folder = parts.pop();
  return GENERIC_STEMS.has(stem.toLowerCase()) && folder && folder !== '..' ? folder : stem;
}

function overview(f: CardFacts, opts: CardOptions): string {
  const { report, graph, saved } = f.inspection;
  // [label, Markdown already escaped]
  const rows: [string, string][] = [['Format', `${mdCell(FORMAT_NAMES[report.format] ?? report.format)} (${code(report.format)})`]];
  if (report.format.startsWith('tfjs')) {
    rows.push(...producerRows(report.format, saved.meta, report.kerasVersion));
  } else {
    if (report.kerasVersion) rows.push(['Keras version', mdCell(report.kerasVersion)]);
    if (report.backend) rows.push(['Backend', mdCell(report.backend)]);
  }
  if (saved.meta.dateSaved) rows.push(['Date saved', mdCell(saved.meta.dateSaved)]);
  if (graph) rows.push(['Model', `${mdCell(graph.name)} (${mdCell(graph.className)}), ${graph.layers.length} top-level layers`]);
  const out = ['## Overview', '', '| Field | Value |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${v} |`), ''];
  out.push('| File | Size | SHA-256 |', '| --- | ---: | --- |');
  for (const file of report.files) out.push(fileRow(file, opts));
  return out.join('\n');
}

/**
 * Who wrote a TF.js model: the manifest's `convertedBy` (`TensorFlow.js Converter v1.7.4r1`) and
 * `generatedBy` (a bare version is TensorFlow's for a graph model, Keras' for a layers model), else the
 * Keras version recorded in the topology.
 */
function producerRows(
  format: string,
  meta: { generatedBy?: string; convertedBy?: string },
  kerasVersion: string | null,
): [string, string][] {
  // The versions come from the file: table cells of text, never markup.
  const named = (v: string, lib: string) => mdCell(/^v?\d/.test(v) ? `${lib} ${v.replace(/^v/, '')}` : v);
  const rows: [string, string][] = [];
  const lib = format === 'tfjs-graph' ? 'TensorFlow' : 'Keras';
  if (meta.generatedBy) rows.push(['Produced by', named(meta.generatedBy, lib)]);
  else if (kerasVersion) rows.push(['Produced by', `${named(kerasVersion, 'Keras')} (the topology's keras_version)`]);
  rows.push(['Converted by', meta.convertedBy ? named(meta.convertedBy, 'TensorFlow.js Converter') : 'not recorded in the manifest']);
  return rows;
}

function usage(f: CardFacts, name: string): string {
  const { lang, code: snippet } = loadSnippet(f.inspection.report, name);
  const where =
    lang === 'js' ? 'TensorFlow.js' : libraryName(f.inspection.report) === 'keras' ? 'Keras 3' : 'TensorFlow 2 (tf.keras, Keras 2)';
  return ['## How to get started', '', `Load the model with ${where}:`, '', `\`\`\`${lang}`, snippet, '```'].join('\n');
}

function license(opts: CardOptions): string {
  const body = opts.license ? licenseText(licenseInfo(opts.license), code) : `> _To be written by the author: ${LICENSE_PROMPT}_`;
  return ['## License', '', body].join('\n');
}

function fileRow(file: FileEntry, opts: CardOptions): string {
  const size = file.present ? `${count(file.bytes)} B (${bytes(file.bytes)})` : 'missing';
  const sha = opts.hashes?.[file.path];
  return `| ${mdCell(baseName(file.path))} | ${size} | ${sha ? code(sha) : 'not computed'} |`;
}

function io(f: CardFacts): string {
  const out = ['## Inputs and outputs', ''];
  if (!f.io) return [...out, 'The file has no layer architecture: its inputs and outputs are not recorded.'].join('\n');
  out.push('| | Name | Shape | Dtype |', '| --- | --- | --- | --- |');
  for (const i of f.io.inputs) out.push(`| input | ${mdCell(i.name)} | ${mdCell(shape(i.shape))} | ${mdCell(i.dtype)} |`);
  for (const o of f.io.outputs) out.push(`| output | ${mdCell(o.name)} | ${mdCell(shape(o.shape))} | ${mdCell(o.dtype)} |`);
  return out.join('\n');
}

function layerTable(report: Report): string[] {
  const out = ['| Layer (type) | Output Shape | Param # |', '| --- | --- | ---: |'];
  for (const r of report.layers) {
    const indent = r.depth ? `${'&nbsp;&nbsp;'.repeat(r.depth)}↳ ` : '';
    const name = `${indent}${mdCell(r.name)} (${mdCell(r.className ?? 'stored tensors')})`;
    out.push(`| ${name} | ${mdCell(shape(r.outputShape))} | ${count(r.params.expected ?? r.params.stored)} |`);
  }
  return out;
}

function architecture(f: CardFacts, folded: FoldedGraph | null): string {
  const { report } = f.inspection;
  const out = ['## Architecture', ''];
  if (!folded?.folded) return [...out, ...layerTable(report)].join('\n');
  out.push(`${report.layers.filter((r) => r.depth === 0).length} layers, repeated chains folded into blocks:`, '');
  out.push('| Layer (type) | Output Shape | Param # |', '| --- | --- | ---: |');
  for (const u of folded.units) out.push(`| ${mdCell(u.title)} | ${mdCell(shape(u.outputShape))} | ${count(u.params)} |`);
  out.push('', '<details>', '', '<summary>Every layer</summary>', '', ...layerTable(report), '', '</details>');
  return out.join('\n');
}

function graphBlock(folded: FoldedGraph | null, opts: CardOptions): string {
  const out = ['## Layer graph', ''];
  if (!folded) return [...out, 'The file has no layer architecture to draw.'].join('\n');
  const mode = opts.graph ?? 'mermaid';
  if (mode !== 'mermaid') {
    // A relative link; characters that would end the Markdown link or make it absolute are encoded.
    const href = (opts.graphFile ?? GRAPH_FILE).split('/').map(encodeURIComponent).join('/');
    out.push(`![Layer graph: ${folded.units.length} boxes, one per layer or folded block](${href})`);
  }
  if (mode === 'both') out.push('');
  if (mode !== 'svg') out.push('```mermaid', renderMermaid(folded), '```');
  return out.join('\n');
}

function size(f: CardFacts, opts: CardOptions): string {
  const { report } = f.inspection;
  const t = report.totals;
  const out = ['## Size', ''];
  out.push(`- Total params: ${count(t.params)} (${bytes(t.paramBytes)})`);
  if (t.trainable === null) out.push('- Trainable / non-trainable params: unknown (no architecture says which weights train)');
  else
    out.push(
      `- Trainable params: ${count(t.trainable)} (${bytes(t.trainableBytes ?? 0)})`,
      `- Non-trainable params: ${count(t.nonTrainable)} (${bytes(t.nonTrainableBytes ?? 0)})`,
    );
  out.push(`- Stored: ${count(t.stored)} values (${bytes(t.storedBytes)})`);
  out.push(
    t.optimizerStored
      ? `- Optimizer state stored: ${count(t.optimizerStored)} values (not part of the model's params)`
      : '- Optimizer state stored: none',
  );
  out.push('', '| Weights | Values | Bytes |', '| --- | ---: | ---: |');
  for (const m of f.memory) out.push(`| as stored, ${mdCell(m.dtype)} | ${count(m.values)} | ${bytes(m.bytes)} |`);
  for (const [dtype, b] of [
    ['float32', 4],
    ['float16', 2],
    ['int8', 1],
  ] as const)
    out.push(`| as ${dtype} | ${count(t.params)} | ${bytes(t.params * b)} |`);
  out.push('');
  if (!f.macs) out.push('Multiply-accumulates: not estimated (no layer architecture).');
  else {
    out.push(
      `Multiply-accumulates per inference (estimate, one sample): **≈ ${count(f.macs.total)}**, over the ${f.macs.layers.length} layers with a rule (${MAC_CLASSES.join(', ')}); biases, activations, normalisation and pooling are not counted.`,
    );
    if (f.macs.notEstimated.length) {
      const names = f.macs.notEstimated.map((l) => `${mdCell(l.name)} (${mdCell(l.className)})`);
      out.push(
        '',
        `Layers with weights not estimated: ${names.length > 12 ? `${names.slice(0, 12).join(', ')}, … (${names.length})` : names.join(', ')}.`,
      );
    }
    if (opts.details) {
      out.push('', '| Layer | MACs (estimate) | Rule |', '| --- | ---: | --- |');
      for (const l of f.macs.layers) out.push(`| ${mdCell(l.name)} (${mdCell(l.className)}) | ${count(l.macs)} | ${mdCell(l.rule)} |`);
    }
  }
  return out.join('\n');
}

function explain(f: CardFacts): string {
  const e = explainReport(f.inspection.report, f.inspection.graph);
  const out = ['## How the counts arise', ''];
  if (e.note) out.push(`${e.note[0]!.toUpperCase()}${e.note.slice(1)}.`, '');
  out.push(
    "Each count is the layer's own formula with its sizes substituted (`kerascope explain`); layers of one class with the same formula share a row.",
    '',
    explainTables(e, mdCell, code),
  );
  return out.join('\n');
}

function training(f: CardFacts): string {
  const out = ['## Training configuration', ''];
  const t = f.training;
  if (!t) return [...out, 'The file stores no training configuration.'].join('\n');
  out.push('| Setting | Value |', '| --- | --- |');
  if (t.optimizer) out.push(`| Optimizer | ${mdCell(t.optimizer)} |`);
  for (const [k, v] of t.settings) out.push(`| ${mdCell(k)} | ${mdCell(v)} |`);
  if (t.loss) out.push(`| Loss | ${mdCell(t.loss)} |`);
  if (t.metrics) out.push(`| Metrics | ${mdCell(t.metrics)} |`);
  return out.join('\n');
}

function integrity(f: CardFacts): string {
  const i = f.integrity;
  const out = ['## Integrity and safety', ''];
  const errors = i.findings.filter((x) => atLeast(x.severity, DEFAULT_FAIL_ON));
  if (i.verified === i.withWeights && !errors.length) {
    out.push(`Stored tensors match the architecture: ${i.verified} of ${i.withWeights} layers verified.`);
  } else {
    out.push(`${i.verified} of ${i.withWeights} layers with weights verified against their formula.`);
  }
  if (i.unsafe.length) {
    const where = (x: Finding) => x.layer ?? (x.code.startsWith('custom-training') ? 'training config' : 'the file');
    const named = [...new Set(i.unsafe.map((x) => `${mdCell(where(x))} (${x.code})`))];
    out.push('', `**Unsafe constructs:** ${named.join(', ')}: review before loading this model.`);
  }
  if (i.custom.length)
    out.push(
      '',
      `**Not verified** (a custom class, or a shape kerascope cannot infer; stored tensors counted): ${i.custom.map((c) => `${mdCell(c.name)} (${mdCell(c.className ?? '?')})`).join(', ')}.`,
    );
  if (i.findings.length) {
    out.push('', '| Severity | Code | Layer | Finding |', '| --- | --- | --- | --- |');
    for (const x of i.findings) out.push(`| ${x.severity} | ${x.code} | ${mdCell(x.layer ?? '')} | ${mdCell(x.message)} |`);
  } else out.push('', 'No findings.');
  return out.join('\n');
}

/** Each generated block's Markdown (without markers). */
export function renderBlocks(inspection: Inspection, opts: CardOptions = {}): Record<BlockName, string> {
  const f = cardFacts(inspection);
  const folded = inspection.graph ? foldGraph(inspection.graph, inspection.report, opts.fold) : null;
  return {
    overview: overview(f, opts),
    usage: usage(f, opts.loadPath ?? baseName(inspection.report.file)),
    io: io(f),
    architecture: architecture(f, folded),
    graph: graphBlock(folded, opts),
    size: size(f, opts),
    explain: explain(f),
    training: training(f),
    integrity: integrity(f),
    license: license(opts),
  };
}

/** kerascope's note about its markers, hidden from readers in an HTML comment. */
export const NOTE = `<!-- Generated by kerascope ${VERSION} from the model file: the blocks between kerascope:begin and kerascope:end markers are refreshed by kerascope card; write everything else. -->`;

export class TemplateError extends Error {}

/**
 * Front matter (the author's, in an existing card or a template) that the YAML library refuses: its guards
 * (an alias bomb, a document it cannot parse) hold, and the caller reports the file it came from.
 */
export class FrontMatterError extends Error {}

/** The card's title as text: --title, else the model name, else the file name. */
export function cardTitle(inspection: Inspection, opts: CardOptions = {}): string {
  return opts.title ?? defaultTitle(inspection.report.file);
}

/** The default layout, or the template with its placeholders filled. */
export function renderCardMarkdown(inspection: Inspection, opts: CardOptions = {}): string {
  const blocks = renderBlocks(inspection, opts);
  const title = cardTitle(inspection, opts);
  const fm = frontMatter(inspection.report, opts);
  if (opts.template !== undefined) return fillTemplate(opts.template, blocks, title, fm);
  const out = [renderFrontMatter(fm), `# ${mdText(title)}`, '', wrapBlock('note', NOTE), ''];
  for (const name of BLOCKS) if (name !== 'license') out.push(wrapBlock(name, blocks[name]), '');
  for (const [heading, prompt] of AUTHOR_SECTIONS) out.push(`## ${heading}`, '', `> _To be written by the author: ${prompt}_`, '');
  out.push(wrapBlock('license', blocks.license), '');
  return out.join('\n');
}

function fillTemplate(template: string, blocks: Record<BlockName, string>, title: string, fm: Record<string, unknown>): string {
  const known = new Set(Object.keys(PLACEHOLDERS));
  if (hasMarkers(template)) throw new TemplateError('the template has kerascope markers of its own: use {{placeholders}}');
  // In the template's front matter a value is a YAML scalar (double-quoted by the YAML library); in the body
  // the title is Markdown text.
  const fmEnd = /^---\r?\n(?:[\s\S]*?\r?\n)?---\r?\n/.exec(template)?.[0].length ?? 0;
  const body = template.replace(/\{\{\s*([\w-]+)\s*\}\}/g, (_, name: string, at: number) => {
    if (!known.has(name))
      throw new TemplateError(`unknown placeholder {{${name}}}; known: ${[...known].map((k) => `{{${k}}}`).join(', ')}`);
    if (at < fmEnd && name !== 'title') throw new TemplateError(`{{${name}}} is a block: it cannot stand in the front matter`);
    if (name === 'title') return at < fmEnd ? yamlScalar(title) : mdText(title);
    return wrapBlock(name, blocks[name as BlockName]);
  });
  const { front } = splitFrontMatter(body);
  return front === null ? `${renderFrontMatter(fm)}\n${body}` : mergeFrontMatter(body, fm);
}

// ── refreshing an existing card ──────────────────────────────────────────────────────────────────────

/** True when the text has a line that is (or looks like) a kerascope marker: a card to refresh, or to refuse. */
export function hasBlocks(text: string): boolean {
  return hasMarkers(text);
}

export function splitFrontMatter(text: string): { front: string | null; rest: string } {
  const m = /^---\r?\n([\s\S]*?\r?\n)?---\r?\n/.exec(text);
  return m ? { front: m[1] ?? '', rest: text.slice(m[0].length) } : { front: null, rest: text };
}

/**
 * Adds the generated keys an existing front matter lacks (tags and datasets: the new ones added to the
 * author's list; every other key the author has is kept as it is), through the YAML library's document model so the author's comments and order survive. When
 * nothing changes the author's text is kept byte for byte.
 */
export function mergeFrontMatter(text: string, fm: Record<string, unknown>): string {
  const { front, rest } = splitFrontMatter(text);
  if (front === null) return `${renderFrontMatter(fm)}\n${text}`;
  let doc: ReturnType<typeof parseDocument>;
  let current: Record<string, unknown>;
  try {
    doc = parseDocument(front);
    if (doc.errors.length) throw doc.errors[0];
    current = (doc.toJS() ?? {}) as Record<string, unknown>;
  } catch (e) {
    const why = ((e as Error)?.message ?? String(e)).split('\n')[0]!.slice(0, 200);
    throw new FrontMatterError(`its front matter cannot be read (${why})`);
  }
  let changed = false;
  for (const [k, v] of Object.entries(fm)) {
    // A key the author has is theirs (a list only gains the new items); missing keys are added.
    if (k in current && !(Array.isArray(v) && Array.isArray(current[k]))) continue;
    let next = v;
    if (Array.isArray(v) && Array.isArray(current[k])) next = [...new Set([...(current[k] as unknown[]), ...v])];
    if (JSON.stringify(current[k]) !== JSON.stringify(next)) {
      doc.set(k, next);
      changed = true;
    }
  }
  return changed ? `---\n${doc.toString(YAML_OPTIONS)}---\n${rest}` : text;
}

/**
 * Re-running over an existing card: every generated block the card has is replaced by the fresh one of the
 * same name; everything else (the author's text, blocks the fresh card lacks) stays byte for byte, and
 * the front matter gets the generated keys.
 */
export function updateCard(existing: string, fresh: string): string {
  const blocks = new Map<string, string>();
  for (const s of findBlocks(fresh)) blocks.set(s.name, fresh.slice(s.start, s.end));
  // A card whose markers are not exactly one begin/end pair per block is refused (CardMarkerError).
  const parts: string[] = [];
  let at = 0;
  for (const s of findBlocks(existing)) {
    const block = blocks.get(s.name);
    if (block === undefined) continue;
    parts.push(existing.slice(at, s.start), block);
    at = s.end;
  }
  parts.push(existing.slice(at));
  const body = parts.join('');
  const { front } = splitFrontMatter(fresh);
  if (front === null) return body;
  return mergeFrontMatter(body, (parseDocument(front).toJS() ?? {}) as Record<string, unknown>);
}
