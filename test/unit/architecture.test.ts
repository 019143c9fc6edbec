// The shape of the code: a core that runs anywhere (no Node built-ins outside src/node and src/cli), no
// import cycles between files or folders, and one core that gives the same report from bytes in memory as
// from files on disk.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/inspect.js';
import { MemorySource } from '../../src/io/byte-source.js';
import { inspect } from '../../src/node/inspect.js';
import { VERSION } from '../../src/version.js';
import { inspectArgs, realModels, realSavedModels } from '../helpers/real-models.js';

const SRC = path.resolve('src');

function sourceFiles(dir = SRC): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Node front ends: the adapter folder, the command line, and the Node library entry. */
const isFrontEnd = (file: string) => {
  const rel = path.relative(SRC, file).split(path.sep);
  return rel[0] === 'node' || rel[0] === 'cli' || rel.join('/') === 'index.ts';
};

/** Code without comments and string contents (so prose that names `process` does not count). */
function code(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '')
    .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, "''");
}

function imports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gm), ...text.matchAll(/import\('([^']+)'\)/g)].map((m) => m[1]!);
}

const NODE_ONLY = /^(node:|fs$|path$|os$|crypto$|zlib$|stream|url$|child_process$|worker_threads$|yauzl$|commander$)/;

describe('a core that runs anywhere', () => {
  const core = sourceFiles().filter((f) => !isFrontEnd(f));

  it('has a core to check', () => {
    expect(core.length).toBeGreaterThan(40);
  });

  it('no module outside src/node and src/cli imports a Node built-in or a Node-only package', () => {
    const bad = core.flatMap((f) =>
      imports(f)
        .filter((s) => NODE_ONLY.test(s))
        .map((s) => `${path.relative(SRC, f)} imports ${s}`),
    );
    expect(bad).toEqual([]);
  });

  it('no module outside src/node and src/cli uses Buffer or process', () => {
    const bad = core.filter((f) => /\b(Buffer|process)\b/.test(code(fs.readFileSync(f, 'utf8')))).map((f) => path.relative(SRC, f));
    expect(bad).toEqual([]);
  });

  it('the check itself catches a Node import and a Buffer', () => {
    expect(NODE_ONLY.test('node:fs')).toBe(true);
    expect(/\b(Buffer|process)\b/.test(code("const b = Buffer.from('x'); // process"))).toBe(true);
    expect(/\b(Buffer|process)\b/.test(code("const s = 'Buffer'; // process"))).toBe(false);
  });
});

describe('no import cycles', () => {
  const files = sourceFiles();
  const edges = new Map<string, string[]>();
  for (const f of files) {
    edges.set(
      f,
      imports(f)
        .filter((s) => s.startsWith('.'))
        .map((s) => path.resolve(path.dirname(f), s.replace(/\.js$/, '.ts'))),
    );
  }
  const folderOf = (f: string) => path.relative(SRC, f).split(path.sep)[0]!.replace(/\.ts$/, '');

  /** Strongly connected components with more than one member (Tarjan, iterative over the few hundred files). */
  function cycles(graph: Map<string, string[]>): string[][] {
    let index = 0;
    const idx = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const on = new Set<string>();
    const out: string[][] = [];
    const strong = (v: string): void => {
      idx.set(v, index);
      low.set(v, index++);
      stack.push(v);
      on.add(v);
      for (const w of graph.get(v) ?? []) {
        if (!idx.has(w)) {
          strong(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
      if (low.get(v) === idx.get(v)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          on.delete(w);
          comp.push(w);
        } while (w !== v);
        if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(comp);
      }
    };
    for (const v of graph.keys()) if (!idx.has(v)) strong(v);
    return out;
  }

  it('between files', () => {
    expect(cycles(edges).map((c) => c.map((f) => path.relative(SRC, f)))).toEqual([]);
  });

  it('between folders', () => {
    const folders = new Map<string, string[]>();
    for (const [f, to] of edges) {
      const from = folderOf(f);
      const list = folders.get(from) ?? [];
      for (const t of to) if (folderOf(t) !== from && !list.includes(folderOf(t))) list.push(folderOf(t));
      folders.set(from, list);
    }
    expect(cycles(folders)).toEqual([]);
    expect(folders.get('formats')).not.toContain('security');
    expect(folders.get('formats')).not.toContain('audit');
  });

  it('the cycle finder finds a cycle', () => {
    expect(
      cycles(
        new Map([
          ['a', ['b']],
          ['b', ['a']],
          ['c', []],
        ]),
      ),
    ).toHaveLength(1);
  });
});

it('VERSION is package.json version', () => {
  expect(VERSION).toBe(JSON.parse(fs.readFileSync('package.json', 'utf8')).version);
});

// ── the same report from bytes in memory ─────────────────────────────────────────────────────────────

/** Every file in the folders of `files`, by the path a user would give: the in-memory folder tree. */
function memoryTree(files: string[]): Map<string, Uint8Array> {
  const tree = new Map<string, Uint8Array>();
  const add = (dir: string, deep: boolean) => {
    for (const name of fs.readdirSync(dir)) {
      const p = path.join(dir, name);
      if (fs.statSync(p).isFile()) tree.set(p, new Uint8Array(fs.readFileSync(p)));
      // A SavedModel's checkpoint lies in its variables/ folder.
      else if (deep && name === 'variables') add(p, false);
    }
  };
  // A folder given as the input (a SavedModel) is its own tree.
  for (const dir of new Set(files.map((f) => (fs.statSync(f).isDirectory() ? f : path.dirname(f)))))
    add(dir, fs.existsSync(path.join(dir, 'saved_model.pb')));
  return tree;
}

async function both(file: string, weights?: string): Promise<[unknown, unknown]> {
  const onDisk = await inspect(file, weights ? { weights } : {}).catch((e: Error) => ({ error: e.message }));
  const tree = memoryTree(weights ? [file, weights] : [file]);
  const src = new MemorySource(tree, file);
  const w = weights ? new MemorySource(tree, weights) : undefined;
  const inMemory = await analyze(src, { weights: w }).then(
    (x) => x.report,
    (e: Error) => ({ error: e.message }),
  );
  return [inMemory, onDisk];
}

function fixtureInputs(dir = 'fixtures'): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    // fixtures/regress/hangs/: inputs that make the HDF5 library spin; only the CLI's watchdog ends them (regress.test.ts).
    if (e.isDirectory()) return e.name === 'hangs' ? [] : fixtureInputs(p);
    if (/\.(bin|md)$|shard\d/.test(e.name) || e.name === 'vocabulary.json') return [];
    // Symbolic links exist only on disk (a memory or browser host has none): their fixtures are tested apart.
    if (fs.readdirSync(dir, { withFileTypes: true }).some((x) => x.isSymbolicLink())) return [];
    return [p];
  });
}

describe('bytes in memory give the same report as files on disk', () => {
  const legacy = realModels();
  const models = legacy && [...legacy, ...(realSavedModels() ?? [])];
  it.skipIf(!models)('every model in ../shared/models', async () => {
    for (const m of models ?? []) {
      const { file, weights } = inspectArgs(m);
      const [mem, disk] = await both(path.relative('.', file), weights && path.relative('.', weights));
      expect(mem, m.id).toEqual(disk);
      expect(disk, m.id).not.toHaveProperty('error');
    }
  });

  it('every fixture, healthy or damaged', async () => {
    const inputs = fixtureInputs();
    expect(inputs.length).toBeGreaterThan(50);
    let reports = 0;
    for (const file of inputs) {
      const [mem, disk] = await both(file);
      expect(mem, file).toEqual(disk);
      if (!('error' in (disk as object))) reports++;
    }
    expect(reports).toBeGreaterThan(40);
  });
});
