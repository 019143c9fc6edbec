// The watchdog's worker thread: runs the command line as `main` would in-process, then reports its exit code.
import { parentPort, workerData } from 'node:worker_threads';
import { main } from './main.js';
import { DONE_MESSAGE } from './watchdog.js';

const code = await main((workerData as { argv: string[] }).argv);
parentPort?.postMessage({ type: DONE_MESSAGE, code });
