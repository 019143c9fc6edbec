// The HTML card in a real headless Chromium: it loads with no console error and no request of any kind,
// shows the totals and the findings, draws one SVG node per layer or folded block with no two overlapping;
// the Mermaid block of every real model's Markdown card parses with the mermaid package itself (loaded
// from node_modules into an offline page). Saves a screenshot of a real model's card (docs/).
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldGraph } from '../../src/card/fold.js';
import { sha256Files } from '../../src/card/hash.js';
import { renderCardHtml } from '../../src/card/html.js';
import { renderCardMarkdown } from '../../src/card/markdown.js';
import { openPath } from '../../src/node/file-source.js';
import { inspectModel } from '../../src/node/inspect.js';
import { browserUnavailable, launchBrowser, parseMermaid } from '../helpers/browser.js';
import { ROOT } from '../helpers/cli.js';
import { inspectArgs, realModels } from '../helpers/real-models.js';

const skip = browserUnavailable();
const models = realModels();

/** A page that records console errors, page errors and every request it makes. */
async function watchedPage(browser: Browser) {
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => requests.push(r.url()));
  return { page, errors, requests };
}

async function nodeBoxes(page: Page) {
  return page.$$eval('svg.ks-graph g.ks-node rect', (rects) =>
    rects.map((r) => {
      const b = r.getBoundingClientRect();
      return { x: b.x, y: b.y, w: b.width, h: b.height };
    }),
  );
}

describe.skipIf(skip !== null || !models)('the HTML card in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const id of ['fc_tiny_xception_kdef', 'nsfwjs_mobilenet_v2', 'fml_garnet_1layer', 'nsfwjs_mobilenet_v2_mid_graph']) {
    it(`${id}: loads offline without errors, shows totals and findings, one node per unit, no overlap`, async () => {
      const m = models!.find((x) => x.id === id)!;
      const { file, weights } = inspectArgs(m);
      const inspection = await inspectModel(file, { weights });
      const hashes = await sha256Files(inspection.report.files, (p) => openPath(p));
      const html = renderCardHtml(inspection, { hashes, license: 'mit' });
      const { page, errors, requests } = await watchedPage(browser);
      await page.setContent(html, { waitUntil: 'load' });
      await page.waitForTimeout(100);
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
      // biome-ignore lint/performance/useDomNodeTextContent: what a reader sees (closed <details> excluded) is the point
      const text = await page.innerText('body');
      const total = (m.totals.params ?? m.totals.stored).toLocaleString('en-US');
      expect(text).toContain(`Total params: ${total}`);
      if (m.totals.trainable !== null) expect(text).toContain(`Trainable params: ${m.totals.trainable.toLocaleString('en-US')}`);
      for (const f of inspection.report.findings) expect(text).toContain(f.message);
      if (!inspection.report.findings.some((f) => ['critical', 'high'].includes(f.severity))) {
        expect(text).toMatch(/Stored tensors match the architecture: (\d+) of \1 layers verified|layers with weights verified/);
      }
      // One SVG node per unit of the folded graph, none overlapping another (a graph model has no graph).
      const units = inspection.graph ? foldGraph(inspection.graph, inspection.report).units : [];
      const boxes = await nodeBoxes(page);
      expect(boxes).toHaveLength(units.length);
      const labels = await page.$$eval('svg.ks-graph g.ks-node text:first-of-type', (ts) => ts.map((t) => t.textContent));
      expect(labels).toEqual(units.map((u) => u.title));
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i]!;
          const b = boxes[j]!;
          const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
          expect(apart, `${units[i]!.title} overlaps ${units[j]!.title}`).toBe(true);
        }
      }
      // Readable in dark mode: the body's colours follow the scheme.
      await page.emulateMedia({ colorScheme: 'dark' });
      const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      await page.emulateMedia({ colorScheme: 'light' });
      const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(dark).toBe('rgb(13, 17, 23)');
      expect(light).toBe('rgb(255, 255, 255)');
      // Printable: in print media the collapsed full layer table is shown.
      if (await page.$('details')) {
        const visible = () => page.$eval('details table', (t) => t.checkVisibility());
        const onScreen = await visible();
        await page.emulateMedia({ media: 'print' });
        const printed = await visible();
        await page.emulateMedia({ media: 'screen' });
        expect(onScreen).toBe(false);
        expect(printed).toBe(true);
      }
      if (id === 'fc_tiny_xception_kdef') {
        fs.mkdirSync(path.join(ROOT, 'docs'), { recursive: true });
        // The layer graph and the size section under it.
        const top = await page.$eval('.ks-graph-wrap', (e) => e.getBoundingClientRect().top + window.scrollY - 70);
        await page.screenshot({
          path: path.join(ROOT, 'docs', 'card-screenshot.png'),
          fullPage: true,
          clip: { x: 0, y: top, width: 1000, height: 760 },
        });
      }
      expect(requests).toEqual([]);
      await page.close();
    });
  }

  it("every real model's Mermaid block parses with mermaid itself", async () => {
    const { page, errors, requests } = await watchedPage(browser);
    await page.setContent('<!DOCTYPE html><html><body></body></html>');
    await page.addScriptTag({ path: path.join(ROOT, 'node_modules', 'mermaid', 'dist', 'mermaid.min.js') });
    let parsed = 0;
    for (const m of models!) {
      const { file, weights } = inspectArgs(m);
      const inspection = await inspectModel(file, { weights });
      const card = renderCardMarkdown(inspection);
      const block = /```mermaid\n([\s\S]*?)\n```/.exec(card)?.[1];
      if (!inspection.graph) {
        expect(block).toBeUndefined();
        continue;
      }
      const result = await parseMermaid(page, block!);
      expect(result.type).toBe('flowchart-v2');
      expect(result.nodes, m.id).toBe(foldGraph(inspection.graph, inspection.report).units.length);
      parsed++;
    }
    expect(parsed).toBeGreaterThanOrEqual(8);
    // A malformed chart is rejected, so the check can fail.
    const bad = await page.evaluate(async () => {
      try {
        await (globalThis as unknown as { mermaid: { parse(t: string): Promise<unknown> } }).mermaid.parse(
          'flowchart TD\n  n0["a"] --> --> n1[',
        );
        return 'parsed';
      } catch {
        return 'rejected';
      }
    });
    expect(bad).toBe('rejected');
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });
});
