// Reads any Keras config dialect into one shape: a model with ordered layer entries, each with its calls
// (lists of input references). Keras 1 `Model`, Keras 2 `Model`/`Functional`/`Sequential` (also the
// Keras 2.0/2.1 Sequential whose config is a bare list), Keras 3 (`module`, `__keras_tensor__` inbound
// nodes), and tfjs-layers `toJSON` output all come out the same.
import type { LayerEntry } from '../layers/registry.js';

export interface TensorRef {
  layer: string;
  node: number;
  tensor: number;
}

/** One call of a layer: its input tensors, and (Keras 2) the keyword arguments it was called with. */
export interface Call {
  /** The positional inputs (Keras 3: every tensor of the call). */
  refs: TensorRef[];
  /** Keras 2 / tf.keras: tensors passed by keyword (`value` of MultiHeadAttention, TF-op operands), depth-first. */
  kwargRefs: { key: string; ref: TensorRef }[];
  /** Keras 2 / tf.keras call kwargs as stored, or null. */
  kwargs: Record<string, unknown> | null;
}

export interface ModelEntry {
  kind: 'sequential' | 'functional';
  name: string;
  layers: LayerEntry[];
  /** Per layer name, its calls (functional models only). */
  calls: Map<string, Call[]>;
  inputs: TensorRef[];
  outputs: TensorRef[];
  trainable: boolean;
  /** Shape given for a Sequential without an InputLayer (first layer's batch_input_shape, build_config). */
  buildInputShape: (number | null)[] | null;
}

const MODEL_CLASSES = new Set(['Sequential', 'Model', 'Functional']);

export function isModelEntry(entry: { class_name?: unknown }): boolean {
  return typeof entry.class_name === 'string' && MODEL_CLASSES.has(entry.class_name);
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Finds the model config inside what a file stores (TF.js wraps it in `model_config`). */
export function unwrapModelConfig(raw: unknown): Obj | null {
  if (!isObj(raw)) return null;
  if (isObj(raw.model_config)) return unwrapModelConfig(raw.model_config);
  if (typeof raw.class_name === 'string') return raw;
  return null;
}

export function readModel(entry: Obj): ModelEntry {
  const className = String(entry.class_name);
  const cfg = entry.config;
  const layersRaw = Array.isArray(cfg) ? cfg : isObj(cfg) && Array.isArray(cfg.layers) ? cfg.layers : null;
  if (!layersRaw) throw new Error(`${className} config has no layer list`);
  const cfgObj: Obj = isObj(cfg) ? cfg : {};
  const layers: LayerEntry[] = layersRaw.filter(isObj).map((l) => normalizeEntry(l));
  const name = typeof cfgObj.name === 'string' ? cfgObj.name : typeof entry.name === 'string' ? entry.name : className;
  const trainable = cfgObj.trainable !== false && entry.trainable !== false;
  const buildCfg = isObj(entry.build_config) ? entry.build_config : isObj(cfgObj.build_config) ? cfgObj.build_config : null;
  const buildInputShape = shapeOf(buildCfg?.input_shape) ?? null;

  if (className === 'Sequential') {
    return { kind: 'sequential', name, layers, calls: new Map(), inputs: [], outputs: [], trainable, buildInputShape };
  }
  const calls = new Map<string, Call[]>();
  for (const l of layers) calls.set(layerName(l), readInboundNodes(l.inbound_nodes));
  return {
    kind: 'functional',
    name,
    layers,
    calls,
    inputs: readRefList(cfgObj.input_layers),
    outputs: readRefList(cfgObj.output_layers),
    trainable,
    buildInputShape,
  };
}

/** A layer's name: Keras 2 puts it beside `config`, Keras 3 and TF.js inside it too. */
export function layerName(l: LayerEntry): string {
  const c = l.config as Obj | undefined;
  if (typeof l.name === 'string') return l.name;
  if (c && typeof c.name === 'string') return c.name;
  return l.class_name;
}

function normalizeEntry(l: Obj): LayerEntry {
  const config = isObj(l.config) ? l.config : Array.isArray(l.config) ? { layers: l.config } : {};
  return { ...l, class_name: String(l.class_name ?? ''), config };
}

function readRefList(x: unknown): TensorRef[] {
  // Keras 3 writes named inputs/outputs as a dict of references.
  if (isObj(x)) return Object.values(x).flatMap((r) => readRefList(r));
  if (!Array.isArray(x)) return [];
  // A single reference [name, node, tensor] (Keras 3 with one input/output) or a list of them.
  if (x.length >= 1 && typeof x[0] === 'string') return [toRef(x)].filter((r): r is TensorRef => r !== null);
  return x.map(toRef).filter((r): r is TensorRef => r !== null);
}

function toRef(x: unknown): TensorRef | null {
  if (Array.isArray(x) && typeof x[0] === 'string') {
    return { layer: x[0], node: Number(x[1] ?? 0) || 0, tensor: Number(x[2] ?? 0) || 0 };
  }
  return null;
}

/** Keras 1/2/TF.js: `[[[name, node, tensor, kwargs], …], …]`; Keras 3: `[{args: […], kwargs: {…}}, …]`. */
function readInboundNodes(x: unknown): Call[] {
  if (!Array.isArray(x)) return [];
  const calls: Call[] = [];
  for (const node of x) {
    if (Array.isArray(node)) {
      // Keras 1/2: a list of references (TF-op layers write one bare reference), each with the call's kwargs.
      const entries = typeof node[0] === 'string' ? [node] : node;
      const refs = entries.map(toRef).filter((r): r is TensorRef => r !== null && r.layer !== CONSTANT);
      const first = entries.find((e) => Array.isArray(e) && isObj(e[3]));
      const kwargs = first ? ((first as unknown[])[3] as Record<string, unknown>) : null;
      const kwargRefs: Call['kwargRefs'] = [];
      for (const [key, value] of Object.entries(kwargs ?? {})) {
        const found: TensorRef[] = [];
        collectRefs(value, found, 0);
        for (const ref of found) kwargRefs.push({ key, ref });
      }
      calls.push({ refs, kwargRefs, kwargs: kwargs && Object.keys(kwargs).length ? kwargs : null });
    } else if (isObj(node)) {
      const refs: TensorRef[] = [];
      collectKerasTensors(node.args, refs, 0);
      collectKerasTensors(node.kwargs, refs, 0);
      calls.push({ refs, kwargRefs: [], kwargs: null });
    }
  }
  return calls;
}

/**
 * The input tensors a layer's formula sees for one call: the positional ones, then those passed by keyword
 * that are operands — every one for TF-op layers (their formulas read the kwargs), `value` and `key` for
 * attention layers; masks and other keyword tensors are not inputs of the formula.
 */
export function callInputs(className: string, call: Call): TensorRef[] {
  if (TF_OP_CLASSES.has(className)) return [...call.refs, ...call.kwargRefs.map((k) => k.ref)];
  const byKey = (key: string) => call.kwargRefs.filter((k) => k.key === key).map((k) => k.ref);
  return [...call.refs, ...byKey('value'), ...byKey('key')];
}

const TF_OP_CLASSES = new Set(['TFOpLambda', 'SlicingOpLambda', 'TensorFlowOpLayer']);

/** tf.keras writes a TF-op layer's constant first argument as `["_CONSTANT_VALUE", -1, value]`. */
const CONSTANT = '_CONSTANT_VALUE';

/** `["layer", 0, 0]` references to other layers' outputs inside Keras 2 call kwargs, depth-first. */
function collectRefs(x: unknown, out: TensorRef[], depth: number): void {
  if (depth > 64) return;
  if (Array.isArray(x)) {
    if (x.length >= 3 && typeof x[0] === 'string' && typeof x[1] === 'number' && typeof x[2] === 'number') {
      if (x[0] !== CONSTANT) out.push({ layer: x[0], node: x[1], tensor: x[2] });
      return;
    }
    for (const y of x) collectRefs(y, out, depth + 1);
    return;
  }
  if (isObj(x)) for (const y of Object.values(x)) collectRefs(y, out, depth + 1);
}

/** Finds `__keras_tensor__` references anywhere in a Keras 3 call's args (lists, dicts, nested). */
function collectKerasTensors(x: unknown, out: TensorRef[], depth: number): void {
  if (depth > 64) return;
  if (Array.isArray(x)) {
    for (const y of x) collectKerasTensors(y, out, depth + 1);
    return;
  }
  if (!isObj(x)) return;
  if (x.class_name === '__keras_tensor__' && isObj(x.config)) {
    const r = toRef(x.config.keras_history);
    if (r) out.push(r);
    return;
  }
  for (const y of Object.values(x)) collectKerasTensors(y, out, depth + 1);
}

/** A shape list from a config (`[null, 28, 28]`), or null. */
export function shapeOf(x: unknown): (number | null)[] | null {
  if (!Array.isArray(x)) return null;
  if (!x.every((d) => d === null || (typeof d === 'number' && Number.isFinite(d)))) return null;
  return x as (number | null)[];
}
