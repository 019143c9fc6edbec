// The tree walk the loaders use (`walk` in src/hdf5/h5wasm/reader.ts), over any reader with the H5wasmReader metadata
// surface: TsHdf5Reader here, H5wasmReader there. Same order, same answers, same budgets.
import type { Hdf5Reader, WalkedDataset, WalkLimits } from './types.js';
import { InputError } from '../model/errors.js';

export const WALK_LIMITS: WalkLimits = { maxObjects: 1_000_000, maxDepth: 64 };

export interface WalkedLink {
  rel: string;
  kind: 'soft-link' | 'external-link';
  target: string;
}

/**
 * Every dataset below `root` (depth-first, members in listing order) and every link met on the way; links
 * are reported, never followed; a group reached again through a hard link is entered once. Over a budget it
 * stops with an InputError.
 */
export function walkTree(
  f: Hdf5Reader,
  root: string,
  limits: WalkLimits = WALK_LIMITS,
): { datasets: WalkedDataset[]; links: WalkedLink[] } {
  const datasets: WalkedDataset[] = [];
  const links: WalkedLink[] = [];
  let seen = 0;
  const groups = new Set<number>();
  // An explicit stack of groups being listed: the same depth-first order as recursion, without recursion.
  type Frame = { path: string; rel: string; depth: number; keys: string[]; i: number };
  const open = (path: string, rel: string, depth: number): Frame => {
    if (depth > limits.maxDepth) throw new InputError(f.path, `HDF5 groups nest deeper than ${limits.maxDepth} levels at ${path}`);
    return { path, rel, depth, keys: f.keys(path), i: 0 };
  };
  const stack: Frame[] = [open(root, '', 0)];
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    if (top.i >= top.keys.length) {
      stack.pop();
      continue;
    }
    const key = top.keys[top.i++]!;
    if (++seen > limits.maxObjects) throw new InputError(f.path, `more than ${limits.maxObjects} HDF5 objects`);
    const full = top.path === '/' ? `/${key}` : `${top.path}/${key}`;
    const r = top.rel ? `${top.rel}/${key}` : key;
    const kind = f.kind(full);
    if (kind === 'group') {
      const addr = f.objectAddress(full);
      if (addr !== null && groups.has(addr)) continue;
      if (addr !== null) groups.add(addr);
      stack.push(open(full, r, top.depth + 1));
    } else if (kind === 'dataset') datasets.push({ ...f.dataset(full), rel: r });
    else if (kind === 'soft-link') links.push({ rel: r, kind, target: f.softLinkTarget(full) ?? '?' });
    else if (kind === 'external-link') {
      const t = f.externalLinkTarget(full);
      links.push({ rel: r, kind, target: t ? `${t.filename}:${t.objPath}` : '?' });
    }
  }
  return { datasets, links };
}
