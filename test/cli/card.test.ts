// `kerascope card`: cards for every real model, with their totals checked against EXPECTED.json, the front
// matter parsed as YAML, the files' SHA-256 against node:crypto, the Mermaid graph against the folded
// graph; re-running keeps the author's text byte for byte; MAC estimates against hand arithmetic.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { estimateMacs } from '../../src/layers/index.js';
import { foldGraph } from '../../src/card/fold.js';
import { sha256Files } from '../../src/card/hash.js';
import { renderCardMarkdown, TemplateError, updateCard } from '../../src/card/markdown.js';
import { buildGraph } from '../../src/graph/index.js';
import type { Inspection } from '../../src/inspect.js';
import type { LayerNode } from '../../src/model/types.js';
import { openPath } from '../../src/node/file-source.js';
import { inspectModel } from '../../src/node/inspect.js';
import { runCli } from '../helpers/cli.js';
import { inspectArgs, realModels } from '../helpers/real-models.js';

const models = realModels();

const BLOCK = /<!-- kerascope:begin ([\w-]+) -->\n[\s\S]*?\n<!-- kerascope:end \1 -->/g;

/** The text outside the generated blocks (what the author owns), in order. */
function authorParts(card: string): string[] {
  return card.split(BLOCK).filter((_, i) => i % 2 === 0);
}

function totalsOf(card: string) {
  const num = (re: RegExp) => {
    const m = re.exec(card);
    return m ? Number(m[1]!.replace(/,/g, '')) : null;
  };
  return {
    params: num(/^- Total params: ([\d,]+)/m),
    trainable: num(/^- Trainable params: ([\d,]+)/m),
    nonTrainable: num(/^- Non-trainable params: ([\d,]+)/m),
    stored: num(/^- Stored: ([\d,]+) values/m),
  };
}

function mermaidOf(card: string): string | null {
  return /```mermaid\n([\s\S]*?)\n```/.exec(card)?.[1] ?? null;
}

async function cardFor(file: string, weights: string | undefined, opts: Parameters<typeof renderCardMarkdown>[1] = {}) {
  const inspection = await inspectModel(file, { weights });
  const hashes = await sha256Files(inspection.report.files, (p) => openPath(p));
  return { inspection, hashes, card: renderCardMarkdown(inspection, { ...opts, hashes }) };
}

describe.skipIf(!models)('cards of the real models', () => {
  for (const m of models ?? []) {
    it(`${m.id}: totals, front matter, SHA-256, graph`, async () => {
      const { file, weights } = inspectArgs(m);
      const { inspection, card } = await cardFor(file, weights, { license: 'apache-2.0', tags: ['vision', 'test'] });
      // Totals equal EXPECTED.json (TF.js countParams(); stored counts where TF.js cannot build the model).
      const t = totalsOf(card);
      expect(t.params).toBe(m.totals.params ?? m.totals.stored);
      expect(t.stored).toBe(m.totals.stored);
      if (m.totals.trainable !== null) {
        expect(t.trainable).toBe(m.totals.trainable);
        expect(t.nonTrainable).toBe(m.totals.nonTrainable);
      }
      // Front matter is YAML with the Hub's keys.
      const fm = /^---\n([\s\S]*?)\n---\n/.exec(card)?.[1];
      const yaml = parseYaml(fm!) as Record<string, unknown>;
      // library_name as the Hub tells them apart: Keras 3 `keras`, Keras 2 / tf.keras `tf-keras`, TF.js `tfjs`.
      const library = m.format.startsWith('tfjs')
        ? 'tfjs'
        : m.format === 'keras-v3' || /^3\./.test(inspection.report.kerasVersion ?? '')
          ? 'keras'
          : 'tf-keras';
      expect(yaml).toEqual({ library_name: library, license: 'apache-2.0', tags: [library, 'vision', 'test'] });
      // Each present file's SHA-256, computed independently.
      for (const f of inspection.report.files.filter((x) => x.present)) {
        const sha = createHash('sha256').update(fs.readFileSync(f.path)).digest('hex');
        expect(card).toContain(`| ${path.basename(f.path)} | ${f.bytes.toLocaleString('en-US')} B`);
        expect(card).toContain(`\`${sha}\``);
      }
      // The explain table ends at the same total.
      expect(card).toMatch(
        new RegExp(`\\| \\*\\*Total\\*\\* \\|.*\\| \\*\\*${(m.totals.params ?? m.totals.stored).toLocaleString('en-US')}\\*\\* \\|`),
      );
      // Author sections are there, visibly incomplete; the License is filled from --license.
      expect(card.match(/> _To be written by the author:/g)).toHaveLength(4);
      expect(card).toContain('## License\n\nThis model is released under the Apache License 2.0 (SPDX identifier `Apache-2.0`).');
      // No float32 noise in the training configuration (a float32 printed as a double has 9+ digits).
      const training = /<!-- kerascope:begin training -->[\s\S]*?<!-- kerascope:end training -->/.exec(card)![0];
      expect(training).not.toMatch(/\d\.\d*0000000\d/);
      expect(training).not.toMatch(/\d\.\d*9999999\d/);
      const mermaid = mermaidOf(card);
      if (!inspection.graph) {
        expect(mermaid).toBeNull();
        return;
      }
      // One Mermaid node per layer or folded block, every top-level layer in exactly one of them.
      const folded = foldGraph(inspection.graph, inspection.report);
      const nodes = [...mermaid!.matchAll(/^ {2}(n\d+)\["/gm)].map((x) => x[1]);
      expect(nodes).toEqual(folded.units.map((u) => u.id));
      const covered = folded.units.flatMap((u) => u.layers.map((l) => l.name));
      // (A structural fold groups a block's branches, so the order within the graph's is not kept.)
      expect([...covered].sort()).toEqual(inspection.graph.layers.map((l) => l.name).sort());
      for (const e of mermaid!.matchAll(/^ {2}(n\d+) --> (n\d+)$/gm)) {
        expect(nodes).toContain(e[1]);
        expect(nodes).toContain(e[2]);
      }
      // A folded unit's params are its layers' counts (EXPECTED.json per layer).
      const sum = folded.units.reduce((s, u) => s + u.params, 0);
      expect(sum).toBe(m.totals.params ?? m.totals.stored);
    });
  }

  it('the long models are folded, the full table kept in <details>', async () => {
    const m = models!.find((x) => x.id === 'nsfwjs_mobilenet_v2')!;
    const { inspection, card } = await cardFor(inspectArgs(m).file, undefined);
    const folded = foldGraph(inspection.graph!, inspection.report);
    expect(folded.folded).toBe(true);
    expect(folded.units.length).toBeLessThan(inspection.graph!.layers.length);
    const details = /<details>[\s\S]*?<\/details>/.exec(card)![0];
    // Every one of the 162 layers is a row of the full table.
    for (const l of m.layers) expect(details).toContain(`| ${l.name} (${l.className}) |`);
  });

  it('re-running over an edited card keeps the author text byte for byte and refreshes the blocks', async () => {
    const m = models!.find((x) => x.id === 'fc_tiny_xception_kdef')!;
    const { card } = await cardFor(inspectArgs(m).file, undefined, { license: 'mit' });
    let edited = card
      .replace('license: "mit"\n', 'license: mit # chosen by legal\nmodel-index: []\n')
      .replace('# tiny_XCEPTION_KDEF\n', '# Emotion classifier\n\nRecognises seven facial expressions.\n')
      .replace(
        '> _To be written by the author: Who should use this model, for what, and what it must not be used for._',
        'Research on facial expression datasets only.\n\n* not for surveillance',
      )
      .replace(/(## Limitations\n\n)> _[^\n]*_/, '$1Fails on profile views. Ünïcödé — “quotes” | pipes | <b>html</b>');
    edited += '\n## Citation\n\n```bibtex\n@misc{x}\n```\n';
    // A stale block, as after a retrain: the refresh must replace it.
    edited = edited.replace(/(<!-- kerascope:begin size -->\n)[\s\S]*?(\n<!-- kerascope:end size -->)/, '$1## Size\n\n- Total params: 1$2');
    const { card: fresh } = await cardFor(inspectArgs(m).file, undefined, { license: 'mit', tags: ['vision'] });
    const updated = updateCard(edited, fresh);
    // Everything outside the blocks is the author's, except the front matter that gained the new tag.
    const body = (s: string) => s.slice(s.indexOf('\n---\n') + 5);
    expect(authorParts(body(updated))).toEqual(authorParts(body(edited)));
    expect(updated).toContain('license: mit # chosen by legal\nmodel-index: []\n');
    expect(parseYaml(/^---\n([\s\S]*?)\n---\n/.exec(updated)![1]!)).toEqual({
      library_name: 'tf-keras',
      license: 'mit',
      'model-index': [],
      tags: ['tf-keras', 'vision'],
    });
    expect(totalsOf(updated).params).toBe(m.totals.params);
    // Every block equals the fresh card's.
    const blocks = (s: string) => [...s.matchAll(BLOCK)].map((x) => x[0]);
    expect(blocks(updated)).toEqual(blocks(fresh));
    // And a second run with the same options changes nothing at all.
    expect(updateCard(updated, fresh)).toBe(updated);
    // Without new front matter keys, the front matter is kept byte for byte too.
    const { card: same } = await cardFor(inspectArgs(m).file, undefined, { license: 'mit' });
    expect(updateCard(edited, same).split('\n---\n')[0]).toBe(edited.split('\n---\n')[0]);
  });
});

describe('integrity block', () => {
  it('calls out unsafe constructs and unverified layers, and lists every finding', async () => {
    const inspection = await inspectModel('fixtures/security/lambda-tfkeras.h5');
    const card = renderCardMarkdown(inspection);
    expect(card).toContain(
      '**Unsafe constructs:** lambda (lambda-bytecode), training config (custom-training-object): review before loading this model.',
    );
    expect(card).toContain('**Not verified** (a custom class, or a shape kerascope cannot infer; stored tensors counted): dense (Dense).');
    expect(card).toContain('0 of 1 layers with weights verified against their formula.');
    expect(card).not.toContain('Stored tensors match the architecture');
    for (const f of inspection.report.findings)
      expect(card).toContain(`| ${f.severity} | ${f.code} | ${f.layer ?? ''} | ${f.message.replace(/\|/g, '\\|')} |`);
  });
});

// ── templates ────────────────────────────────────────────────────────────────────────────────────────

describe('templates', () => {
  it('fills the named placeholders with marked blocks, and refuses an unknown one', async () => {
    const inspection = await inspectModel('fixtures/tfjs/mlp/model.json');
    const template = '# {{title}}\n\nOur team card.\n\n{{ size }}\n\n## Owner\n\nml-team@example.com\n\n{{integrity}}\n';
    const card = renderCardMarkdown(inspection, { template, title: 'MLP' });
    expect(
      card.startsWith(
        '---\nlibrary_name: "tfjs"\ntags:\n  - "tfjs"\n---\n\n# MLP\n\nOur team card.\n\n<!-- kerascope:begin size -->\n## Size\n',
      ),
    ).toBe(true);
    expect(card).toContain('- Total params: 41 (164.00 B)');
    expect(card).toContain('<!-- kerascope:end integrity -->\n');
    expect(card).not.toContain('kerascope:begin graph');
    expect(() => renderCardMarkdown(inspection, { template: '{{sise}}' })).toThrow(TemplateError);
    // A template with its own front matter keeps it and gains the generated keys.
    const withFm = renderCardMarkdown(inspection, { template: '---\nlanguage: en\n---\n{{overview}}\n', license: 'mit' });
    expect(parseYaml(/^---\n([\s\S]*?)\n---\n/.exec(withFm)![1]!)).toEqual({
      language: 'en',
      library_name: 'tfjs',
      license: 'mit',
      tags: ['tfjs'],
    });
  });
});

// ── the folded graph ─────────────────────────────────────────────────────────────────────────────────

describe('folding repeated blocks', () => {
  const dense = (name: string, units: number) => ({ class_name: 'Dense', config: { name, units } });
  const drop = (name: string) => ({ class_name: 'Dropout', config: { name, rate: 0.1 } });
  const seq = (layers: unknown[]) => ({
    class_name: 'Sequential',
    config: { name: 's', layers: [{ class_name: 'InputLayer', config: { name: 'in', batch_input_shape: [null, 8] } }, ...layers] },
  });
  const report = { layers: [] } as unknown as Inspection['report'];

  it('folds a chain repeated 12 times into one block, and keeps the ends apart', () => {
    const layers = Array.from({ length: 12 }, (_, i) => [dense(`d${i}`, 8), drop(`x${i}`)]).flat();
    const g = buildGraph(seq([...layers, dense('head', 2)]));
    const f = foldGraph(g, report, 'always');
    expect(f.units.map((u) => u.title)).toEqual(['in (InputLayer)', 'd0 … x11: [Dense → Dropout] ×12', 'head (Dense)']);
    expect(f.edges).toEqual([
      { from: 'n0', to: 'n1' },
      { from: 'n1', to: 'n2' },
    ]);
    expect(foldGraph(g, report, 'never').units).toHaveLength(26);
    // auto folds only above 30 top-level layers: 26 stay as they are.
    expect(foldGraph(g, report, 'auto').folded).toBe(false);
  });

  it('does not fold blocks wired differently', () => {
    // Two [Dense, Dense, Add] blocks: in the first the Add takes both Denses, in the second the block input.
    const fn = {
      class_name: 'Functional',
      config: {
        name: 'f',
        layers: [
          { class_name: 'InputLayer', name: 'in', config: { name: 'in', batch_input_shape: [null, 4] }, inbound_nodes: [] },
          { class_name: 'Dense', name: 'a1', config: { name: 'a1', units: 4 }, inbound_nodes: [[['in', 0, 0, {}]]] },
          { class_name: 'Dense', name: 'b1', config: { name: 'b1', units: 4 }, inbound_nodes: [[['a1', 0, 0, {}]]] },
          {
            class_name: 'Add',
            name: 's1',
            config: { name: 's1' },
            inbound_nodes: [
              [
                ['a1', 0, 0, {}],
                ['b1', 0, 0, {}],
              ],
            ],
          },
          { class_name: 'Dense', name: 'a2', config: { name: 'a2', units: 4 }, inbound_nodes: [[['s1', 0, 0, {}]]] },
          { class_name: 'Dense', name: 'b2', config: { name: 'b2', units: 4 }, inbound_nodes: [[['a2', 0, 0, {}]]] },
          {
            class_name: 'Add',
            name: 's2',
            config: { name: 's2' },
            inbound_nodes: [
              [
                ['s1', 0, 0, {}],
                ['b2', 0, 0, {}],
              ],
            ],
          },
        ],
        input_layers: [['in', 0, 0]],
        output_layers: [['s2', 0, 0]],
      },
    };
    const f = foldGraph(buildGraph(fn), report, 'always');
    // Not folded as one block repeated twice: the structural fold keeps each Add on its own, its inputs
    // as edges (the skip s1 → s2 included), and groups only the second block's branch a2 → b2.
    expect(f.units.map((u) => u.layers.map((l) => l.name))).toEqual([['in'], ['a1'], ['b1'], ['s1'], ['a2', 'b2'], ['s2']]);
    expect(f.edges).toEqual([
      { from: 'n0', to: 'n1' },
      { from: 'n1', to: 'n2' },
      { from: 'n1', to: 'n3' },
      { from: 'n2', to: 'n3' },
      { from: 'n3', to: 'n4' },
      { from: 'n3', to: 'n5' },
      { from: 'n4', to: 'n5' },
    ]);
    expect(f.units.some((u) => u.repeat > 1)).toBe(false);
  });
});

// ── multiply-accumulates, by hand ────────────────────────────────────────────────────────────────────

function node(
  className: string,
  config: Record<string, unknown>,
  inputShapes: (number | null)[][],
  outputShape: (number | null)[] | null,
): Pick<LayerNode, 'className' | 'config' | 'inputShapes' | 'outputShape' | 'children'> {
  return { className, config, inputShapes, outputShape, children: [] };
}

describe('MAC estimates against hand arithmetic', () => {
  it('Dense: in·units per output position', () => {
    // 128 inputs to 10 units: 1280 multiply-accumulates.
    expect(estimateMacs(node('Dense', { units: 10 }, [[null, 128]], [null, 10])).macs).toBe(1280);
    // On a sequence of 20 steps of 64 features to 32 units: 20·64·32 = 40960.
    expect(estimateMacs(node('Dense', { units: 32 }, [[null, 20, 64]], [null, 20, 32])).macs).toBe(40960);
  });

  it('Conv2D: k_h·k_w·(in/groups)·filters·out_h·out_w', () => {
    // 3×3 kernel, 3 → 16 channels, 'valid' on 32×32 gives 30×30: 9·3·16·900 = 388800.
    expect(estimateMacs(node('Conv2D', { filters: 16, kernel_size: [3, 3] }, [[null, 32, 32, 3]], [null, 30, 30, 16])).macs).toBe(388800);
    // groups=2, 8 → 8 channels, 1×1 on 4×4: 1·4·8·16 = 512.
    expect(estimateMacs(node('Conv2D', { filters: 8, kernel_size: 1, groups: 2 }, [[null, 4, 4, 8]], [null, 4, 4, 8])).macs).toBe(512);
    // channels_first: (None, 3, 10, 10) → (None, 4, 8, 8), 3×3: 9·3·4·64 = 6912.
    expect(
      estimateMacs(node('Conv2D', { filters: 4, kernel_size: [3, 3], data_format: 'channels_first' }, [[null, 3, 10, 10]], [null, 4, 8, 8]))
        .macs,
    ).toBe(6912);
  });

  it('DepthwiseConv2D: k_h·k_w·in·depth_multiplier·out_h·out_w', () => {
    // 3×3 on 32 channels, multiplier 1, 112×112 output: 9·32·12544 = 3612672.
    expect(
      estimateMacs(node('DepthwiseConv2D', { kernel_size: [3, 3], depth_multiplier: 1 }, [[null, 112, 112, 32]], [null, 112, 112, 32]))
        .macs,
    ).toBe(3612672);
    // multiplier 2 on 4 channels, 5×5 kernel, 2×2 out: 25·4·2·4 = 800.
    expect(estimateMacs(node('DepthwiseConv2D', { kernel_size: 5, depth_multiplier: 2 }, [[null, 6, 6, 4]], [null, 2, 2, 8])).macs).toBe(
      800,
    );
  });

  it('SeparableConv2D: depthwise plus pointwise', () => {
    // 3×3 on 8 channels to 16 filters, 10×10 out: 9·8·100 + 8·16·100 = 7200 + 12800 = 20000.
    expect(estimateMacs(node('SeparableConv2D', { filters: 16, kernel_size: [3, 3] }, [[null, 12, 12, 8]], [null, 10, 10, 16])).macs).toBe(
      20000,
    );
  });

  it('LSTM: steps·4·(in·units + units·units); GRU with 3 gates; Bidirectional doubles', () => {
    // 10 steps of 6 features, 64 units: 10·4·(6·64 + 64·64) = 10·4·4480 = 179200.
    expect(estimateMacs(node('LSTM', { units: 64 }, [[null, 10, 6]], [null, 64])).macs).toBe(179200);
    // GRU, 5 steps of 3 features, 2 units: 5·3·(6 + 4) = 150.
    expect(estimateMacs(node('GRU', { units: 2 }, [[null, 5, 3]], [null, 2])).macs).toBe(150);
    // Bidirectional LSTM(4) on 7 steps of 2 features: 2·7·4·(8 + 16) = 1344.
    const bi = node('Bidirectional', { layer: { class_name: 'LSTM', config: { units: 4 } } }, [[null, 7, 2]], [null, 8]);
    expect(estimateMacs(bi).macs).toBe(1344);
    // Unknown number of steps: not estimated.
    expect(estimateMacs(node('LSTM', { units: 4 }, [[null, null, 2]], [null, 4])).macs).toBeNull();
  });

  it('MultiHeadAttention: projections, scores, weighted sum, output', () => {
    // Self-attention, sequence 10, model dim 16, 2 heads of key_dim 8:
    // q, k, v projections 3·(10·16·2·8) = 7680; scores 2·10·10·8 = 1600; weighted sum 1600;
    // output projection 10·2·8·16 = 2560. Total 13440.
    const mha = node(
      'MultiHeadAttention',
      { num_heads: 2, key_dim: 8 },
      [
        [null, 10, 16],
        [null, 10, 16],
      ],
      [null, 10, 16],
    );
    expect(estimateMacs(mha).macs).toBe(13440);
    // Cross-attention: query 4×6, value 5×10, 1 head, key_dim 3, value_dim 2, output_shape 7:
    // q 4·6·3 = 72, k 5·10·3 = 150, v 5·10·2 = 100; scores 4·5·3 = 60; sum 4·5·2 = 40; out 4·2·7 = 56. Total 478.
    const cross = node(
      'MultiHeadAttention',
      { num_heads: 1, key_dim: 3, value_dim: 2, output_shape: 7 },
      [
        [null, 4, 6],
        [null, 5, 10],
      ],
      [null, 4, 7],
    );
    expect(estimateMacs(cross).macs).toBe(478);
  });

  it('Embedding is a lookup (0); a class without a rule is not estimated', () => {
    expect(estimateMacs(node('Embedding', { input_dim: 1000, output_dim: 64 }, [[null, 20]], [null, 20, 64])).macs).toBe(0);
    expect(estimateMacs(node('BatchNormalization', {}, [[null, 4]], [null, 4])).macs).toBeNull();
  });

  it('a real model: the card total is the sum of the per-layer estimates it lists with --details', async () => {
    const inspection = await inspectModel('fixtures/tfjs/mlp/model.json');
    const card = renderCardMarkdown(inspection, { details: true });
    // MLP 3 → 4 → 4 → 1: 3·4 + 4·4 + 4·1 = 32.
    expect(card).toContain('**≈ 32**');
    expect(card).toContain('| dense (Dense) | 12 | positions·in·units = 1·3·4 |');
  });
});

// ── the command ──────────────────────────────────────────────────────────────────────────────────────

describe('kerascope card', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-card-'));

  it('writes a card, refreshes it in place, and keeps the author text', () => {
    const out = path.join(tmp, 'README.md');
    let r = runCli([
      'card',
      'fixtures/tfjs/mlp/model.json',
      '--title',
      'Tiny MLP',
      '--license',
      'apache-2.0',
      '--tag',
      'tabular,demo',
      '--pipeline-tag',
      'tabular-regression',
      '-o',
      out,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Card written: ${out}\nGraph written: ${path.join(tmp, 'model_graph.svg')}\n`);
    // The graph as an SVG file beside the card, shown with an image link (the Hub does not render Mermaid).
    const svg = fs.readFileSync(path.join(tmp, 'model_graph.svg'), 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<g class="ks-node/g)).toHaveLength(3); // dense, dense_1, dense_2 (a Sequential without an InputLayer)
    const first = fs.readFileSync(out, 'utf8');
    expect(parseYaml(/^---\n([\s\S]*?)\n---\n/.exec(first)![1]!)).toEqual({
      library_name: 'tfjs',
      tags: ['tfjs', 'tabular', 'demo'],
      license: 'apache-2.0',
      pipeline_tag: 'tabular-regression',
    });
    expect(first).toContain('# Tiny MLP\n');
    expect(first).toContain(
      '## Layer graph\n\n![Layer graph: 3 boxes, one per layer or folded block](model_graph.svg)\n<!-- kerascope:end graph -->',
    );
    expect(first).not.toContain('```mermaid');
    const edited = first.replace(/(## Evaluation\n\n)> _[^\n]*_/, '$1MAE 0.12 on the held-out year.');
    fs.writeFileSync(out, edited);
    r = runCli(['card', 'fixtures/tfjs/mlp/model.json', '--license', 'apache-2.0', '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Card unchanged: ${out}\nGraph unchanged: ${path.join(tmp, 'model_graph.svg')}\n`);
    expect(fs.readFileSync(out, 'utf8')).toBe(edited);
  });

  it('refuses to replace a page that is not a card, a missing template, an unknown placeholder', () => {
    const notes = path.join(tmp, 'notes.html');
    fs.writeFileSync(notes, '<p>my notes</p>\n');
    let r = runCli(['card', 'fixtures/tfjs/mlp/model.json', '--format', 'html', '-o', notes]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`kerascope: ${notes}: exists and is not a kerascope card: pass --force to replace it\n`);
    expect(fs.readFileSync(notes, 'utf8')).toBe('<p>my notes</p>\n');
    r = runCli(['card', 'fixtures/tfjs/mlp/model.json', '--template', path.join(tmp, 'none.md')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^kerascope: .*none\.md: cannot read \(ENOENT\)\n$/);
    const bad = path.join(tmp, 'bad.md');
    fs.writeFileSync(bad, '{{sise}}\n');
    r = runCli(['card', 'fixtures/tfjs/mlp/model.json', '--template', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(/^kerascope: .*bad\.md: unknown placeholder \{\{sise\}\}; known: \{\{title\}\}/);
    r = runCli(['card', 'fixtures/nope.h5']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('--graph: mermaid when printed, both on request, svg needs -o', () => {
    let r = runCli(['card', 'fixtures/tfjs/mlp/model.json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('```mermaid\nflowchart TD\n');
    expect(r.stdout).not.toContain('model_graph.svg');
    r = runCli(['card', 'fixtures/tfjs/mlp/model.json', '--graph', 'svg']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^kerascope: fixtures\/tfjs\/mlp\/model\.json: --graph svg writes model_graph\.svg beside the card: give the card's file with -o\n$/,
    );
    const dir = fs.mkdtempSync(path.join(tmp, 'both-'));
    r = runCli(['card', 'fixtures/tfjs/mlp/model.json', '--graph', 'both', '-o', path.join(dir, 'README.md')]);
    expect(r.code).toBe(0);
    const card = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
    expect(card).toContain('](model_graph.svg)\n\n```mermaid\nflowchart TD\n');
    expect(fs.existsSync(path.join(dir, 'model_graph.svg'))).toBe(true);
    r = runCli(['card', 'fixtures/tfjs/mlp/model.json', '--graph', 'mermaid', '-o', path.join(dir, 'M.md')]);
    expect(r.stdout).toBe(`Card written: ${path.join(dir, 'M.md')}\n`);
  });

  it('--format html writes one page', () => {
    const out = path.join(tmp, 'card.html');
    const r = runCli(['card', 'fixtures/tfjs/mlp/model.json', '--format', 'html', '-o', out]);
    expect(r.code).toBe(0);
    const html = fs.readFileSync(out, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/(?:src|href)="https?:/);
    // Running again over its own page is allowed without --force.
    expect(runCli(['card', 'fixtures/tfjs/mlp/model.json', '--format', 'html', '-o', out]).code).toBe(0);
  });
});
