// The page's Worker: HDF5 and everything else runs here, so the page stays responsive. It receives the
// dropped File objects, reads them by ranges (FileSource), runs the same core as the CLI (`analyze`), and
// posts back the report with what the page shows and offers for download.
import factory from 'h5wasm/hdf5_util';
import { type Explanation, explainReport, formulaColumn, layerKey } from '../explain.js';
import { h5, setHdf5Factory } from '../formats/h5wasm.js';
import { analyze } from '../inspect.js';
import { InputError } from '../model/errors.js';
import { renderExplainText } from '../report/explain.js';
import { renderJson } from '../report/json.js';
import { renderSarif } from '../report/sarif.js';
import { extras } from './extras.js';
import { BlockCache, FileSource, fileReaderSync, normalisePath, type ReadStats } from './file-source.js';
import { pickModel } from './pick.js';
import type { Download, InspectRequest, InspectResult, WorkerMessage } from './protocol.js';

setHdf5Factory(async () => factory);

const post = (m: WorkerMessage) => (globalThis as unknown as { postMessage(m: WorkerMessage): void }).postMessage(m);

/** Each layer's `kerascope explain --layer` text, by `path/…/name`. */
function explainTexts(e: Explanation): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of e.layers) out[layerKey(l)] = renderExplainText({ ...e, layers: [l] }, { partial: true });
  return out;
}

const stem = (p: string) => (p.split('/').pop() ?? 'model').replace(/\.[^.]*$/, '');

export async function inspectDrop(req: InspectRequest): Promise<InspectResult> {
  const t0 = performance.now();
  const files = new Map(req.files.map((f) => [normalisePath(f.path), f.file as Blob]));
  const pick = pickModel([...files.keys()]);
  const stats: ReadStats = { reads: 0, bytes: 0 };
  let last = 0;
  const progress = (stage: string) => post({ type: 'progress', id: req.id, stage, reads: stats.reads, bytes: stats.bytes });
  const onRead = () => {
    const now = performance.now();
    if (now - last > 100) {
      last = now;
      progress('reading');
    }
  };
  const cache = new BlockCache(fileReaderSync(), stats, onRead);
  const src = new FileSource(files, pick.main, cache);
  const weights = pick.weights ? new FileSource(files, pick.weights, cache) : undefined;
  progress('opening');
  await h5(); // the WebAssembly module is ready before the clock of the first read matters
  try {
    const inspection = await analyze(src, { weights });
    progress('rendering');
    const { report } = inspection;
    const explanation = explainReport(report, inspection.graph);
    const name = stem(pick.main);
    const downloads: Download[] = [
      { label: 'JSON report', filename: `${name}.kerascope.json`, mime: 'application/json', text: `${renderJson(report)}\n` },
      { label: 'SARIF', filename: `${name}.sarif`, mime: 'application/sarif+json', text: `${renderSarif(report)}\n` },
    ];
    const card = extras.cardMarkdown(inspection);
    if (card !== null) downloads.push({ label: 'Markdown card', filename: `${name}.card.md`, mime: 'text/markdown', text: card });
    return {
      main: pick.main,
      weights: pick.weights ?? null,
      report,
      explain: explainTexts(explanation),
      formulas: Object.fromEntries(formulaColumn(inspection.graph)),
      downloads,
      graphSvg: extras.graphSvg(inspection),
      stats: { reads: stats.reads, bytes: stats.bytes, ms: performance.now() - t0, inputBytes: [...files.values()].reduce((n, b) => n + b.size, 0) },
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

globalThis.addEventListener('message', (ev: Event) => {
  const req = (ev as MessageEvent<InspectRequest>).data;
  if (req?.type !== 'inspect') return;
  inspectDrop(req).then(
    (result) => post({ type: 'result', id: req.id, result }),
    (e: unknown) => post({ type: 'error', id: req.id, line: errorLine(e) }),
  );
});

// Instantiate the WebAssembly module now, so that after the page has loaded nothing is left to fetch or compile.
h5().then(
  () => post({ type: 'ready' }),
  (e: unknown) => post({ type: 'error', id: 0, line: errorLine(e) }),
);
