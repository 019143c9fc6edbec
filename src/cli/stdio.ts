// The command line's output. On the main thread, text for a pipe or a file is written to the descriptor
// directly (fs.writeSync): Node's process.stdout and process.stderr are streams whose first use loads Node's
// stream and socket modules, a cost the size of a small inspection. A terminal keeps the streams (width,
// Windows consoles). In the watchdog's worker, the streams carry the text to the main thread. The watchdog
// holds a run's output back (`holdOutput`) until it ends: a run it stops prints one line, not half a report.
import fs from 'node:fs';
import { isatty } from 'node:tty';
import { removeTempDirs } from '../node/temp.js';
import { guardOutput } from '../report/escape/terminal.js';

type Sink = (text: string) => void;

const direct: [Sink, Sink] = [(text) => writeFd(1, text), (text) => writeFd(2, text)];
let sinks: [Sink, Sink] = direct;

// Both streams pass the last guard (src/report/escape/terminal.ts): only kerascope's own newlines, tabs and
// colour sequences stay; any other control, bidi or zero-width character becomes its visible escape.
export const writeOut = (text: string): void => sinks[0](guardOutput(text, true));
export const writeErr = (text: string): void => sinks[1](guardOutput(text, false));

const terminals = new Map<number, boolean>();

/**
 * Whether standard output (1) or error (2) is a terminal. Only a character device can be one, so a pipe or a
 * file is told apart with fstat, without loading node:tty (which loads Node's stream and socket modules).
 */
export function isTerminal(fd: 1 | 2): boolean {
  let t = terminals.get(fd);
  if (t === undefined) {
    // (the bundle loads node:tty on the first call of isatty)
    let device = false;
    try {
      device = fs.fstatSync(fd).isCharacterDevice();
    } catch {
      device = false; // closed
    }
    t = device && isatty(fd);
    terminals.set(fd, t);
  }
  return t;
}

/** Standard output as `terminal()` asks about it: a terminal, and then its width. */
export const stdoutInfo = (): { isTTY: boolean; columns?: number } =>
  isTerminal(1) ? { isTTY: true, columns: process.stdout.columns } : { isTTY: false };

let streams = false;

/** This thread writes through process.stdout and process.stderr (the watchdog's worker). */
export function useStreams(): void {
  streams = true;
  sinks = [(text) => process.stdout.write(text), (text) => process.stderr.write(text)];
}

export const streamsInUse = (): boolean => streams;

/** Collects everything written until `release()` writes it or `drop()` forgets it. */
export function holdOutput(): { release(): void; drop(): void } {
  const held: [number, string][] = [];
  const before = sinks;
  sinks = [(text) => held.push([0, text]), (text) => held.push([1, text])];
  const restore = () => {
    sinks = before;
  };
  return {
    drop: restore,
    release() {
      restore();
      for (const [which, text] of held) sinks[which]?.(text);
    },
  };
}

const pause = new Int32Array(new SharedArrayBuffer(4));

let streamWrites = false;

/** Whether everything this thread wrote went out with fs.writeSync (nothing can be left in a stream's buffer). */
export const allWrittenSynchronously = (): boolean => !streams && !streamWrites;

function writeFd(fd: 1 | 2, text: string): void {
  if (isTerminal(fd)) {
    streamWrites = true;
    (fd === 1 ? process.stdout : process.stderr).write(text);
    return;
  }
  const bytes = Buffer.from(text);
  let at = 0;
  while (at < bytes.length) {
    try {
      at += fs.writeSync(fd, bytes, at);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        Atomics.wait(pause, 0, 0, 1); // a non-blocking pipe that is full: wait for the reader
        continue;
      }
      // `kerascope inspect big.h5 --format json | head`: the reader closed the pipe, which is not an error of the
      // model or of the command line. End quietly with 0, never an EPIPE stack trace or exit 1 (which means
      // "the model has an error finding").
      if (code === 'EPIPE' && fd === 1) {
        removeTempDirs();
        process.exit(0);
      }
      if (code === 'EPIPE') return; // nothing reads our errors any more
      throw e;
    }
  }
}
