#!/usr/bin/env node
'use strict';
// The command line, run under its watchdog (src/cli/watchdog.ts): the bundled build with its code cache when
// it exists (bin/load-bundle.cjs), else the compiled modules. CommonJS (bin/package.json says so for this
// folder), so that starting it does not also start Node's ES module loader.
const bundle = require('./load-bundle.cjs').loadBundle();
const run = bundle ? Promise.resolve(bundle) : import('../dist/cli/watchdog.js');
run.then(async (m) => {
  const code = await m.supervise(process.argv.slice(2));
  // Ends at once when the run left nothing behind (see finish in src/cli/watchdog.ts), else with exitCode set.
  m.finish(code);
});
