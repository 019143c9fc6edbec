// A Report reduced to what the gate compares, and the architecture hash that ignores generated names.
import type { Graph } from '../graph/index.js';
import type { LayerNode, LayerRow, Report, Severity, Shape } from '../model/types.js';
import type { FileDigest, LayerSummary, ModelSummary } from './types.js';
import { sha256Hex } from '../io/sha256.js';

export { sha256Hex } from '../io/sha256.js';

export function layerSummary(row: LayerRow, inputs: string[] = []): LayerSummary {
  return {
    name: row.name,
    className: row.className,
    outputShape: row.outputShape,
    params: row.params.expected ?? row.params.stored,
    trainable: row.params.trainable,
    nonTrainable: row.params.nonTrainable,
    weights: row.weights.map((w) => ({ name: w.name, shape: (w.storedShape ?? w.expectedShape ?? []) as Shape })),
    inputs,
  };
}

/**
 * The layers feeding each top-level layer's first call: every layer name mentioned in its first inbound node
 * (Keras 2 / TF.js `[["dense", 0, 0, {}]]`, Keras 3 `keras_history`), in order; in a Sequential model (no
 * inbound nodes) the previous layer.
 */
export function layerInputs(graph: Graph | null): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!graph) return out;
  const names = new Set(graph.layers.map((n) => n.name));
  const found = (x: unknown, acc: string[], depth: number) => {
    if (depth > 64) return;
    if (typeof x === 'string') {
      if (names.has(x) && !acc.includes(x)) acc.push(x);
    } else if (Array.isArray(x)) for (const y of x) found(y, acc, depth + 1);
    else if (x && typeof x === 'object') for (const y of Object.values(x)) found(y, acc, depth + 1);
  };
  graph.layers.forEach((n, i) => {
    const nodes = n.raw.inbound_nodes;
    const acc: string[] = [];
    if (Array.isArray(nodes)) {
      if (nodes.length) found(nodes[0], acc, 0);
    } else if (i > 0 && n.className !== 'InputLayer' && graph.layers[i - 1]!.className !== 'InputLayer') {
      // Sequential: the previous layer (Keras 3 lists the InputLayer, Keras 2 and TF.js do not: left out).
      acc.push(graph.layers[i - 1]!.name);
    }
    out.set(
      n.name,
      acc.filter((x) => x !== n.name),
    );
  });
  return out;
}

/**
 * The canonical form of the layer graph, as JSON: per layer its class, its serialized entry without its own
 * name, with every mention of a layer name (inbound nodes, nested models, wrapped layers) replaced by that
 * layer's position, its output shape and its variables. Two models that differ only in generated names
 * (`dense_3` vs `dense_7`) have the same canonical form; a changed unit count, activation, wiring or
 * trainable flag changes it. Without a config (weights-only files) the stored layers' classes and shapes.
 */
export function canonicalArchitecture(report: Report, graph: Graph | null): string {
  if (!graph) {
    return JSON.stringify(report.layers.map((r) => [r.className, r.weights.map((w) => w.storedShape ?? w.expectedShape)]));
  }
  const all: LayerNode[] = [];
  const walk = (nodes: LayerNode[]) => {
    for (const n of nodes) {
      all.push(n);
      walk(n.children);
    }
  };
  walk(graph.layers);
  const index = new Map<string, number>();
  all.forEach((n, i) => {
    if (!index.has(n.name)) index.set(n.name, i);
  });
  const canon = (x: unknown, depth: number, top: boolean): unknown => {
    if (depth > 64) return null;
    if (typeof x === 'string') return index.has(x) ? `#${index.get(x)}` : x;
    if (Array.isArray(x)) return x.map((y) => canon(y, depth + 1, false));
    if (x && typeof x === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(x).sort()) {
        if (top && k === 'name') continue;
        // The layer's own config name sits one level down (`config.name`).
        out[k] = canon((x as Record<string, unknown>)[k], depth + 1, top && k === 'config');
      }
      return out;
    }
    return x;
  };
  return JSON.stringify(
    all.map((n) => ({
      class: n.className,
      depth: n.path.length,
      entry: canon(n.raw, 0, true),
      out: n.outputShape,
      vars: n.vars?.map((v) => [v.shape, v.trainable]) ?? null,
    })),
  );
}

export async function architectureHash(report: Report, graph: Graph | null): Promise<string> {
  return `sha256:${await sha256Hex(canonicalArchitecture(report, graph))}`;
}

/** Most severe first (the catalogue's scale; src/gate imports nothing outside itself at run time). */
const RANK: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

export interface SummaryInputs {
  report: Report;
  graph: Graph | null;
  /** Digests of the model's files (the main file first); the caller reads the files. */
  files: FileDigest[];
  /** Findings at or above this severity are the summary's `errors` (default `high`: what fails a run). */
  failOn?: Severity;
}

export async function summarize({ report, graph, files, failOn }: SummaryInputs): Promise<ModelSummary> {
  const inputs = layerInputs(graph);
  const layers = report.layers.filter((r) => r.depth === 0).map((r) => layerSummary(r, inputs.get(r.name) ?? []));
  const t = report.totals;
  return {
    file: report.file,
    format: report.format,
    model: report.model?.name ?? null,
    kerasVersion: report.kerasVersion,
    sha256: files[0]?.sha256 ?? null,
    architectureHash: await architectureHash(report, graph),
    totals: {
      params: t.params,
      trainable: t.trainable,
      nonTrainable: t.nonTrainable,
      stored: t.stored,
      storedBytes: t.storedBytes,
      diskBytes: files.reduce((n, f) => n + f.bytes, 0),
    },
    files,
    errors: report.findings
      .filter((f) => RANK.indexOf(f.severity) <= RANK.indexOf(failOn ?? 'high'))
      .map((f) => ({ code: f.code, layer: f.layer, message: f.message })),
    layers,
  };
}
