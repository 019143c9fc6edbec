// Hostile text stays text (issue 20): every command × format over the hostile-names family (fixtures/hostile/,
// made by scripts/fixtures/hostile.mjs) and over files whose names are hostile or not UTF-8, asserting per sink
// that the output holds the ESCAPED text — not merely that it lacks the raw bytes. The expected escapes are
// written here from the rules in docs/escaping.md, independently of src/report/escape/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { Marked } from 'marked';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { updateCard } from '../../src/card/markdown.js';
import { HOSTILE, HOSTILE_PARAMS, h5Name, MODEL_NAMES } from '../../scripts/fixtures/hostile.mjs';
import { ROOT, runCli } from '../helpers/cli.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-hostile-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const T = (p: string) => path.join(tmp, p);

const FIXTURES = {
  h5: 'fixtures/hostile/hostile.h5',
  keras: 'fixtures/hostile/hostile.keras',
  tfjs: 'fixtures/hostile/tfjs/model.json',
} as const;
type Kind = keyof typeof FIXTURES;

/** The layer names each fixture holds (the legacy h5 keeps its layers in groups: no `/`). */
const namesOf = (kind: Kind) =>
  HOSTILE.filter((h) => kind === 'tfjs' || h.h5).map((h) => ({ id: h.id, name: kind === 'h5' ? h5Name(h.name) : h.name }));

// ── the escape rules, written out independently ──────────────────────────────────────────────────────

const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
/** Characters no output may carry raw (kerascope's own newline and tab aside). */
const isBad = (s: string, i: number): boolean => {
  const c = s.charCodeAt(i);
  if (c < 0x20) return c !== 0x0a && c !== 0x09;
  if (c >= 0x7f && c <= 0x9f) return true;
  if ([0xad, 0x61c, 0x180e, 0xfeff].includes(c)) return true;
  if ((c >= 0x200b && c <= 0x200f) || (c >= 0x2028 && c <= 0x202e) || (c >= 0x2060 && c <= 0x2064) || (c >= 0x2066 && c <= 0x2069))
    return true;
  if (c >= 0xfff9 && c <= 0xfffb) return true;
  if (c >= 0xd800 && c <= 0xdbff) return !(i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff);
  if (c >= 0xdc00 && c <= 0xdfff) return !(i > 0 && s.charCodeAt(i - 1) >= 0xd800 && s.charCodeAt(i - 1) <= 0xdbff);
  return false;
};
function rawBad(s: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < s.length && found.length < 5; i++) if (isBad(s, i)) found.push(`U+${hex(s.charCodeAt(i), 4)} at ${i}`);
  return found;
}
/** A name as the terminal shows it: `\n` `\r` `\t`, `\xHH` for other C0, `\uHHHH` for the rest. */
function visibleName(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isBad(s, i) && c !== 0x0a && c !== 0x09) {
      out += s[i];
      continue;
    }
    out += c === 0x0a ? '\\n' : c === 0x0d ? '\\r' : c === 0x09 ? '\\t' : c < 0x20 ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`;
  }
  return out;
}
/** Pieces of a name without spaces (wrapping may break a line between words). */
const words = (s: string) => s.split(/\s+/).filter((w) => w.length > 3);

/** The escaped tokens a terminal rendering of `kind` must show: at least one per lying name. */
function terminalTokens(kind: Kind): string[] {
  const want = ['csi', 'osc', 'cr', 'bidi', 'zw', 'sep', 'c1', ...(kind === 'tfjs' ? ['lone', 'nul'] : [])];
  return namesOf(kind)
    .filter((n) => want.includes(n.id))
    .map((n) => words(visibleName(n.name)).find((w) => /\\[xu]/.test(w))!)
    .filter(Boolean);
}

/** `summarized`: the rendering shows a few findings of a kind and a count (the first names only). */
function expectTerminalSafe(text: string, kind: Kind, what: string, summarized = false) {
  expect(rawBad(text), `${what}: raw control/bidi/zero-width characters`).toEqual([]);
  const tokens = terminalTokens(kind);
  for (const t of summarized ? tokens.slice(0, 2) : tokens) expect(text, `${what}: escaped ${t}`).toContain(t);
}

/** Markdown without its code spans (whose text is literal by definition). */
const withoutCode = (md: string) => md.replace(/(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, '');

/** JSON that strict parsers accept: no lone-surrogate escape, no raw U+2028/2029; parsed names as U+FFFD. */
function expectStrictJson(text: string, what: string) {
  expect(rawBad(text), `${what}: raw characters`).toEqual([]);
  // (an escape is a backslash after an even run of backslashes: `\\ud800` is the text of a visible escape)
  const esc = (x: string) => `(?<!\\\\)(?:\\\\\\\\)*\\\\${x}`;
  expect(text, `${what}: lone high surrogate escape`).not.toMatch(
    new RegExp(`${esc('ud[89ab][0-9a-f]{2}')}(?!\\\\ud[c-f][0-9a-f]{2})`, 'i'),
  );
  expect(text, `${what}: lone low surrogate escape`).not.toMatch(
    new RegExp(`(?<!\\\\ud[89ab][0-9a-f]{2})${esc('ud[c-f][0-9a-f]{2}')}`, 'i'),
  );
  return JSON.parse(text);
}

/** Markdown whose model text is text: no tag but kerascope's own, escaped forms present, tables intact. */
function expectMarkdownText(md: string, what: string, names: { id: string; name: string }[]) {
  expect(rawBad(md), `${what}: raw characters`).toEqual([]);
  const tags =
    withoutCode(md).match(
      /<(?!!-- -->|\/?details>|\/?summary>|br\/>|!-- kerascope:(?:begin|end) [\w-]+ -->|!-- kerascope check -->|!-- Generated by kerascope [\d.]+ from the model file: [^<>]*-->$)[A-Za-z/!?][^>\n]{0,40}/gm,
    ) ?? [];
  expect(tags, `${what}: HTML from a model`).toEqual([]);
  expect(withoutCode(md), `${what}: a mention`).not.toMatch(/@octocat/);
  expect(withoutCode(md), `${what}: a bare link`).not.toMatch(/https?:\/\/evil|javascript:|www\.evil/);
  const ids = new Set(names.map((n) => n.id));
  // As text, `<` is an entity; inside a code span it is literal (and inert).
  if (ids.has('script')) expect(md).toMatch(/&lt;script&gt;alert\(1\)|`+<script>alert\(1\)/);
  if (ids.has('mention')) expect(md).toMatch(/@<!-- -->octocat|`+[^`\n]*@octocat/);
  if (ids.has('link')) expect(md).toMatch(/\\\[click\\\]\(javascript\\:alert\(3\)\)|`+[^`\n]*\[click\]\(javascript:alert/);
  if (ids.has('csi')) expect(md).toContain('\\x1b\\[2J');
  // GFM tables: every row has as many cells as its header (pipes after an even run of backslashes split).
  const lines = md.split('\n');
  const cells = (l: string) => l.split(/(?<=(?:^|[^\\])(?:\\\\)*)\|/).length;
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('|') || i === 0 || lines[i - 1]!.startsWith('|')) continue;
    const n = cells(lines[i]!);
    for (let j = i; j < lines.length && lines[j]!.startsWith('|'); j++)
      expect(cells(lines[j]!), `${what}: row ${lines[j]!.slice(0, 80)}`).toBe(n);
  }
  // An independent GFM renderer finds no link, image or raw element a model wrote.
  const html = new Marked({ gfm: true }).parse(md, { async: false }) as string;
  expect(html).not.toMatch(/<a\s|<img|<script|<[^>]*\son\w+=/i);
}

// ── every command × format ───────────────────────────────────────────────────────────────────────────

fs.mkdirSync(tmp, { recursive: true });

describe.each(Object.keys(FIXTURES) as Kind[])('%s: every command and format', (kind) => {
  const file = FIXTURES[kind];
  const names = namesOf(kind);

  it('the fixture is what the family says (counts against 12 parameters per Dense(3))', () => {
    const r = runCli(['inspect', file, '-f', 'json']);
    const report = expectStrictJson(r.stdout, 'inspect json');
    expect(report.totals.params).toBe(HOSTILE_PARAMS[kind]);
    expect(report.totals.stored).toBe(HOSTILE_PARAMS[kind]);
  });

  it('inspect table, --quiet and --explain: the terminal sees escapes', () => {
    for (const extra of [[], ['--quiet'], ['--explain', '--connections']]) {
      const r = runCli(['inspect', file, '--width', '1000', ...extra]);
      expect(r.code).toBe(1); // deceptive-name is an error finding
      expectTerminalSafe(r.stdout, kind, `inspect ${extra.join(' ')}`, extra[0] === '--quiet');
      expect(rawBad(r.stderr)).toEqual([]);
    }
  });

  it('inspect json and jsonl: strict JSON; names kept (lone surrogates as U+FFFD), U+2028/2029 escaped', () => {
    const json = expectStrictJson(runCli(['inspect', file, '-f', 'json']).stdout, 'json');
    const lines = runCli(['inspect', file, file, '-f', 'jsonl']).stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    for (const l of lines) expectStrictJson(l, 'jsonl');
    const layerNames = json.layers.map((l: { name: string }) => l.name);
    for (const n of names) expect(layerNames).toContain(n.name.replace(/[\ud800-\udfff]/g, '\ufffd'));
    if (kind === 'tfjs') {
      expect(runCli(['inspect', file, '-f', 'json']).stdout).toContain('sep\\u2028line\\u2029para');
      expect(json.model.name).toHaveLength(MODEL_NAMES.tfjs.length);
    }
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schema', 'report.schema.json'), 'utf8'));
    expect(new Ajv2020({ allErrors: true }).compile(schema)(json)).toBe(true);
  });

  it('audit: the deceptive-name finding names each layer escaped; table, json, sarif', () => {
    const table = runCli(['audit', file, '--width', '1000']);
    expect(table.code).toBe(1);
    expectTerminalSafe(table.stdout, kind, 'audit table', true);
    const json = expectStrictJson(runCli(['audit', file, '-f', 'json']).stdout, 'audit json');
    const deceptive = json.findings.filter((f: { code: string }) => f.code === 'deceptive-name');
    for (const n of names.filter((x) => ['csi', 'bidi', 'zw', 'cr', 'sep', ...(kind === 'tfjs' ? ['lone'] : [])].includes(x.id))) {
      const f = deceptive.find((x: { message: string }) => x.message.includes(`"${visibleName(n.name)}"`));
      expect(f, `deceptive-name for ${n.id}`).toBeDefined();
      expect(f.severity).toBe('high');
    }
    // Names without lying characters are no deception.
    expect(deceptive.some((x: { message: string }) => x.message.includes('pipe | cell'))).toBe(false);
    const sarif = expectStrictJson(runCli(['audit', file, '-f', 'sarif']).stdout, 'sarif');
    expect(sarif.runs[0].results.some((r: { ruleId: string }) => r.ruleId === 'deceptive-name')).toBe(true);
  });

  it('explain: text escaped, markdown as text, json strict; --layer error on stderr escaped', () => {
    const text = runCli(['explain', file]);
    expect(text.code).toBe(0);
    expectTerminalSafe(text.stdout, kind, 'explain text');
    expectMarkdownText(runCli(['explain', file, '-f', 'markdown']).stdout, 'explain markdown', names);
    expectStrictJson(runCli(['explain', file, '-f', 'json']).stdout, 'explain json');
    const miss = runCli(['explain', file, '--layer', 'no such layer']);
    expect(miss.code).toBe(2);
    expect(miss.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(miss.stderr).toMatch(/^kerascope: .*: no layer with weights named no such layer; layers with weights: /);
    expect(rawBad(miss.stderr)).toEqual([]);
    expect(miss.stderr).toContain(visibleName(names.find((n) => n.id === 'csi')!.name));
  });

  it('diff against a benign model: text, json, markdown, github', () => {
    const other = 'fixtures/keras-h5/mlp.h5';
    const text = runCli(['diff', other, file]);
    expectTerminalSafe(text.stdout, kind, 'diff text');
    expectStrictJson(runCli(['diff', other, file, '-f', 'json']).stdout, 'diff json');
    const md = runCli(['diff', other, file, '-f', 'markdown']).stdout;
    expectMarkdownText(md, 'diff markdown', names);
    // A name with backtick runs is a code span with a longer fence.
    const ticks = names.find((n) => n.id === 'ticks')!.name;
    expect(md).toContain(`| \`\`\`\`${ticks}\`\`\`\` |`);
    expectGithub(runCli(['diff', other, file, '-f', 'github']).stdout, kind, 'diff github');
  });

  it('check against a benign baseline and a budget: text, json, markdown, github', () => {
    // The model's own baseline (a baseline records which model it is for): its findings are known, the budget breaks.
    const own = T(`${kind}-own.baseline.json`);
    if (!fs.existsSync(own)) expect(runCli(['baseline', file, '-o', own]).code).toBe(1);
    const args = ['check', file, '--baseline', own, '--max-params', '10 params'];
    const text = runCli(args);
    expect(text.code).toBe(1);
    expectTerminalSafe(text.stdout, kind, 'check text');
    expect(rawBad(text.stderr)).toEqual([]);
    expectStrictJson(runCli([...args, '-f', 'json']).stdout, 'check json');
    const md = runCli([...args, '-f', 'markdown']).stdout;
    // (against its own baseline no layer changed: the names reach it through the known findings only)
    expectMarkdownText(md, 'check markdown', []);
    // The verdict line is kerascope's alone: no model text can fake one.
    expect(md.split('\n').filter((l) => /kerascope check (passed|failed)/.test(l))).toHaveLength(1);
    // (only new findings are annotated: against its own baseline there are none, so no layer name need appear)
    expectGithub(runCli([...args, '-f', 'github']).stdout, kind, 'check github', false);
  });

  it('baseline --stdout: strict JSON; the error line on stderr escaped', () => {
    const r = runCli(['baseline', file, '--stdout']);
    expect(r.code).toBe(1);
    expectStrictJson(r.stdout, 'baseline');
    expect(rawBad(r.stderr)).toEqual([]);
    expect(r.stderr).toMatch(/deceptive-name/);
  });

  it('card markdown: blocks as text, one marker pair per block, Mermaid labels on one line, front matter from the YAML library', () => {
    // The model's own name as the title (by default the title is the file's name).
    // (the TF.js model's 200,000-character name is longer than one command-line argument may be)
    const r = runCli(['card', file, '--license', 'mit', ...(kind === 'tfjs' ? [] : ['--title', MODEL_NAMES[kind]])]);
    expect(r.code).toBe(0);
    const md = r.stdout;
    const fm = parseYaml(/^---\n([\s\S]*?)---\n/.exec(md)![1]!);
    const library = kind === 'tfjs' ? 'tfjs' : kind === 'h5' ? 'tf-keras' : 'keras';
    expect(fm).toEqual({ library_name: library, tags: [library], license: 'mit' });
    const body = md.slice(md.indexOf('\n---\n') + 5);
    expectMarkdownText(body.replace(/```mermaid[\s\S]*?```/, ''), 'card', names);
    // The title is one escaped line.
    const title = body.split('\n').find((l) => l.startsWith('# '))!;
    expect(title.length).toBeGreaterThan(2);
    // (Markdown source: `\\n` renders as the visible escape `\n`)
    if (kind === 'h5')
      expect(title).toBe(
        '# title\\\\n---\\\\nlicense: evil\\\\n---\\\\n&lt;!-- kerascope:begin integrity --&gt;\\\\n\\# fake &lt;script&gt;alert(6)&lt;/script&gt;',
      );
    // Exactly one begin and one end marker per block, in pairs.
    // (model text that spells a marker is escaped text inside a line: `&lt;!-- kerascope:begin …`)
    const markers = md.split('\n').filter((l) => /^\s*<!--/.test(l) && !l.startsWith('<!-- Generated by kerascope '));
    expect(markers.every((l) => /^<!-- kerascope:(begin|end) [\w-]+ -->$/.test(l))).toBe(true);
    // 11 blocks: note, overview, usage, architecture, graph, size, explain, training, integrity, two author prompts
    expect(markers).toHaveLength(22);
    // Mermaid: node lines and edges only; no `%%`, no line break inside a label.
    const mermaid = /```mermaid\n([\s\S]*?)\n```/.exec(md)![1]!;
    for (const line of mermaid.split('\n')) expect(line).toMatch(/^(flowchart TD| {2}n\d+\["[^"\n]*"\]| {2}n\d+ --> n\d+)$/);
    expect(mermaid).not.toContain('%%');
    expect(mermaid).toContain('#37;#37;{init: {#34;theme#34;:#34;dark#34;}}#37;#37;#92;n#37;#37; comment#92;nclick n0 call alert(4)');
  });

  it('card html: no script, no event handler, no javascript: link, a CSP without unsafe-inline script', () => {
    const r = runCli(['card', file, '-f', 'html']);
    expect(r.code).toBe(0);
    const html = r.stdout;
    expect(rawBad(html)).toEqual([]);
    expect(html).not.toMatch(/<script|<img|<iframe|<[^>]*\son[a-z]+\s*=|href\s*=\s*"?\s*javascript:/i);
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1]!;
    expect(csp).toMatch(/script-src 'none'/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(html).toContain('&lt;script&gt;alert(1)');
  });
});

function expectGithub(out: string, kind: Kind, what: string, names = true) {
  expect(rawBad(out), `${what}: raw characters`).toEqual([]);
  const lines = out.trimEnd().split('\n');
  // Every line is one workflow command: no model text can end one or start another.
  for (const l of lines) expect(l, what).toMatch(/^::(error|warning|notice) (file=[^,]*,)?title=[^:]*::/);
  void kind;
  if (names) expect(out).toContain('\\x1b[2J');
}

// ── card refresh, templates ──────────────────────────────────────────────────────────────────────────

describe('card refresh and templates', () => {
  it('a card of a hostile model refreshes; markers that are not one pair per block are refused, file unchanged', () => {
    const card = T('README.md');
    expect(runCli(['card', FIXTURES.h5, '-o', card]).code).toBe(0);
    const first = fs.readFileSync(card, 'utf8');
    // The author writes around the blocks; the refresh keeps it.
    fs.writeFileSync(card, `${first}\n## Notes\n\nOur own text.\n`);
    const again = runCli(['card', FIXTURES.h5, '-o', card]);
    expect(again.code).toBe(0);
    expect(fs.readFileSync(card, 'utf8')).toBe(`${first}\n## Notes\n\nOur own text.\n`);
    for (const broken of [
      `${first}\n<!-- kerascope:begin integrity -->\n`, // a second begin, unpaired
      first.replace('<!-- kerascope:end size -->\n', ''), // a begin without its end
      first.replace('<!-- kerascope:begin io -->', '<!-- kerascope:begin io --> x'), // a marker that is not one
      `${first}\n<!-- kerascope:begin size -->\nx\n<!-- kerascope:end size -->\n`, // a block twice
    ]) {
      fs.writeFileSync(card, broken);
      const r = runCli(['card', FIXTURES.tfjs, '-o', card]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^kerascope: ${card.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: line \\d+`));
      expect(fs.readFileSync(card, 'utf8')).toBe(broken);
    }
  });

  it('the refresh on disk (streamed) gives what updateCard gives in memory: author text, front matter and blocks', () => {
    const card = T('same.md');
    expect(runCli(['card', FIXTURES.h5, '-o', card, '--license', 'mit']).code).toBe(0);
    const edited = fs
      .readFileSync(card, 'utf8')
      .replace('license: "mit"\n', 'license: mit # ours\n')
      .replace('## Intended use', 'Author paragraph.\r\n\n## Intended use');
    fs.writeFileSync(card, edited);
    const fresh = runCli(['card', FIXTURES.tfjs, '--tag', 'vision']).stdout;
    expect(runCli(['card', FIXTURES.tfjs, '--tag', 'vision', '--graph', 'mermaid', '-o', card]).stdout).toBe(`Card refreshed: ${card}\n`);
    const onDisk = fs.readFileSync(card, 'utf8');
    expect(onDisk).toBe(updateCard(edited, fresh));
    expect(onDisk).toContain('license: mit # ours\n');
    expect(onDisk).toContain('Author paragraph.\r\n\n## Intended use');
    expect(runCli(['card', FIXTURES.tfjs, '--tag', 'vision', '--graph', 'mermaid', '-o', card]).stdout).toBe(`Card unchanged: ${card}\n`);
  });

  it('refreshing a 64 MB card stays under 150 MB of memory (it was 397 MB): memory follows the blocks, not the file', () => {
    const card = T('big.md');
    expect(runCli(['card', FIXTURES.h5, '-o', card]).code).toBe(0);
    const line = `${'Author text, long enough to fill a big card. '.repeat(4)}\n`;
    const fd = fs.openSync(card, 'a');
    const chunk = Buffer.from(line.repeat(Math.ceil((1 << 20) / line.length)));
    for (let i = 0; i < 64; i++) fs.writeSync(fd, chunk);
    fs.closeSync(fd);
    const before = fs.statSync(card).size;
    expect(before).toBeGreaterThan(64 << 20);
    const tail = Buffer.alloc(4096);
    const r = runCli(['--max-memory', '150', 'card', FIXTURES.keras, '--graph', 'mermaid', '-o', card]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Card refreshed: ${card}\n`);
    const after = fs.openSync(card, 'r');
    const size = fs.fstatSync(after).size;
    fs.readSync(after, tail, 0, tail.length, size - tail.length);
    fs.closeSync(after);
    expect(tail.toString('utf8').endsWith(line)).toBe(true);
    expect(Math.abs(size - before)).toBeLessThan(64 << 10);
  });

  it('a template: {{title}} in the front matter is a quoted YAML scalar, in the body Markdown text', () => {
    const template = T('template.md');
    fs.writeFileSync(template, '---\nmodel_title: {{title}}\n---\n# {{title}}\n\n{{integrity}}\n');
    const r = runCli(['card', FIXTURES.h5, '--template', template, '--title', MODEL_NAMES.h5]);
    expect(r.code).toBe(0);
    const fm = parseYaml(/^---\n([\s\S]*?)---\n/.exec(r.stdout)![1]!);
    expect(fm.model_title).toBe(MODEL_NAMES.h5);
    expect(fm.license).toBeUndefined();
    expect(Object.keys(fm).sort()).toEqual(['library_name', 'model_title', 'tags']);
    const body = r.stdout.slice(r.stdout.indexOf('\n---\n') + 5);
    expect(body.split('\n')[0]).toMatch(/^# title\\\\n---\\\\nlicense: evil/);
  });
});

// ── hostile file names: stderr lines, scan ───────────────────────────────────────────────────────────

describe('hostile file names', () => {
  it('the one error line names a file with control and bidi characters escaped', () => {
    const name = T('evil\u001b]0;title\u0007\u202etxt.h5');
    fs.writeFileSync(name, 'not a model');
    const r = runCli(['inspect', name]);
    expect(r.code).toBe(2);
    expect(rawBad(r.stderr)).toEqual([]);
    expect(r.stderr).toBe(`kerascope: ${tmp}/evil\\x1b]0;title\\x07\\u202etxt.h5: ${r.stderr.split(': ').slice(2).join(': ')}`);
  });

  it('scan: a name that is not UTF-8 is inspected and shown with \\xHH escapes; skipped entries listed and counted', () => {
    const dir = T('scan');
    fs.mkdirSync(dir);
    const bytes = (...parts: (string | number[])[]) =>
      Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
    fs.copyFileSync(FIXTURES.h5, bytes(dir, '/bad-', [0xff, 0xfe], '.h5'));
    fs.copyFileSync(FIXTURES.keras, bytes(dir, '/ctrl-\u001b[2J.keras'));
    const sub = bytes(dir, '/dir-', [0xc3, 0x28]);
    fs.mkdirSync(sub);
    for (const f of fs.readdirSync('fixtures/hostile/tfjs'))
      fs.copyFileSync(path.join('fixtures/hostile/tfjs', f), Buffer.concat([sub, Buffer.from(`/${f}`)]));
    fs.symlinkSync('nowhere', path.join(dir, 'dangling'));
    const table = runCli(['scan', dir, '-j', '2']);
    expect(table.code).toBe(1);
    expect(rawBad(table.stdout)).toEqual([]);
    expect(table.stdout).toContain(`${dir}/bad-\\xff\\xfe.h5`);
    expect(table.stdout).toContain(`${dir}/ctrl-\\x1b[2J.keras`);
    expect(table.stdout).toContain(`${dir}/dir-\\xc3(/model.json`);
    expect(table.stdout).toMatch(
      / 3 models: 0 ok, 3 with security findings, 1 with integrity findings \(high or above\), 0 unreadable; 1 entry skipped/,
    );
    expect(table.stdout).toContain(`  ${dir}/dangling: dangling link`);
    const jsonl = runCli(['scan', dir, '-f', 'jsonl', '-j', '2']);
    const rows = jsonl.stdout
      .trimEnd()
      .split('\n')
      .map((l) => expectStrictJson(l, 'scan jsonl'));
    // The last record is the summary: the skipped entry counted there too.
    expect(rows.pop()).toEqual({ summary: { models: 3, ok: 0, security: 3, integrity: 1, unreadable: 0, skipped: 1 } });
    expect(rows.map((r) => r.path).sort()).toEqual(
      [`${dir}/bad-\\xff\\xfe.h5`, `${dir}/ctrl-\u001b[2J.keras`, `${dir}/dir-\\xc3(/model.json`].sort(),
    );
    const params = Object.fromEntries(rows.map((r) => [r.format, r.totals.params]));
    expect(params).toEqual({ 'keras-h5': HOSTILE_PARAMS.h5, 'keras-v3': HOSTILE_PARAMS.keras, 'tfjs-layers': HOSTILE_PARAMS.tfjs });
    expect(jsonl.stderr).toBe(`kerascope: ${dir}/dangling: skipped (dangling link)\n`);
  });
});
