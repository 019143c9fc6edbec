// The config scanner: walks a model's raw config tree (any dialect) and the training config, and names what
// would run code or read other files when Keras loads the model. Static only: nothing is imported, nothing
// unmarshalled; a Lambda's bytecode is measured and hashed, never disassembled.
import { finding } from '../model/findings.js';
import type { Finding, LoadedModel } from '../model/types.js';
import { isDangerousModule, isKerasModule, isKnownTrainingName, isNonModelingApi, KERAS_PACKAGES } from './names.js';
import { sha256Hex } from '../io/sha256.js';

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const str = (x: unknown): string | null => (typeof x === 'string' ? x : null);

/** Keys under which a layer config holds another layer (wrappers, RNN cells). */
const WRAPPER_KEYS = new Set(['layer', 'forward_layer', 'backward_layer', 'cell']);
/** Keys of a config that hold the training setup. */
const TRAINING_KEYS = new Set(['training_config', 'compile_config']);
/** Training-config keys whose string values name a loss, metric or optimizer Keras must resolve. */
const TRAINING_NAME_KEYS = new Set(['loss', 'metrics', 'weighted_metrics', 'optimizer', 'optimizer_config']);

/** Where a value sits: the enclosing layer's path and the key path inside that layer. */
interface Ctx {
  layer: string | null;
  className: string | null;
  keys: string;
  training: boolean;
}

interface Item {
  value: unknown;
  ctx: Ctx;
  /** True when the value is a layer entry (in a `layers` list, a wrapper key or a `cells` list). */
  isLayer: boolean;
}

/** A Lambda's own keys, judged by checkLambda rather than by the generic module check. */
const LAMBDA_KEYS = new Set(['function', 'module', 'output_shape', 'output_shape_module', 'function_type', 'output_shape_type']);

const isLayerEntry = (x: unknown): x is Obj => isObj(x) && typeof x.class_name === 'string';

/** The context of a layer entry met below `parent`: its path is the parent's path plus `segment`. */
function layerCtx(parent: Ctx, segment: string, entry: Obj): Ctx {
  return {
    layer: parent.layer ? `${parent.layer}/${segment}` : segment,
    className: String(entry.class_name),
    keys: '',
    training: parent.training,
  };
}

/** What a Python module path looks like (a TorchModuleWrapper's `module` is pickled bytes, not a name). */
const MODULE_NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Stops a hostile config from making the scan itself run away (the loaders' budgets come first). */
const MAX_NODES = 5_000_000;

export async function scanConfig(saved: LoadedModel): Promise<Finding[]> {
  const s = new Scanner();
  if (saved.config !== null) s.walk(saved.config, false);
  // The training config is walked unless it is part of the config already walked (Keras 3 compile_config,
  // TF.js training_config inside modelTopology).
  if (saved.trainingConfig !== null && !s.seen.has(saved.trainingConfig as object)) s.walk(saved.trainingConfig, true);
  return s.results();
}

class Scanner {
  readonly seen = new Set<object>();
  private readonly out: (Finding | Promise<Finding>)[] = [];
  /** Per layer path: custom module → the keys that use it. */
  private readonly custom = new Map<string, { className: string | null; modules: Map<string, Set<string>> }>();
  private readonly customTraining = new Map<string, Set<string>>();
  private nodes = 0;

  walk(root: unknown, training: boolean): void {
    const stack: Item[] = [{ value: root, ctx: { layer: null, className: null, keys: '', training }, isLayer: false }];
    while (stack.length) {
      const item = stack.pop()!;
      if (++this.nodes > MAX_NODES) return;
      const v = item.value;
      if (typeof v === 'string') {
        this.checkString(v, item.ctx);
        continue;
      }
      if (typeof v !== 'object' || v === null || this.seen.has(v)) continue;
      this.seen.add(v);
      if (Array.isArray(v)) {
        for (let i = v.length - 1; i >= 0; i--) {
          const e: unknown = v[i];
          if (typeof e === 'object' ? e !== null : typeof e === 'string' && item.ctx.training)
            stack.push({ value: e, ctx: item.ctx, isLayer: false });
        }
        continue;
      }
      this.visitObject(v as Obj, item, stack);
    }
  }

  private visitObject(v: Obj, item: Item, stack: Item[]): void {
    const ctx = item.ctx;
    if (item.isLayer) this.checkLayer(v, ctx);
    this.checkObject(v, ctx);
    const isLambda = item.isLayer && v.class_name === 'Lambda' && isObj(v.config);
    // Children are pushed last-first so that the stack visits them (and reports findings) in file order.
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i]!;
      const child = v[k];
      // Numbers, booleans and null hold nothing to judge, and a string is judged only in a training config.
      if (typeof child !== 'object' || child === null) {
        if (typeof child !== 'string' || !(ctx.training || TRAINING_KEYS.has(k))) continue;
      }
      const childCtx: Ctx = TRAINING_KEYS.has(k)
        ? { layer: null, className: null, keys: k, training: true }
        : { ...ctx, keys: joinKeys(ctx.keys, k) };
      if (isLambda && k === 'config') {
        // A Lambda's function/module keys are judged by checkLayer; its other keys are walked as usual.
        this.seen.add(child as object);
        for (const [ck, cv] of Object.entries(child as Obj)) {
          if (!LAMBDA_KEYS.has(ck)) stack.push({ value: cv, ctx: { ...childCtx, keys: joinKeys(childCtx.keys, ck) }, isLayer: false });
        }
      } else if (WRAPPER_KEYS.has(k) && isLayerEntry(child)) {
        stack.push({ value: child, ctx: layerCtx(ctx, k, child), isLayer: true });
      } else if ((k === 'layers' || k === 'cells' || (k === 'config' && v.class_name === 'Sequential')) && Array.isArray(child)) {
        // Model layer lists (Keras 2.0/2.1 Sequential: the config is the bare list) and stacked RNN cells.
        this.seen.add(child);
        [...child.entries()].reverse().forEach(([i, e]) => {
          if (isLayerEntry(e)) stack.push({ value: e, ctx: layerCtx(ctx, k === 'cells' ? `cells/${i}` : layerName(e), e), isLayer: true });
          else stack.push({ value: e, ctx: childCtx, isLayer: false });
        });
      } else {
        stack.push({ value: child, ctx: childCtx, isLayer: false });
      }
    }
  }

  /** True inside a training config's loss/metrics/optimizer keys. */
  private namesTrainingObject(ctx: Ctx): boolean {
    const head = ctx.keys.split('.').filter((k) => !TRAINING_KEYS.has(k))[0];
    return head !== undefined && TRAINING_NAME_KEYS.has(head);
  }

  /** Loss/metric names (plain strings) in a training config that Keras cannot resolve without custom code. */
  private checkString(s: string, ctx: Ctx): void {
    if (!ctx.training || !this.namesTrainingObject(ctx)) return;
    // Only the strings that are the value itself or list items, not `name` or other config fields.
    const keys = ctx.keys.split('.').filter((k) => !TRAINING_KEYS.has(k));
    if (!keys.slice(1).every((k) => /^\d+$/.test(k))) return;
    if (isKnownTrainingName(s) || s === '' || /^[\d.]+$/.test(s)) return;
    this.addCustomTraining(s, ctx.keys);
  }

  /** Checks every object: `module`, `registered_name`, serialized lambdas. */
  private checkObject(o: Obj, ctx: Ctx): void {
    const module = str(o.module);
    const className = str(o.class_name);
    const fnName = className === 'function' ? str(o.config) : null;
    if (className === '__lambda__') {
      const cfg = isObj(o.config) ? o.config : {};
      this.lambdaBytecode(ctx, ctx.keys || 'function', blobOf(cfg.code ?? cfg.value));
    }
    if (
      ctx.training &&
      module === null &&
      className !== null &&
      className !== '__lambda__' &&
      this.namesTrainingObject(ctx) &&
      !isKnownTrainingName(className)
    ) {
      this.addCustomTraining(className, ctx.keys);
    }
    if (module !== null && MODULE_NAME.test(module))
      this.checkModule(module, fnName ?? (className && /^[a-z_]/.test(className) ? className : null), ctx, className);
    const registered = str(o.registered_name);
    if (registered?.includes('>')) {
      const pkg = registered.slice(0, registered.indexOf('>'));
      if (!(module !== null && topOf(module) === pkg)) this.checkModule(pkg, fnName, ctx, className, registered);
    }
  }

  private checkModule(module: string, fnName: string | null, ctx: Ctx, className: string | null, registered?: string): void {
    const what = registered ? `registered name ${registered}` : fnName ? `${module}.${fnName}` : `module ${module}`;
    const at = ctx.keys ? ` (${ctx.keys})` : '';
    if (isDangerousModule(module)) {
      this.out.push(
        finding(
          'dangerous-module',
          ctx.layer,
          null,
          `${where(ctx)}names ${what}${at}: loading the model in Keras imports it, and that module can run programs, touch files or load code`,
        ),
      );
      return;
    }
    if (isNonModelingApi(module, fnName)) {
      this.out.push(
        finding(
          'dangerous-module',
          ctx.layer,
          null,
          `${where(ctx)}names ${what}${at}, a Keras/TensorFlow function outside the modeling API (files, downloads, loading, safety switches): it runs when the model is loaded`,
        ),
      );
      return;
    }
    if (isKerasModule(module) || KERAS_PACKAGES.has(module)) return;
    const label = className && className !== 'function' ? `${className}` : what;
    if (ctx.training) {
      this.addCustomTraining(`${label} from ${module}`, ctx.keys);
      return;
    }
    const key = ctx.layer ?? '';
    let entry = this.custom.get(key);
    if (!entry) {
      entry = { className: ctx.className, modules: new Map() };
      this.custom.set(key, entry);
    }
    const keys = entry.modules.get(module) ?? new Set<string>();
    keys.add(ctx.keys === '' ? 'the layer class' : ctx.keys.replace(/^config\./, ''));
    entry.modules.set(module, keys);
  }

  private addCustomTraining(name: string, keys: string): void {
    const set = this.customTraining.get(name) ?? new Set<string>();
    set.add(keys);
    this.customTraining.set(name, set);
  }

  /** Layer-level checks: Lambda, TFSMLayer, TorchModuleWrapper, lookup vocabularies. */
  private checkLayer(entry: Obj, ctx: Ctx): void {
    const cls = String(entry.class_name);
    const cfg = isObj(entry.config) ? entry.config : {};
    const label = `${ctx.layer} (${cls})`;
    if (cls === 'Lambda') this.checkLambda(cfg, ctx, label);
    if (cls === 'TFSMLayer') {
      const fp = str(cfg.filepath);
      this.out.push(
        finding(
          'tfsm-layer',
          ctx.layer,
          null,
          `${label} loads an external TensorFlow SavedModel${fp ? ` from ${JSON.stringify(fp)}` : ''} when the model is loaded: code and files outside this model`,
        ),
      );
    }
    if (cls === 'TorchModuleWrapper') {
      this.out.push(
        finding(
          'torch-module-wrapper',
          ctx.layer,
          null,
          `${label} wraps a pickled PyTorch module: loading the model unpickles it, which can run arbitrary code`,
        ),
      );
    }
    const vocab = cfg.vocabulary;
    if (typeof vocab === 'string' && vocab !== '') {
      const url = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(vocab);
      this.out.push(
        finding(
          'vocabulary-path',
          ctx.layer,
          null,
          `${label} takes its vocabulary from the ${url ? 'URL' : 'path'} ${JSON.stringify(vocab)}: loading the model ${url ? 'fetches' : 'reads'} it (CVE-2025-12058)`,
        ),
      );
    }
  }

  private checkLambda(cfg: Obj, ctx: Ctx, label: string): void {
    for (const [fnKey, typeKey, moduleKey] of [
      ['function', 'function_type', 'module'],
      ['output_shape', 'output_shape_type', 'output_shape_module'],
    ] as const) {
      const fn = cfg[fnKey];
      if (fn === undefined || fn === null) continue;
      const type = str(cfg[typeKey]);
      if (isObj(fn)) {
        // Keras 3: a serialized object — `__lambda__` (bytecode) or a named function.
        if (fn.class_name === '__lambda__') {
          const inner = isObj(fn.config) ? fn.config : {};
          this.lambdaBytecode(ctx, fnKey, blobOf(inner.code ?? inner.value));
        } else if (fn.class_name === 'function' || typeof fn.module === 'string') {
          this.namedLambda(ctx, label, fnKey, str(fn.module), str(fn.config) ?? str(fn.class_name));
        }
        continue;
      }
      if (type === 'lambda' || Array.isArray(fn)) {
        this.lambdaBytecode(ctx, fnKey, blobOf(fn));
      } else if (typeof fn === 'string') {
        if (fnKey === 'output_shape' && type === 'raw') continue;
        this.namedLambda(ctx, label, fnKey, str(cfg[moduleKey]), fn);
      }
    }
  }

  private namedLambda(ctx: Ctx, label: string, key: string, module: string | null, fn: string | null): void {
    const full = `${module ?? '?'}.${fn ?? '?'}`;
    if (module !== null && (isDangerousModule(module) || isNonModelingApi(module, fn))) {
      this.out.push(
        finding(
          'dangerous-module',
          ctx.layer,
          null,
          `${label} ${key} calls ${full}: loading the model in Keras imports and calls it, and it can run programs, touch files or load code`,
        ),
      );
    } else if (module !== null && isKerasModule(module)) {
      this.out.push(
        finding(
          'lambda',
          ctx.layer,
          null,
          `${label} ${key} names ${full}, a function inside Keras' own packages: no code from the file, but review what it computes`,
        ),
      );
    } else {
      this.out.push(
        finding(
          'lambda-external-function',
          ctx.layer,
          null,
          `${label} ${key} calls ${full}, a function outside Keras: loading the model imports and runs code that is not in the file and cannot be verified`,
        ),
      );
    }
  }

  private lambdaBytecode(ctx: Ctx, key: string, blob: string | null): void {
    const where = ctx.layer ? `${ctx.layer}${ctx.className ? ` (${ctx.className})` : ''}` : 'the config';
    if (blob === null) {
      this.out.push(
        finding(
          'lambda-bytecode',
          ctx.layer,
          null,
          `${where} ${key} is a serialized Python lambda: loading the model in Keras runs its code (CVE-2024-3660, CVE-2025-9905)`,
        ),
      );
      return;
    }
    // Base64 text → bytes only to measure and hash them; the bytes are never unmarshalled or disassembled.
    const bytes = base64Bytes(blob);
    this.out.push(
      sha256Hex(bytes).then((sha) =>
        finding(
          'lambda-bytecode',
          ctx.layer,
          null,
          `${where} ${key} carries ${bytes.length} bytes of marshalled Python bytecode (SHA-256 ${sha}): loading the model in Keras runs it (CVE-2024-3660, CVE-2025-9905)`,
        ),
      ),
    );
  }

  async results(): Promise<Finding[]> {
    const out = await Promise.all(this.out);
    for (const [layer, { className, modules }] of this.custom) {
      const parts = [...modules].map(([m, keys]) => `${m} (${[...keys].slice(0, 4).join(', ')}${keys.size > 4 ? ', …' : ''})`);
      const who = layer ? `${layer}${className ? ` (${className})` : ''}` : 'the model';
      out.push(
        finding(
          'custom-module',
          layer || null,
          null,
          `${who} needs code from outside Keras: ${parts.join('; ')}; Keras imports it when loading, and kerascope cannot verify it`,
        ),
      );
    }
    for (const [name, keys] of this.customTraining) {
      out.push(
        finding(
          'custom-training-object',
          null,
          null,
          `the training config names ${name} (${[...keys].slice(0, 3).join(', ')}), which is not part of Keras: compiling the loaded model needs the author's code`,
        ),
      );
    }
    return out;
  }
}

function layerName(e: Obj): string {
  if (typeof e.name === 'string') return e.name;
  if (isObj(e.config) && typeof e.config.name === 'string') return e.config.name;
  return String(e.class_name);
}

function joinKeys(a: string, b: string): string {
  return a ? `${a}.${b}` : b;
}

function topOf(module: string): string {
  return module.split('.')[0] ?? module;
}

function where(ctx: Ctx): string {
  if (ctx.layer) return `${ctx.layer}${ctx.className ? ` (${ctx.className})` : ''} `;
  return ctx.training ? 'the training config ' : 'the model config ';
}

/** The base64 code string of a serialized lambda: tf.keras `[code, defaults, closure]`, or the string itself. */
function blobOf(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return null;
}

/** Base64 text (whitespace allowed, invalid characters dropped as Python's decoder does) as bytes. */
function base64Bytes(text: string): Uint8Array {
  const clean = text.replace(/[^A-Za-z0-9+/]/g, '');
  const bin = atob(clean.slice(0, clean.length - (clean.length % 4 === 1 ? 1 : 0)));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** SHA-256 from the platform (WebCrypto: Node 20 and browsers). */
