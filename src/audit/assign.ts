// Decides which stored tensors belong to which top-level layer of the config.
// Legacy HDF5 and TF.js group tensors under the layer's own name (a nested model's tensors under the nested
// model's name, or under its inner layers' names in TF.js). Keras 3 groups them under generated names
// (`q_dense_1`) that are matched through the `vars` group's `name` attribute, else through Keras'
// naming rule (snake_case of the class, `_N` for the N-th repeat), else by order within a class.
import type { LayerNode, LoadedModel, StoredTensor } from '../model/types.js';

export interface Assignment {
  /** Top-level layer name → its stored tensors, in stored order. */
  byLayer: Map<string, StoredTensor[]>;
  /** Stored group keys that belong to no layer of the config. */
  orphans: Map<string, StoredTensor[]>;
  /** Top-level layer name → the stored group names it was matched with. */
  groupsOf: Map<string, string[]>;
}

export function assignTensors(saved: LoadedModel, layers: LayerNode[]): Assignment {
  const groups = new Map<string, StoredTensor[]>();
  for (const t of saved.tensors) {
    const g = groups.get(t.layerKey);
    if (g) g.push(t);
    else groups.set(t.layerKey, [t]);
  }
  const owner =
    saved.matchBy === 'order' ? ownersByKerasNaming(saved, layers, [...groups.keys()]) : ownersByName(layers, [...groups.keys()]);
  const byLayer = new Map<string, StoredTensor[]>(layers.map((l) => [l.name, []]));
  const groupsOf = new Map<string, string[]>(layers.map((l) => [l.name, []]));
  const orphans = new Map<string, StoredTensor[]>();
  for (const [key, tensors] of groups) {
    const o = owner.get(key);
    if (o === undefined) orphans.set(key, tensors);
    else {
      for (const t of tensors) byLayer.get(o)!.push(t);
      groupsOf.get(o)!.push(key);
    }
  }
  return { byLayer, orphans, groupsOf };
}

/** Every name in a node's subtree (nested models' inner layers), mapped to the top-level node. */
function ownersByName(layers: LayerNode[], keys: string[]): Map<string, string> {
  const names = new Map<string, string>();
  const visit = (n: LayerNode, top: string) => {
    if (!names.has(n.name)) names.set(n.name, top);
    for (const c of n.children) visit(c, top);
  };
  for (const l of layers) names.set(l.name, l.name);
  for (const l of layers) for (const c of l.children) visit(c, l.name);
  const owner = new Map<string, string>();
  for (const k of keys) {
    const o = names.get(k);
    if (o !== undefined) owner.set(k, o);
  }
  return owner;
}

/** Keras 3's `to_snake_case` of a class name: `QDense` → `q_dense`, `Conv2D` → `conv2d`. */
export function snakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

function ownersByKerasNaming(saved: LoadedModel, layers: LayerNode[], keys: string[]): Map<string, string> {
  const owner = new Map<string, string>();
  const taken = new Set<string>();
  const free = new Set(keys);
  const layerNames = new Set(layers.map((l) => l.name));
  // 1. The file says which config layer a group is.
  for (const [key, name] of Object.entries(saved.configNames ?? {})) {
    if (free.has(key) && layerNames.has(name) && !taken.has(name)) {
      owner.set(key, name);
      taken.add(name);
      free.delete(key);
    }
  }
  // 2. Keras' generated names, counted per class in config order.
  const seen = new Map<string, number>();
  const generated = new Map<string, string>();
  for (const l of layers) {
    const base = snakeCase(l.className);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    generated.set(l.name, n === 0 ? base : `${base}_${n}`);
  }
  for (const l of layers) {
    if (taken.has(l.name)) continue;
    const g = generated.get(l.name)!;
    if (free.has(g)) {
      owner.set(g, l.name);
      taken.add(l.name);
      free.delete(g);
    } else if (free.has(l.name)) {
      owner.set(l.name, l.name);
      taken.add(l.name);
      free.delete(l.name);
    }
  }
  // 3. What is left: by order among groups whose name starts like the class's generated name. The free groups
  // are indexed once by each of their `_`-prefixes (the first 16: class names have a few), and each bucket is
  // read from a cursor that only moves forward, so this stays linear however many layers and groups there are.
  const buckets = new Map<string, { keys: string[]; at: number }>();
  const add = (base: string, key: string) => {
    const b = buckets.get(base);
    if (b) b.keys.push(key);
    else buckets.set(base, { keys: [key], at: 0 });
  };
  for (const key of free) {
    add(key, key);
    let i = key.indexOf('_');
    for (let n = 0; i > 0 && n < 16; n++, i = key.indexOf('_', i + 1)) add(key.slice(0, i), key);
  }
  const firstFree = (base: string): string | undefined => {
    const b = buckets.get(base);
    if (!b) return undefined;
    while (b.at < b.keys.length && !free.has(b.keys[b.at]!)) b.at++;
    return b.keys[b.at];
  };
  for (const l of layers) {
    if (taken.has(l.name)) continue;
    const k = firstFree(snakeCase(l.className));
    if (k) {
      owner.set(k, l.name);
      taken.add(l.name);
      free.delete(k);
    }
  }
  return owner;
}
