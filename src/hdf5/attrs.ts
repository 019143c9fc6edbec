// Attribute answers built from the basic ones, the same for both HDF5 readers (TsHdf5Reader here, h5wasm's H5wasmReader
// in hdf5/h5wasm/reader.ts): a string attribute, and Keras' name lists split into chunks (`layer_names0`, …).

interface AttrReader {
  attrNames(path: string): string[];
  attr(path: string, name: string): unknown;
}

/** An attribute as a string (bytes or str, or a one-element list of them), or null. */
export function attrStringOf(r: AttrReader, path: string, name: string): string | null {
  const v = r.attr(path, name);
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'string') return v[0];
  return null;
}

/**
 * A list-of-names attribute, joining Keras' chunks (`name0`, `name1`, …) when the list was too large for one
 * attribute; null when absent. A name missing from the listing is still asked for: a damaged attribute list
 * can hide an attribute that is there (the reader records it as unreadable, never absent).
 */
export function attrStringListOf(r: AttrReader, path: string, name: string): string[] | null {
  const names = r.attrNames(path);
  if (names.includes(name)) return toStringList(r.attr(path, name));
  if (!names.includes(`${name}0`)) {
    const v = r.attr(path, name);
    return v === undefined ? null : toStringList(v);
  }
  const out: string[] = [];
  const present = new Set(names); // a lookup per chunk, not a scan: chunk counts are input-controlled
  for (let i = 0; present.has(`${name}${i}`); i++) for (const item of toStringList(r.attr(path, `${name}${i}`)) ?? []) out.push(item);
  return out;
}

export function toStringList(v: unknown): string[] | null {
  if (Array.isArray(v)) return v.map((x) => String(x));
  if (typeof v === 'string') return v === '' ? [] : [v];
  if (v === null) return [];
  return null;
}
