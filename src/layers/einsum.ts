// EinsumDense shape analysis (the rules of Keras' `_analyze_einsum_string` and, for int8 quantization,
// `_analyze_quantization_info`), shared by EinsumDense and layers built from it (attention).
type Dim = number | null;

export interface EinsumSpec {
  input: string;
  weight: string;
  output: string;
  /** `...` before the input/output labels (batch and leading axes elided). */
  leftElided: boolean;
}

export function parseEquation(equation: string): EinsumSpec {
  const eq = equation.replace(/\.\.\./g, '0');
  // Each pattern has three groups, none optional: a match sets all of them.
  let m = /^([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)$/.exec(eq);
  if (m) return { input: m[1]!, weight: m[2]!, output: m[3]!, leftElided: false };
  m = /^0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)$/.exec(eq);
  if (m) return { input: m[1]!, weight: m[2]!, output: m[3]!, leftElided: true };
  m = /^([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0$/.exec(eq);
  if (m) return { input: m[1]!, weight: m[2]!, output: m[3]!, leftElided: false };
  throw new Error(`einsum equation "${equation}" is not of the form ab,bc->ac, ...b,bc->...c or ab...,bc->ac...`);
}

/**
 * Kernel, bias and full output shapes of an EinsumDense on `inputShape` (batch included), given the
 * `output_shape` argument without batch (nulls allowed) and `bias_axes`.
 */
export function analyzeEinsum(
  spec: EinsumSpec,
  biasAxes: string | null,
  inputShape: Dim[],
  partialOutput: Dim[],
): { kernel: Dim[]; bias: Dim[] | null; output: Dim[] } {
  const { input, weight, output, leftElided } = spec;
  const elided = inputShape.length - input.length;
  const out: Dim[] = [inputShape[0] ?? null, ...partialOutput];
  // 0 < elided <= inputShape.length: both loops stay inside inputShape.
  if (elided > 0 && leftElided) {
    for (let i = 1; i < elided; i++) out.splice(1, 0, inputShape[i]!);
  } else if (elided > 0) {
    for (let i = inputShape.length - elided; i < inputShape.length; i++) out.push(inputShape[i]!);
  }
  const inAt = (label: string) => {
    const i = input.indexOf(label);
    return i < 0 ? -1 : leftElided ? i + elided : i;
  };
  const outAt = (label: string) => {
    const i = output.indexOf(label);
    return i < 0 ? -1 : leftElided ? i + elided : i;
  };
  const kernel = [...weight].map((label) => {
    if (inAt(label) >= 0) return inputShape[inAt(label)] ?? null;
    if (outAt(label) >= 0) return out[outAt(label)] ?? null;
    throw new Error(`weight axis "${label}" appears in neither the input nor the output of the equation`);
  });
  // The op's real output takes unknown axes from the input or the kernel.
  for (const label of output) {
    const o = outAt(label);
    if (out[o] !== null) continue;
    if (inAt(label) >= 0) out[o] = inputShape[inAt(label)] ?? null;
    else if (weight.includes(label)) out[o] = kernel[weight.indexOf(label)]!; // kernel has one entry per weight label
  }
  let bias: Dim[] | null = null;
  if (biasAxes) {
    for (const c of biasAxes) {
      if (!output.includes(c)) throw new Error(`bias axis "${c}" is not in the output "${output}"`);
    }
    const first = Math.min(...[...biasAxes].map((c) => output.indexOf(c)));
    bias = [...output.slice(first)].map((c) => (biasAxes.includes(c) ? (out[outAt(c)] ?? null) : 1));
    if (!leftElided) for (let i = 0; i < elided; i++) bias.push(1);
  }
  return { kernel, bias, output: out };
}

/** Shape of the int8 `kernel_scale` Keras stores for a quantized EinsumDense (its exact axis shuffle). */
export function int8KernelScaleShape(spec: EinsumSpec, inputRank: number, kernel: Dim[]): Dim[] {
  let { input, output } = spec;
  const { weight } = spec;
  const elided = inputRank - input.length;
  if (elided > 0) {
    const used = new Set([...input, ...weight, ...output]);
    const free = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'].filter((c) => !used.has(c));
    if (elided > free.length) throw new Error(`einsum equation has no free letters left for ${elided} elided axes`);
    for (const c of free.slice(0, elided)) {
      input = spec.leftElided ? c + input : input + c;
      output = spec.leftElided ? c + output : output + c;
    }
  }
  const missing = (labels: string, from: string) => [...labels].flatMap((c, i) => (from.includes(c) ? [] : [i]));
  const inputReduced = missing(input, output);
  const inputExpand = missing(output, input);
  const weightReduced = missing(weight, output);
  const weightExpand = missing(output, weight);
  const transpose = [...output].filter((c) => weight.includes(c)).map((c) => weight.indexOf(c));
  // Keras reuses one loop variable (`index`) across these steps; an insert after a failed pop reuses its last value.
  let index = weight.length ? output.indexOf(weight[weight.length - 1]!) : input.length ? output.indexOf(input[input.length - 1]!) : 0;
  for (let n = 0; n < inputReduced.length; n++) if (inputExpand.length) index = inputExpand.shift() as number;
  const squeeze: number[] = [];
  for (const axis of weightReduced) {
    if (weightExpand.length) index = weightExpand.shift() as number;
    else squeeze.push(axis);
    transpose.splice(index, 0, axis);
  }
  const reduced = kernel.map((d, i) => (weightReduced.includes(i) ? 1 : d));
  // transpose holds axes of `weight`, and the kernel has one entry per weight axis.
  const scale: Dim[] = transpose.map((i) => reduced[i]!);
  for (const a of [...weightExpand].sort((x, y) => x - y)) scale.splice(a, 0, 1);
  for (const a of [...squeeze].sort((x, y) => y - x)) scale.splice(a, 1);
  return scale;
}
