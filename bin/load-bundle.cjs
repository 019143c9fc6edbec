'use strict';
// Loads the CLI bundle (dist/kerascope.cjs, one CommonJS script built by scripts/build-cli.mjs) with the V8
// code cache the build wrote beside it (dist/kerascope.cjs.cache): V8 then skips parsing and compiling what
// the cache holds, which is most of the CLI's start-up after Node's own. Node 20 has no module compile cache
// (module.enableCompileCache is Node 22), so the script goes through vm.Script's cachedData. A cache V8
// does not accept (another Node or V8 version, other V8 flags) is ignored: the bundle is then compiled as
// usual. The cache is only ever written by the build (writeCodeCache), never at run time. The format readers
// are a second script of the same form (dist/kerascope-readers.cjs, with its own cache), which the bundle
// loads through loadChunk the first time an input needs one.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { createRequire } = require('node:module');

const DIST = path.join(__dirname, '..', 'dist');
const BUNDLE = path.join(DIST, 'kerascope.cjs');
const CACHE = `${BUNDLE}.cache`;

/** Every script loaded in this thread, by file: its vm.Script and what it exports. */
const loaded = new Map();

/** The bundle's exports ({ supervise, runCliWorker, startScanWorker }), or null when it was not built. */
function loadBundle() {
  loadedBundle ??= run(BUNDLE, undefined);
  return loadedBundle;
}
let loadedBundle = null;

/**
 * The modules of a chunk beside the bundle (the chunk's `modules`: each module's exports by its path), loaded
 * once; `shared` gives the bundle's modules it uses (scripts/build-cli.mjs).
 */
function loadChunk(file, shared) {
  const p = path.join(DIST, file);
  const entry = loaded.get(p);
  if (entry && !entry.exports) throw new Error(`${p} was asked for while it was being loaded`);
  const chunk = entry?.exports ?? run(p, (m) => shared()[m]);
  if (!chunk) throw new Error(`kerascope's build is incomplete: ${p} is missing (run npm run build)`);
  return chunk.modules;
}

/**
 * Compiles `file` with its code cache and calls it. The file is one function expression, (exports, require,
 * module, __filename, __dirname, __kerascopeImport, __kerascopeShared). The scripts' one ES module import
 * (h5wasm's factory, which needs import.meta.resolve) comes through __kerascopeImport: a vm.Script may not call
 * import() itself without an experimental flag. Null when the file is not there.
 */
function run(file, shared) {
  const read = readScript(file);
  if (!read) return null;
  const script = new vm.Script(read.source, { filename: file, cachedData: read.cachedData });
  const module = { exports: {} };
  loaded.set(file, { script, exports: null });
  script.runInThisContext()(module.exports, createRequire(file), module, file, DIST, (specifier) => import(specifier), shared);
  loaded.get(file).exports = module.exports;
  return module.exports;
}

/**
 * A script's text and its code cache, read into one buffer: every page of memory first written costs a page
 * fault, which on some machines costs more than the read itself. The text is copied out of the buffer before
 * the cache is read into it, and V8 is done with the cache once the script is compiled. Null when the script is
 * not there; no cache when it has none.
 */
function readScript(file) {
  const open = (f) => {
    try {
      return fs.openSync(f, 'r');
    } catch {
      return null;
    }
  };
  const fd = open(file);
  if (fd === null) return null;
  const cacheFd = open(`${file}.cache`);
  try {
    const n = fs.fstatSync(fd).size;
    const m = cacheFd === null ? 0 : fs.fstatSync(cacheFd).size;
    const buffer = Buffer.allocUnsafeSlow(Math.max(n, m));
    // The build checks that the scripts are ASCII, so latin1 (the fastest decoding) reads them exactly.
    const source = buffer.latin1Slice(0, readAll(fd, buffer, n));
    const cachedData = cacheFd === null ? undefined : buffer.subarray(0, readAll(cacheFd, buffer, m));
    return { source, cachedData };
  } finally {
    fs.closeSync(fd);
    if (cacheFd !== null) fs.closeSync(cacheFd);
  }
}

/** Reads up to `n` bytes of `fd` from its start into `buffer`; how many it read. */
function readAll(fd, buffer, n) {
  let got = 0;
  while (got < n) {
    const k = fs.readSync(fd, buffer, got, n - got, got);
    if (k === 0) break;
    got += k;
  }
  return got;
}

/** Whether V8 refused the code cache of a script loaded so far (undefined: none was loaded with one). */
function codeCacheRejected() {
  const answers = [...loaded.values()].map((l) => l.script.cachedDataRejected).filter((r) => r !== undefined);
  return answers.length ? answers.includes(true) : undefined;
}

/** The scripts loaded so far in this thread, by file name (the bundle first). */
function loadedScripts() {
  return [...loaded.keys()].map((f) => path.basename(f));
}

/** For the build only: writes the code cache of every script loaded, with everything compiled so far in this process. */
function writeCodeCache() {
  if (!loaded.size) throw new Error('the bundle was not loaded');
  for (const [file, { script }] of loaded) fs.writeFileSync(`${file}.cache`, script.createCachedData());
}

module.exports = { loadBundle, loadChunk, codeCacheRejected, loadedScripts, writeCodeCache, BUNDLE, CACHE };
