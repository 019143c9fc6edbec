// Adding a card to an existing README: every existing line kept byte for byte, the blocks after the
// front matter and title (or at `<!-- kerascope:insert -->`), only missing front matter keys added;
// later runs refresh only the blocks.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { addMissingFrontMatter, INSERT_MARKER, insertCard } from '../../../src/card/insert.js';
import { updateCard, renderCardMarkdown } from '../../../src/card/markdown.js';
import { inspectModel } from '../../../src/node/inspect.js';
import { runCli } from '../../helpers/cli.js';

const BLOCK = /<!-- kerascope:begin ([\w-]+) -->\n[\s\S]*?\n<!-- kerascope:end \1 -->\n*/g;
/** The text with kerascope's blocks taken out, blank lines squeezed: what the author wrote. */
const withoutBlocks = (s: string) => s.replace(BLOCK, '').replace(/\n{3,}/g, '\n\n');
const linesOf = (s: string) => s.split('\n');
const frontOf = (s: string) => parseYaml(/^---\r?\n([\s\S]*?)---\r?\n/.exec(s)![1]!) as Record<string, unknown>;

const README = `---
# chosen by legal
license: apache-2.0
language:
  - en
library_name: keras   # our choice
---

# Tiny regression MLP

Predicts a value from three features. “Ünïcödé” | pipes | <b>html</b>

## Usage

Call \`predict\`.

## License

Apache 2.0, see LICENSE.
`;

describe('inserting into an existing README', () => {
  it('keeps every line, puts the blocks after the title, adds only missing front matter keys', async () => {
    const inspection = await inspectModel('fixtures/tfjs/mlp/model.json');
    const out = insertCard(README, inspection, { license: 'mit', tags: ['tabular'], pipelineTag: 'tabular-regression' });
    // Every existing line is there, in order and unchanged: the new text minus the blocks and the
    // added front matter lines is the old text.
    const added = ['tags:', '  - tfjs', '  - tabular', 'pipeline_tag: tabular-regression'];
    const kept = linesOf(withoutBlocks(out)).filter((l) => !added.includes(l));
    expect(kept.join('\n')).toBe(README.replace('# Tiny regression MLP\n\n', '# Tiny regression MLP\n\n'));
    expect(out.startsWith('---\n# chosen by legal\nlicense: apache-2.0\nlanguage:\n  - en\nlibrary_name: keras   # our choice\n')).toBe(
      true,
    );
    // Existing keys are the author's; only missing ones were added.
    expect(frontOf(out)).toEqual({
      license: 'apache-2.0',
      language: ['en'],
      library_name: 'keras',
      tags: ['tfjs', 'tabular'],
      pipeline_tag: 'tabular-regression',
    });
    // The blocks follow the title; the author's License section is kept and no second one added.
    expect(out).toContain('# Tiny regression MLP\n\n<!-- kerascope:begin note -->');
    expect(out).toContain('<!-- kerascope:end integrity -->\n\nPredicts a value');
    expect(out).not.toContain('kerascope:begin license');
    expect(out.match(/^## License$/gm)).toHaveLength(1);
    // A refresh (as the CLI does once blocks exist) changes nothing when nothing changed.
    const fresh = renderCardMarkdown(inspection, { license: 'mit', tags: ['tabular'], pipelineTag: 'tabular-regression' });
    const again = updateCard(out, fresh);
    expect(withoutBlocks(again)).toBe(withoutBlocks(out));
    expect(again).toBe(out);
  });

  it('inserts at the marker, and into a file without front matter or title', async () => {
    const inspection = await inspectModel('fixtures/tfjs/mlp/model.json');
    const text = `Intro line.\n\n${INSERT_MARKER}\n\nMore text.\n`;
    const out = insertCard(text, inspection);
    expect(out.startsWith('---\nlibrary_name: "tfjs"\ntags:\n  - "tfjs"\n---\n\nIntro line.\n\n<!-- kerascope:insert -->\n')).toBe(true);
    expect(out).toMatch(
      /<!-- kerascope:insert -->\n\n<!-- kerascope:begin note -->[\s\S]*<!-- kerascope:end integrity -->\n\nMore text\.\n$/,
    );
    const plain = insertCard('Just text.\n', inspection);
    expect(plain).toMatch(/^---\n[\s\S]*?---\n\n\n?<!-- kerascope:begin note -->[\s\S]*<!-- kerascope:end integrity -->\n\nJust text\.\n$/);
  });

  it('keeps CRLF files CRLF, and adds nothing to a front matter that has every key', () => {
    const crlf = '---\r\nlicense: mit\r\n---\r\n# T\r\n';
    const out = addMissingFrontMatter(crlf, { license: 'apache-2.0', library_name: 'tfjs' });
    expect(out).toBe('---\r\nlicense: mit\r\nlibrary_name: tfjs\r\n---\r\n# T\r\n');
    expect(addMissingFrontMatter(out, { license: 'x', library_name: 'y' })).toBe(out);
    // Not a mapping: left alone.
    expect(addMissingFrontMatter('---\n- a\n---\nx\n', { license: 'mit' })).toBe('---\n- a\n---\nx\n');
  });

  it('kerascope card -o README.md adds the card, exits 0, and refreshes only its blocks later', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-insert-'));
    const readme = path.join(dir, 'README.md');
    fs.writeFileSync(readme, README);
    let r = runCli(['card', 'fixtures/tfjs/mlp/model.json', '--license', 'mit', '-o', readme]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Card added to: ${readme}\nGraph written: ${path.join(dir, 'model_graph.svg')}\n`);
    const first = fs.readFileSync(readme, 'utf8');
    const added = ['tags:', '  - tfjs'];
    expect(
      linesOf(withoutBlocks(first))
        .filter((l) => !added.includes(l))
        .join('\n'),
    ).toBe(README);
    // The author edits their part; the refresh keeps it and touches only the blocks.
    // And a block goes stale, as after a retrain: the refresh replaces it.
    const edited = first
      .replace('Call `predict`.', 'Call `predict` on a batch.')
      .replace(/(<!-- kerascope:begin size -->\n)[\s\S]*?(\n<!-- kerascope:end size -->)/, '$1## Size\n\n- Total params: 1$2');
    fs.writeFileSync(readme, edited);
    r = runCli(['card', 'fixtures/tfjs/mlp/model.json', '--license', 'mit', '-o', readme]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Card refreshed: ${readme}\nGraph unchanged: ${path.join(dir, 'model_graph.svg')}\n`);
    const second = fs.readFileSync(readme, 'utf8');
    expect(withoutBlocks(second)).toBe(withoutBlocks(edited));
    expect(second).toBe(first.replace('Call `predict`.', 'Call `predict` on a batch.'));
    fs.rmSync(dir, { recursive: true });
  });
});
