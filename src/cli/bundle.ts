// The entry of the CLI's one-file CommonJS bundle (dist/kerascope.cjs, built by scripts/build-cli.mjs and
// loaded through bin/load-bundle.cjs with its V8 code cache): the command line's main thread, its watchdog
// worker and scan's workers, all in the one compiled script. The workers' entries are loaded when called, so
// that the main thread's start-up does not initialize their modules (scan's worker holds every reader).
export { finish, supervise } from './watchdog.js';

export async function startScanWorker(): Promise<void> {
  (await import('../node/scan-worker-main.js')).startScanWorker();
}

export async function runCliWorker(): Promise<void> {
  await (await import('./worker-main.js')).runCliWorker();
}
