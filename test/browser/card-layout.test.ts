// The HTML card at 1280 px in a real Chromium: no table wider than its box (the Params column is not cut,
// even with the full layer tables open), numbers right-aligned; a screenshot of the folded explain table.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderCardHtml } from '../../src/card/html.js';
import { renderCardMarkdown } from '../../src/card/markdown.js';
import { inspectModel } from '../../src/node/inspect.js';
import { browserUnavailable, launchBrowser } from '../helpers/browser.js';
import { ROOT } from '../helpers/cli.js';
import { inspectArgs, realModels } from '../helpers/real-models.js';

const skip = browserUnavailable();
const models = realModels();

describe.skipIf(skip !== null || !models)('the HTML card at 1280 px', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('MobileNetV2: every table fits, numbers right-aligned, the explain table folded', async () => {
    const m = models!.find((x) => x.id === 'nsfwjs_mobilenet_v2')!;
    const inspection = await inspectModel(inspectArgs(m).file);
    // The folded explain table: one row per class and formula, 4 for MobileNetV2 + the total.
    const md = renderCardMarkdown(inspection);
    const explain = /<!-- kerascope:begin explain -->([\s\S]*?)<details>/.exec(md)![1]!;
    expect(explain.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Class') && !l.startsWith('| ---')).length).toBe(5);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.setContent(renderCardHtml(inspection), { waitUntil: 'load' });
    const check = async () =>
      page.$$eval('table', (ts) =>
        ts
          .filter((t) => t.checkVisibility())
          .map((t) => ({ scroll: t.scrollWidth, client: t.clientWidth, right: t.getBoundingClientRect().right })),
      );
    for (const open of [false, true]) {
      if (open)
        await page.$$eval('details', (ds) => {
          for (const d of ds) d.setAttribute('open', '');
        });
      const tables = await check();
      expect(tables.length).toBeGreaterThan(open ? 8 : 6);
      for (const t of tables) {
        expect(t.scroll).toBeLessThanOrEqual(t.client + 1);
        expect(t.right).toBeLessThanOrEqual(1280);
      }
    }
    const aligns = await page.$$eval('td[align=right]', (tds) => [...new Set(tds.map((td) => getComputedStyle(td).textAlign))]);
    expect(aligns).toEqual(['right']);
    await page.$$eval('details', (ds) => {
      for (const d of ds) d.removeAttribute('open');
    });
    const h = await page.$$eval('h2', (hs) => {
      const e = hs.find((x) => x.textContent === 'How the counts arise')!;
      return e.getBoundingClientRect().top + window.scrollY - 10;
    });
    await page.screenshot({
      path: path.join(ROOT, 'docs', 'card-explain.png'),
      fullPage: true,
      clip: { x: 0, y: h, width: 1280, height: 420 },
    });
    expect(fs.statSync(path.join(ROOT, 'docs', 'card-explain.png')).size).toBeGreaterThan(10_000);
    await page.close();
  });
});
