#!/usr/bin/env node
// The command line, run under its watchdog (src/cli/watchdog.ts): the bundled build when it exists (a few
// modules to load), else the compiled modules.
import fs from 'node:fs';

const bundle = new URL('../dist/kerascope.mjs', import.meta.url);
const { supervise } = fs.existsSync(bundle) ? await import(bundle.href) : await import('../dist/cli/watchdog.js');
process.exitCode = await supervise(process.argv.slice(2));
