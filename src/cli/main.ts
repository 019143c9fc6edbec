// The command line: one file per command; errors become one line on stderr and exit 2.
import { Command, CommanderError } from 'commander';
import { removeTempDirs } from '../node/temp.js';
import { InputError } from '../model/errors.js';
import { takeHdf5Choice } from './hdf5-choice.js';
import { takeLimits, UsageError } from './limits.js';
import { type CliRun, cliRun, type RunHooks } from './run.js';
import { VERSION } from '../version.js';
import { escapeTerminal } from '../report/escape/terminal.js';
import { streamsInUse, writeErr, writeOut } from './stdio.js';

/**
 * Each command, in the order `--help` lists them, loaded when declared: a run of one command loads (and
 * initializes) that command's modules only.
 */
const COMMANDS: Record<string, () => Promise<(program: Command, run: CliRun) => void>> = {
  inspect: async () => (await import('./inspect.js')).registerInspect,
  audit: async () => (await import('./audit.js')).registerAudit,
  explain: async () => (await import('./explain.js')).registerExplain,
  baseline: async () => (await import('./baseline.js')).registerBaseline,
  check: async () => (await import('./check.js')).registerCheck,
  diff: async () => (await import('./diff.js')).registerDiff,
  scan: async () => (await import('./scan.js')).registerScan,
  card: async () => (await import('./card.js')).registerCard,
};

/** Runs one command line; `hooks` are the watchdog's (see RunHooks). */
export async function main(argvIn: string[], hooks: RunHooks = {}): Promise<number> {
  let argv: string[];
  let run: CliRun;
  try {
    const taken = takeLimits(argvIn);
    const chosen = takeHdf5Choice(taken.argv);
    argv = chosen.argv;
    run = cliRun(taken.limits, hooks);
    // The Node entry reads the choice from the environment (every command, and scan's workers, see it).
    if (chosen.hdf5) process.env.KERASCOPE_HDF5 = chosen.hdf5;
  } catch (e) {
    writeErr(`kerascope: ${e instanceof UsageError ? e.message : String(e)}\n`);
    return 2;
  }
  const debug = argv.includes('--debug');
  // (only where the WebAssembly library can run: the watchdog's worker, or a run without it)
  if (!debug && (streamsInUse() || process.env.KERASCOPE_NO_WORKER === '1')) muteWasmAbortLine();
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      removeTempDirs();
      process.exit(code);
    });
  }
  const program = new Command();
  program
    .name('kerascope')
    .description('Inspect saved Keras and TF.js models without Python: what is in the file, does it add up?')
    .version(VERSION, '-V, --version', 'print the kerascope version')
    .option('--debug', 'print stack traces for errors')
    .option(
      '--budget <name=n>',
      'raise (or lower) one input budget for this run, e.g. jsonBytes=100000000 (repeatable; see docs/security.md#budgets)',
    )
    .option('--timeout <seconds>', 'stop a run that takes longer (default 30; 0: no limit)')
    .option('--max-memory <mb>', 'stop a run whose process goes over this resident memory (default 1024; 0: no limit)')
    .option('--hdf5 <reader>', 'HDF5 reader: typescript (default) or h5wasm (the HDF5 library, run under the watchdog; see docs/hdf5.md)')
    .exitOverride()
    // Usage errors are written below, in the same one-line form as every other error.
    .configureOutput({ writeOut: (s) => writeOut(s), writeErr: (s) => writeErr(s), outputError: () => {} });
  // A run of one named command declares that command only (its options and help are the same); help, a
  // misspelt command or none at all get every command.
  const named = argv.find((a) => !a.startsWith('-'));
  const only = named !== undefined && Object.hasOwn(COMMANDS, named) && !argv.some((a) => a === '-h' || a === '--help') ? named : null;
  // `--version` alone needs none (declaring the card command would load its third-party script).
  const versionOnly =
    named === undefined && argv.some((a) => a === '-V' || a === '--version') && !argv.some((a) => a === '-h' || a === '--help');
  const names = versionOnly ? [] : Object.keys(COMMANDS).filter((name) => only === null || name === only);
  for (const register of await Promise.all(names.map((name) => COMMANDS[name]!()))) register(program, run);
  for (const c of program.commands) {
    if (!c.options.some((o) => o.long === '--debug')) c.option('--debug', 'print a stack trace with an error');
    // Every command reads models; the value is taken off the command line above (hdf5-choice.ts), listed here for --help.
    c.option('--hdf5 <reader>', 'HDF5 reader: typescript (default) or h5wasm (the HDF5 library, under the watchdog)');
  }
  try {
    await program.parseAsync(
      argv.filter((a) => a !== '--debug'),
      { from: 'user' },
    );
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here too, with code 0.
      if (e.exitCode === 0) return 0;
      const command = program.commands.find((c) => argv.includes(c.name()));
      const message = e.message
        .replace(/^error: /, '')
        .replace(/\s*\n\s*/g, ' ')
        .trim();
      writeErr(`kerascope: ${message} (see kerascope ${command ? `${command.name()} ` : ''}--help)\n`);
      return 2;
    }
    if (e instanceof InputError) {
      writeErr(`kerascope: ${escapeTerminal(e.file)}: ${escapeTerminal(e.message)}\n`);
    } else {
      writeErr(`kerascope: internal error: ${escapeTerminal((e as Error)?.message ?? String(e))}\n`);
    }
    if (debug && e instanceof Error && e.stack) writeErr(`${e.stack}\n`);
    if (debug) for (const line of (await import('../hdf5/h5wasm/module.js')).runtimeLog()) writeErr(`(HDF5 runtime) ${line}\n`);
    return 2;
  }
}

/**
 * A damaged HDF5 file can make the WebAssembly HDF5 library abort; it prints `Aborted(…)` on stderr before
 * the error reaches kerascope, which then reports it as the one line about the file. Drop that extra line.
 */
function muteWasmAbortLine(): void {
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    if (typeof chunk === 'string' && /^Aborted\(.*\)\s*$/.test(chunk)) return true;
    return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write;
}
