// The entry of the CLI's one-file CommonJS bundle (dist/kerascope.cjs, built by scripts/build-cli.mjs and
// loaded through bin/load-bundle.cjs with its V8 code cache): the command line's main thread, its watchdog
// worker and scan's workers, all in the one compiled script.
export { startScanWorker } from '../node/scan-worker-main.js';
export { supervise } from './watchdog.js';
export { runCliWorker } from './worker-main.js';
