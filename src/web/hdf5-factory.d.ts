// h5wasm's ESM Emscripten factory (node_modules/h5wasm/dist/esm/hdf5_util.js, the WebAssembly embedded in
// the file). The package does not export that path, so scripts/build-web.mjs resolves this name to it.
declare module 'h5wasm/hdf5_util' {
  const factory: (opts: object) => Promise<import('../hdf5/h5wasm/module.js').H5Module>;
  export default factory;
}
