// When an inspection runs inside the CLI's watchdog worker, it tells the watchdog which input it is reading,
// so that a run stopped for time or memory can still name the file in its one line.
import { isMainThread, parentPort } from 'node:worker_threads';

export const INPUT_MESSAGE = 'kerascope:input';

export function announceInput(file: string): void {
  if (!isMainThread) parentPort?.postMessage({ type: INPUT_MESSAGE, file });
}
