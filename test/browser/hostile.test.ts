// The HTML cards of the hostile-names family (fixtures/hostile/) in a real headless Chromium: no script runs,
// no dialog opens, no request leaves the page, no Content-Security-Policy violation is reported, even after
// every link and summary on the page is clicked; the hostile names are on the page as text. The Mermaid
// block of each hostile Markdown card parses with mermaid itself into one node per unit, nothing more.
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldGraph } from '../../src/card/fold.js';
import { renderCardHtml } from '../../src/card/html.js';
import { renderCardMarkdown } from '../../src/card/markdown.js';
import { inspectModel } from '../../src/node/inspect.js';
import { browserUnavailable, launchBrowser, parseMermaid } from '../helpers/browser.js';
import { ROOT } from '../helpers/cli.js';

const skip = browserUnavailable();
const FILES = ['fixtures/hostile/hostile.h5', 'fixtures/hostile/hostile.keras', 'fixtures/hostile/tfjs/model.json'];
/** The card is served at this address (routed in the page: no server, no network). */
const CARD_URL = 'http://card.kerascope.test/card.html';

describe.skipIf(skip !== null)('hostile HTML cards in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const file of FILES) {
    it(`${file}: no script, no dialog, no request, no CSP violation; the names shown as text`, async () => {
      const inspection = await inspectModel(file);
      const html = renderCardHtml(inspection, { license: 'mit', details: true });
      const page = await browser.newPage();
      const dialogs: string[] = [];
      const requests: string[] = [];
      const errors: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      page.on('request', (r) => {
        if (r.url() !== CARD_URL) requests.push(r.url());
      });
      page.on('console', (m) => {
        if (m.type() === 'error' || /Refused to|Content Security Policy/i.test(m.text())) errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      // Runs before the card's own document (through the DevTools protocol, outside the page's CSP): records
      // violations, and any call a payload could make.
      await page.addInitScript(() => {
        const w = window as unknown as { __violations: string[]; __ran: string[] };
        w.__violations = [];
        w.__ran = [];
        document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
        for (const name of ['alert', 'confirm', 'prompt', 'print', 'open'] as const) {
          const original = (window as unknown as Record<string, unknown>)[name];
          (window as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
            w.__ran.push(`${name}(${args.join(',')})`);
            return typeof original === 'function' ? undefined : undefined;
          };
        }
      });
      await page.route(CARD_URL, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
      await page.route(/.*/, (route) => (route.request().url() === CARD_URL ? route.fallback() : route.abort()));
      await page.goto(CARD_URL, { waitUntil: 'load' });
      // Open every <details>, click every link and summary: a `javascript:` link would run now.
      for (const el of await page.$$('summary, a')) await el.click({ timeout: 2000 }).catch(() => {});
      await page.waitForTimeout(200);
      const state = await page.evaluate(() => {
        const w = window as unknown as { __violations: string[]; __ran: string[] };
        return {
          violations: w.__violations,
          ran: w.__ran,
          scripts: document.querySelectorAll('script, iframe, object, embed, form, base, meta[http-equiv="refresh"]').length,
          handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name))).length,
          links: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')),
          images: [...document.querySelectorAll('img')].map((i) => i.getAttribute('src')),
          url: location.href,
          text: document.body.textContent ?? '',
        };
      });
      expect(dialogs).toEqual([]);
      expect(state.ran).toEqual([]);
      expect(requests).toEqual([]);
      expect(state.violations).toEqual([]);
      expect(errors).toEqual([]);
      expect(state.scripts).toBe(0);
      expect(state.handlers).toBe(0);
      expect(state.links.filter((h) => !/^(https?:|mailto:)/i.test(h ?? ''))).toEqual([]);
      expect(state.images.filter((s) => !(s ?? '').startsWith('data:image/'))).toEqual([]);
      expect(state.url).toBe(CARD_URL);
      // The payloads are on the page as text (the visible escapes of their control characters included).
      expect(state.text).toContain('alert(1)');
      expect(state.text).toContain('onerror=alert(2)');
      expect(state.text).toContain('[click](javascript:alert(3))');
      expect(state.text).toContain('\\x1b[2J');
      expect(state.text).toContain('\\u202egnp.exe');
      await page.close();
    });
  }

  it("every hostile Markdown card's Mermaid block parses with mermaid itself: one node per unit, no click", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => requests.push(r.url()));
    await page.setContent('<!DOCTYPE html><html><body></body></html>');
    await page.addScriptTag({ path: path.join(ROOT, 'node_modules', 'mermaid', 'dist', 'mermaid.min.js') });
    for (const file of FILES) {
      const inspection = await inspectModel(file);
      const block = /```mermaid\n([\s\S]*?)\n```/.exec(renderCardMarkdown(inspection))![1]!;
      const result = await parseMermaid(page, block);
      expect(result.type).toBe('flowchart-v2');
      expect(result.nodes, file).toBe(foldGraph(inspection.graph!, inspection.report).units.length);
      // The Mermaid label of the `%%` name holds the whole name as text.
      // Mermaid keeps entity codes as placeholders (`ﬂ°°37¶ß` for `#37;`) until it draws: decoded, the label is
      // the whole name as text, the `%%` and line breaks included, in one node.
      const decoded = result.labels.map((l) => l.replace(/ﬂ°°(\d+)¶ß/g, (_, n: string) => String.fromCharCode(Number(n))));
      const label = decoded.find((l) => l.includes('click n0 call alert(4)'));
      expect(label, JSON.stringify(decoded.slice(0, 3))).toBe(
        '%%{init: {"theme":"dark"}}%%\\n%% comment\\nclick n0 call alert(4) (Dense)<br>(None, 3) · 12 params',
      );
    }
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });
});
