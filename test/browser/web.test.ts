// The page in a real headless Chromium: the site is built with the same function as `npm run web`, served
// from 127.0.0.1, and every model in ../shared/models is given to it through the file input. What the page
// shows (totals and statuses from the DOM's data-* attributes) and the JSON report it offers for download
// must equal the CLI's JSON for the same files; damaged files must show the CLI's one-line error; and
// after the page has loaded, no request may leave it.
import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ByteSource } from '../../src/io/byte-source.js';
import { InputError } from '../../src/model/errors.js';
import type { Report } from '../../src/model/types.js';
import { FileSource } from '../../src/node/file-source.js';
import { inspect } from '../../src/node/inspect.js';
import { renderJson } from '../../src/report/json.js';
import { buildWeb } from '../../scripts/build-web.mjs';
import { serveStatic } from '../../scripts/serve-web.mjs';
import { browserUnavailable, launchBrowser } from '../helpers/browser.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { MODELS_DIR, realModels } from '../helpers/real-models.js';

/**
 * A file on disk under the name the page gives it (its name, as a file input gives it), siblings alike: the
 * CLI run from the file's folder, in-process (a process per model would double this test's time).
 */
function asGiven(abs: string, name = path.basename(abs)): ByteSource {
  const src = FileSource.at(abs);
  if (!src) throw new Error(`${abs} missing`);
  return {
    name,
    size: src.size,
    read: (offset, length) => src.read(offset, length),
    sibling: (rel) =>
      FileSource.at(path.join(path.dirname(abs), rel))
        ? asGiven(path.join(path.dirname(abs), rel), path.posix.join(path.posix.dirname(name), rel))
        : null,
    list: () => null,
    close: () => src.close(),
  };
}

/** `kerascope inspect FILE --format json --hdf5 READER` in FILE's folder. */
async function inspectJson(file: string, hdf5: 'typescript' | 'h5wasm'): Promise<{ stdout: string }> {
  return { stdout: `${renderJson(await inspect(asGiven(file), { hdf5 }))}\n` };
}

/** What `kerascope inspect FILE [--weights W] --format json` prints in FILE's folder, or its error line. */
async function cliJson(file: string, weights?: string): Promise<{ stdout: string; stderr: string }> {
  try {
    const report = await inspect(asGiven(file), weights ? { weights: asGiven(weights) } : {});
    return { stdout: `${renderJson(report)}\n`, stderr: '' };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { stdout: '', stderr: `kerascope: ${e.file}: ${e.message}\n` };
  }
}

const SCREENSHOT = path.join(ROOT, 'docs', 'web-screenshot.png');
const noBrowser = browserUnavailable();
const models = realModels() ?? [];

interface Shown {
  state: string;
  error: string | null;
  totals: Record<string, string> | null;
  rows: { layer: string; status: string; stored: string; params: string; trainable: string }[];
  findings: { severity: string; code: string }[];
}

describe.skipIf(noBrowser)('the page in Chromium', () => {
  let browser: Browser;
  let server: Server;
  let page: Page;
  let context: BrowserContext;
  let siteDir: string;
  const requests: string[] = [];
  let loaded = false;
  const afterLoad: string[] = [];
  /** Uncaught errors and console errors (a Content-Security-Policy violation is reported there). */
  const problems: string[] = [];

  beforeAll(async () => {
    siteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-web-'));
    await buildWeb({ outdir: siteDir, quiet: true });
    const served = await serveStatic(siteDir);
    server = served.server;
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1100, height: 760 }, acceptDownloads: true });
    page = await context.newPage();
    const note = (r: Request) => {
      requests.push(r.url());
      if (loaded) afterLoad.push(r.url());
    };
    page.on('request', note);
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('worker', (w) => w.on('close', () => problems.push('the worker closed')));
    context.on('serviceworker', () => afterLoad.push('a service worker'));
    page.on('websocket', (ws) => afterLoad.push(ws.url()));
    await page.goto(served.url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    loaded = true;
    // Everything after this runs offline: the page must need nothing more from the network.
    await context.setOffline(true);
  });

  afterAll(async () => {
    await browser?.close();
    server?.close();
    if (siteDir) fs.rmSync(siteDir, { recursive: true, force: true });
  });

  /** Gives files to the page's file input and waits for a report or an error. */
  async function give(files: string[], input = '#files'): Promise<Shown> {
    await page.evaluate(() => {
      document.body.dataset.state = 'waiting';
    });
    await page.setInputFiles(input, files);
    await page.waitForSelector('body[data-state="report"], body[data-state="error"]', { timeout: 30_000 });
    return page.evaluate(() => {
      const data = (e: Element | null) => (e ? { ...(e as HTMLElement).dataset } : null);
      return {
        state: document.body.dataset.state!,
        error: document.getElementById('error')?.textContent ?? null,
        totals: data(document.getElementById('totals')) as Record<string, string> | null,
        rows: [...document.querySelectorAll('#layers tbody tr[data-layer]')].map((tr) => data(tr) as never),
        findings: [...document.querySelectorAll('#findings li')].map((li) => data(li) as never),
      };
    });
  }

  async function download(label: string): Promise<string> {
    const [d] = await Promise.all([page.waitForEvent('download'), page.click(`#downloads button:has-text("${label}")`)]);
    return fs.readFileSync((await d.path())!, 'utf8');
  }

  const str = (n: number | null) => (n === null ? '' : String(n));

  it('serves a page with a strict Content-Security-Policy and no third-party resource', async () => {
    const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'none'");
    expect(csp).not.toMatch(/https?:|\*/);
    expect(requests.every((u) => u.startsWith('http://127.0.0.1:'))).toBe(true);
    expect(requests.map((u) => new URL(u).pathname).sort()).toEqual(['/', '/app.js', '/style.css', '/worker.js']);
  });

  it.skipIf(!models.length).each(models.map((m) => [m.id, m] as const))('%s: the same report as the CLI', async (_id, m) => {
    const files = m.files.map((f) => path.join(MODELS_DIR, f));
    // What `kerascope inspect` prints for the same files, run beside them so that the paths read the same.
    const arch = files.find((f) => f.endsWith('.json') && path.basename(f) !== 'model.json');
    const weights = files.find((f) => /\.(h5|hdf5)$/.test(f));
    const cli =
      arch && weights ? await cliJson(arch, weights) : await cliJson(files.find((f) => path.basename(f) === 'model.json') ?? files[0]!);
    expect(cli.stderr).toBe('');
    const want = JSON.parse(cli.stdout) as Report;

    const shown = await give(files);
    expect(shown.error).toBeNull();
    expect(shown.totals).toMatchObject({
      params: str(want.totals.params),
      trainable: str(want.totals.trainable),
      nonTrainable: str(want.totals.nonTrainable),
      stored: str(want.totals.stored),
      optimizerStored: str(want.totals.optimizerStored),
    });
    expect(shown.rows.map((r) => [r.layer, r.status, r.stored])).toEqual(
      want.layers.map((l) => [[...l.path, l.name].join('/'), l.status, String(l.params.stored)]),
    );
    expect(shown.findings).toEqual(want.findings.map((f) => ({ severity: f.severity, code: f.code })));
    // And against the independent numbers recorded with the models (TF.js countParams, stored elements).
    expect(Number(shown.totals!.stored)).toBe(m.totals.stored);
    if (m.totals.params !== null) expect(Number(shown.totals!.params)).toBe(m.totals.params);
    // The downloaded JSON report is the CLI's, byte for byte.
    expect(await download('JSON report')).toBe(cli.stdout);
  });

  it.skipIf(!models.length)('a dropped folder (relative paths) gives the TF.js model with its shards', async () => {
    const m = models.find((x) => x.format === 'tfjs-layers')!;
    const dir = path.join(MODELS_DIR, path.dirname(m.files[0]!));
    const shown = await give([dir], '#folder');
    expect(shown.error).toBeNull();
    expect(shown.findings.filter((f) => ['critical', 'high'].includes(f.severity))).toEqual([]);
    expect(Number(shown.totals!.stored)).toBe(m.totals.stored);
    expect(await page.textContent('#title')).toMatch(new RegExp(`^Model: ${path.basename(dir)}/model\\.json \\(tfjs-layers`));
  });

  it.skipIf(!models.length)(
    'files dropped on the page (a drop event with a DataTransfer) give the same report as through the input',
    async () => {
      const m = models.find((x) => x.id === 'fml_keras_3layer')!;
      const files = m.files.map((f) => ({ name: path.basename(f), bytes: [...fs.readFileSync(path.join(MODELS_DIR, f))] }));
      await page.evaluate(() => {
        document.body.dataset.state = 'waiting';
      });
      const dataTransfer = await page.evaluateHandle((list) => {
        const dt = new DataTransfer();
        for (const f of list) dt.items.add(new File([new Uint8Array(f.bytes)], f.name));
        return dt;
      }, files);
      await page.dispatchEvent('#drop', 'drop', { dataTransfer });
      await page.waitForSelector('body[data-state="report"], body[data-state="error"]', { timeout: 30_000 });
      expect(await page.getAttribute('#totals', 'data-params')).toBe(String(m.totals.params));
      expect(await page.textContent('.cmd')).toBe(`kerascope inspect ${files[0]!.name} --weights ${files[1]!.name}`);
    },
  );

  it.skipIf(!models.length)("a row's formula on click, as `kerascope explain --layer` prints it", async () => {
    const m = models.find((x) => x.id === 'fml_keras_3layer')!;
    const files = m.files.map((f) => path.join(MODELS_DIR, f));
    await give(files);
    const layer = m.layers.find((l) => l.className === 'Dense')!;
    await page.click(`#layers tr[data-layer="${layer.name}"]`);
    const text = (await page.textContent(`tr[data-explain="${layer.name}"] pre`))!;
    const cli = runCli(
      ['explain', path.basename(files[0]!), '--weights', path.basename(files[1]!), '--layer', layer.name],
      path.dirname(files[0]!),
    );
    expect(text).toBe(cli.stdout.trimEnd());
    expect(text).toContain('params = in·units + units');
    expect(text).toContain(`= ${layer.params!.toLocaleString('en-US')}`);
    // SARIF download: one result per finding shown.
    const sarif = JSON.parse(await download('SARIF'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.length).toBe(await page.locator('#findings li').count());
  });

  /** What the layer table shows: each row's visibility, layer, class, status cell and Trainable cell. */
  const tableRows = () =>
    page.$$eval('#layers tbody tr[data-layer]', (trs) =>
      trs.map((tr) => ({
        layer: (tr as HTMLElement).dataset.layer!,
        cls: (tr as HTMLElement).dataset.class!,
        visible: (tr as HTMLElement).offsetParent !== null,
        flagged: tr.classList.contains('flagged'),
        name: tr
          .querySelector('td.name')!
          .textContent!.replace(/\u00a0/g, ' ')
          .trim(),
        status: tr.querySelector('td.status')!.textContent!,
        trainable: tr.querySelector('td.trainable')?.textContent ?? null,
      })),
    );

  it('the filter box: rows by layer name or class, ignoring case; "N of M layers"; Escape clears it', async () => {
    const file = path.join(ROOT, 'fixtures', 'keras3', 'functional.keras');
    const want = JSON.parse((await cliJson(file)).stdout) as Report;
    const shown = await give([file]);
    expect(shown.error).toBeNull();
    const all = want.layers.map((l) => [...l.path, l.name].join('/'));
    expect(all.length).toBeGreaterThan(4);
    expect(await page.textContent('#filter-count')).toBe(`${all.length} of ${all.length} layers`);
    // By name: `proj` is in proj_a and proj_b only (written out from the fixture script's model).
    await page.fill('#filter', 'PROJ');
    let rows = await tableRows();
    expect(rows.filter((r) => r.visible).map((r) => r.layer)).toEqual(['proj_a', 'proj_b']);
    expect(await page.textContent('#filter-count')).toBe(`2 of ${all.length} layers`);
    // By class: every Dense row of the CLI's report, and nothing else.
    await page.fill('#filter', 'dense');
    rows = await tableRows();
    const dense = want.layers.filter((l) => /dense/i.test(l.className ?? '') || /dense/i.test([...l.path, l.name].join('/')));
    expect(dense.map((l) => l.className)).toContain('Dense');
    expect(rows.filter((r) => r.visible).map((r) => r.layer)).toEqual(dense.map((l) => [...l.path, l.name].join('/')));
    expect(rows.filter((r) => r.visible).every((r) => /dense/i.test(r.cls) || /dense/i.test(r.layer))).toBe(true);
    // Nothing matches: no row, "0 of M".
    await page.fill('#filter', 'no such layer');
    expect((await tableRows()).filter((r) => r.visible)).toEqual([]);
    expect(await page.textContent('#filter-count')).toBe(`0 of ${all.length} layers`);
    // Escape empties the box and brings every row back.
    await page.fill('#filter', 'proj_b');
    await page.press('#filter', 'Escape');
    expect(await page.inputValue('#filter')).toBe('');
    expect((await tableRows()).map((r) => [r.layer, r.visible])).toEqual(all.map((k) => [k, true]));
    expect(await page.textContent('#filter-count')).toBe(`${all.length} of ${all.length} layers`);
  });

  it('the Trainable column says what the CLI table says, row for row (Y / N / blank)', async () => {
    const file = path.join(ROOT, 'fixtures', 'keras3', 'functional.keras');
    const cli = runCli(['inspect', path.basename(file), '--width', '200'], path.dirname(file));
    expect(cli.code).toBe(0);
    // The CLI's box table: the header row names the columns; the body rows follow it.
    const lines = cli.stdout.split('\n').filter((l) => l.startsWith('│'));
    const cells = (line: string) =>
      line
        .split('│')
        .slice(1, -1)
        .map((c) => c.trim());
    const head = cells(lines[0]!);
    const col = head.indexOf('Trainable');
    expect(col).toBeGreaterThan(0);
    const want = lines.slice(1).map((l) => [cells(l)[0], cells(l)[col]]);
    // The fixture's proj_b is built with trainable: false (scripts/fixtures/keras3.mjs); the rest train.
    expect(want.find((r) => r[0] === 'proj_b (Dense)')?.[1]).toBe('N');
    expect(want.find((r) => r[0] === 'proj_a (Dense)')?.[1]).toBe('Y');
    await give([file]);
    expect(await page.$$eval('#layers thead th', (ths) => ths.map((th) => th.textContent))).toContain('Trainable');
    expect((await tableRows()).map((r) => [r.name, r.trainable])).toEqual(want);
  });

  it('a layer whose stored shape is wrong is marked in the table (class and ⚠ text) and in the graph', async () => {
    const file = path.join(ROOT, 'fixtures', 'bad', 'h5-shape-mismatch.h5');
    const want = JSON.parse((await cliJson(file)).stdout) as Report;
    const bad = want.layers.filter((l) => l.status !== 'ok').map((l) => l.name);
    expect(bad).toEqual(['dense']); // the fixture stores dense/kernel as (64, 32) where (128, 32) is needed
    expect(want.findings.map((f) => f.code)).toContain('shape-mismatch');
    await give([file]);
    const rows = await tableRows();
    expect(rows.filter((r) => r.flagged).map((r) => r.layer)).toEqual(bad);
    expect(rows.find((r) => r.layer === 'dense')!.status).toBe('\u26a0 mismatch');
    for (const r of rows.filter((x) => !x.flagged)) expect(r.status).toBe('ok');
    // No frozen layer in this model: no Trainable column, as in the CLI table.
    expect(rows.every((r) => r.trainable === null)).toBe(true);
    // The graph: the box that draws `dense` is marked, and no other.
    const nodes = await page.$$eval('#graph g.ks-node', (gs) =>
      gs.map((g) => ({
        flagged: g.classList.contains('ks-flagged'),
        title: g.querySelector('title')!.textContent!,
        mark: g.querySelector('text.ks-flag')?.textContent ?? null,
      })),
    );
    const marked = nodes.filter((n) => n.flagged);
    expect(marked).toHaveLength(1);
    expect(marked[0]!.title.split('\n')[0]).toBe('dense (Dense)');
    expect(marked[0]!.title).toContain('dense: mismatch');
    expect(marked[0]!.mark).toBe('\u26a0');
    expect(nodes.filter((n) => !n.flagged).every((n) => n.mark === null)).toBe(true);
    // The outline is drawn: the page's rule wins over the graph's own stylesheet.
    const stroke = await page.$eval('#graph g.ks-flagged rect', (r) => getComputedStyle(r).strokeWidth);
    expect(stroke).toBe('3px');
  });

  it('hostile layer names: shown as text in the rows, the filter matches them as text, nothing runs', async () => {
    const file = path.join(ROOT, 'fixtures', 'hostile', 'hostile.h5');
    const want = JSON.parse((await cliJson(file)).stdout) as Report;
    const dialogs: string[] = [];
    const onDialog = (d: { message(): string; dismiss(): Promise<void> }) => {
      dialogs.push(d.message());
      void d.dismiss();
    };
    page.on('dialog', onDialog);
    try {
      await give([file]);
      // The filter matches the name's characters, markup included: `<img` keeps only the rows whose name has it.
      await page.fill('#filter', '<IMG');
      const rows = await tableRows();
      const hits = want.layers.filter((l) => [...l.path, l.name, l.className ?? ''].join('/').toLowerCase().includes('<img'));
      expect(hits.length).toBeGreaterThanOrEqual(2);
      expect(rows.filter((r) => r.visible).map((r) => r.layer)).toEqual(hits.map((l) => [...l.path, l.name].join('/')));
      // Each name cell is the name as text (nothing parsed as markup), and the report holds no element a name
      // could have made.
      const cells = await page.$$eval('#layers tbody tr[data-layer] td.name', (tds) => tds.map((td) => td.textContent));
      expect(cells).toEqual(want.layers.map((l) => `${'\u00a0\u00a0'.repeat(l.depth)}${l.name}${l.className ? ` (${l.className})` : ''}`));
      expect(await page.$$eval('#report script, #report img, #report iframe, #report a', (es) => es.length)).toBe(0);
      await page.press('#filter', 'Escape');
      expect((await tableRows()).every((r) => r.visible)).toBe(true);
      expect(dialogs).toEqual([]);
    } finally {
      page.off('dialog', onDialog);
    }
  });

  it.skipIf(!models.length)('a screenshot: a model with unverified layers, the filter in use (docs/web-screenshot.png)', async () => {
    const m = models.find((x) => x.id === 'fml_qkeras_v3_3layer')!;
    const file = path.join(MODELS_DIR, m.files[0]!);
    const want = JSON.parse((await cliJson(file)).stdout) as Report;
    await give([file]);
    await page.fill('#filter', 'dense');
    const rows = await tableRows();
    const visible = rows.filter((r) => r.visible);
    expect(visible.map((r) => r.layer)).toEqual(want.layers.filter((l) => /dense/i.test(`${l.name} ${l.className}`)).map((l) => l.name));
    // Every layer the CLI reports as not ok is marked; here the custom QKeras layers are unverified.
    expect(rows.filter((r) => r.flagged).map((r) => r.layer)).toEqual(want.layers.filter((l) => l.status !== 'ok').map((l) => l.name));
    expect(visible.some((r) => r.flagged)).toBe(true);
    await page.click(`#layers tr[data-layer="${visible[0]!.layer}"]`);
    if (process.env.KERASCOPE_SCREENSHOT === '1' || !fs.existsSync(SCREENSHOT)) {
      fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    }
    await page.press('#filter', 'Escape');
  });

  const damaged = ['truncated.h5', 'empty.h5', 'no-config.keras', 'not-json/model.json'].map((f) =>
    path.join(ROOT, 'fixtures', 'bad', 'unreadable', f),
  );
  it.each(damaged.map((f) => [path.relative(ROOT, f), f]))("%s: the CLI's one-line error, in the page", async (_rel, file) => {
    const cli = await cliJson(file);
    expect(cli.stderr).toMatch(/^kerascope: /);
    const shown = await give([file]);
    expect(shown.state).toBe('error');
    // JSON.parse's own words differ between Node's V8 and Chromium's (` (line 1 column 46)` added): not kerascope's.
    const engine = (line: string | null) => line?.replace(/ \(line \d+ column \d+\)/, '');
    expect(engine(shown.error)).toBe(engine(cli.stderr.trim()));
    // The page still works after it.
    expect(await page.getAttribute('body', 'data-ready')).toBe('true');
  });

  it("the in-process CLI line above is the executable's", () => {
    const file = damaged[0]!;
    const cli = runCli(['inspect', path.basename(file)], path.dirname(file));
    expect(cli.code).toBe(2);
    return cliJson(file).then((x) => expect(x.stderr).toBe(cli.stderr));
  });

  it('sent no request after the page had loaded, and logged no error or policy violation', () => {
    expect(loaded).toBe(true);
    expect(afterLoad).toEqual([]);
    expect(problems).toEqual([]);
  });

  // Last: choosing the HDF5 library fetches it (about 4.5 MB, not part of the page's initial download).
  it('the HDF5 library, when chosen, reads a file the TypeScript reader declines (issue 22 reproducer)', async () => {
    const file = path.join(ROOT, 'fixtures', 'regress', 'readers', 'declined', 'global-heap-collection-size-2-63.h5');
    // By default: the CLI's one line.
    const cli = await cliJson(file);
    expect(cli.stderr).toMatch(/an HDF5 structure kerascope's reader does not follow: global heap collection/);
    const declined = await give([file]);
    expect(declined.state).toBe('error');
    expect(declined.error).toBe(cli.stderr.trim());
    // Chosen: the library is fetched, and reads it as `kerascope inspect --hdf5 h5wasm` does.
    await context.setOffline(false);
    await page.selectOption('#hdf5', 'h5wasm');
    try {
      const want = JSON.parse((await inspectJson(file, 'h5wasm')).stdout) as Report;
      const shown = await give([file]);
      expect(shown.error).toBeNull();
      expect(shown.totals).toMatchObject({ params: str(want.totals.params), stored: str(want.totals.stored) });
      expect(shown.findings).toEqual(want.findings.map((f) => ({ severity: f.severity, code: f.code })));
    } finally {
      await page.selectOption('#hdf5', 'typescript');
    }
  });
});
