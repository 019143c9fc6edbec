// Symbolic sizes: each axis of a variable's shape as a small expression tree (`in`, `4·units`, `in/groups`,
// `ceil(in/2)`) that carries its value. The formulas build shapes from these, so the number that is
// checked against the stored tensors and the formula that `kerascope explain` prints come from one call.
import type { Expr, VarSpec } from '../model/types.js';

type Dim = number | null;

export type { Expr } from '../model/types.js';

export const sym = (name: string, value: Dim): Expr => ({ op: 'sym', name, value });
export const lit = (value: number): Expr => ({ op: 'num', value });

/** A size as an expression: a number becomes a constant, an expression stays. */
export type Size = Expr | number;
const ex = (s: Size): Expr => (typeof s === 'number' ? lit(s) : s);

export function mul(...xs: Size[]): Expr {
  const args = xs.map(ex);
  return { op: 'mul', args, value: fold(args, (a, b) => a * b, 1) };
}

export function add(...xs: Size[]): Expr {
  return addAll(xs);
}

/** `add` over an array of any length (spreading an input-sized array into a call can overflow the stack). */
export function addAll(xs: Size[]): Expr {
  const args = xs.map(ex);
  return { op: 'add', args, value: fold(args, (a, b) => a + b, 0) };
}

function fold(args: Expr[], f: (a: number, b: number) => number, start: number): Dim {
  let n = start;
  for (const a of args) {
    if (a.value === null) return null;
    n = f(n, a.value);
  }
  return n;
}

function quotient(op: 'div' | 'ceildiv' | 'floordiv', a: Size, b: Size): Expr {
  const args: [Expr, Expr] = [ex(a), ex(b)];
  const [x, y] = [args[0].value, args[1].value];
  const q = x === null || y === null ? null : x / y;
  const value = q === null ? null : op === 'ceildiv' ? Math.ceil(q) : op === 'floordiv' ? Math.floor(q) : q;
  return { op, args, value };
}

export const div = (a: Size, b: Size): Expr => quotient('div', a, b);
export const ceilDiv = (a: Size, b: Size): Expr => quotient('ceildiv', a, b);
export const floorDiv = (a: Size, b: Size): Expr => quotient('floordiv', a, b);

/** A variable whose shape is the values of its factors (one factor per axis). */
export function fv(name: string, factors: Size[], trainable = true): VarSpec {
  const fs = factors.map(ex);
  return { name, shape: fs.map((f) => f.value), trainable, factors: fs };
}

/** The factors of a variable: its own, or its shape's numbers as constants (`null` axes as unknown symbols). */
export function factorsOf(v: VarSpec): Expr[] {
  return v.factors ?? v.shape.map((d) => (d === null ? sym('?', null) : lit(d)));
}

/** Spatial-axis symbol names for a kernel of `rank` axes (`k`; `kernel_h`, `kernel_w`; `kernel_d`, …). */
export function kernelSyms(prefix: string, rank: number): string[] {
  if (rank === 1) return [prefix === 'kernel' ? 'k' : prefix];
  const axes = rank === 2 ? ['h', 'w'] : rank === 3 ? ['d', 'h', 'w'] : Array.from({ length: rank }, (_, i) => String(i + 1));
  return axes.map((a) => `${prefix}_${a}`);
}

/** `kernel_size` values as symbols. */
export function kernelFactors(kernel: number[], prefix = 'kernel'): Expr[] {
  const names = kernelSyms(prefix, kernel.length);
  return kernel.map((k, i) => sym(names[i]!, k));
}

/** Evaluates a tree from its leaves (independent of the `value` fields of inner nodes). */
export function evaluate(e: Expr): Dim {
  switch (e.op) {
    case 'sym':
    case 'num':
      return e.value;
    case 'mul':
    case 'add': {
      let n = e.op === 'mul' ? 1 : 0;
      for (const a of e.args) {
        const x = evaluate(a);
        if (x === null) return null;
        n = e.op === 'mul' ? n * x : n + x;
      }
      return n;
    }
    default: {
      const [a, b] = e.args.map(evaluate);
      if (a == null || b == null) return null;
      return e.op === 'div' ? a / b : e.op === 'ceildiv' ? Math.ceil(a / b) : Math.floor(a / b);
    }
  }
}

const PRECEDENCE: Record<Expr['op'], number> = { add: 1, mul: 2, div: 2, ceildiv: 3, floordiv: 3, sym: 3, num: 3 };

/**
 * Prints an expression with numbers (`values`) or with symbol names (`symbols`): products with `·`,
 * nested products flattened, sums parenthesized inside products.
 */
export function print(e: Expr, mode: 'values' | 'symbols'): string {
  const inner = (x: Expr, parent: number) => {
    const s = print(x, mode);
    return PRECEDENCE[x.op] < parent ? `(${s})` : s;
  };
  switch (e.op) {
    case 'sym':
      return mode === 'symbols' || e.value === null ? e.name : String(e.value);
    case 'num':
      return String(e.value);
    case 'mul':
      return e.args.length === 0 ? '1' : e.args.map((a) => inner(a, 2)).join('·');
    case 'add':
      return e.args.length === 0 ? '0' : e.args.map((a) => inner(a, 1)).join(' + ');
    case 'div':
      return `${inner(e.args[0], 3)}/${inner(e.args[1], 3)}`;
    case 'ceildiv':
      return `ceil(${print(e.args[0], mode)}/${inner(e.args[1], 3)})`;
    case 'floordiv':
      return `floor(${print(e.args[0], mode)}/${inner(e.args[1], 3)})`;
  }
}

/** The named sizes an expression uses, with their values, in first-use order. */
export function symbolsOf(es: Expr[], into = new Map<string, Dim>()): Map<string, Dim> {
  for (const e of es) {
    if (e.op === 'sym') {
      if (!into.has(e.name)) into.set(e.name, e.value);
    } else if (e.op !== 'num') symbolsOf(e.args, into);
  }
  return into;
}

/** The same variable with its named sizes renamed (`units` → `units_2` for the second of stacked cells). */
export function renameSizes(v: VarSpec, rename: (name: string) => string): VarSpec {
  const go = (e: Expr): Expr => {
    if (e.op === 'sym') return { ...e, name: rename(e.name) };
    if (e.op === 'num') return e;
    return { ...e, args: e.args.map(go) } as Expr;
  };
  return v.factors ? { ...v, factors: v.factors.map(go) } : v;
}
