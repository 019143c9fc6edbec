// The watchdog's worker thread: runs the command line as `main` would in-process, then reports its exit code.
import { parentPort, workerData } from 'node:worker_threads';
import { announceInput } from '../node/announce.js';
import { main } from './main.js';
import { DONE_MESSAGE } from './watchdog.js';

const argv = (workerData as { argv: string[] }).argv;
if (process.env.KERASCOPE_TEST_HANG === '1') {
  // Tests only: a thread stuck in synchronous code, as in a looping WebAssembly call (no timer, no signal
  // handler and no message can run on it), which only the watchdog's terminate() ends.
  announceInput(argv.find((a, i) => i > 0 && !a.startsWith('-')) ?? '?');
  for (;;) {
    /* spin */
  }
}
const code = await main(argv);
parentPort?.postMessage({ type: DONE_MESSAGE, code });
