// The page's Worker: HDF5 and everything else runs here, so the page stays responsive. It receives the
// dropped File objects, reads them by ranges with FileReaderSync (only Workers have it), runs the same
// core as the CLI (src/web/inspect-drop.ts), and posts back the report with what the page shows.
// HDF5 is read by the TypeScript reader; h5wasm (the HDF5 library, about 4 MB of WebAssembly) is a file of
// its own, imported the first time a drop chooses it.
import { setHdf5Factory } from '../hdf5/h5wasm/module.js';
import { fileReaderSync } from './file-source.js';
import { errorLine, inspectDrop } from './inspect-drop.js';
import type { InspectRequest, WorkerMessage } from './protocol.js';

setHdf5Factory(async () => (await import('h5wasm/hdf5_util')).default);

const post = (m: WorkerMessage) => (globalThis as unknown as { postMessage(m: WorkerMessage): void }).postMessage(m);

globalThis.addEventListener('message', (ev: Event) => {
  const req = (ev as MessageEvent<InspectRequest>).data;
  if (req?.type !== 'inspect') return;
  inspectDrop(req, fileReaderSync(), (stage, s) => post({ type: 'progress', id: req.id, stage, reads: s.reads, bytes: s.bytes })).then(
    (result) => post({ type: 'result', id: req.id, result }),
    (e: unknown) => post({ type: 'error', id: req.id, line: errorLine(e) }),
  );
});

post({ type: 'ready' });
