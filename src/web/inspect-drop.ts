// One inspection of dropped files, as the Worker runs it: pick the model among the files, read them by ranges,
// run the core (`analyze`), and gather what the page shows and offers for download. No Worker globals here
// (the reader and the progress callback are given), so tests run it in Node.
import { type Explanation, explainReport, formulaColumn, layerKey } from '../explain/index.js';
import { h5 } from '../hdf5/h5wasm/module.js';
import { analyze } from '../inspect.js';
import { InputError } from '../model/errors.js';
import { renderExplainText } from '../report/explain.js';
import { renderJson } from '../report/json.js';
import { renderSarif } from '../report/sarif.js';
import { extras } from './extras.js';
import { BlockCache, FileSource, normalisePath, type ReadStats, type SyncBlobReader } from './file-source.js';
import { pickModel } from './pick.js';
import type { Download, InspectRequest, InspectResult } from './protocol.js';

/** Each layer's `kerascope explain --layer` text, by `path/…/name`. */
function explainTexts(e: Explanation): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of e.layers) out[layerKey(l)] = renderExplainText({ ...e, layers: [l] }, { partial: true });
  return out;
}

const stem = (p: string) => (p.split('/').pop() ?? 'model').replace(/\.[^.]*$/, '');

/** `progress(stage, stats)` is called at each stage and at most every 100 ms while reading. */
export async function inspectDrop(
  req: InspectRequest,
  readSync: SyncBlobReader,
  progress: (stage: string, stats: ReadStats) => void = () => {},
): Promise<InspectResult> {
  const t0 = performance.now();
  const files = new Map(req.files.map((f) => [normalisePath(f.path), f.file as Blob]));
  const pick = pickModel([...files.keys()]);
  const stats: ReadStats = { reads: 0, bytes: 0 };
  let last = 0;
  const onRead = () => {
    const now = performance.now();
    if (now - last > 100) {
      last = now;
      progress('reading', stats);
    }
  };
  const cache = new BlockCache(readSync, stats, onRead);
  const src = new FileSource(files, pick.main, cache);
  const weights = pick.weights ? new FileSource(files, pick.weights, cache) : undefined;
  progress('opening', stats);
  // The HDF5 library only when chosen: fetched and compiled before the clock of the first read matters.
  if (req.hdf5 === 'h5wasm') await h5();
  try {
    const inspection = await analyze(src, { weights, ...(req.hdf5 ? { hdf5: req.hdf5 } : {}) });
    progress('rendering', stats);
    const { report } = inspection;
    const explanation = explainReport(report, inspection.graph);
    const name = stem(pick.main);
    const downloads: Download[] = [
      { label: 'JSON report', filename: `${name}.kerascope.json`, mime: 'application/json', text: `${renderJson(report)}\n` },
      { label: 'SARIF', filename: `${name}.sarif`, mime: 'application/sarif+json', text: `${renderSarif(report)}\n` },
    ];
    const card = extras.cardMarkdown(inspection);
    if (card !== null) downloads.push({ label: 'Markdown card', filename: `${name}.card.md`, mime: 'text/markdown', text: card });
    const graph = extras.graph(inspection);
    return {
      main: pick.main,
      weights: pick.weights ?? null,
      report,
      explain: explainTexts(explanation),
      formulas: Object.fromEntries(formulaColumn(inspection.graph)),
      downloads,
      graphSvg: graph?.svg ?? null,
      graphUnits: graph?.units ?? {},
      stats: {
        reads: stats.reads,
        bytes: stats.bytes,
        ms: performance.now() - t0,
        inputBytes: [...files.values()].reduce((n, b) => n + b.size, 0),
      },
    };
  } finally {
    src.close();
    weights?.close();
  }
}

/** The one line the CLI prints for the same failure. */
export function errorLine(e: unknown): string {
  if (e instanceof InputError) return `kerascope: ${e.file}: ${e.message}`;
  return `kerascope: internal error: ${(e as Error)?.message ?? String(e)}`;
}
