// When an inspection runs inside the CLI's watchdog worker, it tells the watchdog which input it is reading,
// so that a run stopped for time or memory can still name the file in its one line.
import type { MessagePort } from 'node:worker_threads';

export const INPUT_MESSAGE = 'kerascope:input';

let announced: string | null = null;
/** The watchdog, when this thread is its worker (set by the worker; the main thread never loads worker_threads for this). */
let watchdog: MessagePort | null = null;

export function announceTo(port: MessagePort | null): void {
  watchdog = port;
}

export function announceInput(file: string): void {
  announced ??= file;
  watchdog?.postMessage({ type: INPUT_MESSAGE, file });
}

/** The first input an inspection in this thread named (for the watchdog's line when the run is stopped). */
export function firstInput(): string | null {
  return announced;
}
