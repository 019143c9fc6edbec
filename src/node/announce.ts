// When an inspection runs inside the CLI's watchdog worker, it tells the watchdog which input it is reading,
// so that a run stopped for time or memory can still name the file in its one line.
import { isMainThread, parentPort } from 'node:worker_threads';

export const INPUT_MESSAGE = 'kerascope:input';

let announced: string | null = null;

export function announceInput(file: string): void {
  announced ??= file;
  if (!isMainThread) parentPort?.postMessage({ type: INPUT_MESSAGE, file });
}

/** The first input an inspection in this thread named (for the watchdog's line when the run is stopped). */
export function firstInput(): string | null {
  return announced;
}
