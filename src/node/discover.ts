// Finds the models under a folder by their content, not their extension: HDF5 and zip signatures, and JSON
// that is a TF.js model.json, a Keras architecture or a Keras 3 sharding index. An architecture is paired
// with the weights file saved beside it the way `inspect` pairs them (the weights are then not listed on
// their own); a TF.js model's shards have no signature and are never listed; a folder holding saved_model.pb
// is one model (a TensorFlow SavedModel). Symlinked folders are followed
// once (a loop is skipped); `exclude` globs are matched against paths relative to the root.
import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { isHdf5Signature } from '../hdf5/signature.js';

export interface Found {
  /** The model file (an architecture JSON, a model.json, an .h5, a .keras, …). */
  file: string;
  /** The weights paired with an architecture JSON, when there is exactly one candidate. */
  weights?: string;
}

type Kind = 'hdf5' | 'zip' | 'tfjs' | 'arch' | 'index' | null;

const HEAD = 64 * 1024;

/** What a file is, from its first bytes. */
export function sniffFile(file: string): Kind {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const head = Buffer.alloc(HEAD);
    const n = fs.readSync(fd, head, 0, HEAD, 0);
    if (n >= 8 && isHdf5Signature(head)) return 'hdf5';
    if (n >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5)) return 'zip';
    const text = head.toString('utf8', 0, n).replace(/^\uFEFF/, '');
    if (!text.trimStart().startsWith('{')) return null;
    if (/"(modelTopology|weightsManifest)"\s*:/.test(text)) return 'tfjs';
    if (/"weight_map"\s*:/.test(text)) return 'index';
    if (/"class_name"\s*:/.test(text)) return 'arch';
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

/** Weights saved beside an architecture JSON under the names `inspect` looks for. */
const COMPANION_SUFFIXES = ['_weights.h5', '.weights.h5', '.h5', '_weights.hdf5', '.hdf5', '.weights.json'];

/** Every model under `root`, folder by folder (sorted), without holding more than one folder's names. */
export function* discover(root: string, exclude: string[] = []): Generator<Found> {
  const skip = exclude.length ? picomatch(exclude, { dot: true }) : () => false;
  const seen = new Set<string>();
  const stack = [root];
  while (stack.length) {
    const dir = stack.pop()!;
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch {
      continue;
    }
    if (seen.has(real)) continue;
    seen.add(real);
    let names: string[];
    try {
      names = fs.readdirSync(dir).sort();
    } catch {
      continue;
    }
    const files: { name: string; full: string; kind: Kind }[] = [];
    const subdirs: string[] = [];
    for (const name of names) {
      const full = path.join(dir, name);
      const rel = path.relative(root, full).split(path.sep).join('/');
      if (skip(rel)) continue;
      let st: fs.Stats;
      try {
        st = fs.statSync(full);
      } catch {
        continue; // a dangling link
      }
      if (st.isDirectory()) subdirs.push(full);
      else if (st.isFile() && st.size > 0) files.push({ name, full, kind: sniffFile(full) });
    }
    const claimed = new Set<string>();
    const found: Found[] = [];
    // A TensorFlow SavedModel is its folder: one model, whose variables/ and assets/ are part of it.
    const savedModel = files.some((f) => f.name === 'saved_model.pb');
    if (savedModel) {
      found.push({ file: dir });
      claimed.add('saved_model.pb');
      for (let i = subdirs.length - 1; i >= 0; i--) if (/^(variables|assets)$/.test(path.basename(subdirs[i]!))) subdirs.splice(i, 1);
    }
    for (const f of files) {
      if (f.kind !== 'arch') continue;
      const stem = f.name.replace(/\.json$/i, '');
      const candidates = COMPANION_SUFFIXES.map((s) => stem + s).filter((n) =>
        files.some((g) => g.name === n && (g.kind === 'hdf5' || g.kind === 'index')),
      );
      if (candidates.length === 1) {
        claimed.add(candidates[0]!);
        found.push({ file: f.full, weights: path.join(dir, candidates[0]!) });
      } else found.push({ file: f.full });
    }
    for (const f of files) {
      if (f.kind === null || f.kind === 'arch' || claimed.has(f.name)) continue;
      found.push({ file: f.full });
    }
    found.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    yield* found;
    // Depth-first in name order: push in reverse so the first name is visited first.
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
  }
}
