// A real headless browser for the page and card tests: Debian's `chromium` driven by playwright-core (no
// browser download). Outside CI a missing browser skips those tests with a printed reason; under CI=true it
// fails them (.ci/run installs the package when it is missing).
import fs from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.KERASCOPE_CHROMIUM ?? '/usr/bin/chromium';

/** Why the browser tests cannot run here, or null when they can. Under CI a missing browser is an error. */
export function browserUnavailable(): string | null {
  if (fs.existsSync(CHROMIUM)) return null;
  const why = `${CHROMIUM} not found (apt-get install chromium)`;
  if (process.env.CI === 'true') throw new Error(`browser tests must run under CI, but ${why}`);
  console.warn(`skipping browser tests: ${why}`);
  return why;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

/**
 * A Mermaid chart parsed by Mermaid itself in `page` (where mermaid.min.js was loaded): its diagram type, its
 * node count and the nodes' labels (as Mermaid keeps them before drawing).
 */
export function parseMermaid(page: Page, text: string): Promise<{ type: string; nodes: number; labels: string[] }> {
  return page.evaluate(async (chart) => {
    const mm = (
      globalThis as unknown as {
        mermaid: {
          parse(t: string): Promise<{ diagramType: string }>;
          mermaidAPI: {
            getDiagramFromText(
              t: string,
            ): Promise<{ db: { getVertices(): Map<string, { text?: string }> | Record<string, { text?: string }> } }>;
          };
        };
      }
    ).mermaid;
    const r = await mm.parse(chart);
    const d = await mm.mermaidAPI.getDiagramFromText(chart);
    const v = d.db.getVertices();
    const list = v instanceof Map ? [...v.values()] : Object.values(v);
    return { type: r.diagramType, nodes: list.length, labels: list.map((x) => x.text ?? '') };
  }, text);
}
