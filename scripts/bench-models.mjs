// Models the benchmarks write (scripts/bench.mjs, scripts/bench-web.mjs): a Sequential stack of Dense layers,
// as its config and as a legacy Keras HDF5 full model written with h5wasm.
import h5wasm from 'h5wasm/node';

export const denseStack = (/** @type {number} */ n, /** @type {number} */ inDim, /** @type {number} */ units) => {
  /** @type {{ class_name: string; config: Record<string, unknown> }[]} */
  const layers = [{ class_name: 'InputLayer', config: { name: 'input', batch_input_shape: [null, inDim], dtype: 'float32' } }];
  for (let i = 0; i < n; i++) layers.push({ class_name: 'Dense', config: { name: `dense_${i}`, units, use_bias: true, trainable: true } });
  return { class_name: 'Sequential', config: { name: 'bench', layers }, keras_version: '2.15.0', backend: 'tensorflow' };
};

export async function writeLegacyH5(
  /** @type {string} */ file,
  /** @type {number} */ n,
  /** @type {number} */ inDim,
  /** @type {number} */ units,
) {
  await h5wasm.ready;
  const config = denseStack(n, inDim, units);
  const f = new h5wasm.File(file, 'w');
  f.create_attribute('model_config', JSON.stringify(config));
  f.create_attribute('keras_version', '2.15.0');
  f.create_attribute('backend', 'tensorflow');
  const mw = f.create_group('model_weights');
  mw.create_attribute(
    'layer_names',
    config.config.layers.map((l) => String(l.config.name)),
  );
  mw.create_group('input').create_attribute('weight_names', []);
  const kernel = new Float32Array(inDim * units);
  const bias = new Float32Array(units);
  for (let i = 0; i < n; i++) {
    const name = `dense_${i}`;
    const g = mw.create_group(name);
    g.create_attribute('weight_names', [`${name}/kernel:0`, `${name}/bias:0`]);
    const inner = g.create_group(name);
    inner.create_dataset({ name: 'kernel:0', data: kernel, shape: [inDim, units], dtype: '<f' });
    inner.create_dataset({ name: 'bias:0', data: bias, shape: [units], dtype: '<f' });
  }
  f.close();
}
