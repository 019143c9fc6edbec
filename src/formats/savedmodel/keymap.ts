// Checkpoint keys → layers. A key is the variable's shortest path in the object graph, then `.ATTRIBUTES/…`:
//   layer_with_weights-N/…/.ATTRIBUTES/VARIABLE_VALUE   a layer's variable (N-th weight-owning layer)
//   variables/N/.ATTRIBUTES/VARIABLE_VALUE              the model's N-th variable (RNN, nested, subclassed)
//   …/.OPTIMIZER_SLOT/optimizer/m/…                     an optimizer slot of that variable
//   optimizer/…                                         optimizer state (iter, beta_1, _variables/N, …)
//   …keras_api/metrics/N/…                              compiled-metric state
//   …/.ATTRIBUTES/table-keys|table-values               lookup-table contents (not variables)
//   _CHECKPOINTABLE_OBJECT_GRAPH, save_counter, OBJECT_CONFIG_JSON   bookkeeping
// A model variable's key is walked child by child from the root to its node; the layer that owns it is the
// first top-level layer (root children `layer-N` / `layer_with_weights-N`, in model.layers order) whose
// subtree reaches that node.
import { finding } from '../../model/findings.js';
import type { Finding, StoredTensor } from '../../model/types.js';
import { DTYPE_BYTES, elements } from '../../model/shape.js';
import type { BundleEntry } from './bundle.js';
import type { ObjectNode } from './graph.js';
import type { KerasNode } from './keras-meta.js';

export interface Mapped {
  tensors: StoredTensor[];
  optimizer: StoredTensor[];
  metrics: StoredTensor[];
  modelVariables: StoredTensor[];
  lookupEntries: number;
  problems: Finding[];
}

const ATTR = '/.ATTRIBUTES/';
/** TF1 optimizer variables: slots `<var>/Adam`, `<var>/Momentum`, … and the optimizer's own counters. */
const TF1_OPTIMIZER =
  /(^|\/)(Adam(_\d+)?|Momentum|RMSProp(_\d+)?|Adagrad|AdagradDA(_\d+)?|Adadelta(_\d+)?|Ftrl(_\d+)?|ProximalAdagrad)$|^(beta1_power|beta2_power|global_step)$/;

function tensorOf(e: BundleEntry, layerKey: string, name: string): StoredTensor {
  const per = DTYPE_BYTES[e.dtype];
  return {
    layerKey,
    name,
    shape: e.shape,
    dtype: e.dtype,
    bytes: per !== undefined ? elements(e.shape) * per : e.size,
  };
}

/** Sorts every entry of the checkpoint into model weights, optimizer, metrics, lookup tables and bookkeeping. */
export function mapEntries(entries: BundleEntry[], objects: ObjectNode[], keras: KerasNode[], isKeras: boolean): Mapped {
  const out: Mapped = { tensors: [], optimizer: [], metrics: [], modelVariables: [], lookupEntries: 0, problems: [] };
  const layers = isKeras ? topLevelLayers(objects, keras) : [];
  const owner = owners(
    objects,
    layers.map((l) => l.id),
  );
  const nameOf = new Map(layers.map((l) => [l.id, l.name]));
  const unmapped: string[] = [];
  const walk = walker(objects);
  for (const e of entries) {
    const k = e.key;
    const at = k.indexOf(ATTR);
    if (k === '_CHECKPOINTABLE_OBJECT_GRAPH') continue;
    if (at < 0) {
      // A TF1 (name-based) checkpoint: keys are variable names; optimizer slots end in the optimizer's suffix.
      if (TF1_OPTIMIZER.test(k)) out.optimizer.push(tensorOf(e, 'optimizer', k));
      else out.tensors.push(tensorOf(e, k, k));
      continue;
    }
    const path = k.slice(0, at);
    const attr = k.slice(at + ATTR.length);
    if (k.includes('/.OPTIMIZER_SLOT/') || path === 'optimizer' || path.startsWith('optimizer/')) {
      out.optimizer.push(tensorOf(e, 'optimizer', path));
      continue;
    }
    if (/(^|\/)keras_api\/metrics\//.test(path)) {
      out.metrics.push(tensorOf(e, 'metrics', path));
      continue;
    }
    if (attr === 'table-keys' || attr === 'table-values') {
      out.lookupEntries++;
      continue;
    }
    if (attr !== 'VARIABLE_VALUE' || path === 'save_counter') continue; // OBJECT_CONFIG_JSON and other bookkeeping
    const node = walk(path);
    const v = node === null ? null : objects[node]!.variable;
    if (!isKeras) {
      out.tensors.push(tensorOf(e, path, v?.name || path));
      continue;
    }
    const layer = node === null ? undefined : owner.get(node);
    if (node === null) unmapped.push(k);
    if (layer === undefined) {
      out.modelVariables.push(tensorOf(e, '', v?.name || path));
      continue;
    }
    out.tensors.push(tensorOf(e, nameOf.get(layer)!, v?.name || path));
  }
  if (unmapped.length) {
    out.problems.push(
      finding(
        'savedmodel-unmapped-entry',
        null,
        null,
        `${unmapped.length} checkpoint entr${unmapped.length === 1 ? 'y names a path' : 'ies name paths'} the object graph does not have (first ${JSON.stringify(unmapped[0])}): counted under the model, not under a layer`,
      ),
    );
  }
  return out;
}

/** Walks `/`-separated object-graph paths from the root (node 0); each node's children indexed once, when first walked. */
function walker(objects: ObjectNode[]): (path: string) => number | null {
  const index = new Map<number, Map<string, number>>();
  const childrenOf = (n: number) => {
    let m = index.get(n);
    if (!m) {
      m = new Map();
      for (const c of objects[n]?.children ?? []) if (!m.has(c.name)) m.set(c.name, c.id);
      index.set(n, m);
    }
    return m;
  };
  return (path) => {
    let at = 0;
    if (!objects.length) return null;
    for (const raw of path.split('/')) {
      // Names containing `/` or `.` are escaped by the saver (`.S` for `/`, `..` for `.`).
      const id = childrenOf(at).get(unescapeName(raw));
      if (id === undefined || id < 0 || id >= objects.length) return null;
      at = id;
    }
    return at;
  };
}

/** The model's top-level layers in model.layers order, with the name their Keras metadata gives. */
function topLevelLayers(objects: ObjectNode[], keras: KerasNode[]): { id: number; name: string }[] {
  const meta = new Map(keras.map((n) => [n.nodeId, n]));
  const seen = new Set<number>();
  const ordered: { index: number; id: number; name: string }[] = [];
  const children = objects[0]?.children ?? [];
  // A subclassed model tracks its layers by attribute name (`self.dense1`): then the root's Keras-layer children are its layers.
  const listed = children.some((c) => /^layer(?:_with_weights)?-\d+$/.test(c.name));
  for (const c of children) {
    const m = /^layer(?:_with_weights)?-(\d+)$/.exec(c.name);
    if (!listed && !m && isKerasLayer(meta.get(c.id)) && !seen.has(c.id)) {
      seen.add(c.id);
      const name = meta.get(c.id)!.metadata.name;
      ordered.push({ index: Number.MAX_SAFE_INTEGER, id: c.id, name: typeof name === 'string' ? name : c.name });
      continue;
    }
    if (!m || seen.has(c.id)) continue;
    seen.add(c.id);
    const name = meta.get(c.id)?.metadata.name;
    ordered.push({
      index: c.name.startsWith('layer-') ? Number(m[1]) : Number.MAX_SAFE_INTEGER,
      id: c.id,
      name: typeof name === 'string' ? name : c.name,
    });
  }
  // `layer-N` is model.layers[N]; a layer seen only as `layer_with_weights-N` keeps its place in the list.
  return ordered.map((x, i) => ({ ...x, i })).sort((a, b) => a.index - b.index || a.i - b.i);
}

/** A Keras layer or nested model (not a metric, not the training machinery). */
function isKerasLayer(n: KerasNode | undefined): boolean {
  return n !== undefined && /^_tf_keras_(layer|rnn_layer|input_layer|network|sequential|model)$/.test(n.identifier);
}

/** Variable node → the first layer (in order) whose subtree reaches it; each node is visited once in all. */
function owners(objects: ObjectNode[], layerIds: number[]): Map<number, number> {
  const owner = new Map<number, number>();
  const layerSet = new Set(layerIds);
  for (const id of layerIds) {
    if (owner.has(id)) continue;
    owner.set(id, id);
    const stack = [id];
    while (stack.length) {
      const n = stack.pop()!;
      for (const c of objects[n]?.children ?? []) {
        // Never through the root (an edge back to it would hand the whole model to one layer).
        if (c.id <= 0 || c.id >= objects.length || owner.has(c.id) || layerSet.has(c.id)) continue;
        owner.set(c.id, id);
        stack.push(c.id);
      }
    }
  }
  return owner;
}

function unescapeName(s: string): string {
  if (!s.includes('.')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '.' && (s[i + 1] === '.' || s[i + 1] === 'S')) {
      out += s[i + 1] === '.' ? '.' : '/';
      i++;
    } else out += s[i];
  }
  return out;
}
