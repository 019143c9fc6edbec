// `kerascope explain FILE` / `kerascope explain --class X`: each layer's parameter formula, the numbers
// substituted, and the model total; or a class's general formula (optionally on given settings and input).
import type { Command } from 'commander';
import { explainReport, layerKey } from '../explain.js';
import { inspectModel } from '../node/inspect.js';
import { classFormula, FormulaError } from '../layers/explain.js';
import { registeredClasses } from '../layers/index.js';
import { InputError } from '../model/errors.js';
import { type ExplainFormat, renderClassFormula, renderExplain } from '../report/explain.js';
import { parseFormat } from './options.js';
import { writeOut } from './stdio.js';
import { remoteOptions } from './limits.js';

interface Options {
  weights?: string;
  format: ExplainFormat;
  layer?: string;
  class?: string;
  set?: string;
  input?: string;
  manifestOnly?: boolean;
}

export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description("each layer's parameter formula with the numbers substituted, and the model total; or a class's general formula")
    .argument('[file]', 'model file: .h5/.hdf5, .keras, TF.js model.json, or an architecture .json')
    .option('-w, --weights <file>', 'weights to pair with an architecture JSON (HDF5, or a Keras 3 .weights.json sharding index)')
    .option('-f, --format <format>', 'output format: text, markdown or json', parseFormat(['text', 'markdown', 'json']), 'text')
    .option('-l, --layer <name>', "only this layer (a nested model's layer as model/layer)")
    .option('-c, --class <class>', 'the general formula of a layer class, without a file')
    .option('--set <settings>', 'with --class: config values, e.g. filters=32,kernel_size=3 (JSON values: [3,5], true, "same")')
    .option('--input <dims>', 'with --class: input shape without the batch axis, e.g. 28,28,1')
    .option('--manifest-only', 'TF.js: read model.json without checking its shard files')
    .action(async (file: string | undefined, o: Options) => {
      if (o.class !== undefined) {
        if (file) throw new InputError(file, 'give either a model file or --class, not both');
        const set = o.set === undefined ? {} : parseSettings(o.set, o.class);
        const input = o.input === undefined ? undefined : parseInput(o.input, o.class);
        let f: ReturnType<typeof classFormula>;
        try {
          f = classFormula(o.class, set, input);
        } catch (e) {
          if (e instanceof FormulaError && !registeredClasses().includes(o.class)) {
            throw new InputError(
              o.class,
              `unknown layer class (${registeredClasses().length} classes are known, e.g. Dense, Conv2D, LSTM)`,
            );
          }
          throw new InputError(o.class, (e as Error).message);
        }
        writeOut(`${renderClassFormula(f, o.format, o.set !== undefined || o.input !== undefined)}\n`);
        return;
      }
      if (!file) throw new InputError('explain', 'give a model file, or --class CLASS for a general formula');
      if (o.set !== undefined || o.input !== undefined) throw new InputError(file, '--set and --input go with --class');
      const { report, graph } = await inspectModel(file, { weights: o.weights, manifestOnly: o.manifestOnly, remote: remoteOptions() });
      const explanation = explainReport(report, graph);
      if (o.layer !== undefined) {
        const want = o.layer;
        const layers = explanation.layers.filter((l) => layerKey(l) === want || l.name === want);
        if (!layers.length) {
          const names = explanation.layers.map(layerKey);
          const shown = names.length > 20 ? `${names.slice(0, 20).join(', ')}, …` : names.join(', ') || 'none';
          throw new InputError(file, `no layer with weights named ${want}; layers with weights: ${shown}`);
        }
        explanation.layers = layers;
      }
      writeOut(`${renderExplain(explanation, o.format, { partial: o.layer !== undefined })}\n`);
    });
}

/** `filters=32,kernel_size=[3,5],padding=same` → config values (JSON where it parses, else the string). */
export function parseSettings(text: string, where: string): Record<string, unknown> {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '[' || ch === '{') depth++;
    if (ch === ']' || ch === '}') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  const out: Record<string, unknown> = {};
  for (const p of parts) {
    const i = p.indexOf('=');
    if (i <= 0) throw new InputError(where, `--set takes key=value pairs separated by commas, got "${p}"`);
    const raw = p.slice(i + 1).trim();
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
    out[p.slice(0, i).trim()] = value;
  }
  return out;
}

/** `28,28,1` → [28, 28, 1] (`None` or `?` for an unknown axis). */
export function parseInput(text: string, where: string): (number | null)[] {
  return text.split(',').map((s) => {
    const t = s.trim();
    if (t === 'None' || t === '?') return null;
    const n = Number(t);
    if (!Number.isInteger(n) || n <= 0)
      throw new InputError(where, `--input takes positive whole numbers separated by commas, got "${text}"`);
    return n;
  });
}
