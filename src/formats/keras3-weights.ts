// Keras 3 weights layout (inside `.keras` archives and standalone `*.weights.h5`): one group per layer
// object at `layers/<generated_name>` (Keras 2.13–2.15: `_layer_checkpoint_dependencies/…`), variables at
// `…/vars/<i>`, sub-objects (an RNN's `cell`, a wrapper's `forward_layer`, a nested model's `layers/…`)
// as sub-groups. Generated names (`q_dense_1`) are not the config's names; the `vars` group's `name`
// attribute, where Keras wrote it, is.
// Keras 2.13–2.15 on Windows joined these paths with the OS separator: one HDF5 group named
// `layers\dense_3` at the root instead of `layers/dense_3`. A backslash is a separator here. Compiled-metric
// state (`metrics/<name>/vars`) is kept apart like optimizer state; variables under other top-level
// trackers (a subclassed model's `encoder/…`, its own `vars`) are `trackers`, keyed by the first segment.
import type { FileEntry, Finding, LoadedModel, StoredTensor } from '../model/types.js';
import { type Hdf5Reader, scanHdf5, walk, type WalkedDataset } from '../hdf5/index.js';

export interface Keras3Weights {
  tensors: StoredTensor[];
  optimizer: StoredTensor[];
  /** Compiled-metric state (`metrics/…`): neither parameters nor optimizer state. */
  metrics: StoredTensor[];
  /** Variables outside `layers/` (subclassed models' attribute trackers), keyed by their top-level tracker. */
  trackers: StoredTensor[];
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
  private readonly trackerGroups = new Map<string, WalkedDataset[]>();
  private readonly optimizerSets: WalkedDataset[] = [];
  private readonly metricSets: WalkedDataset[] = [];
  private readonly problems: Finding[] = [];
  private readonly configNames = new Map<string, string>();

  add(f: Hdf5Reader): void {
    // Layer groups in file order (also those without variables), with the config name their `vars` records.
    for (const key of f.keys('/')) {
      const parts = key.split('\\').filter(Boolean);
      if (!isLayersRoot(parts[0])) continue;
      const groups: [string, string][] = [];
      if (parts.length === 1 && f.kind(`/${key}`) === 'group') for (const k of f.keys(`/${key}`)) groups.push([`/${key}/${k}`, k]);
      else if (parts.length === 2) groups.push([`/${key}`, parts[1]!]);
      for (const [path, name] of groups) {
        if (f.kind(path) !== 'group') continue;
        if (!this.byGroup.has(name)) this.byGroup.set(name, []);
        const configName = f.keys(path).includes('vars') ? f.attrString(`${path}/vars`, 'name') : null;
        if (configName) this.configNames.set(name, configName);
      }
    }
    // Every variable, by its path with `\` read as a separator. Links are reported by the whole-file scan
    // (hdf5-scan.ts), never followed.
    for (const d of walk(f, '/').datasets) {
      const parts = d.rel.split(/[\\/]+/).filter(Boolean);
      const [top, second] = parts;
      if (top === undefined) continue;
      if (isLayersRoot(top)) {
        if (parts.length < 3 || second === undefined) continue;
        push(this.byGroup, second, { ...d, rel: parts.slice(2).join('/') });
      } else if (top === 'optimizer') {
        this.optimizerSets.push({ ...d, rel: parts.slice(1).join('/') });
      } else if (METRIC_ROOTS.has(top)) {
        this.metricSets.push({ ...d, rel: parts.slice(1).join('/') });
      } else if (top === 'vars') {
        push(this.trackerGroups, '', { ...d, rel: parts.join('/') });
      } else {
        push(this.trackerGroups, top, { ...d, rel: parts.slice(1).join('/') });
      }
    }
  }

  result(): Keras3Weights {
    const tensors: StoredTensor[] = [];
    for (const [key, datasets] of this.byGroup) for (const d of sortVars(datasets)) tensors.push(toTensor(key, d));
    const trackers: StoredTensor[] = [];
    for (const [key, datasets] of this.trackerGroups) for (const d of sortVars(datasets)) trackers.push(toTensor(key, d));
    const optimizer = sortVars(this.optimizerSets).map((d) => toTensor('optimizer', d));
    const metrics = sortVars(this.metricSets).map((d) => toTensor('metrics', d));
    return {
      tensors,
      optimizer,
      metrics,
      trackers,
      problems: this.problems,
      configNames: this.configNames,
      groups: [...this.byGroup.keys()],
    };
  }
}

const LAYERS_ROOT = 'layers';
const LEGACY_LAYERS_ROOT = '_layer_checkpoint_dependencies';
/** Top-level trackers of compiled-metric state (Keras 2.13–2.15 `metrics`, Keras 3 `compile_metrics`). */
const METRIC_ROOTS = new Set(['metrics', 'compile_metrics']);
const isLayersRoot = (top: string | undefined) => top === LAYERS_ROOT || top === LEGACY_LAYERS_ROOT;

function push<K, V>(m: Map<K, V[]>, key: K, v: V): void {
  const list = m.get(key);
  if (list) list.push(v);
  else m.set(key, [v]);
}

/** The Keras 3 layout of one weights file. */
export function readKeras3Weights(f: Hdf5Reader): Keras3Weights {
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

/** A weights-only LoadedModel (no architecture) from Keras 3 weights: one `.weights.h5` or a sharded save. */
export function keras3WeightsModel(file: string, w: Keras3Weights, files: FileEntry[], problems: Finding[], shards?: number): LoadedModel {
  return {
    file,
    format: 'keras-h5-weights',
    kerasVersion: null,
    backend: null,
    config: null,
    trainingConfig: null,
    tensors: w.tensors,
    optimizer: w.optimizer,
    metrics: w.metrics,
    modelVariables: w.trackers,
    files,
    problems: [...problems, ...w.problems],
    matchBy: 'order',
    meta: { layout: 'keras3-weights', ...(shards !== undefined ? { weightShards: String(shards) } : {}) },
    configNames: Object.fromEntries(w.configNames),
  };
}

/** Adds one open weights file (a whole file or one shard) to the collector with its HDF5 scan, then closes it. */
export function addWeightsFile(collector: Keras3Collector, h5: Hdf5Reader, problems: Finding[]): void {
  try {
    collector.add(h5);
    for (const item of scanHdf5(h5)) problems.push(item);
  } finally {
    h5.close();
  }
}
