// `npm run bench:web` (also the end of `npm run bench`): the page in Chromium on the 1 GB legacy HDF5 model
// that scripts/bench.mjs makes (Dense 2048×2048 layers, BENCH_MB of float32 weights, default 1024). Built
// and served as `npm run web` / `npm run web:serve` do; the file is given to the page's file input.
// Measured in the same Chromium run:
// - time: from the file input's change to the report on screen (performance.now() in the page);
// - peak tab memory: the peak resident set (VmHWM) of the renderer process holding the tab, its Worker and
//   the WebAssembly heap (Linux /proc), and the page's JS heap (CDP);
// - bytes read from the File (ranges only: never the whole file).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { buildWeb } from './build-web.mjs';
import { serveStatic } from './serve-web.mjs';
import { writeLegacyH5 } from './bench-models.mjs';

/** @typedef {import('./fixtures/util.mjs').Json} Json */

const MB = Number(process.env.BENCH_MB ?? 1024);
const TARGET = { ms: 2000, peakMB: 300 };
const CHROMIUM = process.env.KERASCOPE_CHROMIUM ?? '/usr/bin/chromium';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-bench-web-'));

/** The legacy HDF5 full model of scripts/bench.mjs: `n` Dense(2048) layers on a 2048-wide input; returns its params. */
async function writeBigH5(/** @type {string} */ file, /** @type {number} */ n) {
  await writeLegacyH5(file, n, 2048, 2048);
  return n * (2048 * 2048 + 2048);
}

/** kB fields of /proc/PID/status (VmHWM: peak resident set; VmRSS: now). */
function procStatus(/** @type {number} */ pid) {
  const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (/** @type {Json} */ k) => Number(text.match(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm'))?.[1] ?? 0);
  return { hwmMB: kb('VmHWM') / 1024, rssMB: kb('VmRSS') / 1024 };
}

let browser;
let server;
try {
  const file = path.join(tmp, 'big.h5');
  const n = Math.max(1, Math.round(MB / 16));
  console.log(`writing ${file} (${n} Dense 2048×2048 layers) …`);
  const params = await writeBigH5(file, n);
  const site = await buildWeb({ outdir: path.join(tmp, 'site'), quiet: true });
  const served = await serveStatic(site.outdir);
  server = served.server;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  const page = await browser.newPage();
  await page.goto(served.url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  // The renderer that holds this tab: the browser names its processes over CDP.
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
  const renderers = processInfo
    .filter((p) => p.type === 'renderer')
    .map((p) => p.id)
    .filter((pid) => fs.existsSync(`/proc/${pid}`));
  const before = Math.max(...renderers.map((pid) => procStatus(pid).hwmMB));
  const pageCdp = await page.context().newCDPSession(page);
  await pageCdp.send('Performance.enable');

  await page.setInputFiles('#files', file);
  await page.waitForSelector('body[data-state="report"], body[data-state="error"]', { timeout: 120_000 });
  const shown = await page.evaluate(() => ({
    state: document.body.dataset.state,
    ms: Number(document.body.dataset.ms),
    readBytes: Number(document.body.dataset.readBytes),
    params: Number(document.getElementById('totals')?.dataset.params),
    errors: document.querySelectorAll('#findings li[data-severity="error"]').length,
    line: document.getElementById('error')?.textContent ?? null,
  }));
  if (shown.state !== 'report') throw new Error(`the page showed an error: ${shown.line}`);
  const peaks = renderers.map((pid) => ({ pid, ...procStatus(pid) }));
  const peakMB = Math.max(...peaks.map((p) => p.hwmMB));
  const { metrics } = await pageCdp.send('Performance.getMetrics');
  const pageHeapMB = (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 2 ** 20;
  const sizeMB = fs.statSync(file).size / 2 ** 20;
  const ok = shown.ms <= TARGET.ms && peakMB <= TARGET.peakMB && shown.errors === 0 && shown.params === params;
  console.log(
    `\n| model | size | params | report on screen | peak tab memory (renderer VmHWM) | page JS heap | read from the file | target (${TARGET.ms} ms, ${TARGET.peakMB} MB) |`,
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  console.log(
    `| big.h5 in Chromium | ${sizeMB.toFixed(0)} MB | ${shown.params.toLocaleString('en-US')} | ${shown.ms} ms | ${peakMB.toFixed(0)} MB (${before.toFixed(0)} MB before the drop) | ${pageHeapMB.toFixed(1)} MB | ${(shown.readBytes / 2 ** 20).toFixed(2)} MB | ${ok ? 'met' : 'MISSED'} |`,
  );
  if (shown.params !== params) console.log(`params shown ${shown.params}, written ${params}`);
  process.exitCode = ok ? 0 : 1;
} finally {
  await browser?.close();
  server?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}
