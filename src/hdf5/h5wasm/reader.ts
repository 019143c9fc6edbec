// A small read-only view of an HDF5 file through h5wasm, read from a ByteSource (a file, a member of a zip
// archive, bytes in memory): metadata only (names, attributes, dataset shapes and types), never tensor data.
import { attrStringListOf, attrStringOf } from '../attrs.js';
import { hdf5OpenProblem } from '../errors.js';
import type { H5DatasetInfo, H5Kind, Hdf5Reader } from '../types.js';
import type { ByteSource } from '../../io/byte-source.js';
import { type Budgets, DEFAULT_BUDGETS, overBudget } from '../../model/budgets.js';
import { InputError } from '../../model/errors.js';
import { elements } from '../../model/shape.js';
import {
  type AttrMeta,
  closeErrorFiles,
  type DatasetMeta,
  type H5Module,
  h5,
  mount,
  openId,
  seen,
  setActiveLabel,
  unmount,
} from './module.js';

export class H5wasmReader implements Hdf5Reader {
  /** Metadata answers, cached: the loaders and the security scan walk the same objects. */
  private readonly cache = new Map<string, unknown>();
  /**
   * Attributes (or attribute lists) the file has but the library could not read, by object path: the scan
   * turns each into an `hdf5-attribute-unreadable` finding (present but unreadable is never "absent").
   */
  readonly unreadable: { path: string; name: string | null; reason: string }[] = [];

  private memo<T>(what: string, path: string, compute: () => T): T {
    const key = `${what}\u0000${path}`;
    if (this.cache.has(key)) return this.cache.get(key) as T;
    setActiveLabel(this.path, this.budgets); // the one library instance may have opened another load's file since
    const value = compute();
    this.cache.set(key, value);
    return value;
  }

  private constructor(
    private readonly m: H5Module,
    private readonly fid: bigint,
    private readonly mountPath: string,
    /** The bytes HDF5 reads (header scans read the same source). */
    readonly source: ByteSource,
    /** Names the file in errors and findings. */
    readonly path: string,
    readonly budgets: Budgets,
  ) {}

  /**
   * Opens a source as an HDF5 file; `label` names it in errors (default: the source's name). `isolation` is
   * the load's hook, run before the library starts (see h5).
   */
  static async open(
    source: ByteSource,
    label = source.name,
    budgets: Budgets = DEFAULT_BUDGETS,
    isolation?: () => void,
  ): Promise<H5wasmReader> {
    const m = await h5(isolation);
    setActiveLabel(label, budgets);
    const mountPath = mount(source);
    let fid: bigint;
    try {
      fid = openId(m, mountPath);
    } catch (e) {
      unmount(mountPath);
      throw new InputError(label, hdf5OpenProblem(firstLine(seen(e))));
    }
    if (Number(fid) < 0) {
      unmount(mountPath);
      throw new InputError(label, 'not a readable HDF5 file');
    }
    return new H5wasmReader(m, fid, mountPath, source, label, budgets);
  }

  close(): void {
    try {
      this.m.close_file(this.fid);
    } catch (e) {
      seen(e); // already closed, or the library aborted
    }
    unmount(this.mountPath);
    closeErrorFiles();
  }

  /** What a path is, without following links. Null if it does not exist. */
  kind(path: string): H5Kind {
    return this.memo('kind', path, () => this.kindUncached(path));
  }

  private kindUncached(path: string): H5Kind {
    // Link types first: HDF5's object lookup follows soft links (a soft link to a dataset would look like a
    // dataset) and external links (it would open the other file). Neither call resolves the link.
    if (this.externalLinkTarget(path)?.filename) return 'external-link';
    if (this.softLinkTarget(path) !== null) return 'soft-link';
    let t: number;
    try {
      t = this.m.get_type(this.fid, path);
    } catch (e) {
      // A missing name is -1 (or, below a dataset, "message type not found"). Anything else is an object the
      // file names but whose header the library cannot read (a checksum mismatch, a message overrunning its
      // chunk): damage, as the TypeScript reader reports it, never "absent".
      const reason = firstLine(seen(e));
      if (/doesn't exist|not found/.test(reason)) return null;
      throw new InputError(this.path, `cannot read HDF5 object ${path} (${reason})`);
    }
    if (t === this.m.H5G_GROUP) return 'group';
    if (t === this.m.H5G_DATASET) return 'dataset';
    if (t === this.m.H5G_LINK) return 'soft-link';
    if (t === this.m.H5G_UDLINK) return 'external-link';
    if (t === this.m.H5G_TYPE) return 'datatype';
    return null;
  }

  /** Member names of a group (links are listed, not followed). */
  keys(path: string): string[] {
    return this.memo('keys', path, () => this.keysUncached(path));
  }

  private keysUncached(path: string): string[] {
    try {
      return this.m.get_names(this.fid, path, false);
    } catch (e) {
      throw new InputError(this.path, `cannot list HDF5 group ${path} (${firstLine(seen(e))})`);
    }
  }

  /** The (base-relative) file address of an object's header, from an HDF5 object reference; null if unknown. */
  objectAddress(path: string): number | null {
    try {
      const ref = Uint8Array.from(this.m.create_object_reference(this.fid, path));
      if (ref.length < 8) return null;
      const v = new DataView(ref.buffer, 0, 8).getBigUint64(0, true);
      return v > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(v);
    } catch (e) {
      seen(e);
      return null;
    }
  }

  softLinkTarget(path: string): string | null {
    try {
      const t = this.m.get_symbolic_link(this.fid, path) as string | null;
      return typeof t === 'string' ? t : null;
    } catch (e) {
      seen(e);
      return null;
    }
  }

  externalLinkTarget(path: string): { filename: string; objPath: string } | null {
    try {
      const r = this.m.get_external_link(this.fid, path);
      return { filename: r.filename, objPath: r.obj_path };
    } catch (e) {
      seen(e);
      return null;
    }
  }

  attrNames(path: string): string[] {
    return this.memo('attrNames', path, () => this.attrNamesUncached(path));
  }

  private attrNamesUncached(path: string): string[] {
    try {
      const names = this.m.get_attribute_names(this.fid, path);
      if (names.length > this.budgets.hdf5Objects)
        throw overBudget(this.path, 'hdf5Objects', `${path} has ${names.length} attributes`, this.budgets);
      return names;
    } catch (e) {
      if (e instanceof InputError) throw e;
      this.unreadable.push({ path, name: null, reason: firstLine(seen(e)) });
      return [];
    }
  }

  /**
   * An attribute's value: strings as strings (fixed-length ones decoded from their raw bytes as UTF-8, which is
   * fast and keeps non-ASCII text intact), string arrays as string[], numbers as numbers or number[].
   */
  attr(path: string, name: string): unknown {
    return this.memo(`attr\u0000${name}`, path, () =>
      this.attrNames(path).includes(name) ? this.attrUncached(path, name) : this.probe(path, name),
    );
  }

  /**
   * An attribute the object's list does not name: absent, or present in a damaged attribute storage the
   * library could not list (h5wasm then returns an empty list). Asking by name tells them apart.
   */
  private probe(path: string, name: string): unknown {
    try {
      this.m.get_attribute_metadata(this.fid, path, name);
    } catch (e) {
      const reason = firstLine(seen(e));
      if (!/name not defined/.test(reason)) this.unreadable.push({ path, name, reason });
      return undefined;
    }
    return this.attrUncached(path, name);
  }

  private attrUncached(path: string, name: string): unknown {
    const fid = this.fid;
    let meta: AttrMeta;
    try {
      meta = this.m.get_attribute_metadata(fid, path, name);
    } catch (e) {
      this.unreadable.push({ path, name, reason: firstLine(seen(e)) });
      return undefined;
    }
    if (!meta.shape) return null;
    const entries = Number(meta.total_size);
    if (entries > this.budgets.attributeEntries)
      throw overBudget(this.path, 'attributeEntries', `attribute ${name} of ${path} declares ${entries} entries`, this.budgets);
    if (entries * meta.size > this.budgets.attributeBytes)
      throw overBudget(this.path, 'attributeBytes', `attribute ${name} of ${path} declares ${entries * meta.size} bytes`, this.budgets);
    try {
      return this.attrValue(path, name, meta as AttrMeta & { shape: number[] });
    } catch (e) {
      if (!(e instanceof InputError) || /budget/.test(e.message)) throw e;
      this.unreadable.push({ path, name, reason: e.message.replace(/^cannot read attribute .*? \((.*)\)$/, '$1') });
      return undefined;
    }
  }

  private attrValue(path: string, name: string, meta: AttrMeta & { shape: number[] }): unknown {
    const isString = meta.type === 3;
    if (isString && !meta.vlen) {
      const raw = this.rawAttr(path, name, meta.size * meta.total_size);
      const decoder = new TextDecoder('utf-8');
      const strs: string[] = [];
      for (let i = 0; i < meta.total_size; i++) {
        const bytes = raw.subarray(i * meta.size, (i + 1) * meta.size);
        const end = bytes.indexOf(0);
        strs.push(decoder.decode(end >= 0 ? bytes.subarray(0, end) : bytes));
      }
      return meta.shape.length === 0 ? strs[0] : strs;
    }
    const values = isString
      ? this.vlenStrings(path, name, meta.total_size)
      : numbers(this.rawAttr(path, name, meta.size * meta.total_size), meta);
    if (values === null) return undefined;
    return meta.shape.length === 0 ? values[0] : values;
  }

  /** `n` bytes of the library's heap for an attribute's value; a heap that has no room is over the budget. */
  private heapFor(path: string, name: string, n: number): number {
    const ptr = this.m._malloc(n);
    if (!ptr)
      throw overBudget(
        this.path,
        'wasmHeapBytes',
        `attribute ${name} of ${path} needs more memory than the HDF5 heap has left`,
        this.budgets,
      );
    return ptr;
  }

  private rawAttr(path: string, name: string, nbytes: number): Uint8Array {
    const m = this.m;
    const ptr = this.heapFor(path, name, Math.max(1, nbytes));
    try {
      this.m.get_attribute_data(this.fid, path, name, BigInt(ptr));
      return m.HEAPU8.slice(ptr, ptr + nbytes);
    } catch (e) {
      throw new InputError(this.path, `cannot read attribute ${name} of ${path} (${firstLine(seen(e))})`);
    } finally {
      m._free(ptr);
    }
  }

  /** Variable-length strings: the library hands back one pointer per string, freed after decoding. */
  private vlenStrings(path: string, name: string, count: number): string[] {
    const m = this.m;
    const ptr = this.heapFor(path, name, Math.max(4, 4 * count));
    try {
      this.m.get_attribute_data(this.fid, path, name, BigInt(ptr));
      const out: string[] = [];
      const view = new DataView(m.HEAPU8.buffer, ptr, 4 * count);
      for (let i = 0; i < count; i++) {
        const p = view.getUint32(4 * i, true);
        out.push(p ? m.UTF8ToString(p) : '');
      }
      this.m.reclaim_vlen_memory(this.fid, path, name, BigInt(ptr));
      return out;
    } catch (e) {
      throw new InputError(this.path, `cannot read attribute ${name} of ${path} (${firstLine(seen(e))})`);
    } finally {
      m._free(ptr);
    }
  }

  /** An attribute as a string, or null (see hdf5/attrs.ts). */
  attrString(path: string, name: string): string | null {
    return attrStringOf(this, path, name);
  }

  /** A list-of-names attribute, Keras' chunks joined; null when absent (see hdf5/attrs.ts). */
  attrStringList(path: string, name: string): string[] | null {
    return attrStringListOf(this, path, name);
  }

  dataset(path: string): H5DatasetInfo {
    return this.memo('dataset', path, () => this.datasetUncached(path));
  }

  private datasetUncached(path: string): H5DatasetInfo {
    let meta: DatasetMeta;
    try {
      meta = this.m.get_dataset_metadata(this.fid, path);
    } catch (e) {
      throw new InputError(this.path, `cannot read dataset ${path} (${firstLine(seen(e))})`);
    }
    const shape = (meta.shape ?? []).map(Number);
    let filters: string[] = [];
    try {
      filters = this.m.get_dataset_filters(this.fid, path).map((f) => f.name || String(f.id));
    } catch (e) {
      seen(e);
      filters = [];
    }
    // Keras 3 marks bfloat16 variables with a `dtype` attribute (asking for a missing one costs an HDF5 error).
    const declared = this.attrNames(path).includes('dtype') ? this.attrString(path, 'dtype') : null;
    const dtype = declared ?? dtypeName(meta);
    const itemBytes = declared === 'bfloat16' ? 2 : meta.size;
    return {
      shape,
      dtype,
      bytes: elements(shape) * itemBytes,
      filters,
      virtualSources: (meta.virtual_sources ?? []).map((s) => `${s.file_name}:${s.dset_name}`),
    };
  }
}

/** Numeric attribute values (Keras stores name lists as strings; numbers appear as empty float lists). */
function numbers(raw: Uint8Array, meta: AttrMeta): number[] | null {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out: number[] = [];
  for (let i = 0; i < meta.total_size; i++) {
    const at = i * meta.size;
    if (meta.type === 1 && meta.size === 8) out.push(view.getFloat64(at, true));
    else if (meta.type === 1 && meta.size === 4) out.push(view.getFloat32(at, true));
    else if (meta.type === 0 && meta.size === 8) out.push(Number(meta.signed ? view.getBigInt64(at, true) : view.getBigUint64(at, true)));
    else if (meta.type === 0 && meta.size === 4) out.push(meta.signed ? view.getInt32(at, true) : view.getUint32(at, true));
    else if (meta.type === 0 && meta.size === 2) out.push(meta.signed ? view.getInt16(at, true) : view.getUint16(at, true));
    else if ((meta.type === 0 || meta.type === 8) && meta.size === 1) out.push(meta.signed ? view.getInt8(at) : view.getUint8(at));
    else return null;
  }
  return out;
}

function dtypeName(meta: DatasetMeta): string {
  switch (meta.type) {
    case 0:
      return `${meta.signed ? 'int' : 'uint'}${meta.size * 8}`;
    case 1:
      return `float${meta.size * 8}`;
    case 3:
      return 'string';
    case 8:
      return meta.size === 1 ? 'bool' : 'enum';
    default:
      return `h5type${meta.type}`;
  }
}

/**
 * One line for an error from the library. HDF5's error stacks (`HDF5-DIAG: …`, then `#000: … in F(): what`
 * frames, outermost first) are summed up by their innermost frame, which says what actually went wrong.
 */
export function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const frames = [...msg.matchAll(/#\d+: .* in [\w.]+\(\): (.+)$/gm)].map((m) => m[1]!.trim());
  const line = frames.length
    ? frames[frames.length - 1]
    : msg
        .split('\n')
        .find((l) => l.trim())
        ?.trim();
  return line?.slice(0, 200) ?? 'unknown error';
}
