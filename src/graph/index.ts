// Turns a model config (any dialect) into layer nodes with inferred shapes and expected variables.
// Shapes flow from the inputs through the graph; each layer's formulas get their input shapes from here,
// never from the stored tensors.
import { applyLayer } from '../layers/index.js';
import { isShapeList, type LayerEntry } from '../layers/registry.js';
import { knownElements } from '../model/shape.js';
import type { InboundEdge, LayerNode, Shape, VarSpec } from '../model/types.js';
import { callInputs, isModelEntry, layerName, readModel, shapeOf, unwrapModelConfig, type ModelEntry, type TensorRef } from './dialect.js';

export { unwrapModelConfig } from './dialect.js';

export interface Graph {
  /** The model's own name and class. */
  name: string;
  className: string;
  /** Top-level layers in config order; nested models carry their layers as children. */
  layers: LayerNode[];
  /** The model's input and output tensors (Sequential: its first and last layer). */
  inputs: InboundEdge[];
  outputs: InboundEdge[];
}

type Out = Shape | Shape[] | null;

/** Builds the graph of a model config as stored in a file (TF.js `model_config` wrappers accepted). */
export function buildGraph(rawConfig: unknown): Graph {
  const entry = unwrapModelConfig(rawConfig);
  if (!entry) throw new Error('the config is not a Keras model config (no class_name)');
  if (!isModelEntry(entry)) {
    // A single layer saved as the whole "model": show it as one node.
    const node = layerNode(entry as LayerEntry, [null], [], true);
    const edge = [{ layer: node.name, call: 0, tensor: 0 }];
    return { name: node.name, className: node.className, layers: [node], inputs: edge, outputs: edge };
  }
  const model = readModel(entry);
  const { nodes } = buildModel(model, null, { path: [], trainable: model.trainable, depth: 0 });
  const ends = modelEnds(model, nodes);
  return { name: model.name, className: String(entry.class_name), layers: nodes, ...ends };
}

/** Where layers sit: enclosing nested models, whether any of them is frozen, how deep. */
interface Scope {
  path: string[];
  trainable: boolean;
  depth: number;
}

const MAX_NESTING = 32;

function buildModel(model: ModelEntry, inputShapes: (Shape | null)[] | null, scope: Scope): { nodes: LayerNode[]; output: Out } {
  if (scope.depth > MAX_NESTING) throw new Error(`models are nested more than ${MAX_NESTING} deep`);
  return model.kind === 'sequential' ? buildSequential(model, inputShapes, scope) : buildFunctional(model, inputShapes, scope);
}

function buildSequential(model: ModelEntry, inputShapes: (Shape | null)[] | null, scope: Scope): { nodes: LayerNode[]; output: Out } {
  let shape: Shape | null = inputShapes?.[0] ?? null;
  const nodes: LayerNode[] = [];
  const blame = new Map<string, string>();
  let previous: string | null = null;
  model.layers.forEach((entry, i) => {
    if (i === 0 && !shape && entry.class_name !== 'InputLayer') {
      shape = declaredInputShape(entry) ?? model.buildInputShape;
    }
    const node = nodeFor(entry, [shape], scope);
    node.inbound = previous ? [[{ layer: previous, call: 0, tensor: 0 }]] : [];
    explainUnknown(node, shape === null && previous ? [blame.get(previous)] : [], blame);
    previous = node.name;
    nodes.push(node);
    shape = isShapeList(node.outputShape) ? (node.outputShape[0] ?? null) : node.outputShape;
  });
  return { nodes, output: shape };
}

function buildFunctional(model: ModelEntry, inputShapes: (Shape | null)[] | null, scope: Scope): { nodes: LayerNode[]; output: Out } {
  const outputs = new Map<string, Out>(); // `${layer}#${call}` → output
  // When this model is called as a layer, its input layers take the caller's shapes, in order.
  if (inputShapes) {
    // An unknown caller shape leaves the input layer its own declared shape (a nested model's InputLayer).
    for (const [i, ref] of model.inputs.entries()) if (inputShapes[i]) outputs.set(`${ref.layer}#0`, inputShapes[i]);
  }
  const shift = creationNodeShift(model);
  const resolve = (ref: TensorRef): Shape | null | undefined => {
    const key = `${ref.layer}#${ref.node - (shift.get(ref.layer) ?? 0)}`;
    if (!outputs.has(key)) {
      // Tolerate node indices that count a nested model's own creation node.
      const calls = model.calls.get(ref.layer);
      if (!(calls && calls.length === 1 && outputs.has(`${ref.layer}#0`))) return undefined;
      return pick(outputs.get(`${ref.layer}#0`) ?? null, ref.tensor);
    }
    return pick(outputs.get(key) ?? null, ref.tensor);
  };

  const done = new Map<string, LayerNode>();
  const blame = new Map<string, string>(); // layer whose output is unknown → where the unknown comes from
  const callsDone = new Map<string, number>(); // calls whose outputs are known, per layer (in call order)
  let progress = true;
  while (progress) {
    progress = false;
    for (const entry of model.layers) {
      const name = layerName(entry);
      const calls = model.calls.get(name) ?? [];
      if (calls.length === 0) {
        if (done.has(name)) continue;
        // Input layers (and layers never called): no inbound references.
        const given = outputs.get(`${name}#0`);
        const node = nodeFor(entry, given !== undefined ? [given as Shape | null] : [null], scope);
        if (given !== undefined && entry.class_name === 'InputLayer') node.outputShape = given as Shape | null;
        outputs.set(`${name}#0`, node.outputShape);
        done.set(name, node);
        progress = true;
        continue;
      }
      // Calls resolve one at a time: a shared layer may take its own earlier output as a later input.
      for (let c = callsDone.get(name) ?? 0; c < calls.length; c++) {
        const call = calls[c]!;
        const refs = callInputs(entry.class_name, call);
        const shapes = refs.map(resolve);
        if (shapes.some((s) => s === undefined)) break;
        if (c === 0) {
          const node = nodeFor(entry, shapes as (Shape | null)[], scope, call.kwargs);
          explainUnknown(
            node,
            refs.filter((_, i) => shapes[i] === null).map((r) => blame.get(r.layer)),
            blame,
          );
          node.calls = calls.length;
          node.inbound = calls.map((k) => callInputs(entry.class_name, k).map(edge));
          done.set(name, node);
          outputs.set(`${name}#0`, node.outputShape);
        } else {
          // Same weights; a later call only needs its output shape.
          outputs.set(`${name}#${c}`, nodeFor(entry, shapes as (Shape | null)[], scope, call.kwargs).outputShape);
        }
        callsDone.set(name, c + 1);
        progress = true;
      }
    }
  }
  // Whatever is left has inputs that never resolve (a reference to a missing layer, or a cycle).
  for (const entry of model.layers) {
    const name = layerName(entry);
    if (done.has(name)) continue;
    const node = nodeFor(entry, [null], scope);
    node.note ??= `inputs of ${name} could not be resolved (missing layer or cycle in inbound nodes)`;
    const calls = model.calls.get(name) ?? [];
    node.calls = calls.length;
    node.inbound = calls.map((k) => callInputs(entry.class_name, k).map(edge));
    done.set(name, node);
  }
  const nodes = [...new Set(model.layers.map((l) => done.get(layerName(l))!))];
  const outs = model.outputs.map((r) => resolve(r) ?? null);
  return { nodes, output: outs.length === 1 ? outs[0]! : outs.length ? (outs as Shape[]) : null };
}

/**
 * Says where an unknown input shape comes from ("depends on gar_1 (GarNet)") and records, for a layer whose
 * own output is unknown, the origin its consumers inherit.
 */
function explainUnknown(node: LayerNode, inputBlames: (string | undefined)[], blame: Map<string, string>): void {
  const upstream = inputBlames.find((b) => b !== undefined);
  const generic = node.note === null || /not inferred/.test(node.note);
  if (upstream && generic)
    node.note = `its input shape is unknown because it depends on ${upstream}, whose output shape kerascope cannot infer`;
  if (node.outputShape === null) blame.set(node.name, upstream ?? `${node.name} (${node.className})`);
}

/**
 * Per nested model, how many node indices its own creation takes. Keras 2 (and TF.js) keep a nested model's
 * first node, the one that links its own inputs to its outputs, in the count: its calls in the outer model
 * are nodes 1, 2, …; Keras 3 numbers them 0, 1, …. Read from the references themselves: a nested model
 * that no reference names as node 0 counts from 1.
 */
function creationNodeShift(model: ModelEntry): Map<string, number> {
  const nested = new Set(model.layers.filter((l) => isModelEntry(l)).map((l) => layerName(l)));
  const lowest = new Map<string, number>();
  const see = (r: TensorRef) => {
    if (nested.has(r.layer)) lowest.set(r.layer, Math.min(lowest.get(r.layer) ?? Number.POSITIVE_INFINITY, r.node));
  };
  for (const entry of model.layers)
    for (const call of model.calls.get(layerName(entry)) ?? []) callInputs(entry.class_name, call).forEach(see);
  model.outputs.forEach(see);
  const shift = new Map<string, number>();
  for (const [name, low] of lowest) if (low >= 1 && (model.calls.get(name)?.length ?? 0) > 0) shift.set(name, 1);
  return shift;
}

function edge(ref: TensorRef): InboundEdge {
  return { layer: ref.layer, call: ref.node, tensor: ref.tensor };
}

/** A model's input and output tensors: Functional ones as declared, a Sequential's first and last layer. */
function modelEnds(model: ModelEntry, nodes: LayerNode[]): { inputs: InboundEdge[]; outputs: InboundEdge[] } {
  if (model.kind === 'functional') return { inputs: model.inputs.map(edge), outputs: model.outputs.map(edge) };
  const first = nodes[0];
  const last = nodes[nodes.length - 1];
  return {
    inputs: first ? [{ layer: first.name, call: 0, tensor: 0 }] : [],
    outputs: last ? [{ layer: last.name, call: 0, tensor: 0 }] : [],
  };
}

function pick(out: Out, tensor: number): Shape | null {
  if (out === null) return null;
  if (isShapeList(out)) return out[tensor] ?? null;
  return tensor === 0 ? out : null;
}

/** The input shape a first layer declares (Keras 2 `batch_input_shape`, Keras 3 `build_config`). */
function declaredInputShape(entry: LayerEntry): Shape | null {
  if (isModelEntry(entry)) return modelInputShape(entry);
  const c = entry.config;
  const batch = shapeOf(c.batch_input_shape) ?? shapeOf(c.batch_shape);
  if (batch) return batch;
  const inShape = shapeOf(c.input_shape);
  if (inShape) return [null, ...inShape];
  const inDim = c.input_dim;
  if (typeof inDim === 'number') return [null, inDim];
  return buildConfigShapes(entry)?.[0] ?? null;
}

/**
 * A nested model's own input shape (Keras 2.2 `Sequential([generator, discriminator])`: the outer model
 * declares none, the first nested model's InputLayer does): its first input layer's, or its first layer's.
 */
function modelInputShape(entry: LayerEntry): Shape | null {
  let model: ModelEntry;
  try {
    model = readModel(entry);
  } catch {
    return null;
  }
  const first = model.kind === 'functional' ? model.layers.find((l) => layerName(l) === model.inputs[0]?.layer) : model.layers[0];
  return (first ? declaredInputShape(first) : null) ?? model.buildInputShape ?? buildConfigShapes(entry)?.[0] ?? null;
}

/** Keras 3 `build_config.input_shape`: one shape or a list of shapes. */
function buildConfigShapes(entry: LayerEntry): (Shape | null)[] | null {
  const bc = entry.build_config as Record<string, unknown> | undefined;
  const s = bc?.input_shape;
  if (!Array.isArray(s)) return null;
  if (s.length > 0 && s.every((x) => Array.isArray(x))) return s.map((x) => shapeOf(x));
  const one = shapeOf(s);
  return one ? [one] : null;
}

type CallArgs = Record<string, unknown> | null;

function nodeFor(entry: LayerEntry, inputs: (Shape | null)[], scope: Scope, callArgs: CallArgs = null): LayerNode {
  let shapes = inputs;
  if (shapes.every((s) => s === null)) {
    shapes = (entry.class_name === 'InputLayer' ? null : buildConfigShapes(entry)) ?? inputs;
  }
  if (isModelEntry(entry)) return nestedNode(entry, shapes, scope);
  return layerNode(entry, shapes, scope.path, scope.trainable, callArgs);
}

function layerNode(
  entry: LayerEntry,
  inputs: (Shape | null)[],
  path: string[],
  parentTrainable: boolean,
  callArgs: CallArgs = null,
): LayerNode {
  const r = applyLayer(entry, inputs, callArgs ?? undefined);
  const config = entry.config ?? {};
  return {
    name: layerName(entry),
    className: entry.class_name,
    path,
    config,
    raw: entry,
    inputShapes: inputs,
    outputShape: r.outputShape,
    vars: r.vars,
    note: r.note,
    trainable: parentTrainable && config.trainable !== false,
    children: [],
    calls: 1,
    inbound: [],
  };
}

function nestedNode(entry: LayerEntry, inputs: (Shape | null)[], scope: Scope): LayerNode {
  const model = readModel(entry);
  const name = layerName(entry);
  const trainable = scope.trainable && model.trainable;
  const { nodes, output } = buildModel(model, inputs, { path: [...scope.path, name], trainable, depth: scope.depth + 1 });
  // The nested model's expected variables are its layers', prefixed by the inner layer's name.
  const vars: VarSpec[] | null = nodes.some((n) => n.vars === null) ? null : nodes.flatMap((n) => prefixed(n));
  return {
    name,
    className: entry.class_name,
    path: scope.path,
    config: entry.config,
    raw: entry,
    inputShapes: inputs,
    outputShape: output,
    vars,
    note: nodes.find((n) => n.note)?.note ?? null,
    trainable,
    children: nodes,
    calls: 1,
    inbound: [],
  };
}

/** A node's variables named `<layer>/<var>`, with its own frozen state applied. */
function prefixed(n: LayerNode): VarSpec[] {
  return (n.vars ?? []).map((v) => ({ name: `${n.name}/${v.name}`, shape: v.shape, trainable: v.trainable && n.trainable }));
}

/** Expected counts of one node, honouring `trainable: false`; null when the class or a shape is unknown. */
export function expectedCounts(node: LayerNode): { params: number; trainable: number; nonTrainable: number } | null {
  if (node.vars === null) return null;
  let trainable = 0;
  let nonTrainable = 0;
  for (const v of node.vars) {
    const n = knownElements(v.shape);
    if (n === null) return null;
    if (v.trainable && node.trainable) trainable += n;
    else nonTrainable += n;
  }
  return { params: trainable + nonTrainable, trainable, nonTrainable };
}
