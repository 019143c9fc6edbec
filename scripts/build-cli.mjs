// Bundles the command line into one CommonJS script, dist/kerascope.cjs, and writes its V8 code cache,
// dist/kerascope.cjs.cache, by running the CLI on a few of the project's fixtures (bin/load-bundle.cjs
// loads the two together). One script, because Node then resolves and links nothing at start-up; CommonJS,
// because Node 20 can give a code cache to a script (vm.Script cachedData) but not to an ES module; the
// cache, because compiling the ~1 MB bundle would otherwise cost more than running it. The watchdog's worker
// (dist/cli-worker.cjs) and scan's workers (dist/scan-worker.cjs) are two-line scripts that load the same
// bundle and cache. h5wasm stays outside: its factory is found at run time next to its own package, through
// the one ES module import the bundle makes (dist/hdf5/h5wasm/factory.js, from tsc).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { READER_CHUNK, VENDOR_CHUNKS } from './cli-chunks.mjs';

/** @typedef {import('./fixtures/util.mjs').Json} Json */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const bundle = path.join(dist, 'kerascope.cjs');

/**
 * Start-up costs of Node built-ins, avoided: `child_process` (required by commander at load, for executable
 * subcommands kerascope does not have), `worker_threads` (needed only when a run goes to the watchdog's
 * worker, or by scan) and `tty` (which loads Node's streams and sockets; needed only when output goes to a
 * character device) get a stand-in that loads the real module on first use.
 */
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(/** @type {import('esbuild').PluginBuild} */ b) {
    b.onResolve({ filter: /^(node:)?(child_process|worker_threads|tty)$/ }, (/** @type {Json} */ args) =>
      // (the stand-in's own require is of the real module)
      args.namespace === 'lazy-builtin'
        ? { path: args.path, external: true }
        : { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' },
    );
    // Getters for the module's export names (as this Node has them), which load it when one is read.
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, async (/** @type {Json} */ args) => ({
      contents: `let m;
        for (const k of ${JSON.stringify(Object.keys(await import(`node:${args.path}`)).filter((k) => k !== 'default'))})
          Object.defineProperty(exports, k, { enumerable: true, get: () => (m ??= require('node:${args.path}'))[k] });`,
      loader: 'js',
    }));
  },
};

/**
 * `fs`, `path` and `os`, which kerascope imports by their default export only: as a two-line ES module each,
 * so that every importer shares the module itself (a CommonJS `require` would be copied, property by
 * property, into a namespace object at every import site: esbuild's __toESM).
 */
const builtinsAsEsm = {
  name: 'builtins-as-esm',
  setup(/** @type {import('esbuild').PluginBuild} */ b) {
    // (ES imports only: a dependency's require() of them gets the module as Node gives it)
    b.onResolve({ filter: /^(node:)?(fs|path|os)$/ }, (/** @type {Json} */ args) =>
      args.namespace === 'builtin-esm' || args.kind !== 'import-statement'
        ? { path: args.path, external: true }
        : { path: args.path.replace(/^node:/, ''), namespace: 'builtin-esm' },
    );
    b.onLoad({ filter: /.*/, namespace: 'builtin-esm' }, (/** @type {Json} */ args) => ({
      contents: `export default require('node:${args.path}');`,
      loader: 'js',
    }));
  },
};

/**
 * h5wasm's factory is located with import.meta.resolve, which a CommonJS script does not have: the bundle
 * imports the compiled module that does it (dist/hdf5/h5wasm/factory.js) through the loader's import().
 */
const h5wasmFactory = {
  name: 'h5wasm-factory',
  setup(/** @type {import('esbuild').PluginBuild} */ b) {
    b.onResolve({ filter: /^\.\/factory\.js$/ }, (/** @type {Json} */ args) =>
      /[\\/]hdf5[\\/]h5wasm[\\/]/.test(args.importer) ? { path: 'h5wasm-factory', namespace: 'esm-import' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'esm-import' }, () => ({
      contents: `export const loadH5wasmFactory = async () =>
        (await __kerascopeImport(require('node:url').pathToFileURL(require('node:path').join(__dirname, 'hdf5', 'h5wasm', 'factory.js')).href)).loadH5wasmFactory();`,
      loader: 'js',
    }));
  },
};

/**
 * picocolors decides its default palette when it loads, from `process.stdout.isTTY`, and so builds the
 * stdout stream (Node's stream modules) in every run. kerascope never uses that default: it asks for
 * `createColors(on)` with its own decision (src/cli/terminal.ts). The bundle's copy skips the check.
 */
const picocolorsNoStdout = {
  name: 'picocolors-no-stdout',
  setup(/** @type {import('esbuild').PluginBuild} */ b) {
    b.onLoad({ filter: /[\\/]picocolors[\\/]picocolors\.js$/ }, (/** @type {Json} */ args) => {
      const text = fs.readFileSync(args.path, 'utf8');
      const check = '(p.stdout || {}).isTTY';
      if (!text.includes(check)) throw new Error(`picocolors changed: ${check} not found in ${args.path}`);
      return { contents: text.replace(check, 'false'), loader: 'js' };
    });
  },
};

/*
 * Third-party code that only some commands run (VENDOR_CHUNKS, scripts/cli-chunks.mjs), kept out of
 * dist/kerascope.cjs so that every start-up does not read, decode and hold it (~1 MB of the 1.7: the file's size
 * is most of what loading it costs): each group is a CommonJS script of its own in dist/, required the first time
 * a module importing one of its packages is initialized (the card command, a .keras archive, scan). Only
 * third-party packages go there: they hold no kerascope state or class that the main bundle would need to share.
 */
/** @type {Map<string, string>} package → chunk */
const chunkOf = new Map(Object.entries(VENDOR_CHUNKS).flatMap(([chunk, pkgs]) => pkgs.map((p) => [p, chunk])));
const vendorChunks = {
  name: 'vendor-chunks',
  setup(/** @type {import('esbuild').PluginBuild} */ b) {
    b.onResolve({ filter: /.*/ }, (/** @type {Json} */ args) => {
      if (args.namespace === 'vendor') return { path: args.path, external: true }; // the chunk itself, at run time
      if (!chunkOf.has(args.path) || !/[\\/]src[\\/]/.test(args.importer)) return undefined;
      return { path: args.path, namespace: 'vendor' };
    });
    // A CommonJS stand-in: the package's exports as its chunk has them, loaded when the stand-in is first required.
    b.onLoad({ filter: /.*/, namespace: 'vendor' }, (/** @type {Json} */ args) => ({
      contents: `module.exports = require('./${chunkOf.get(args.path)}')[${JSON.stringify(args.path)}];`,
      loader: 'js',
    }));
  },
};

/*
 * The format readers (READER_CHUNK, scripts/cli-chunks.mjs), kept out of dist/kerascope.cjs so that a TF.js or
 * JSON inspection does not read, deserialize and set up ~150 KiB of code and its cache it never runs (each page
 * of memory first written costs a page fault, and that is most of what loading costs). The chunk is one more
 * script in the same form as the bundle, with its own code cache, loaded by bin/load-bundle.cjs the first time
 * src/formats/index.ts imports one of its entries. Both scripts hold one copy of each module: the chunk reaches
 * the bundle's modules (errors, findings, budgets, …) through a table the bundle hands it, so a class is the
 * same class on both sides.
 */
const rel = (/** @type {string} */ p) => path.relative(root, p).split(path.sep).join('/');
const chunkEntries = new Set(READER_CHUNK.entries);

/**
 * The module `args` names, as a path relative to the project (null when it is not a project file), found the way
 * esbuild finds it.
 * @param {import('esbuild').PluginBuild} b
 * @param {Json} args
 */
async function projectModule(b, args) {
  if (args.pluginData?.kerascopeResolving || args.namespace !== 'file') return null;
  const r = await b.resolve(args.path, {
    kind: args.kind,
    importer: args.importer,
    resolveDir: args.resolveDir,
    pluginData: { kerascopeResolving: true },
  });
  return r.errors.length || r.external || !path.isAbsolute(r.path) ? null : rel(r.path);
}

/**
 * In the bundle: an import of a chunk entry becomes a stand-in that loads the chunk (once) and gives that
 * module's exports; the chunk gets the bundle's modules it uses from `kerascope:shared-modules` (`shared`: null
 * while the bundle's module list is worked out, the entries then left out).
 * @param {string[] | null} shared
 */
function readerChunkStandIns(shared) {
  return {
    name: 'reader-chunk',
    setup(/** @type {import('esbuild').PluginBuild} */ b) {
      b.onResolve({ filter: /^\.\.?\// }, async (/** @type {Json} */ args) => {
        const m = await projectModule(b, args);
        if (m === null || !chunkEntries.has(m)) return undefined;
        return shared === null ? { path: m, external: true } : { path: m, namespace: 'reader-chunk' };
      });
      b.onResolve({ filter: /^\.\.\/bin\/load-bundle\.cjs$/, namespace: 'reader-chunk' }, (/** @type {Json} */ args) => ({
        path: args.path,
        external: true,
      }));
      b.onResolve({ filter: /^kerascope:shared-modules$/ }, () => ({ path: 'shared-modules', namespace: 'shared-modules' }));
      b.onLoad({ filter: /.*/, namespace: 'reader-chunk' }, (/** @type {Json} */ args) => ({
        contents: `module.exports = require('../bin/load-bundle.cjs').loadChunk(${JSON.stringify(READER_CHUNK.file)}, () => require('kerascope:shared-modules').modules)[${JSON.stringify(args.path)}];`,
        loader: 'js',
      }));
      b.onLoad({ filter: /.*/, namespace: 'shared-modules' }, () => ({
        contents: namespaceTable(shared ?? []),
        resolveDir: root,
        loader: 'js',
      }));
    },
  };
}

/** An ES module exporting `modules`: each project module's namespace by its relative path. */
const namespaceTable = (/** @type {string[]} */ modules) =>
  `${modules.map((m, i) => `import * as m${i} from ${JSON.stringify(path.join(root, m))};`).join('\n')}
export const modules = {${modules.map((m, i) => `${JSON.stringify(m)}: m${i}`).join(', ')}};`;

/**
 * In the chunk: an import of a module the bundle holds becomes a stand-in for the bundle's copy (recorded in
 * `used`, the bundle's table of what it hands the chunk).
 * @param {Set<string>} inBundle
 * @param {Set<string>} used
 */
function fromBundle(inBundle, used) {
  return {
    name: 'from-bundle',
    setup(/** @type {import('esbuild').PluginBuild} */ b) {
      b.onResolve({ filter: /.*/ }, async (/** @type {Json} */ args) => {
        const m = await projectModule(b, args);
        if (m === null || !inBundle.has(m)) return undefined;
        used.add(m);
        return { path: m, namespace: 'from-bundle' };
      });
      b.onLoad({ filter: /.*/, namespace: 'from-bundle' }, (/** @type {Json} */ args) => ({
        contents: `module.exports = __kerascopeShared(${JSON.stringify(args.path)});`,
        loader: 'js',
      }));
    },
  };
}

// Last build's outputs, including the ES module bundle and chunks of earlier versions.
for (const f of [
  'kerascope.cjs',
  'kerascope.cjs.cache',
  'cli-worker.cjs',
  'scan-worker.cjs',
  'http-worker.cjs',
  'kerascope.mjs',
  'cli-worker.mjs',
  'scan-worker.mjs',
  'chunks',
  READER_CHUNK.file,
  `${READER_CHUNK.file}.cache`,
  ...Object.keys(VENDOR_CHUNKS),
])
  fs.rmSync(path.join(dist, f), { recursive: true, force: true });

/**
 * What both scripts are: one CommonJS file for Node 20 in dist/, ASCII only; less to read and hash, names kept
 * (so `--debug` stack traces still name functions).
 * @type {import('esbuild').BuildOptions}
 */
const SCRIPT = {
  outdir: dist,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  charset: 'ascii',
  logLevel: 'warning',
};

/**
 * What the bundle and the reader chunk both are: one function expression the loader calls (CommonJS's own
 * wrapper, written out, so that the loader hands V8 the file's text as it is: no copy of it joined in memory),
 * strict like the modules it holds; the chunk's also takes the bundle's modules (`__kerascopeShared`).
 * @type {import('esbuild').BuildOptions}
 */
const LOADED = {
  ...SCRIPT,
  external: ['h5wasm'],
  // import() becomes require(): the script runs in vm.Script, where import() needs an experimental flag.
  supported: { 'dynamic-import': false },
  // The worker scripts are found beside the bundle.
  define: { 'import.meta.url': '__kerascopeUrl' },
  banner: {
    js: `(function (exports, require, module, __filename, __dirname, __kerascopeImport, __kerascopeShared) {"use strict";
const __kerascopeUrl = require('node:url').pathToFileURL(__filename).href;`,
  },
  footer: { js: '})' },
  metafile: true,
};
const PLUGINS = [lazyBuiltins, builtinsAsEsm, h5wasmFactory, picocolorsNoStdout, vendorChunks];
const MAIN = { entryPoints: { kerascope: path.join(root, 'src/cli/bundle.ts') } };

// 1. The bundle's modules: what the CLI reaches with the chunk's entries left out.
const bare = await build({ ...LOADED, ...MAIN, write: false, plugins: [readerChunkStandIns(null), ...PLUGINS] });
const inBundle = new Set(Object.keys(bare.metafile?.inputs ?? {}).filter((m) => !m.includes(':')));
// 2. The chunk: its entries and what they reach that the bundle does not hold.
const used = new Set();
const { outdir: _o, outExtension: _e, ...chunkOptions } = LOADED;
const chunk = await build({
  ...chunkOptions,
  outfile: path.join(dist, READER_CHUNK.file),
  stdin: { contents: namespaceTable(READER_CHUNK.entries), resolveDir: root, sourcefile: READER_CHUNK.file, loader: 'js' },
  plugins: [fromBundle(inBundle, used), ...PLUGINS],
});
// 3. The bundle, with the table of its modules the chunk uses.
const result = await build({ ...LOADED, ...MAIN, plugins: [readerChunkStandIns([...used].sort()), ...PLUGINS] });
if (bare.warnings.length + chunk.warnings.length + result.warnings.length > 0) throw new Error('esbuild warned; see above');
const both = Object.keys(chunk.metafile?.inputs ?? {}).filter((m) => !m.includes(':') && m !== READER_CHUNK.file && inBundle.has(m));
if (both.length) throw new Error(`modules in both the bundle and ${READER_CHUNK.file}: ${both.join(', ')}`);

// Each chunk: its packages' exports by package name, as require() gives them.
for (const [chunk, pkgs] of Object.entries(VENDOR_CHUNKS)) {
  const { outdir: _, ...options } = SCRIPT;
  await build({
    ...options,
    outfile: path.join(dist, chunk),
    stdin: {
      contents: `module.exports = {${pkgs.map((p) => `${JSON.stringify(p)}: require(${JSON.stringify(p)})`).join(', ')}};`,
      resolveDir: root,
      sourcefile: chunk,
    },
    plugins: [picocolorsNoStdout],
  });
}

// Every script is ASCII: the loader reads the bundle and the reader chunk as latin1, which equals UTF-8 only then.
for (const name of ['kerascope.cjs', READER_CHUNK.file, ...Object.keys(VENDOR_CHUNKS)]) {
  const high = fs.readFileSync(path.join(dist, name)).findIndex((b) => b > 0x7f);
  if (high >= 0) throw new Error(`dist/${name} has a non-ASCII byte at ${high}`);
}

// The remote reads' helper thread (src/node/sync-http.ts) starts with every remote inspection and only
// fetches: its own small script (a few KiB), not the whole bundle (which would cost it ~0.5 s to start).
await build({ ...SCRIPT, entryPoints: { 'http-worker': path.join(root, 'src/node/http-worker.ts') } });

for (const [name, start] of /** @type {[string, string][]} */ ([
  ['cli-worker.cjs', 'runCliWorker()'],
  ['scan-worker.cjs', 'startScanWorker()'],
]))
  fs.writeFileSync(
    path.join(dist, name),
    `'use strict';\n// A worker thread of the CLI: the bundle, loaded with its code cache (bin/load-bundle.cjs).\nrequire('../bin/load-bundle.cjs').loadBundle().${start};\n`,
  );

// The code caches, of the bundle and of the reader chunk: the functions compiled while the CLI inspects a TF.js
// model and a legacy .h5 (the TypeScript HDF5 reader), as JSON and as the table, in one process. Output is discarded.
const train = `
const load = require(${JSON.stringify(path.join(root, 'bin', 'load-bundle.cjs'))});
const cli = load.loadBundle();
(async () => {
  for (const argv of ${JSON.stringify([
    ['inspect', 'fixtures/tfjs/mlp/model.json'],
    ['inspect', 'fixtures/tfjs/mlp/model.json', '--format', 'json'],
    ['inspect', 'fixtures/keras-h5/mlp.h5', '--format', 'json'],
  ])}) await cli.supervise(argv);
  load.writeCodeCache();
})();`;
const t = spawnSync(process.execPath, ['-e', train], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
// The cache only saves time (the tests check that it is there and accepted): without it the CLI still runs.
if (t.status !== 0 || !fs.existsSync(`${bundle}.cache`))
  console.warn(`kerascope build: no code cache written (start-up will be slower):\n${t.stderr}`);

if (process.argv.includes('--verbose'))
  console.log(
    `dist/kerascope.cjs: ${(fs.statSync(bundle).size / 1024).toFixed(0)} KiB; code cache ${(fs.statSync(`${bundle}.cache`).size / 1024).toFixed(0)} KiB`,
  );
