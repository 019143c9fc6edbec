// The watchdog's worker thread, as compiled modules (the bundle's is dist/cli-worker.cjs).
import { runCliWorker } from './worker-main.js';

await runCliWorker();
