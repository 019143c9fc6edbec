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
import { bytesText } from '../model/text.js';

export interface Found {
  /** The model file (an architecture JSON, a model.json, an .h5, a .keras, …). */
  file: string;
  /** The weights paired with an architecture JSON: the file `inspect` would read beside it. */
  weights?: string;
  /** The real path's bytes, when they are not UTF-8 (`file` is then the path with escapes). */
  bytes?: Buffer;
  /** The same for `weights`. */
  weightsBytes?: Buffer;
}

/** `arch3`: an architecture whose opening has a Keras 3 config's keys (the config.json of an unzipped .keras). */
type Kind = 'hdf5' | 'zip' | 'tfjs' | 'arch' | 'arch3' | 'index' | 'unreadable' | null;

const HEAD = 64 * 1024;

/** What a file is, from its first bytes. */
export function sniffFile(file: string | Buffer): Kind {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return 'unreadable';
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
    if (/"class_name"\s*:/.test(text)) return /"(module|registered_name|build_config|compile_config)"\s*:/.test(text) ? 'arch3' : 'arch';
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

/** Weights saved beside an architecture JSON under the names `inspect` looks for. */
const COMPANION_SUFFIXES = ['_weights.h5', '.weights.h5', '.h5', '_weights.hdf5', '.hdf5', '.weights.json'];

/** An entry the walk did not inspect, and why (scan lists them). */
export interface Skipped {
  /** The path as text (a name that is not UTF-8 shown with `\xHH` escapes). */
  path: string;
  why: 'dangling link' | 'FIFO' | 'socket' | 'device' | 'unreadable' | 'unreadable folder';
}

const SLASH = Buffer.from(path.sep);

/** `dir` + separator + `name`, as bytes. */
const joinBytes = (dir: Buffer, name: Buffer) =>
  dir.length && dir[dir.length - 1] === SLASH[0] ? Buffer.concat([dir, name]) : Buffer.concat([dir, SLASH, name]);

/** The path as a string when its bytes are UTF-8 (a string names the same file), else null. */
function utf8(b: Buffer): string | null {
  const s = b.toString('utf8');
  return Buffer.byteLength(s) === b.length && Buffer.from(s).equals(b) ? s : null;
}

/** How a path is shown: itself when UTF-8, else with escapes for the bytes that are not. */
export const displayPath = (b: Buffer): string => utf8(b) ?? bytesText(b);

/**
 * Every model under `root`, folder by folder (sorted), without holding more than one folder's names.
 * Entries are read as bytes: a name that is not UTF-8 is still inspected (`bytes` holds its real path, `file`
 * the path with escapes). What is neither a model candidate nor a folder and cannot be read (devices, FIFOs,
 * sockets, dangling links, unreadable entries and folders) is pushed to `skipped`.
 */
export function* discover(root: string, exclude: string[] = [], skipped: Skipped[] = []): Generator<Found> {
  const skip = exclude.length ? picomatch(exclude, { dot: true }) : () => false;
  const seen = new Set<string>();
  const stack: Buffer[] = [Buffer.from(root)];
  const rootText = root;
  while (stack.length) {
    const dir = stack.pop()!;
    let real: string;
    try {
      real = fs.realpathSync.native(dir, { encoding: 'buffer' }).toString('latin1');
    } catch {
      skipped.push({ path: displayPath(dir), why: 'unreadable folder' });
      continue;
    }
    if (seen.has(real)) continue;
    seen.add(real);
    let names: Buffer[];
    try {
      names = fs.readdirSync(dir, { encoding: 'buffer' }).sort(Buffer.compare);
    } catch {
      skipped.push({ path: displayPath(dir), why: 'unreadable folder' });
      continue;
    }
    const files: { name: string; full: string; bytes?: Buffer; kind: Kind }[] = [];
    const subdirs: Buffer[] = [];
    for (const nameBytes of names) {
      const fullBytes = joinBytes(dir, nameBytes);
      const text = utf8(fullBytes);
      const full = text ?? bytesText(fullBytes);
      const rel = path.relative(rootText, full).split(path.sep).join('/');
      if (skip(rel)) continue;
      let st: fs.Stats;
      try {
        st = fs.statSync(fullBytes);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        skipped.push({ path: full, why: code === 'ENOENT' || code === 'ELOOP' ? 'dangling link' : 'unreadable' });
        continue;
      }
      if (st.isDirectory()) subdirs.push(fullBytes);
      else if (st.isFile()) {
        if (st.size === 0) continue;
        const kind = sniffFile(fullBytes);
        if (kind === 'unreadable') skipped.push({ path: full, why: 'unreadable' });
        else
          files.push({
            name: text === null ? bytesText(nameBytes) : nameBytes.toString('utf8'),
            full,
            kind,
            ...(text === null ? { bytes: fullBytes } : {}),
          });
      } else skipped.push({ path: full, why: st.isFIFO() ? 'FIFO' : st.isSocket() ? 'socket' : 'device' });
    }
    const claimed = new Set<string>();
    const found: Found[] = [];
    // A TensorFlow SavedModel is its folder: one model, whose variables/ and assets/ are part of it.
    const savedModel = files.some((f) => f.name === 'saved_model.pb');
    if (savedModel) {
      const dirText = utf8(dir);
      found.push(dirText === null ? { file: bytesText(dir), bytes: dir } : { file: dirText });
      claimed.add('saved_model.pb');
      for (let i = subdirs.length - 1; i >= 0; i--)
        if (/^(variables|assets)$/.test(path.basename(subdirs[i]!.toString('latin1')))) subdirs.splice(i, 1);
    }
    for (const f of files) {
      if (f.kind !== 'arch' && f.kind !== 'arch3') continue;
      // As inspect pairs them: an unzipped .keras folder's config.json with model.weights.h5 (or its sharding
      // index); else the first weights file under the usual names (X_weights.h5, X.weights.h5, X.h5, …).
      const names =
        f.kind === 'arch3' && /^config\.json$/i.test(f.name) && files.some((g) => /^model\.weights\.(h5|json)$/.test(g.name))
          ? ['model.weights.h5', 'model.weights.json']
          : COMPANION_SUFFIXES.map((x) => f.name.replace(/\.json$/i, '') + x);
      const w = names.map((n) => files.find((g) => g.name === n)).find((g) => g !== undefined);
      if (w) {
        claimed.add(w.name);
        found.push({
          file: f.full,
          weights: w.full,
          ...(f.bytes ? { bytes: f.bytes } : {}),
          ...(w.bytes ? { weightsBytes: w.bytes } : {}),
        });
      } else found.push({ file: f.full, ...(f.bytes ? { bytes: f.bytes } : {}) });
    }
    for (const f of files) {
      if (f.kind === null || f.kind === 'arch' || f.kind === 'arch3' || claimed.has(f.name)) continue;
      found.push({ file: f.full, ...(f.bytes ? { bytes: f.bytes } : {}) });
    }
    found.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    yield* found;
    // Depth-first in name order: push in reverse so the first name is visited first.
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
  }
}
