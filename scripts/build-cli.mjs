// Bundles the command line into one file, dist/kerascope.mjs (and scan's worker into dist/scan-worker.mjs), so that Node resolves and loads one module at
// start-up instead of ~90. Modules the CLI imports dynamically (the zip reader, the HDF5 module's factory)
// stay lazy inside the bundle: esbuild initializes them on first use. h5wasm stays outside the bundle: its
// WebAssembly factory is located at run time next to its own package.
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import { build } from 'esbuild';

/**
 * Start-up costs of Node built-ins, avoided:
 * - an ESM `import fs from 'node:fs'` makes Node build the module's ESM facade, which reads every export and
 *   so loads what the lazy ones hide (fs streams, …); a built-in taken through `require` does not. Every
 *   built-in import becomes a `require` of it (the banner gives the bundle one).
 * - commander requires `child_process` at load, for executable subcommands kerascope does not have: it gets
 *   a stand-in that loads the real module on first use.
 */
const builtinsByRequire = {
  name: 'builtins-by-require',
  setup(b) {
    const names = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    b.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) => {
      // (A dynamic import() stays one: it must see the module's named exports.)
      if (!names.has(args.path) || args.namespace === 'builtin' || args.kind === 'dynamic-import') return undefined;
      return { path: args.path.replace(/^node:/, ''), namespace: 'builtin' };
    });
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
      contents:
        args.path === 'child_process'
          ? "let m; module.exports = new Proxy({}, { get: (_, k) => (m ??= require('node:child_process'))[k] });"
          : `module.exports = require('node:${args.path}');`,
      loader: 'js',
    }));
  },
};

// Chunk names carry content hashes: clear the last build's, or they pile up.
fs.rmSync('dist/chunks', { recursive: true, force: true });

const result = await build({
  // The command line's watchdog (the main thread), the worker thread that runs the command, and the worker
  // `scan` runs in each thread.
  entryPoints: { kerascope: 'src/cli/watchdog.ts', 'cli-worker': 'src/cli/worker.ts', 'scan-worker': 'src/node/scan-worker.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  // Code only one command needs (the card's YAML, Markdown and graph layout; scan; zip reading) goes into
  // chunks that load when that command runs.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['h5wasm'],
  // CommonJS dependencies (commander, cli-table3) call require(): give the ESM bundle one.
  banner: { js: "import { createRequire as __kerascopeRequire } from 'node:module'; const require = __kerascopeRequire(import.meta.url);" },
  plugins: [builtinsByRequire],
  metafile: true,
  logLevel: 'warning',
});
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
if (process.argv.includes('--verbose')) console.log(`dist/kerascope.mjs + dist/scan-worker.mjs: ${(bytes / 1024).toFixed(0)} KiB`);
