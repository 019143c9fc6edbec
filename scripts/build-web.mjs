// `npm run web`: the static site in dist/web/ (index.html, style.css, app.js, worker.js), bundled by esbuild
// from the same src/ core as the CLI. The page reads HDF5 with the TypeScript reader; h5wasm's ESM build (its
// WebAssembly embedded in the JS, about 4.5 MB) is a file of its own (h5wasm.js) that the worker imports only
// when the user chooses the HDF5 library. Prints each file's size (and gzip size).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The page's Content-Security-Policy: only its own files; WebAssembly allowed; no connections at all. */
export const CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** The h5wasm factory's file in the package (which does not export it). */
const H5WASM_FACTORY = path.join(root, 'node_modules', 'h5wasm', 'dist', 'esm', 'hdf5_util.js');

/**
 * `h5wasm/hdf5_util` (src/web/hdf5-factory.d.ts) → `./h5wasm.js` beside the worker, left as a run-time import:
 * the worker bundle holds no WebAssembly, and the page's initial download none either.
 * @type {import('esbuild').Plugin}
 */
const hdf5Factory = {
  name: 'h5wasm-factory',
  setup(build) {
    build.onResolve({ filter: /^h5wasm\/hdf5_util$/ }, () => ({ path: './h5wasm.js', external: true }));
  },
};

/**
 * Builds the site into `outdir` (default dist/web).
 * @param {{ outdir?: string, quiet?: boolean }} [opts]
 * @returns {Promise<{ outdir: string, files: { name: string, bytes: number, gzip: number }[] }>}
 */
export async function buildWeb(opts = {}) {
  const outdir = opts.outdir ?? path.join(root, 'dist', 'web');
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.mkdirSync(outdir, { recursive: true });
  /** @type {import('esbuild').BuildOptions} */
  const common = {
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome110', 'firefox115', 'safari16'],
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    // The core's default h5wasm loader (import.meta.resolve) is never used here: the worker sets its own.
    logOverride: { 'unsupported-dynamic-import': 'silent', 'empty-import-meta': 'silent' },
    plugins: [hdf5Factory],
    charset: 'utf8',
  };
  await esbuild.build({ ...common, entryPoints: { app: path.join(root, 'src', 'web', 'main.ts') }, outdir });
  await esbuild.build({ ...common, entryPoints: { worker: path.join(root, 'src', 'web', 'worker.ts') }, outdir });
  // The HDF5 library, fetched by the worker the first time a drop chooses it.
  await esbuild.build({ ...common, plugins: [], entryPoints: { h5wasm: H5WASM_FACTORY }, outdir });
  const version = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;
  const html = fs
    .readFileSync(path.join(root, 'src', 'web', 'index.html'), 'utf8')
    .replace('%CSP%', CSP)
    .replace('%VERSION%', version);
  fs.writeFileSync(path.join(outdir, 'index.html'), html);
  // The page's styles, then the layer graph's (the SVG carries none: the CSP allows no inline style). The
  // graph's rules come from the card renderer as built into dist/ (npm ci builds it).
  const { GRAPH_CSS } = await import(pathToFileURL(path.join(root, 'dist', 'card', 'svg.js')).href);
  fs.writeFileSync(
    path.join(outdir, 'style.css'),
    `${fs.readFileSync(path.join(root, 'src', 'web', 'style.css'), 'utf8')}\n${GRAPH_CSS}\n`,
  );
  const files = fs
    .readdirSync(outdir)
    .sort()
    .map((name) => {
      const buf = fs.readFileSync(path.join(outdir, name));
      return { name, bytes: buf.length, gzip: zlib.gzipSync(buf, { level: 9 }).length };
    });
  if (!opts.quiet) {
    const kb = (/** @type {number} */ n) => `${(n / 1024).toFixed(1)} KB`;
    for (const f of files) console.log(`  ${f.name.padEnd(12)} ${kb(f.bytes).padStart(10)}  (gzip ${kb(f.gzip)})`);
    const total = files.reduce((n, f) => n + f.bytes, 0);
    const gz = files.reduce((n, f) => n + f.gzip, 0);
    console.log(`  ${'total'.padEnd(12)} ${kb(total).padStart(10)}  (gzip ${kb(gz)}) in ${path.relative(process.cwd(), outdir) || '.'}`);
    const initial = files.filter((f) => f.name !== 'h5wasm.js');
    const sum = (/** @type {'bytes' | 'gzip'} */ k) => initial.reduce((n, f) => n + f[k], 0);
    console.log(
      `  ${'initial'.padEnd(12)} ${kb(sum('bytes')).padStart(10)}  (gzip ${kb(sum('gzip'))}): what the page loads; h5wasm.js only when chosen`,
    );
  }
  return { outdir, files };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildWeb();
}
