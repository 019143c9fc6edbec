// The CLI's watchdog: every command runs in a worker thread that can be stopped. A file that makes the
// WebAssembly HDF5 library loop (a spinning WebAssembly call cannot be interrupted on the thread it runs on:
// no signal handler, no timer runs there) or balloon is ended by `terminate()` from this thread, which stays
// free: past `--timeout` seconds, or when the process goes over `--max-memory` MB resident, the run ends with
// one line naming the file and exit 2. The worker's scratch files live in a folder this thread removes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { INPUT_MESSAGE } from '../node/announce.js';
import { takeLimits } from './limits.js';

export const DONE_MESSAGE = 'kerascope:done';

/** The worker script: the bundled one beside the CLI bundle (this code may sit in a chunk below it), or the compiled module beside this one. */
function workerUrl(): URL {
  for (const rel of ['./cli-worker.mjs', '../cli-worker.mjs', './worker.js']) {
    const url = new URL(rel, import.meta.url);
    if (fs.existsSync(url)) return url;
  }
  throw new Error('the CLI worker script is missing: run npm run build');
}

export async function supervise(argv: string[]): Promise<number> {
  let limits: ReturnType<typeof takeLimits>['limits'];
  try {
    limits = takeLimits(argv).limits;
  } catch {
    return (await import('./main.js')).main(argv); // main prints the usage error
  }
  if (process.env.KERASCOPE_NO_WORKER === '1') return (await import('./main.js')).main(argv);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-run-'));
  const cleanup = () => fs.rmSync(tmp, { recursive: true, force: true });
  // The worker's output reaches the terminal through this thread: a reader that closes the pipe early
  // (`| head`) ends the run quietly with 0, never an EPIPE stack trace or exit 1 (which means "error finding").
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    cleanup();
    process.exit(0);
  });
  const maxMb = limits.maxMemoryMb;
  const worker = new Worker(workerUrl(), {
    workerData: { argv },
    env: { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp },
    // The worker's JavaScript heap is bounded too (an over-large JSON document fails there, not the host).
    ...(maxMb > 0 ? { resourceLimits: { maxOldGenerationSizeMb: Math.max(64, Math.floor(maxMb * 0.75)) } } : {}),
  });
  // Until the inspection names its input, the first argument after the command that is no option value.
  let file: string | null = null;
  const guess =
    argv.find(
      (a, i) =>
        i > 0 &&
        !a.startsWith('-') &&
        !/^-(w|f|d|o)$|^--(weights|format|depth|baseline|output|layer|class|set|input|budget|timeout|max-memory|max-[a-z]+)$/.test(
          argv[i - 1] ?? '',
        ),
    ) ?? null;
  let code: number | null = null;
  let stopped: string | null = null;
  const stop = (why: string) => {
    if (stopped !== null || code !== null) return;
    stopped = why;
    void worker.terminate();
  };
  const timer =
    limits.timeout > 0
      ? setTimeout(
          () => stop(`still reading after ${limits.timeout} s; stopped (raise the limit with --timeout SECONDS)`),
          limits.timeout * 1000,
        )
      : null;
  const poll =
    maxMb > 0
      ? setInterval(() => {
          const rss = process.memoryUsage.rss();
          if (rss > maxMb * 1024 * 1024)
            stop(`reading it took more than ${maxMb} MB of memory; stopped (raise the limit with --max-memory MB)`);
        }, 50)
      : null;
  const onSignal = (signal: NodeJS.Signals, exit: number) => () => {
    void worker.terminate().finally(() => {
      cleanup();
      process.exit(exit);
    });
    void signal;
  };
  const sigint = onSignal('SIGINT', 130);
  const sigterm = onSignal('SIGTERM', 143);
  process.once('SIGINT', sigint);
  process.once('SIGTERM', sigterm);
  try {
    return await new Promise<number>((resolve) => {
      worker.on('message', (m: { type?: string; file?: string; code?: number }) => {
        if (m?.type === INPUT_MESSAGE && typeof m.file === 'string') file ??= m.file;
        if (m?.type === DONE_MESSAGE && typeof m.code === 'number') code = m.code;
      });
      worker.on('error', (e: Error & { code?: string }) => {
        if (e.code === 'ERR_WORKER_OUT_OF_MEMORY')
          stopped ??= `reading it took more than the memory allowed (${maxMb} MB with --max-memory); stopped`;
        else stopped ??= `internal error: ${e.message}`;
      });
      worker.on('exit', (exitCode) => {
        if (code !== null) return resolve(code);
        const why = stopped ?? `internal error: the inspection ended without an answer (exit ${exitCode})`;
        const named = file ?? guess;
        process.stderr.write(`kerascope: ${named ? `${named}: ` : ''}${why}\n`);
        resolve(2);
      });
    });
  } finally {
    if (timer) clearTimeout(timer);
    if (poll) clearInterval(poll);
    process.off('SIGINT', sigint);
    process.off('SIGTERM', sigterm);
    cleanup();
  }
}
