// Messages between the page and its Worker. Everything crosses by structured clone (Files included:
// a File posted to a Worker is a handle, its bytes are not copied).
import type { Report } from '../model/types.js';

export interface InspectRequest {
  type: 'inspect';
  id: number;
  files: { path: string; file: File }[];
  /** The HDF5 reader (docs/hdf5.md): the TypeScript one by default, or the HDF5 library (fetched when chosen). */
  hdf5?: 'typescript' | 'h5wasm';
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'progress'; id: number; stage: string; reads: number; bytes: number }
  | { type: 'result'; id: number; result: InspectResult }
  | { type: 'error'; id: number; line: string };

export interface InspectResult {
  /** The files opened, as `kerascope inspect MAIN [--weights W]` would be given them. */
  main: string;
  weights: string | null;
  report: Report;
  /** Each row's explanation (`kerascope explain --layer`), by `path/…/name`. */
  explain: Record<string, string>;
  /** Each row's arithmetic (`inspect --explain`), by `path/…/name`. */
  formulas: Record<string, string>;
  downloads: Download[];
  /** The layer graph as SVG markup, when the graph renderer is wired in (src/web/extras.ts). */
  graphSvg: string | null;
  /** Which top-level layers each box of the graph draws (its `data-unit` id → layer names). */
  graphUnits: Record<string, string[]>;
  /** What was read from the files: ranges, never whole copies. */
  stats: { reads: number; bytes: number; ms: number; inputBytes: number };
}

export interface Download {
  label: string;
  filename: string;
  mime: string;
  text: string;
}
