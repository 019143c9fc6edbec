// The documentation holds together: the README stays a short user guide with the commands CI and users run,
// every relative link and #anchor in the Markdown resolves to a file and a heading, and every docs/…#anchor
// the command line's help and messages point to exists. Anchors are computed as GitHub computes them.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), 'utf8');
const withoutCode = (md: string) => md.replace(/^```[\s\S]*?^```/gm, '');

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(md: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of withoutCode(md).matchAll(/^#{1,6} (.+)$/gm)) {
    const slug = m[1]!
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return out;
}

const pages = [
  'README.md',
  'CONTRIBUTING.md',
  'CHANGELOG.md',
  ...fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

describe('documentation', () => {
  it('the README is at most 300 lines and keeps the start and test commands', () => {
    const readme = read('README.md');
    expect(readme.split('\n').length).toBeLessThanOrEqual(300);
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm ci && npm test');
  });

  it('the anchor rule gives the anchors GitHub gives', () => {
    expect([...anchors('## `kerascope inspect`\n### Exit codes\n## Exit codes\n## The two HDF5 readers\n')]).toEqual([
      'kerascope-inspect',
      'exit-codes',
      'exit-codes-1',
      'the-two-hdf5-readers',
    ]);
  });

  for (const page of pages) {
    it(`${page}: every relative link and anchor resolves`, () => {
      const broken: string[] = [];
      for (const m of withoutCode(read(page)).matchAll(/\]\(([^)\s]+)\)/g)) {
        const url = m[1]!;
        if (/^[a-z]+:/i.test(url)) continue;
        const [file, anchor] = url.split('#') as [string, string | undefined];
        const target = file ? path.posix.normalize(path.posix.join(path.posix.dirname(page), file)) : page;
        if (!fs.existsSync(path.join(ROOT, target))) broken.push(`${url}: no file ${target}`);
        else if (anchor !== undefined && !anchors(read(target)).has(anchor)) broken.push(`${url}: no heading #${anchor} in ${target}`);
      }
      expect(broken).toEqual([]);
    });
  }

  it('every docs/…#anchor in the command line’s help and messages is a heading of that page', () => {
    const cli = fs
      .readdirSync(path.join(ROOT, 'src', 'cli'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => read(`src/cli/${f}`))
      .join('\n');
    const refs = [...cli.matchAll(/docs\/([a-z-]+\.md)(?:#([a-z0-9-]+))?/g)];
    expect(refs.length).toBeGreaterThan(0);
    for (const [ref, file, anchor] of refs) {
      expect(fs.existsSync(path.join(ROOT, 'docs', file!)), ref).toBe(true);
      if (anchor) expect(anchors(read(`docs/${file}`)).has(anchor), ref).toBe(true);
    }
    expect(cli).not.toMatch(/see README/);
  });

  it('no page outside CONTRIBUTING.md points at the real models beside the clone', () => {
    for (const page of pages.filter((p) => p !== 'CONTRIBUTING.md')) expect(read(page), page).not.toContain('../shared');
  });
});
