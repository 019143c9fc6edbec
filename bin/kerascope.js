#!/usr/bin/env node
// The command line: the bundled build (one module to load) when it exists, else the compiled modules.
import fs from 'node:fs';

const bundle = new URL('../dist/kerascope.mjs', import.meta.url);
const { main } = fs.existsSync(bundle) ? await import(bundle.href) : await import('../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
