'use strict';
// Loads the CLI bundle (dist/kerascope.cjs, one CommonJS script built by scripts/build-cli.mjs) with the V8
// code cache the build wrote beside it (dist/kerascope.cjs.cache): V8 then skips parsing and compiling what
// the cache holds, which is most of the CLI's start-up after Node's own. Node 20 has no module compile cache
// (module.enableCompileCache is Node 22), so the script goes through vm.Script's cachedData. A cache V8
// does not accept (another Node or V8 version, other V8 flags) is ignored: the bundle is then compiled as
// usual. The cache is only ever written by the build (writeCodeCache), never at run time.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { createRequire } = require('node:module');

const DIST = path.join(__dirname, '..', 'dist');
const BUNDLE = path.join(DIST, 'kerascope.cjs');
const CACHE = `${BUNDLE}.cache`;

let script = null;
let exported = null;

/** The bundle's exports ({ supervise, runCliWorker, startScanWorker }), or null when it was not built. */
function loadBundle() {
  if (exported) return exported;
  let source;
  try {
    // The build checks that the bundle is ASCII, so latin1 (the fastest decoding) reads it exactly.
    source = fs.readFileSync(BUNDLE, 'latin1');
  } catch {
    return null;
  }
  let cachedData;
  try {
    cachedData = fs.readFileSync(CACHE);
  } catch {
    cachedData = undefined;
  }
  // The file is one function expression, (exports, require, module, __filename, __dirname, __kerascopeImport).
  // The bundle's one ES module import (h5wasm's factory, which needs import.meta.resolve) comes through
  // __kerascopeImport: a vm.Script may not call import() itself without an experimental flag.
  script = new vm.Script(source, { filename: BUNDLE, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(BUNDLE), module, BUNDLE, DIST, (specifier) => import(specifier));
  exported = module.exports;
  return exported;
}

/** Whether V8 took the code cache (undefined: there was none). */
function codeCacheRejected() {
  return script?.cachedDataRejected;
}

/** For the build only: writes the code cache of everything compiled so far in this process. */
function writeCodeCache() {
  if (!script) throw new Error('the bundle was not loaded');
  fs.writeFileSync(CACHE, script.createCachedData());
}

module.exports = { loadBundle, codeCacheRejected, writeCodeCache, BUNDLE, CACHE };
