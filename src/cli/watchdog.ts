// The CLI's watchdog. A run reads with the TypeScript HDF5 reader and the other pure-JavaScript readers (JSON,
// zip), bounded by the input budgets: it runs on this thread, its output held back until it ends, under a timer
// and a memory poll that end it with one line. A run that chose the WebAssembly HDF5 library (`--hdf5 h5wasm`,
// KERASCOPE_HDF5=h5wasm) runs in a worker thread instead, which can be stopped: a spinning WebAssembly call
// cannot be interrupted on the thread it runs on (no signal handler, no timer runs there). `inspect -` reads
// standard input here without blocking (a stalled pipe cannot outlast --timeout) and spools it to a private
// file first. `scan` runs here and is its own watchdog: the limits apply per file, in its worker threads. The
// worker is ended by `terminate()` from this thread, which stays free: past `--timeout` seconds, or when the
// process goes over `--max-memory` MB resident, the run ends with one line naming the file and exit 2. The
// worker's scratch files live in a folder this thread removes.
import { makeScratchDir, spawnWorker, stopText, sweepStaleScratch, watchJob, workerHeapMb, workerScript } from '../node/worker-runner.js';
import { hdf5Choice } from './hdf5-choice.js';
import { type Limits, takeLimits } from './limits.js';
import { guardOutput } from '../report/escape/terminal.js';
import { allWrittenSynchronously, holdOutput, writeErr } from './stdio.js';

export const DONE_MESSAGE = 'kerascope:done';
/** The worker naming an input the run opened. */
export const INPUT_MESSAGE = 'kerascope:input';

/** The worker script: the bundle's, beside the CLI bundle (dist/kerascope.cjs), or the compiled module beside this one. */
const workerUrl = (): URL => workerScript(import.meta.url, ['./cli-worker.cjs', './worker.js'], 'the CLI worker script');

/** Until the inspection names its input, the first argument after the command that is no option value. */
function guessInput(argv: string[]): string | null {
  return (
    argv.find(
      (a, i) =>
        i > 0 &&
        !a.startsWith('-') &&
        !/^-(w|f|d|o)$|^--(weights|format|depth|baseline|output|layer|class|set|input|budget|timeout|max-memory|max-[a-z]+|hdf5)$/.test(
          argv[i - 1] ?? '',
        ),
    ) ?? null
  );
}

export async function supervise(argv: string[]): Promise<number> {
  doneHere = false;
  // Scratch folders of runs that were killed (SIGKILL leaves them) go now; a live process's are kept.
  sweepStaleScratch();
  let limits: Limits;
  let command: string | undefined;
  try {
    const taken = takeLimits(argv);
    limits = taken.limits;
    // (the limits' values, `--timeout 3`, are no command)
    command = taken.argv.find((a) => !a.startsWith('-'));
  } catch {
    return (await import('./main.js')).main(argv); // main prints the usage error
  }
  if (process.env.KERASCOPE_NO_WORKER === '1') return (await import('./main.js')).main(argv);
  // scan is its own watchdog: each file has the limits, in a worker thread the scan replaces when it stops it.
  if (command === 'scan' && process.env.KERASCOPE_TEST_HANG !== '1') return (await import('./main.js')).main(argv);
  let h5wasm: boolean;
  try {
    h5wasm = hdf5Choice(argv, process.env.KERASCOPE_HDF5) === 'h5wasm';
  } catch {
    return (await import('./main.js')).main(argv); // main prints the usage error
  }
  const hang = process.env.KERASCOPE_TEST_HANG === '1';
  if (command === 'inspect' && argv.includes('-') && !hang) return runOnStdin(argv, limits, h5wasm);
  if (h5wasm || hang) return runInWorker(argv, limits);
  return runHere(argv, limits);
}

/**
 * `inspect -`: standard input is read here, on this thread, without blocking it (a stalled pipe cannot
 * hold the run past --timeout), sniffed (a non-model is refused at once) and spooled to a private file;
 * the run then reads that file as it reads any other, here or in the worker.
 */
async function runOnStdin(argv: string[], limits: Limits, h5wasm: boolean): Promise<number> {
  const { spoolStdin, STDIN_NAME } = await import('../node/stdin.js');
  const started = Date.now();
  let spooled: Awaited<ReturnType<typeof spoolStdin>> | null = null;
  const timer =
    limits.timeout > 0
      ? setTimeout(() => {
          writeErr(`kerascope: ${STDIN_NAME}: ${stopText({ kind: 'time', seconds: limits.timeout }, true)}\n`);
          spooled?.remove();
          process.exit(2); // the pipe may never end: nothing waits for it
        }, limits.timeout * 1000)
      : null;
  try {
    spooled = await spoolStdin({ budgets: Object.fromEntries(limits.budgets) });
  } catch (e) {
    if (timer) clearTimeout(timer);
    const { InputError } = await import('../model/errors.js');
    if (!(e instanceof InputError)) throw e;
    writeErr(`kerascope: ${e.file}: ${e.message}\n`);
    process.exit(2); // the rest of the input is not read
  }
  if (timer) clearTimeout(timer);
  const stdin = { file: spooled.file, size: spooled.size };
  // What is left of the run's time for reading the model.
  const left = limits.timeout > 0 ? { ...limits, timeout: Math.max(0.001, limits.timeout - (Date.now() - started) / 1000) } : limits;
  try {
    return h5wasm ? await runInWorker(argv, left, stdin) : await runHere(argv, left, stdin);
  } finally {
    spooled.remove();
  }
}

/** Whether this process's run ended on this thread (not in the watchdog's worker, not scan's) and complete. */
let doneHere = false;

/**
 * Ends the process with `code` at once when nothing is left to do: the run was this thread's and every byte
 * went out with fs.writeSync. Node's orderly exit (tearing the heap down) costs ~10 ms on a 2-core machine.
 * Otherwise sets the exit code and lets Node end as usual.
 */
export function finish(code: number): void {
  if (doneHere && allWrittenSynchronously()) process.exit(code);
  process.exitCode = code;
}

/** Runs the command on this thread (pure-JavaScript readers only); its output is written when it ends. */
async function runHere(argv: string[], limits: Limits, stdin?: { file: string; size: number }): Promise<number> {
  const [{ main }, { removeTempDirs }] = await Promise.all([import('./main.js'), import('../node/temp.js')]);
  let firstInput: string | null = null;
  const hooks = {
    onInput: (file: string) => {
      firstInput ??= file;
    },
    ...(stdin ? { stdin } : {}),
  };
  const held = holdOutput();
  // The JavaScript readers are bounded by the budgets; these only act between their steps.
  const stop = (why: string) => {
    held.drop();
    const named = firstInput ?? guessInput(argv);
    writeErr(`kerascope: ${named ? `${named}: ` : ''}${why}\n`);
    removeTempDirs(); // scratch copies of large compressed members
    process.exit(2);
  };
  const timer =
    limits.timeout > 0 ? setTimeout(() => stop(stopText({ kind: 'time', seconds: limits.timeout }, true)), limits.timeout * 1000) : null;
  const poll =
    limits.maxMemoryMb > 0
      ? setInterval(() => {
          if (process.memoryUsage.rss() > limits.maxMemoryMb * 1024 * 1024)
            stop(stopText({ kind: 'memory', mb: limits.maxMemoryMb }, true));
        }, 50)
      : null;
  timer?.unref();
  poll?.unref();
  try {
    const code = await main(argv, hooks);
    held.release();
    doneHere = !stdin; // (a spooled standard input's file is removed by the caller)
    return code;
  } finally {
    if (timer) clearTimeout(timer);
    if (poll) clearInterval(poll);
  }
}

async function runInWorker(argv: string[], limits: Limits, stdin?: { file: string; size: number }): Promise<number> {
  const scratch = makeScratchDir();
  // The worker's output reaches the terminal through this thread: a reader that closes the pipe early
  // (`| head`) ends the run quietly with 0, never an EPIPE stack trace or exit 1 (which means "error finding").
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    scratch.remove();
    process.exit(0);
  });
  const maxMb = limits.maxMemoryMb;
  // The worker's JavaScript heap is bounded too (an over-large JSON document fails there, not the host).
  const worker = spawnWorker(workerUrl(), {
    tmp: scratch.dir,
    workerData: { argv, ...(stdin ? { stdin } : {}) },
    heapMb: workerHeapMb(maxMb),
  });
  let file: string | null = null;
  const onSignal = (exit: number) => () => {
    void worker.terminate().finally(() => {
      scratch.remove();
      process.exit(exit);
    });
  };
  const sigint = onSignal(130);
  const sigterm = onSignal(143);
  process.once('SIGINT', sigint);
  process.once('SIGTERM', sigterm);
  try {
    const outcome = await watchJob(worker, {
      timeoutS: limits.timeout,
      memoryMb: maxMb,
      maxRssMb: maxMb,
      answer: (m) => {
        const d = m as { type?: string; code?: number } | null;
        return d?.type === DONE_MESSAGE && typeof d.code === 'number' ? d.code : undefined;
      },
      onMessage: (m) => {
        const d = m as { type?: string; file?: string } | null;
        if (d?.type === INPUT_MESSAGE && typeof d.file === 'string') file ??= d.file;
      },
    });
    if ('answer' in outcome) {
      // Let the worker finish writing (its streams reach this thread) before the run ends; one that does
      // not end by itself is ended after the run's deadline.
      await new Promise<void>((resolve) => {
        const late = limits.timeout > 0 ? setTimeout(() => void worker.terminate(), limits.timeout * 1000) : null;
        worker.once('exit', () => {
          if (late) clearTimeout(late);
          resolve();
        });
      });
      return outcome.answer;
    }
    await worker.terminate();
    const named = file ?? guessInput(argv);
    process.stderr.write(guardOutput(`kerascope: ${named ? `${named}: ` : ''}${stopText(outcome.stopped, true)}\n`, false));
    return 2;
  } finally {
    process.off('SIGINT', sigint);
    process.off('SIGTERM', sigterm);
    scratch.remove();
  }
}
