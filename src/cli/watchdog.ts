// The CLI's watchdog. Commands that only read (inspect, audit, explain, diff, check) first run on this thread:
// pure-JavaScript readers (the TypeScript HDF5 reader, JSON, zip), bounded by the input budgets, with their
// output held back. A run that needs the WebAssembly HDF5 library (a file the TypeScript reader does not
// support, KERASCOPE_HDF5=h5wasm) is dropped, output and all, the moment the library would start, and runs
// again in a worker thread that can be stopped (a spinning WebAssembly call cannot be interrupted on the
// thread it runs on: no signal handler, no timer runs there). So do commands that write files and stdin
// input. `scan` runs here and is its own watchdog: the limits apply per file, in its worker threads. The worker is ended by `terminate()` from this thread, which stays free: past `--timeout`
// seconds, or when the process goes over `--max-memory` MB resident, the run ends with one line naming the
// file and exit 2. The worker's scratch files live in a folder this thread removes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { firstInput, INPUT_MESSAGE } from '../node/announce.js';
import { type Limits, takeLimits } from './limits.js';
import { guardOutput } from '../report/escape/terminal.js';
import { holdOutput, writeErr } from './stdio.js';

export const DONE_MESSAGE = 'kerascope:done';

/** The worker script: the bundle's, beside the CLI bundle (dist/kerascope.cjs), or the compiled module beside this one. */
function workerUrl(): URL {
  for (const rel of ['./cli-worker.cjs', './worker.js']) {
    const url = new URL(rel, import.meta.url);
    if (fs.existsSync(url)) return url;
  }
  throw new Error('the CLI worker script is missing: run npm run build');
}

const timeoutText = (s: number) => `still reading after ${s} s; stopped (raise the limit with --timeout SECONDS)`;
const memoryText = (mb: number) => `reading it took more than ${mb} MB of memory; stopped (raise the limit with --max-memory MB)`;

/** Until the inspection names its input, the first argument after the command that is no option value. */
function guessInput(argv: string[]): string | null {
  return (
    argv.find(
      (a, i) =>
        i > 0 &&
        !a.startsWith('-') &&
        !/^-(w|f|d|o)$|^--(weights|format|depth|baseline|output|layer|class|set|input|budget|timeout|max-memory|max-[a-z]+)$/.test(
          argv[i - 1] ?? '',
        ),
    ) ?? null
  );
}

/** Commands that only read their inputs and print: safe to start on this thread and to run again in the worker. */
function readOnly(argv: string[]): boolean {
  const command = argv.find((a) => !a.startsWith('-'));
  if (command === undefined) return true; // --help, --version, usage errors
  if (!['inspect', 'audit', 'explain', 'diff', 'check'].includes(command)) return false;
  if (command === 'check' && argv.some((a) => a === '--update' || a.startsWith('--update='))) return false;
  // stdin can be read once only.
  return !argv.includes('-') && process.env.KERASCOPE_TEST_HANG !== '1';
}

export async function supervise(argv: string[]): Promise<number> {
  let limits: Limits;
  try {
    limits = takeLimits(argv).limits;
  } catch {
    return (await import('./main.js')).main(argv); // main prints the usage error
  }
  if (process.env.KERASCOPE_NO_WORKER === '1') return (await import('./main.js')).main(argv);
  // scan is its own watchdog: each file has the limits, in a worker thread the scan replaces when it stops it.
  if (argv.find((a) => !a.startsWith('-')) === 'scan' && process.env.KERASCOPE_TEST_HANG !== '1')
    return (await import('./main.js')).main(argv);
  if (readOnly(argv)) {
    const code = await runHere(argv, limits);
    if (code !== null) return code;
  }
  return runInWorker(argv, limits);
}

/**
 * Runs the command on this thread. Returns its exit code, or null when it needed the WebAssembly HDF5
 * library: then nothing was written, and the caller runs it in the worker.
 */
async function runHere(argv: string[], limits: Limits): Promise<number | null> {
  const [{ main }, { setIsolationGate, IsolationRequired }, { removeTempDirs }] = await Promise.all([
    import('./main.js'),
    import('../hdf5/h5wasm/module.js'),
    import('../node/temp.js'),
  ]);
  let needed = false;
  setIsolationGate(() => {
    needed = true;
    throw new IsolationRequired('the WebAssembly HDF5 library runs in the watchdog worker only');
  });
  const signals = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
  const held = holdOutput();
  // The JavaScript readers are bounded by the budgets; these only act between their steps.
  const stop = (why: string) => {
    held.drop();
    const named = firstInput() ?? guessInput(argv);
    writeErr(`kerascope: ${named ? `${named}: ` : ''}${why}\n`);
    removeTempDirs(); // scratch copies of large compressed members
    process.exit(2);
  };
  const timer = limits.timeout > 0 ? setTimeout(() => stop(timeoutText(limits.timeout)), limits.timeout * 1000) : null;
  const poll =
    limits.maxMemoryMb > 0
      ? setInterval(() => {
          if (process.memoryUsage.rss() > limits.maxMemoryMb * 1024 * 1024) stop(memoryText(limits.maxMemoryMb));
        }, 50)
      : null;
  timer?.unref();
  poll?.unref();
  let code: number;
  try {
    code = await main(argv);
  } finally {
    if (timer) clearTimeout(timer);
    if (poll) clearInterval(poll);
    setIsolationGate(null);
  }
  if (!needed) {
    held.release();
    return code;
  }
  held.drop();
  process.exitCode = undefined;
  // The run's own signal handlers would end the process before the worker's scratch folder is removed.
  for (const name of ['SIGINT', 'SIGTERM'] as const)
    for (const l of process.listeners(name)) if (!signals[name].includes(l)) process.off(name, l);
  return null;
}

async function runInWorker(argv: string[], limits: Limits): Promise<number> {
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
  let file: string | null = null;
  const guess = guessInput(argv);
  let code: number | null = null;
  let stopped: string | null = null;
  const stop = (why: string) => {
    if (stopped !== null || code !== null) return;
    stopped = why;
    void worker.terminate();
  };
  const timer = limits.timeout > 0 ? setTimeout(() => stop(timeoutText(limits.timeout)), limits.timeout * 1000) : null;
  const poll =
    maxMb > 0
      ? setInterval(() => {
          const rss = process.memoryUsage.rss();
          if (rss > maxMb * 1024 * 1024) stop(memoryText(maxMb));
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
        process.stderr.write(guardOutput(`kerascope: ${named ? `${named}: ` : ''}${why}\n`, false));
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
