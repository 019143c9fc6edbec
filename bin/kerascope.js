#!/usr/bin/env node
'use strict';
// The command line, run under its watchdog (src/cli/watchdog.ts): the bundled build with its code cache when
// it exists (bin/load-bundle.cjs), else the compiled modules. CommonJS (bin/package.json says so for this
// folder), so that starting it does not also start Node's ES module loader.
const bundle = require('./load-bundle.cjs').loadBundle();
const run = bundle ? Promise.resolve(bundle) : import('../dist/cli/watchdog.js');
run
  .then((m) => m.supervise(process.argv.slice(2)))
  .then((code) => {
    process.exitCode = code;
  });
