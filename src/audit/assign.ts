// Decides which stored tensors belong to which top-level layer of the config.
// Legacy HDF5 and TF.js group tensors under the layer's own name (a nested model's tensors under the nested
// model's name, or under its inner layers' names in TF.js). Keras 3 groups them under generated names
// (`q_dense_1`) that are matched through the `vars` group's `name` attribute, else through the saver's
// naming rule (Keras 3, or tf.keras 2.13–2.15's), else by order within a class, else by shapes: a stored
// group is never called mismatched when a consistent assignment of the groups fits every shape.
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
    saved.matchBy === 'order' ? ownersByKerasNaming(saved, layers, [...groups.keys()], groups) : ownersByName(layers, [...groups.keys()]);
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

function ownersByKerasNaming(
  saved: LoadedModel,
  layers: LayerNode[],
  keys: string[],
  groups: Map<string, StoredTensor[]>,
): Map<string, string> {
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
  // 2. Per class, the saver's generated names. Keras 3 numbers a container's layers of one class 0, 1, 2, ….
  // tf.keras 2.13–2.15 walks the model's `_layer_checkpoint_dependencies`, which lists every layer with
  // weights twice (`layer_with_weights-k`, then `layer-i`): the second visit takes a number and writes
  // nothing, so the same layers are stored as `conv2d`, `conv2d_2`, `conv2d_4`. Either way the numbers rise
  // in config order, so the free groups of a class in numeric order are its layers in config order.
  // The first pairing in which every pair's shapes fit wins; else the one that fits the most pairs.
  const byBase = new Map<string, LayerNode[]>();
  for (const l of layers) {
    if (taken.has(l.name)) continue;
    const base = snakeCase(l.className);
    byBase.set(base, [...(byBase.get(base) ?? []), l]);
  }
  const groupsOf = new Map<string, { key: string; n: number }[]>();
  for (const key of free) {
    const m = /^(.*?)(?:_(\d+))?$/.exec(key)!;
    for (const [base, n] of m[2] !== undefined ? [[m[1]!, Number(m[2])] as const, [key, 0] as const] : [[key, 0] as const]) {
      if (byBase.has(base)) groupsOf.set(base, [...(groupsOf.get(base) ?? []), { key, n }]);
    }
  }
  for (const [base, ls] of byBase) {
    const gs = (groupsOf.get(base) ?? []).filter((g) => free.has(g.key)).sort((a, b) => a.n - b.n);
    if (gs.length === 0) continue;
    const suits = (l: LayerNode, key: string) => fits(l, groups.get(key) ?? []);
    const byNumber = new Map(gs.map((g) => [g.n, g.key]));
    const rule = (step: (l: LayerNode) => number) => {
      let n = 0;
      return ls.map((l) => {
        const k = byNumber.get(n);
        n += step(l);
        return k;
      });
    };
    const candidates: (string | undefined)[][] = [
      rule(() => 1), // Keras 3
      rule((l) => (hasWeights(l) ? 2 : 1)), // tf.keras 2.13–2.15
      ls.map((_, i) => gs[i]?.key), // by order of the numbers
    ];
    const score = (c: (string | undefined)[]) => c.reduce((s, k, i) => s + (k !== undefined && suits(ls[i]!, k) ? 1 : 0), 0);
    const complete = (c: (string | undefined)[]) =>
      new Set(c.filter((k) => k !== undefined)).size === c.filter((k) => k !== undefined).length;
    let best = candidates.find((c) => complete(c) && c.every((k, i) => k !== undefined && suits(ls[i]!, k)));
    if (!best) {
      const byShape = matchByShape(
        ls,
        gs.map((g) => g.key),
        suits,
      );
      best = [...candidates, byShape].filter(complete).reduce((a, b) => (score(b) > score(a) ? b : a));
    }
    best.forEach((k, i) => {
      if (k === undefined || !free.has(k)) return;
      owner.set(k, ls[i]!.name);
      taken.add(ls[i]!.name);
      free.delete(k);
    });
  }
  // 3. What is left: a group named like the config layer itself, then by order among groups whose name
  // starts like the class's generated name. The free groups are indexed once by each of their `_`-prefixes
  // (the first 16: class names have a few), and each bucket is read from a cursor that only moves forward.
  for (const l of layers) {
    if (!taken.has(l.name) && free.has(l.name)) {
      owner.set(l.name, l.name);
      taken.add(l.name);
      free.delete(l.name);
    }
  }
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

/** Whether a layer (or a nested model) creates variables, as far as its formula says. */
function hasWeights(l: LayerNode): boolean {
  return (l.vars?.length ?? 0) > 0 || l.children.some(hasWeights);
}

/** The expected shapes of a layer and its nested layers, sorted; null where one is not known. */
function expectedShapes(l: LayerNode): string[] | null {
  if (l.vars === null && l.children.length === 0) return null;
  const out: string[] = [];
  for (const v of l.vars ?? []) {
    if (v.shape.some((d) => d === null)) return null;
    out.push(v.shape.join('x'));
  }
  for (const c of l.children) {
    const s = expectedShapes(c);
    if (s === null) return null;
    out.push(...s);
  }
  return out.sort();
}

/** Whether a stored group can be the layer's: the same shapes (any group fits a layer whose shapes are unknown). */
function fits(l: LayerNode, stored: StoredTensor[]): boolean {
  const want = expectedShapes(l);
  if (want === null) return true;
  const have = stored.map((t) => t.shape.join('x')).sort();
  return want.length === have.length && want.every((s, i) => s === have[i]);
}

/**
 * A maximum matching of layers to groups whose shapes fit (augmenting paths, each layer trying groups in
 * numeric order, so the order is kept where shapes allow); layers left over take the remaining groups in order.
 * Bounded: a class with more than 400 layers is paired by order alone.
 */
function matchByShape(ls: LayerNode[], keys: string[], suits: (l: LayerNode, key: string) => boolean): (string | undefined)[] {
  if (ls.length > 400 || keys.length > 400) return ls.map((_, i) => keys[i]);
  const adj = ls.map((l) => keys.map((k, j) => (suits(l, k) ? j : -1)).filter((j) => j >= 0));
  const groupTo = new Array<number>(keys.length).fill(-1);
  const layerTo = new Array<number>(ls.length).fill(-1);
  const tryLayer = (i: number, seen: boolean[]): boolean => {
    for (const j of adj[i]!) {
      if (seen[j]) continue;
      seen[j] = true;
      if (groupTo[j] === -1 || tryLayer(groupTo[j]!, seen)) {
        groupTo[j] = i;
        layerTo[i] = j;
        return true;
      }
    }
    return false;
  };
  for (let i = 0; i < ls.length; i++) tryLayer(i, new Array<boolean>(keys.length).fill(false));
  const rest = keys.map((_, j) => j).filter((j) => groupTo[j] === -1);
  return layerTo.map((j) =>
    j >= 0
      ? keys[j]
      : (() => {
          const r = rest.shift();
          return r === undefined ? undefined : keys[r];
        })(),
  );
}
