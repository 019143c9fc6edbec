// `kerascope explain`: every printed expression is evaluated here, from its leaves, by an evaluator written
// for this test (not the program's), and must give the printed number and the layer's counted parameters —
// TF.js countParams() for generated models, EXPECTED.json for the real models, the audited report for the
// fixtures. Every class of the formula table must have a general formula.
import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type { Explanation } from '../../src/explain/index.js';
import { explainFile } from '../../src/node/inspect.js';
import { buildGraph } from '../../src/graph/index.js';
import { FAMILIES, registeredClasses } from '../../src/layers/index.js';
import { classFormula, explainLayers, type ExplainedLayer } from '../../src/explain/index.js';
import { InputError } from '../../src/model/errors.js';
import { renderExplainJson } from '../../src/report/explain.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { generateModel, type tf } from '../helpers/generator.js';
import { inspectArgs, realModels } from '../helpers/real-models.js';

const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schema', 'explain.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true }).compile(schema);

// ── an independent evaluator of the JSON expression trees ────────────────────────────────────────────

interface Tree {
  op: string;
  name?: string;
  value: number | null;
  args?: Tree[];
}

/** Evaluates a tree from its leaves, checking every inner node's printed `value` on the way. */
function evalTree(t: Tree): number | null {
  let v: number | null;
  const args = (t.args ?? []).map(evalTree);
  const known = args.every((a) => a !== null);
  switch (t.op) {
    case 'sym':
    case 'num':
      expect(t.args).toBeUndefined();
      return t.value;
    case 'mul':
      v = known ? args.reduce<number>((a, b) => a * b!, 1) : null;
      break;
    case 'add':
      v = known ? args.reduce<number>((a, b) => a + b!, 0) : null;
      break;
    case 'div':
    case 'ceildiv':
    case 'floordiv': {
      expect(args).toHaveLength(2);
      const [a, b] = args as [number, number];
      v = !known ? null : t.op === 'div' ? a / b : t.op === 'ceildiv' ? Math.ceil(a / b) : Math.floor(a / b);
      break;
    }
    default:
      throw new Error(`unknown op ${t.op}`);
  }
  expect(t.value, `value of a ${t.op} node`).toBe(v);
  return v;
}

const product = (shape: (number | null)[]) => shape.reduce<number>((a, b) => a * (b as number), 1);

/** Checks one explained layer (JSON form): variables, their sum, and returns [params, trainable, nonTrainable]. */
function checkLayer(l: ExplainedLayer): [number, number, number] {
  let trainable = 0;
  let nonTrainable = 0;
  for (const v of l.variables) {
    // Each axis' factor evaluates to the shape's size; the product to the variable's count.
    expect(v.factors.map((f) => evalTree(f as Tree))).toEqual(v.shape);
    const n = evalTree(v.expression as Tree);
    expect(n).toBe(product(v.shape));
    expect(v.count).toBe(n);
    if (v.trainable) trainable += n!;
    else nonTrainable += n!;
  }
  const total = evalTree(l.expression as Tree);
  expect(total).toBe(l.params);
  if (l.variables.length) {
    expect(total).toBe(trainable + nonTrainable);
    expect([l.trainable, l.nonTrainable]).toEqual([trainable, nonTrainable]);
  }
  return [total!, l.trainable ?? 0, l.nonTrainable ?? 0];
}

/** Checks a whole explanation (through its JSON text) and returns the evaluated total. */
function checkExplanation(e: Explanation): { json: Explanation; total: number } {
  const json = JSON.parse(renderExplainJson(e)) as Explanation;
  expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
  let sum = 0;
  for (const l of json.layers) sum += checkLayer(l)[0];
  const total = evalTree(json.total.expression as Tree);
  expect(total).toBe(json.total.params);
  if (json.layers.length) expect(total).toBe(sum);
  return { json, total: total! };
}

// ── the seed example ─────────────────────────────────────────────────────────────────────────────────

describe('the textbook example: Dense(4) on 3 inputs, Dense(4), Dense(1)', () => {
  it('explains 12 + 16 + 4 = 32 weights and 4 + 4 + 1 = 9 biases, 41 in total', async () => {
    const { explanation } = await explainFile('fixtures/tfjs/mlp/model.json');
    const { json, total } = checkExplanation(explanation);
    const kernels = json.layers.map((l) => evalTree(l.variables.find((v) => v.name === 'kernel')!.expression as Tree));
    const biases = json.layers.map((l) => evalTree(l.variables.find((v) => v.name === 'bias')!.expression as Tree));
    expect(kernels).toEqual([3 * 4, 4 * 4, 4 * 1]);
    expect(biases).toEqual([4, 4, 1]);
    expect(kernels.reduce((a, b) => a! + b!, 0)).toBe(32);
    expect(biases.reduce((a, b) => a! + b!, 0)).toBe(9);
    expect(total).toBe(41);
    // The named sizes of the first layer: in = 3, units = 4.
    expect(json.layers[0]!.sizes).toEqual([
      { name: 'in', value: 3 },
      { name: 'units', value: 4 },
    ]);
  });

  it('prints each formula with the numbers substituted, and the Keras totals', () => {
    const r = runCli(['explain', 'fixtures/tfjs/mlp/model.json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('params = in·units + units');
    expect(r.stdout).toContain('= kernel 3·4 + bias 4 = 16');
    expect(r.stdout).toContain('= kernel 4·4 + bias 4 = 20');
    expect(r.stdout).toContain('= kernel 4·1 + bias 1 = 5');
    expect(r.stdout).toContain(' Total params: 41');
    expect(r.stdout).toContain(' Trainable params: 41');
    expect(r.stdout).toContain(' Non-trainable params: 0');
  });
});

// ── real models, fixtures ────────────────────────────────────────────────────────────────────────────

const models = realModels();
describe.skipIf(!models)('every expression of the real models in ../shared/models evaluates to the counted parameters', () => {
  for (const m of models ?? []) {
    it(`${m.id}`, async () => {
      const { file, weights } = inspectArgs(m);
      const { explanation } = await explainFile(file, { weights });
      const { json, total } = checkExplanation(explanation);
      if (m.totals.params !== null) expect(total).toBe(m.totals.params);
      else expect(total).toBe(m.totals.stored);
      if (m.totals.trainable !== null)
        expect([json.total.trainable, json.total.nonTrainable]).toEqual([m.totals.trainable, m.totals.nonTrainable]);
      // Every top-level layer with a TF.js count: the sum of its explained (leaf) layers is that count.
      for (const e of m.layers) {
        if (e.params == null) continue;
        const mine = json.layers.filter((l) => l.name === e.name || l.path[0] === e.name);
        const n = mine.reduce((a, l) => a + (evalTree(l.expression as Tree) ?? 0), 0);
        expect(n, `${m.id}/${e.name}`).toBe(e.params);
      }
    });
  }
});

/** Every model file under fixtures/ (architecture JSON files paired with their weights). */
function fixtureFiles(): { file: string; weights?: string }[] {
  const out: { file: string; weights?: string }[] = [];
  const walk = (dir: string) => {
    for (const f of fs.readdirSync(path.join(ROOT, dir))) {
      const rel = `${dir}/${f}`;
      // fixtures/regress/hangs/: inputs that make the HDF5 library spin; only the CLI's watchdog ends them.
      if (fs.statSync(path.join(ROOT, rel)).isDirectory()) {
        if (f !== 'hangs') walk(rel);
      } else if (/\.(h5|hdf5|keras)$/.test(f) && !/(_weights\.h5|\.weights\.h5)$/.test(f)) out.push({ file: rel });
      else if (f === 'model.json') out.push({ file: rel });
    }
  };
  walk('fixtures');
  out.push({ file: 'fixtures/keras-h5/mlp.json', weights: 'fixtures/keras-h5/mlp_weights.h5' });
  out.push({ file: 'fixtures/keras3/weights_only/config.json', weights: 'fixtures/keras3/weights_only/model.weights.h5' });
  return out;
}

describe('every expression of every fixture evaluates to the audited count', () => {
  const files = fixtureFiles();
  it('has fixtures to explain', () => expect(files.length).toBeGreaterThan(30));
  for (const f of files) {
    it(f.file, async () => {
      let result: Awaited<ReturnType<typeof explainFile>>;
      try {
        result = await explainFile(f.file, { weights: f.weights });
      } catch (e) {
        // Unreadable files (fixtures/bad/unreadable, security bombs) are refused as inspect refuses them.
        expect(e).toBeInstanceOf(InputError);
        return;
      }
      const { json, total } = checkExplanation(result.explanation);
      expect(total).toBe(result.report.totals.params);
      // A top-level row's count is the sum of its explained layers.
      for (const row of result.report.layers) {
        if (row.className === null || row.params.trainable === null) continue;
        // (the JSON writes a lone surrogate of a name as U+FFFD: docs/escaping.md)
        const name = row.name.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
        const mine = json.layers.filter((l) => (l.name === name && l.path.length === 0) || l.path[0] === name);
        const n = mine.reduce((a, l) => a + (evalTree(l.expression as Tree) ?? 0), 0);
        expect(n, row.name).toBe(row.params.trainable + (row.params.nonTrainable ?? 0));
      }
    });
  }
});

// ── generated TF.js models ───────────────────────────────────────────────────────────────────────────

const GENERATED = Math.round(2500 * Number(process.env.DIFF_SCALE ?? 1));

/** The TF.js layer at `path/name` (nested models opened). */
function tfLayer(model: tf.LayersModel, l: ExplainedLayer): tf.layers.Layer | undefined {
  let layers = model.layers;
  for (const p of l.path) {
    const m = layers.find((x) => x.name === p) as tf.LayersModel | undefined;
    if (!m) return undefined;
    layers = m.layers;
  }
  return layers.find((x) => x.name === l.name);
}

const size = (ws: tf.LayerVariable[]) => ws.reduce((n, w) => n + product(w.shape), 0);

describe(`every expression of ${GENERATED} generated TF.js models evaluates to TF.js countParams()`, () => {
  it('per layer and in total', () => {
    let models = 0;
    let layers = 0;
    const failures: string[] = [];
    for (let seed = 20_000_000; models < GENERATED && seed < 20_000_000 + GENERATED * 3; seed++) {
      const g = generateModel(seed);
      if (!g) continue;
      models++;
      const config = g.model.toJSON(undefined, false);
      const explained = JSON.parse(JSON.stringify(explainLayers(buildGraph(config).layers))) as ExplainedLayer[];
      let sum = 0;
      for (const l of explained) {
        const t = tfLayer(g.model, l);
        const n = evalTree(l.expression as Tree);
        const split = l.variables.reduce<[number, number]>(
          (a, v) => (v.trainable ? [a[0] + evalTree(v.expression as Tree)!, a[1]] : [a[0], a[1] + evalTree(v.expression as Tree)!]),
          [0, 0],
        );
        layers++;
        sum += n ?? 0;
        if (
          !t ||
          n !== t.countParams() ||
          n !== l.params ||
          split[0] !== size(t.trainableWeights) ||
          split[1] !== size(t.nonTrainableWeights)
        ) {
          failures.push(
            `seed ${seed} ${[...l.path, l.name].join('/')} (${l.className}): explained ${n} (${split}), TF.js ${t?.countParams()}`,
          );
        }
      }
      if (sum !== g.model.countParams()) failures.push(`seed ${seed}: total ${sum}, TF.js ${g.model.countParams()}`);
      g.model.dispose?.();
    }
    expect(failures.slice(0, 20)).toEqual([]);
    expect(models).toBe(GENERATED);
    expect(layers).toBeGreaterThan(GENERATED);
  }, 120_000);
});

// ── general formulas ─────────────────────────────────────────────────────────────────────────────────

describe('every class of the formula table has a general formula', () => {
  for (const [family, defs] of Object.entries(FAMILIES)) {
    for (const def of defs) {
      for (const name of def.classNames) {
        it(`${family}: ${name}`, () => {
          const f = classFormula(name);
          if (def.weights) {
            // A class with weights names every axis of every variable, and its example has weights.
            expect(f.layer.variables.length).toBeGreaterThan(0);
            for (const v of f.layer.variables) expect(v.symbolic, `${name}/${v.name}`).toBe(true);
          } else {
            expect(f.layer.variables).toEqual([]);
          }
          checkLayer(JSON.parse(JSON.stringify(f.layer)));
        });
      }
    }
  }
  it('covers every registered class', () => {
    expect(registeredClasses().every((c) => classFormula(c).className === c)).toBe(true);
  });
});

describe('general formulas against hand arithmetic', () => {
  const params = (cls: string, set: Record<string, unknown>, input: number[]) =>
    evalTree(classFormula(cls, set, input).layer.expression as Tree);

  it('Dense(units=u) on n inputs: n·u + u', () => {
    expect(params('Dense', { units: 4 }, [3])).toBe(3 * 4 + 4);
  });
  it('Conv2D(filters=32, kernel 3×3) on 16 channels: 3·3·16·32 + 32 = 4,640', () => {
    expect(params('Conv2D', { filters: 32, kernel_size: 3 }, [28, 28, 16])).toBe(4640);
  });
  it('BatchNormalization on 64 channels: 4·64 = 256, half of it non-trainable', () => {
    const f = classFormula('BatchNormalization', {}, [8, 8, 64]);
    expect(evalTree(f.layer.expression as Tree)).toBe(256);
    expect([f.layer.trainable, f.layer.nonTrainable]).toEqual([128, 128]);
  });
  it('LSTM(units=100) on input width 6: 4·(6·100 + 100·100 + 100) = 42,800', () => {
    expect(params('LSTM', { units: 100 }, [20, 6])).toBe(4 * (6 * 100 + 100 * 100 + 100));
  });
  it('GRU(units=u, reset_after=True) on input width n: 3·(n·u + u·u) + 2·3u', () => {
    const [n, u] = [7, 5];
    expect(params('GRU', { units: u, reset_after: true }, [4, n])).toBe(3 * (n * u + u * u) + 2 * 3 * u);
  });
  it('grouped Conv2D: kernel_h·kernel_w·(in/groups)·filters + filters', () => {
    const f = classFormula('Conv2D', { filters: 8, kernel_size: 3, groups: 4 }, [10, 10, 16]);
    expect(evalTree(f.layer.expression as Tree)).toBe(3 * 3 * (16 / 4) * 8 + 8);
    expect(f.layer.sizes.map((s) => s.name)).toContain('groups');
  });
  it('prints the general formula of LSTM with its variables', () => {
    const r = runCli(['explain', '--class', 'LSTM']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('params = in·4·units + units·4·units + 4·units');
    expect(r.stdout).toMatch(/recurrent_kernel\s+\(units, 4·units\)\s+trainable/);
  });
  it('--set and --input substitute the numbers', () => {
    const r = runCli(['explain', '--class', 'Conv2D', '--set', 'filters=32,kernel_size=[3,3]', '--input', '28,28,16']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('= kernel 3·3·16·32 + bias 32 = 4,640');
  });
});

// ── the command line ─────────────────────────────────────────────────────────────────────────────────

describe('kerascope explain on the command line', () => {
  it('--layer shows one layer', () => {
    const r = runCli(['explain', 'fixtures/keras-h5/convnet.h5', '--layer', 'dense']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('dense (Dense)');
    expect(r.stdout).not.toContain('conv2d (Conv2D)');
    // The totals stay the whole model's: 80 + 32 + 292 + 370 (fixtures/README.md).
    expect(r.stdout).toContain(`Whole model:\n Total params: ${80 + 32 + 292 + 370}`);
  });
  it('--layer nope: one line naming the layers with weights, exit 2', () => {
    const r = runCli(['explain', 'fixtures/tfjs/mlp/model.json', '--layer', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'kerascope: fixtures/tfjs/mlp/model.json: no layer with weights named nope; layers with weights: dense, dense_1, dense_2\n',
    );
  });
  it('--class Nope: unknown class, exit 2', () => {
    const r = runCli(['explain', '--class', 'Nope']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^kerascope: Nope: unknown layer class/);
  });
  it('no file and no --class, or a bad --input: exit 2 with one line', () => {
    for (const args of [
      ['explain'],
      ['explain', '--class', 'Dense', '--input', '3,x'],
      ['explain', '--class', 'Dense', '--set', 'units'],
    ]) {
      const r = runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/^kerascope: /);
    }
  });
  it('a missing file: exit 2', () => {
    const r = runCli(['explain', 'fixtures/nope.h5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^kerascope: fixtures\/nope\.h5: /);
  });
  it('--format markdown renders a table ending with the total', () => {
    const r = runCli(['explain', 'fixtures/keras-h5/convnet.h5', '--format', 'markdown']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('| Layer | Class | Sizes | Formula | Arithmetic | Params |');
    // Conv2D 3·3·1·8 + 8, BN 4·8, Conv2D 3·3·8·4 + 4, Dense 36·10 + 10 (fixtures/README.md)
    expect(r.stdout).toContain(`| **${80 + 32 + 292 + 370}** |`);
  });
  it('--format json validates against schema/explain.schema.json', () => {
    const r = runCli(['explain', 'fixtures/keras3/lstm.keras', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(validate(JSON.parse(r.stdout)), JSON.stringify(validate.errors)).toBe(true);
  });
  it("--class X --format json: its layer has the schema's layer shape and evaluates to the hand count", () => {
    const r = runCli(['explain', '--class', 'LSTM', '--set', 'units=100', '--input', '20,6', '--format', 'json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const ajv = new Ajv2020({ allErrors: true });
    ajv.addSchema(schema);
    const validLayer = ajv.compile({ $ref: `${schema.$id}#/$defs/layer` });
    expect(validLayer(out.layer), JSON.stringify(validLayer.errors)).toBe(true);
    expect(out.general).toBe('in·4·units + units·4·units + 4·units');
    expect(checkLayer(out.layer)[0]).toBe(4 * (6 * 100 + 100 * 100 + 100));
  });
  it('inspect --explain adds the Formula column; inspect --format json is unchanged by it', () => {
    const r = runCli(['inspect', 'fixtures/tfjs/mlp/model.json', '--explain']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/│ Formula\s+│/);
    expect(r.stdout).toMatch(/│ dense \(Dense\)\s+│ \(None, 4\)\s+│\s+16 │ 3·4 \+ 4\s+│/);
    const a = runCli(['inspect', 'fixtures/tfjs/mlp/model.json', '--format', 'json', '--explain']);
    const b = runCli(['inspect', 'fixtures/tfjs/mlp/model.json', '--format', 'json']);
    expect(a.stdout).toBe(b.stdout);
  });
});
