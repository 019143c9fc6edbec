// Which of the dropped files is the model, as `kerascope inspect` would be given it: a TF.js model.json
// (its shards are its siblings), a Keras 3 `.keras` archive, an architecture JSON with its weights file
// (as `inspect arch.json --weights w.h5`), a Keras HDF5 file, or a TensorFlow SavedModel's saved_model.pb. The loaders then decide the format from
// the bytes, never from these names; this only chooses what to open first.
import { baseName } from '../io/paths.js';
import { InputError } from '../model/errors.js';

export interface Pick {
  /** The model's path among the dropped files. */
  main: string;
  /** The weights to pair with an architecture JSON (`--weights`), when one was dropped with it. */
  weights?: string;
}

const isH5 = (p: string) => /\.(h5|hdf5|he5)$/i.test(p);
const isIndex = (p: string) => /\.weights\.json$/i.test(p);
/** JSON that is not a model by itself: the pieces of an unzipped .keras, a sharding index, a vocabulary. */
const isHelperJson = (p: string) => isIndex(p) || /^(config|metadata|vocabulary)\.json$/i.test(baseName(p));

/** The dropped set's name in messages: the one file, or the folder they share. */
export function dropName(paths: string[]): string {
  if (paths.length === 1) return paths[0]!;
  const top = new Set(paths.map((p) => p.split('/')[0]));
  return top.size === 1 && paths.every((p) => p.includes('/')) ? [...top][0]! : `${paths.length} files`;
}

export function pickModel(paths: string[]): Pick {
  const sorted = [...paths].sort();
  const one = (list: string[], what: string): string | null => {
    if (list.length === 1) return list[0]!;
    if (list.length > 1) throw new InputError(dropName(paths), `several ${what} (${list.join(', ')}): drop one model at a time`);
    return null;
  };
  if (!sorted.length) throw new InputError('(nothing)', 'no file was dropped');
  // A TensorFlow SavedModel: its saved_model.pb (variables/ and assets/ are read beside it).
  const savedModel = one(
    sorted.filter((p) => baseName(p) === 'saved_model.pb'),
    'saved_model.pb files',
  );
  if (savedModel) return { main: savedModel };
  const tfjs = one(
    sorted.filter((p) => baseName(p) === 'model.json'),
    'model.json files',
  );
  if (tfjs) return { main: tfjs };
  const keras = one(
    sorted.filter((p) => /\.keras$/i.test(p)),
    '.keras archives',
  );
  if (keras) return { main: keras };
  const arch = one(
    sorted.filter((p) => /\.json$/i.test(p) && !isHelperJson(p)),
    'architecture JSON files',
  );
  if (arch) {
    const h5 = sorted.filter(isH5);
    const index = sorted.filter(isIndex);
    const weights = h5.length + index.length === 1 ? [...h5, ...index][0] : undefined;
    return weights ? { main: arch, weights } : { main: arch };
  }
  const h5 = one(sorted.filter(isH5), 'HDF5 files');
  if (h5) return { main: h5 };
  // Nothing recognisable by name: one file is read anyway (its bytes decide, as on the command line).
  if (sorted.length === 1) return { main: sorted[0]! };
  throw new InputError(
    dropName(paths),
    'no model file among the dropped files (.h5, .keras, model.json, saved_model.pb, or an architecture .json)',
  );
}
