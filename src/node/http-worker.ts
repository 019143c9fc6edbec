// The remote reads' helper thread, as compiled modules (the bundle's is dist/http-worker.cjs).
import { startHttpWorker } from './http-worker-main.js';

startHttpWorker();
