// Keras legacy HDF5: a full model (`model_config` + `model_weights/`) or weights only (`layer_names` at the
// root). Layer groups are listed by `layer_names`, their tensors by each group's `weight_names` — in that
// order, which is the layer's weight order.
import { InputError } from '../model/errors.js';
import { finding } from '../model/findings.js';
import type { Finding, LoadedModel, StoredTensor } from '../model/types.js';
import { type Hdf5Reader, walk, type H5DatasetInfo } from '../hdf5/index.js';
import { keras3WeightsModel, readKeras3Weights } from './keras3-weights.js';
import { fileEntry } from './files.js';
import { parseJson } from './json.js';

export function readKerasH5(f: Hdf5Reader): LoadedModel {
  const path = f.path;
  const rootKeys = f.keys('/');
  // A Keras 3 `.weights.h5` (layers/<name>/vars/<i>) has no layer_names: it is read the Keras 3 way.
  // Keras 2.13–2.15 on Windows wrote `layers\\dense` as one group name.
  const keras3Roots = new Set(['layers', '_layer_checkpoint_dependencies', 'vars']);
  if (
    !f.attrNames('/').includes('layer_names') &&
    !rootKeys.includes('model_weights') &&
    !f.attrNames('/').includes('model_config') &&
    rootKeys.some((k) => keras3Roots.has(k.split('\\')[0]!))
  ) {
    return keras3WeightsModel(path, readKeras3Weights(f), [fileEntry(f.source)], []);
  }

  const problems: Finding[] = [];
  const configText = f.attrString('/', 'model_config');
  const config = configText === null ? null : parseJson(path, configText, 'model_config', f.budgets);
  const trainingText = f.attrString('/', 'training_config');
  const trainingConfig = trainingText === null ? null : parseJson(path, trainingText, 'training_config', f.budgets);

  const weightsRoot = rootKeys.includes('model_weights') ? '/model_weights' : '/';
  const layerNames = f.attrStringList(weightsRoot, 'layer_names');
  if (layerNames === null && config === null) {
    throw new InputError(path, 'HDF5 file has neither a Keras model_config nor layer_names: not a Keras model file');
  }
  const tensors: StoredTensor[] = [];
  const groupKeys = new Set(f.keys(weightsRoot));
  for (const layer of layerNames ?? []) {
    const group = join(weightsRoot, layer);
    if (!groupKeys.has(layer)) {
      problems.push(finding('weight-data-missing', layer, null, `layer_names lists ${layer} but the file has no group for it`));
      continue;
    }
    for (const item of readLayerGroup(f, group, layer, problems)) tensors.push(item);
  }

  // Variables of the model itself, outside its layers (a subclassed model's own weights).
  const modelVariables =
    groupKeys.has('top_level_model_weights') && f.kind(join(weightsRoot, 'top_level_model_weights')) === 'group'
      ? readLayerGroup(f, join(weightsRoot, 'top_level_model_weights'), 'top_level_model_weights', problems)
      : [];

  const optimizer: StoredTensor[] = [];
  if (rootKeys.includes('optimizer_weights') && f.kind('/optimizer_weights') === 'group') {
    const { datasets } = walk(f, '/optimizer_weights');
    for (const d of datasets) optimizer.push(toTensor('optimizer', d.rel, d));
  }
  const kerasVersion = f.attrString('/', 'keras_version') ?? f.attrString(weightsRoot, 'keras_version');
  const backend = f.attrString('/', 'backend') ?? f.attrString(weightsRoot, 'backend');
  return {
    file: path,
    format: config === null ? 'keras-h5-weights' : 'keras-h5',
    kerasVersion,
    backend,
    config,
    trainingConfig,
    tensors,
    optimizer,
    ...(modelVariables.length ? { modelVariables } : {}),
    files: [fileEntry(f.source)],
    problems,
    matchBy: 'name',
    meta: {},
  };
}

/** One layer group's tensors, in `weight_names` order; datasets that list does not name are reported. */
function readLayerGroup(f: Hdf5Reader, group: string, layer: string, problems: Finding[]): StoredTensor[] {
  const names = f.attrStringList(group, 'weight_names');
  // Links are reported by the whole-file scan (hdf5-scan.ts), never followed.
  const { datasets } = walk(f, group);
  if (names === null) {
    // Files without weight_names: take the datasets as they are, in name order.
    return datasets.map((d) => toTensor(layer, d.rel, d));
  }
  const byRel = new Map(datasets.map((d) => [d.rel, d]));
  const out: StoredTensor[] = [];
  for (const name of names) {
    const d = byRel.get(name);
    if (!d) {
      problems.push(
        finding('weight-data-missing', layer, name, `${layer} lists weight ${name} in weight_names but the file has no dataset for it`),
      );
      continue;
    }
    byRel.delete(name);
    out.push(toTensor(layer, name, d));
  }
  for (const rel of byRel.keys()) {
    problems.push(
      finding(
        'unlisted-dataset',
        layer,
        rel,
        `${layer} holds dataset ${rel} that its weight_names does not list; Keras ignores it when loading`,
      ),
    );
  }
  return out;
}

export function toTensor(layerKey: string, name: string, d: H5DatasetInfo): StoredTensor {
  return { layerKey, name, shape: d.shape, dtype: d.dtype, bytes: d.bytes };
}

function join(root: string, name: string): string {
  return root === '/' ? `/${name}` : `${root}/${name}`;
}
