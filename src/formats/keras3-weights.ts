// Keras 3 weights layout (inside `.keras` archives and standalone `*.weights.h5`): one group per layer
// object at `layers/<generated_name>` (Keras 2.13–2.15: `_layer_checkpoint_dependencies/…`), variables at
// `…/vars/<i>`, sub-objects (an RNN's `cell`, a wrapper's `forward_layer`, a nested model's `layers/…`)
// as sub-groups. Generated names (`q_dense_1`) are not the config's names; the `vars` group's `name`
// attribute, where Keras wrote it, is.
import type { FileEntry, Finding, SavedModel, StoredTensor } from '../model/types.js';
import { type H5File, walk, type WalkedDataset } from './hdf5.js';

export interface Keras3Weights {
  tensors: StoredTensor[];
  optimizer: StoredTensor[];
  problems: Finding[];
  /** Stored layer group → the config layer name written in its `vars` group's `name` attribute. */
  configNames: Map<string, string>;
  /** Stored layer groups in file order (those without variables included). */
  groups: string[];
}

/**
 * Collects the Keras 3 layout from one weights file, or from the shards of a sharded save added in shard
 * order (a layer's variables may continue from one shard into the next). Shards are added one at a time
 * so that only one is open at once: HDF5 identifies files by device and inode, and two members of one zip
 * archive would look like the same file.
 */
export class Keras3Collector {
  private readonly byGroup = new Map<string, WalkedDataset[]>();
  private readonly optimizerSets: WalkedDataset[] = [];
  private readonly problems: Finding[] = [];
  private readonly configNames = new Map<string, string>();

  add(f: H5File): void {
    const rootKeys = f.keys('/');
    const layersRoot = rootKeys.includes('layers') ? '/layers' : rootKeys.includes('_layer_checkpoint_dependencies') ? '/_layer_checkpoint_dependencies' : null;
    if (layersRoot) {
      for (const key of f.keys(layersRoot)) {
        const path = `${layersRoot}/${key}`;
        if (f.kind(path) !== 'group') continue;
        const list = this.byGroup.get(key) ?? [];
        this.byGroup.set(key, list);
        const name = f.kind(`${path}/vars`) === 'group' ? f.attrString(`${path}/vars`, 'name') : null;
        if (name) this.configNames.set(key, name);
        // Links are reported by the whole-file scan (hdf5-scan.ts), never followed.
        for (const d of walk(f, path).datasets) list.push(d);
      }
    }
    if (rootKeys.includes('optimizer') && f.kind('/optimizer') === 'group') for (const item of walk(f, '/optimizer').datasets) this.optimizerSets.push(item);
  }

  result(): Keras3Weights {
    const tensors: StoredTensor[] = [];
    for (const [key, datasets] of this.byGroup) for (const d of sortVars(datasets)) tensors.push(toTensor(key, d));
    const optimizer = sortVars(this.optimizerSets).map((d) => toTensor('optimizer', d));
    return { tensors, optimizer, problems: this.problems, configNames: this.configNames, groups: [...this.byGroup.keys()] };
  }
}

/** The Keras 3 layout of one weights file. */
export function readKeras3Weights(f: H5File): Keras3Weights {
  const c = new Keras3Collector();
  c.add(f);
  return c.result();
}

function toTensor(layerKey: string, d: WalkedDataset): StoredTensor {
  return { layerKey, name: d.rel, shape: d.shape, dtype: d.dtype, bytes: d.bytes };
}

/**
 * Orders variables the way Keras created them: a group's own `vars/<i>` by number first, then its
 * sub-objects (HDF5 lists names alphabetically, so `vars/10` would otherwise precede `vars/2`).
 */
export function sortVars(ds: WalkedDataset[]): WalkedDataset[] {
  const key = (rel: string) => rel.split('/').map((t) => (/^\d+$/.test(t) ? t.padStart(8, '0') : t));
  return [...ds].sort((a, b) => {
    const ka = key(a.rel);
    const kb = key(b.rel);
    // Own variables (`vars/…` directly) before sub-objects.
    const oa = ka[0] === 'vars' ? 0 : 1;
    const ob = kb[0] === 'vars' ? 0 : 1;
    if (oa !== ob) return oa - ob;
    for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
      if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
    }
    return ka.length - kb.length;
  });
}

/** A weights-only SavedModel (no architecture) from Keras 3 weights: one `.weights.h5` or a sharded save. */
export function keras3WeightsModel(file: string, w: Keras3Weights, files: FileEntry[], problems: Finding[], shards?: number): SavedModel {
  return {
    file,
    format: 'keras-h5-weights',
    kerasVersion: null,
    backend: null,
    config: null,
    trainingConfig: null,
    tensors: w.tensors,
    optimizer: w.optimizer,
    files,
    problems: [...problems, ...w.problems],
    matchBy: 'order',
    meta: { layout: 'keras3-weights', ...(shards !== undefined ? { weightShards: String(shards) } : {}) },
    configNames: Object.fromEntries(w.configNames),
  };
}
