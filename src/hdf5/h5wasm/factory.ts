// Where Node finds h5wasm's Emscripten module factory. A module of its own because it needs
// `import.meta.resolve`: the CLI's CommonJS bundle (scripts/build-cli.mjs) does not contain it but imports
// this compiled file at run time, the one place that bundle leaves to Node's ES module loader.

/** h5wasm exports only its high-level entry; the factory is the `hdf5_util.js` beside it. */
export async function loadH5wasmFactory(): Promise<unknown> {
  const url = new URL('hdf5_util.js', import.meta.resolve('h5wasm'));
  return (await import(url.href)).default;
}
