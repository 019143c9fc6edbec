// The watchdog's worker thread: runs the command line as `main` would in-process, then reports its exit code.
// (Started by src/cli/worker.ts from the compiled modules, or by dist/cli-worker.cjs from the bundle.)
import { parentPort, workerData } from 'node:worker_threads';
import { main } from './main.js';
import { useStreams } from './stdio.js';
import { DONE_MESSAGE, INPUT_MESSAGE } from './watchdog.js';

export async function runCliWorker(): Promise<void> {
  const { argv, stdin } = workerData as { argv: string[]; stdin?: { file: string; size: number } };
  // Each input the run opens is named to the watchdog, which names it if it has to stop the run.
  const onInput = (file: string) => parentPort?.postMessage({ type: INPUT_MESSAGE, file });
  useStreams();
  if (process.env.KERASCOPE_TEST_HANG === '1') {
    // Tests only: a thread stuck in synchronous code, as in a looping WebAssembly call (no timer, no signal
    // handler and no message can run on it), which only the watchdog's terminate() ends.
    onInput(argv.find((a, i) => i > 0 && !a.startsWith('-')) ?? '?');
    for (;;) {
      /* spin */
    }
  }
  const code = await main(argv, { onInput, ...(stdin ? { stdin } : {}) });
  parentPort?.postMessage({ type: DONE_MESSAGE, code });
}
