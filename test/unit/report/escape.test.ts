// The escaping modules one by one (src/report/escape/, docs/escaping.md), each checked against an independent
// reader of its sink where there is one: JSON.parse, the YAML library, marked (GFM), the marker rules.
import { Marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CardMarkerError, findBlocks } from '../../../src/card/markers.js';
import { bytesText } from '../../../src/model/text.js';
import { escapeHtml, safeHref } from '../../../src/report/escape/html.js';
import { stringifyJson } from '../../../src/report/escape/json.js';
import { mdCode, mdText } from '../../../src/report/escape/markdown.js';
import { mermaidLabel } from '../../../src/report/escape/mermaid.js';
import { escapeTerminal, guardOutput, terminalSafe } from '../../../src/report/escape/terminal.js';
import { yamlDocument, yamlScalar } from '../../../src/report/escape/yaml.js';

const ESC = '\u001b';
const gfm = (md: string) => new Marked({ gfm: true }).parse(md, { async: false }) as string;

describe('terminal', () => {
  it('controls, bidi and zero-width characters as visible escapes; printable text unchanged', () => {
    expect(escapeTerminal(`a${ESC}]0;t\u0007\r\b\u007f\u0085\u202e\u200b\ud800\n\tz`)).toBe(
      'a\\x1b]0;t\\x07\\r\\x08\\u007f\\u0085\\u202e\\u200b\\ud800\\n\\tz',
    );
    expect(escapeTerminal('dense_1 (Dense) → 😀 日本')).toBe('dense_1 (Dense) → 😀 日本');
    // Idempotent: the escapes are printable ASCII.
    expect(escapeTerminal(escapeTerminal(`${ESC}[2J`))).toBe('\\x1b[2J');
  });
  it('terminalSafe maps every string of a value, keys and Map entries included, and shares what did not change', () => {
    const clean = { a: ['x'], b: 1 };
    expect(terminalSafe(clean)).toBe(clean);
    const out = terminalSafe({ [`k${ESC}`]: [`v${ESC}`], m: new Map([[`n${ESC}`, 'ok']]), n: null });
    expect(out).toEqual({ 'k\\x1b': ['v\\x1b'], m: new Map([['n\\x1b', 'ok']]), n: null });
  });
  it('the last guard keeps newlines, tabs and kerascope colour sequences only', () => {
    expect(guardOutput(`${ESC}[31mred${ESC}[39m\tok\n`, true)).toBe(`${ESC}[31mred${ESC}[39m\tok\n`);
    expect(guardOutput(`${ESC}[31mred`, false)).toBe('\\x1b[31mred');
    expect(guardOutput(`x${ESC}]52;c;AA==\u0007 \u202e 😀`, true)).toBe('x\\x1b]52;c;AA==\\x07 \\u202e 😀');
    // Inside JSON the guard's escapes read back as the same characters.
    const json = JSON.stringify({ n: 'a\u0085\u202e\u007f' });
    expect(JSON.parse(guardOutput(json, true))).toEqual({ n: 'a\u0085\u202e\u007f' });
  });
  it('file names as bytes: invalid UTF-8 bytes as \\xHH, valid characters decoded', () => {
    expect(bytesText(Uint8Array.from([0x61, 0xff, 0xfe, 0xc3, 0xa9, 0xc3, 0x28, 0x1b, 0xf0, 0x9f, 0x98, 0x80]))).toBe(
      'a\\xff\\xfeé\\xc3(\\x1b😀',
    );
  });
});

describe('JSON', () => {
  it('lone surrogates as U+FFFD, U+2028/2029 escaped; pairs kept', () => {
    const text = stringifyJson({ a: 'x\ud800y', b: '\udc00', c: '😀', d: 'l\u2028p\u2029', 'k\ud800': 1 }, 2);
    expect(text).not.toMatch(/\\ud[89a-f]/i);
    expect(text).toContain('\\u2028');
    expect(text).not.toMatch(/[\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual({ a: 'x\ufffdy', b: '\ufffd', c: '😀', d: 'l\u2028p\u2029', 'k\ufffd': 1 });
  });

  it('text that only looks like an escaped surrogate is kept; a lone one after escaped backslashes is not', () => {
    // '\\ud800' is a backslash then "ud800" (JSON text \\ud800); '\\\ud800' a backslash then a lone surrogate.
    const value = { plain: '\\ud800', after: '\\\ud800', pair: '\ud83d\ude00', both: '\\ud83d\udc00' };
    expect(JSON.parse(stringifyJson(value))).toEqual({ plain: '\\ud800', after: '\\\ufffd', pair: '😀', both: '\\ud83d\ufffd' });
  });
});

describe('Markdown', () => {
  it('inline text renders as the same text, with no element a model chose', () => {
    for (const s of [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '[x](javascript:alert(1)) ![i](https://e.example/i.png)',
      '<https://e.example> https://e.example/a www.e.example mail@e.example',
      '*em* _em_ **b** ~~s~~ `c` $m$ | pipe',
      '# heading',
      '- item',
      '1. item',
      'a\\b',
    ]) {
      const html = gfm(`x ${mdText(s)}`);
      expect(html, s).not.toMatch(/<(?!\/?p>)[a-z]/i);
      // What the reader sees is the text itself.
      const text = html
        .replace(/<!-- -->/g, '')
        .replace(/<\/?p>\n?/g, '')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, '&');
      expect(text, s).toBe(`x ${s}`);
    }
  });
  it('mentions and references are split by an empty comment; control characters are visible escapes', () => {
    expect(mdText('@octocat #12 GH-3 abc1234def')).toBe('@<!-- -->octocat \\#<!-- -->12 GH<!-- -->-3 a<!-- -->bc1234def');
    expect(mdText(`a\nb${ESC}[2J`)).toBe('a\\\\nb\\\\x1b\\[2J');
    expect(mdText('snake_case_name')).toBe('snake_case_name');
  });
  it('a code span has a fence longer than any backtick run, pipes escaped in a cell', () => {
    expect(mdCode('a ``` b ` c')).toBe('````a ``` b ` c````');
    expect(mdCode('`x`')).toBe('`` `x` ``');
    expect(mdCode('a|b')).toBe('`a\\|b`');
    const html = gfm(`| h |\n| --- |\n| ${mdCode('<b>|``x')} |`);
    expect(html).toContain('<td><code>&lt;b&gt;|``x</code></td>');
  });
  it('a table cell never ends early: one cell per column whatever the text', () => {
    const html = gfm(`| a | b |\n| --- | --- |\n| ${mdText('x | y\\| z\n| w')} | ${mdText('\\|')} |`);
    expect((html.match(/<td>/g) ?? []).length).toBe(2);
  });
});

describe('Mermaid, HTML, YAML', () => {
  it('a Mermaid label stays on its line: no %%, no quote, no line break', () => {
    const l = mermaidLabel('%%{init: {"a":1}}%%\n%% c\r"]\\');
    expect(l).not.toMatch(/[%"\n\r\\]/);
    expect(l).toBe('#37;#37;{init: {#34;a#34;:1}}#37;#37;#92;n#37;#37; c#92;r#34;]#92;');
  });
  it('HTML: entities and visible escapes; links only http, https, mailto', () => {
    expect(escapeHtml(`<a href="x">'&'</a>${ESC}`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;\\x1b');
    expect([safeHref('https://a'), safeHref('mailto:a@b'), safeHref(' javascript:x'), safeHref('data:text/html,x')]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
  it('YAML: double-quoted scalars on one line that read back as the same string', () => {
    for (const s of ['x\n---\nlicense: evil\n---\n', 'a: b # c', '\'"', 'l\u2028p\u202e', '{{x}}', '- item']) {
      const y = yamlScalar(s);
      expect(y.includes('\n'), s).toBe(false);
      expect(y.startsWith('"'), s).toBe(true);
      expect(parseYaml(`k: ${y}\n`), s).toEqual({ k: s });
    }
    expect(parseYaml(yamlDocument({ title: 'x\n---\nlicense: evil' }))).toEqual({ title: 'x\n---\nlicense: evil' });
    expect(yamlScalar('a\ud800')).toBe('"a\ufffd"');
  });
});

describe('card markers', () => {
  const card = (...lines: string[]) => lines.join('\n');
  it('finds one pair per block', () => {
    const text = card(
      '# t',
      '<!-- kerascope:begin a -->',
      'x',
      '<!-- kerascope:end a -->',
      'y',
      '<!-- kerascope:begin b -->',
      '<!-- kerascope:end b -->',
    );
    expect(findBlocks(text).map((b) => [b.name, text.slice(b.start, b.end)])).toEqual([
      ['a', '<!-- kerascope:begin a -->\nx\n<!-- kerascope:end a -->'],
      ['b', '<!-- kerascope:begin b -->\n<!-- kerascope:end b -->'],
    ]);
    // Marker text inside a line is text.
    expect(findBlocks('a <!-- kerascope:begin a --> b')).toEqual([]);
  });
  it('refuses a begin without end, an end without begin, nesting, a block twice, a line that looks like a marker', () => {
    for (const [text, line] of [
      [card('<!-- kerascope:begin a -->', 'x'), 1],
      [card('x', '<!-- kerascope:end a -->'), 2],
      [card('<!-- kerascope:begin a -->', '<!-- kerascope:begin b -->', '<!-- kerascope:end b -->', '<!-- kerascope:end a -->'), 2],
      [card('<!-- kerascope:begin a -->', '<!-- kerascope:end a -->', '<!-- kerascope:begin a -->', '<!-- kerascope:end a -->'), 3],
      [card('<!-- kerascope:begin a --> trailing'), 1],
      [card('  <!--kerascope:end a-->'), 1],
    ] as const) {
      expect(() => findBlocks(text), text).toThrow(CardMarkerError);
      expect(() => findBlocks(text), text).toThrow(new RegExp(`^line ${line}[: ]`));
    }
  });
});
