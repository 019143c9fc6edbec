// A scan worker, as compiled modules (the bundle's is dist/scan-worker.cjs).
import { startScanWorker } from './scan-worker-main.js';

startScanWorker();
