// HDF5 checks over a whole file, run by the loaders while the file is open: links (reported, never
// followed; this is the one place link findings are made), datasets whose data lives in other files
// (external storage, virtual datasets) and datasets that declare far more bytes than the file holds (shape
// bombs). Nothing is read but metadata and header bytes.
import { finding } from '../model/findings.js';
import type { Finding } from '../model/types.js';
import { walk } from './open.js';
import type { Hdf5Reader } from './types.js';
import { ByteReader, datasetFacts, HeaderError } from './header.js';
import { thousands } from '../model/text.js';

/** A dataset declaring more than this many bytes, and SHAPE_BOMB_RATIO times the file's size, is a shape bomb. */
export const SHAPE_BOMB_MIN_BYTES = 64 * 1024 * 1024;
export const SHAPE_BOMB_RATIO = 16;

/** Groups that hold layers: a finding's layer is the first path segment below them. */
const LAYER_ROOTS = ['model_weights', 'layers', '_layer_checkpoint_dependencies'];

/** Layer and weight of an absolute HDF5 path (`/model_weights/dense/dense/kernel:0` → dense, dense/kernel:0). */
export function locate(path: string): { layer: string; weight: string | null } {
  const parts = path.split('/').filter(Boolean);
  if (parts.length > 1 && LAYER_ROOTS.includes(parts[0]!)) parts.shift();
  return { layer: parts[0] ?? '/', weight: parts.length > 1 ? parts.slice(1).join('/') : null };
}

/** Scans every object of the file while it is open. */
export function scanHdf5(f: Hdf5Reader): Finding[] {
  const out: Finding[] = [];
  const { datasets, links } = walk(f, '/');
  for (const l of links) {
    const full = `/${l.rel}`;
    const code = l.kind === 'external-link' ? 'hdf5-external-link' : 'hdf5-soft-link';
    const { layer, weight } = locate(full);
    out.push(finding(code, layer, weight, `${full} is an HDF5 ${l.kind} to ${l.target}; kerascope does not follow it, h5py/Keras would`));
  }
  // Before the walk's own reads add more: each attribute the loaders could not read, once per object and name.
  const reported = new Set<string>();
  for (const u of f.unreadable) {
    const key = `${u.path}\u0000${u.name}`;
    if (reported.has(key)) continue;
    reported.add(key);
    const { layer, weight } = locate(u.path);
    const what = u.name === null ? `the attribute list of ${u.path}` : `attribute ${u.name} of ${u.path}`;
    out.push(
      finding(
        'hdf5-attribute-unreadable',
        u.path === '/' ? null : layer,
        weight,
        `${what} is present but cannot be read (${u.reason}): the file is damaged, and Keras cannot load it`,
      ),
    );
  }
  // The TypeScript reader reads external storage and layout itself; for h5wasm they come from the dataset's
  // object header, read straight from the file's bytes (h5wasm has no call for them).
  const headers: { reader: ByteReader | null; error: string | null } = { reader: null, error: null };
  const headerFacts = (full: string) => {
    if (headers.reader === null && headers.error === null) {
      try {
        headers.reader = new ByteReader(f.source);
      } catch (e) {
        headers.error = (e as Error).message;
      }
    }
    if (!headers.reader) return null;
    const addr = f.objectAddress(full);
    if (addr === null) throw new HeaderError('no object address');
    return datasetFacts(headers.reader, addr);
  };
  const fileSize = f.source.size;
  let unparsed = 0;
  let firstUnparsed = '';
  for (const d of datasets) {
    const full = `/${d.rel}`;
    const { layer, weight } = locate(full);
    if (d.virtualSources.length) {
      out.push(
        finding(
          'hdf5-virtual-dataset',
          layer,
          weight,
          `${full} is a virtual dataset mapping data from ${d.virtualSources.slice(0, 3).join(', ')}${d.virtualSources.length > 3 ? ', …' : ''}; kerascope does not open them, h5py would`,
        ),
      );
    }
    if (!(d.bytes <= SHAPE_BOMB_MIN_BYTES) && !(d.bytes <= SHAPE_BOMB_RATIO * fileSize)) {
      out.push(
        finding(
          'hdf5-shape-bomb',
          layer,
          weight,
          `${full} declares shape (${d.shape.join(', ')}) = ${thousands(d.bytes)} bytes in a ${thousands(fileSize)}-byte file: loading it would allocate memory for data that is not there`,
        ),
      );
    }
    try {
      const facts =
        d.externalFiles !== undefined && d.layoutClass !== undefined
          ? { externalFiles: d.externalFiles, layoutClass: d.layoutClass }
          : headerFacts(full);
      if (!facts) continue;
      if (facts.externalFiles !== null) {
        const names = facts.externalFiles.length ? facts.externalFiles.map((n) => JSON.stringify(n)).join(', ') : 'unnamed files';
        out.push(
          finding(
            'hdf5-external-storage',
            layer,
            weight,
            `${full} keeps its data in external file(s) ${names} (External Data Files, CVE-2026-1669); kerascope does not open them, h5py/Keras would read them`,
          ),
        );
      }
      if (facts.layoutClass === 3 && !d.virtualSources.length) {
        out.push(
          finding(
            'hdf5-virtual-dataset',
            layer,
            weight,
            `${full} has a virtual layout (data mapped from other files); kerascope does not open them`,
          ),
        );
      }
    } catch (e) {
      if (!(e instanceof HeaderError) && !(e instanceof RangeError)) throw e;
      if (unparsed++ === 0) firstUnparsed = `${full} (${e.message})`;
    }
  }
  if (unparsed) {
    out.push(
      finding(
        'hdf5-unparsed-header',
        null,
        null,
        `${unparsed} dataset header(s) could not be read to check for external storage, e.g. ${firstUnparsed}`,
      ),
    );
  }
  if (headers.error) {
    out.push(
      finding(
        'hdf5-unparsed-header',
        null,
        null,
        `the file's HDF5 headers could not be read to check for external storage (${headers.error})`,
      ),
    );
  }
  return out;
}
