// What the card states about a model, gathered from the inspection: nothing here is typed by a person.
import type { Graph } from '../graph/index.js';
import type { Inspection } from '../inspect.js';
import { CATALOGUE } from '../model/findings.js';
import { DTYPE_BYTES } from '../model/shape.js';
import type { Finding, LayerNode, Report, Shape } from '../model/types.js';
import { configText } from './float.js';
import { estimateMacs } from '../layers/index.js';
import type { MacEstimate } from '../layers/registry.js';

export interface TensorEnd {
  name: string;
  shape: Shape | null;
  dtype: string;
}

/** Inputs and outputs of the model: the layers at its ends, their shapes and dtypes. */
export function inputsOutputs(graph: Graph | null): { inputs: TensorEnd[]; outputs: TensorEnd[] } | null {
  if (!graph) return null;
  const byName = new Map(graph.layers.map((l) => [l.name, l]));
  const end = (e: { layer: string; tensor: number }): TensorEnd => {
    const node = byName.get(e.layer);
    const out = node?.outputShape ?? null;
    const isList = out !== null && out.length > 0 && Array.isArray(out[0]);
    const s = isList ? ((out as Shape[])[e.tensor] ?? null) : (out as Shape | null);
    const name = isList ? `${e.layer}[${e.tensor}]` : e.layer;
    return { name, shape: s, dtype: node ? dtypeOf(node) : 'float32' };
  };
  return { inputs: graph.inputs.map(end), outputs: graph.outputs.map(end) };
}

/** The dtype a layer computes in: its `dtype` setting (a name, or a Keras 3 DTypePolicy), else float32. */
function dtypeOf(node: LayerNode): string {
  const d = node.config.dtype;
  if (typeof d === 'string') return d.replace(/^mixed_/, '');
  if (d && typeof d === 'object') {
    const c = (d as { config?: { name?: unknown } }).config;
    if (typeof c?.name === 'string') return c.name.replace(/^mixed_/, '');
  }
  return 'float32';
}

export interface DtypeMemory {
  dtype: string;
  values: number;
  bytes: number;
}

/** Stored weights grouped by stored dtype (elements and bytes on disk). */
export function memoryByDtype(report: Report): DtypeMemory[] {
  const by = new Map<string, DtypeMemory>();
  for (const l of report.layers) {
    for (const w of l.weights) {
      if (!w.storedShape || !w.dtype) continue;
      const n = w.storedShape.reduce((a, b) => a * b, 1);
      const m = by.get(w.dtype) ?? { dtype: w.dtype, values: 0, bytes: 0 };
      m.values += n;
      m.bytes += n * (DTYPE_BYTES[w.dtype] ?? 4);
      by.set(w.dtype, m);
    }
  }
  return [...by.values()].sort((a, b) => b.values - a.values);
}

export interface LayerMacs extends MacEstimate {
  name: string;
  className: string;
}

export interface MacSummary {
  /** Sum over the layers with a rule. */
  total: number;
  layers: LayerMacs[];
  /** Layers that have weights but no rule (or an unknown shape): not in the total. */
  notEstimated: LayerMacs[];
}

export function macSummary(graph: Graph | null, report: Report): MacSummary | null {
  if (!graph) return null;
  const rows = new Map(report.layers.filter((r) => r.depth === 0).map((r) => [r.name, r]));
  const layers: LayerMacs[] = [];
  const notEstimated: LayerMacs[] = [];
  for (const n of graph.layers) {
    const e = { name: n.name, className: n.className, ...estimateMacs(n) };
    if (e.macs !== null) layers.push(e);
    else if ((rows.get(n.name)?.params.stored ?? 0) > 0 || (n.vars?.length ?? 0) > 0) notEstimated.push(e);
  }
  return { total: layers.reduce((s, l) => s + (l.macs ?? 0), 0), layers, notEstimated };
}

export interface Training {
  optimizer: string | null;
  settings: [string, string][];
  loss: string | null;
  metrics: string | null;
}

const show = configText;

/** Optimizer, its settings, loss and metrics from a legacy `training_config` or a Keras 3 `compile_config`. */
export function trainingOf(cfg: unknown): Training | null {
  if (!cfg || typeof cfg !== 'object') return null;
  const c = cfg as Record<string, unknown>;
  const opt = (c.optimizer_config ?? c.optimizer) as { class_name?: unknown; config?: Record<string, unknown> } | string | undefined;
  let optimizer: string | null = null;
  const settings: [string, string][] = [];
  if (typeof opt === 'string') optimizer = opt;
  else if (opt && typeof opt === 'object') {
    optimizer = typeof opt.class_name === 'string' ? opt.class_name : null;
    for (const [k, v] of Object.entries(opt.config ?? {})) {
      if (v === null || v === undefined || k === 'name') continue;
      settings.push([k, show(v)]);
    }
  }
  const loss = c.loss === undefined || c.loss === null ? null : show(c.loss);
  const metrics = c.metrics === undefined || c.metrics === null ? null : show(c.metrics);
  if (!optimizer && !loss && !metrics) return null;
  return { optimizer, settings, loss, metrics };
}

export interface Integrity {
  /** Layers that need or store weights, and how many of them are `ok`. */
  withWeights: number;
  verified: number;
  findings: Finding[];
  /** Layers whose class kerascope does not know (counted from their stored tensors, not verified). */
  custom: { name: string; className: string | null }[];
  /** Findings of the security family. */
  unsafe: Finding[];
}

export function integrityOf(report: Report): Integrity {
  const rows = report.layers.filter((r) => r.depth === 0 && ((r.params.expected ?? 0) > 0 || r.params.stored > 0));
  return {
    withWeights: rows.length,
    verified: rows.filter((r) => r.status === 'ok').length,
    findings: report.findings,
    custom: report.layers.filter((r) => r.status === 'unverified').map((r) => ({ name: r.name, className: r.className })),
    unsafe: report.findings.filter((f) => CATALOGUE[f.code]?.family === 'security'),
  };
}

/** The facts a card states, computed once (the Markdown and HTML renderers read the same). */
export interface CardFacts {
  inspection: Inspection;
  io: ReturnType<typeof inputsOutputs>;
  memory: DtypeMemory[];
  macs: MacSummary | null;
  training: Training | null;
  integrity: Integrity;
}

export function cardFacts(inspection: Inspection): CardFacts {
  const { report, graph, saved } = inspection;
  return {
    inspection,
    io: inputsOutputs(graph),
    memory: memoryByDtype(report),
    macs: macSummary(graph, report),
    training: trainingOf(saved.trainingConfig),
    integrity: integrityOf(report),
  };
}
