// A whole-file dump of what the loaders ask an HDF5 reader, through the methods `H5wasmReader` (h5wasm) and
// `TsHdf5Reader` (pure TypeScript) share: used to compare the two readers object by object.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ZipArchive } from '../../src/formats/zip.js';
import { FileSource } from '../../src/node/file-source.js';
import type { H5DatasetInfo, H5Kind } from '../../src/hdf5/index.js';

export interface MetaReader {
  kind(path: string): H5Kind;
  keys(path: string): string[];
  attrNames(path: string): string[];
  attr(path: string, name: string): unknown;
  dataset(path: string): H5DatasetInfo;
  objectAddress(path: string): number | null;
  softLinkTarget(path: string): string | null;
  externalLinkTarget(path: string): { filename: string; objPath: string } | null;
}

export interface DumpEntry {
  path: string;
  kind: H5Kind;
  address?: number | null;
  keys?: string[];
  attrs?: Record<string, unknown>;
  dataset?: Pick<H5DatasetInfo, 'shape' | 'dtype' | 'bytes' | 'filters' | 'virtualSources'>;
  target?: string | null;
}

/** Every object below the root, depth-first in listing order; hard-linked groups are entered once. */
export function dump(r: MetaReader, maxObjects = 100_000): DumpEntry[] {
  const out: DumpEntry[] = [];
  const seen = new Set<number>();
  const attrs = (p: string) => Object.fromEntries(r.attrNames(p).map((n) => [n, r.attr(p, n)]));
  const visit = (p: string, depth: number): void => {
    if (out.length > maxObjects || depth > 64) throw new Error('dump budget');
    const kind = r.kind(p);
    const e: DumpEntry = { path: p, kind };
    out.push(e);
    if (kind === 'soft-link') e.target = r.softLinkTarget(p);
    else if (kind === 'external-link') {
      const t = r.externalLinkTarget(p);
      e.target = t ? `${t.filename}:${t.objPath}` : null;
    } else if (kind === 'dataset') {
      e.address = r.objectAddress(p);
      const d = r.dataset(p);
      e.dataset = { shape: d.shape, dtype: d.dtype, bytes: d.bytes, filters: d.filters, virtualSources: d.virtualSources };
      e.attrs = attrs(p);
    } else if (kind === 'group') {
      e.address = r.objectAddress(p);
      e.attrs = attrs(p);
      if (e.address !== null && seen.has(e.address)) return;
      if (e.address !== null) seen.add(e.address);
      e.keys = r.keys(p);
      for (const k of e.keys) visit(p === '/' ? `/${k}` : `${p}/${k}`, depth + 1);
    } else if (kind === 'datatype') {
      e.address = r.objectAddress(p);
    }
  };
  visit('/', 0);
  return out;
}

/** `name`'s bytes from a zip archive (null if absent), read with the project's own zip reader. */
export async function zipMember(file: string, name: string): Promise<Buffer | null> {
  const src = FileSource.at(file)!;
  const zip = await ZipArchive.open(src);
  try {
    const m = zip.find(name);
    return m ? Buffer.from(await zip.read(m, 2 ** 31)) : null;
  } finally {
    await zip.close();
    src.close();
  }
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
