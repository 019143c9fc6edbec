// The h5wasm WebAssembly module, used directly: its lifecycle (a fresh instance after an abort), its error
// side effects (the tmpfiles its error handler leaves open), and the file-system hook through which HDF5
// reads every file from a ByteSource: a file on disk, a member inside a zip archive, or bytes in memory.
// The module is h5wasm's ESM build, which runs unchanged in Node and in browsers; none of its file-system
// is used for input, only the mounted sources below.
import type { ByteSource } from '../../io/byte-source.js';
import { type Budgets, DEFAULT_BUDGETS, overBudget } from '../../model/budgets.js';

/** The parts of the Emscripten module kerascope calls (h5wasm's `hdf5_util` build). */
export interface H5Module {
  H5F_ACC_RDONLY: number;
  H5G_GROUP: number;
  H5G_DATASET: number;
  H5G_TYPE: number;
  H5G_LINK: number;
  H5G_UDLINK: number;
  open(path: string, mode: number, trackOrder: boolean, a: number, b: number): bigint;
  close_file(fid: bigint): number;
  get_type(fid: bigint, path: string): number;
  get_names(fid: bigint, path: string, recursive: boolean): string[];
  get_symbolic_link(fid: bigint, path: string): string | null;
  get_external_link(fid: bigint, path: string): { filename: string; obj_path: string };
  get_attribute_names(fid: bigint, path: string): string[];
  get_attribute_metadata(fid: bigint, path: string, name: string): AttrMeta;
  get_attribute_data(fid: bigint, path: string, name: string, ptr: bigint): number;
  reclaim_vlen_memory(fid: bigint, path: string, name: string, ptr: bigint): number;
  get_dataset_metadata(fid: bigint, path: string): DatasetMeta;
  get_dataset_filters(fid: bigint, path: string): { id: number; name: string }[];
  create_object_reference(fid: bigint, path: string): ArrayLike<number>;
  activate_throwing_error_handler(): void;
  _malloc(n: number): number;
  _free(p: number): void;
  HEAPU8: Uint8Array;
  UTF8ToString(p: number): string;
  FS: EmscriptenFs;
}

export interface AttrMeta {
  type: number;
  size: number;
  signed: boolean;
  vlen: boolean;
  shape: number[] | null;
  total_size: number;
}

export interface DatasetMeta extends AttrMeta {
  virtual_sources?: { file_name: string; dset_name: string }[];
}

interface Stream {
  position: number;
  path?: string;
  kerascope?: ByteSource;
  node?: { id: number };
}

interface EmscriptenFs {
  streams: (Stream | null)[];
  open(path: string, flags: unknown, mode?: unknown): Stream;
  close(s: Stream): void;
  fstat(fd: number): unknown;
  stat(path: string, dontFollow?: boolean): unknown;
  getStream(fd: number): Stream | null;
  createStream(s: object, fd?: number): Stream;
  ErrnoError: new (errno: number) => Error;
}

type Factory = (opts: object) => Promise<H5Module>;

/** Where the module factory comes from; the web build sets its own bundled import. */
let loadFactory: () => Promise<Factory> = async () => (await import('./factory.js')).loadH5wasmFactory() as Promise<Factory>;

export function setHdf5Factory(load: () => Promise<Factory>): void {
  loadFactory = load;
  modulePromise = null;
}

/**
 * The HDF5 library instance. kerascope talks to h5wasm's WebAssembly module directly (not through its
 * high-level classes) so that it can start a fresh instance when a damaged file makes the library abort:
 * an aborted instance fails every later call, and one bad file must not spoil the next.
 */
let modulePromise: Promise<H5Module> | null = null;
let current: H5Module | null = null;
let aborted = false;

/**
 * The library instance. `isolation`, the load's own hook (LoadOptions.isolation), runs first and may refuse
 * the library on this thread by throwing.
 */
export async function h5(isolation?: () => void): Promise<H5Module> {
  isolation?.();
  if (aborted) {
    modulePromise = null;
    aborted = false;
  }
  modulePromise ??= (async () => {
    const factory = await loadFactory();
    capHeap();
    // The runtime binds its output functions (`out`, `err`) to console.log/console.error when the factory
    // starts, not to the `print`/`printErr` hooks: hand it capturing ones for that moment, so that what it
    // prints (`Aborted(…)`, warnings) is kept for --debug and never reaches the terminal.
    const saved = [console.log, console.error];
    console.log = (...a: unknown[]) => keep(a);
    console.error = (...a: unknown[]) => keep(a);
    let pending: Promise<H5Module>;
    try {
      pending = factory({ noInitialRun: true, print: (s: string) => keep([s]), printErr: (s: string) => keep([s]) });
    } finally {
      [console.log, console.error] = saved as [typeof console.log, typeof console.error];
    }
    const m = await pending;
    // Without this, HDF5 failures return -1 ids and print the library's error stack on stderr.
    m.activate_throwing_error_handler();
    patchFs(m);
    current = m;
    return m;
  })();
  return modulePromise;
}

/**
 * h5wasm's error handler writes HDF5's error stack to a `tmpfile()` and throws before closing it: every
 * library error would keep one stream open. Close those streams.
 */
export function closeErrorFiles(): void {
  const FS = current?.FS;
  for (const stream of FS?.streams ?? []) {
    if (stream && typeof stream.path === 'string' && /^\/tmp\/tmpfile_/.test(stream.path)) {
      try {
        FS!.close(stream);
      } catch {
        /* already closed */
      }
    }
  }
}

// ── what the runtime prints, and its heap ──────────────────────────────────────────────────────────────

const RUNTIME_LOG_LINES = 50;
const runtimeLines: string[] = [];

function keep(args: unknown[]): void {
  runtimeLines.push(args.map(String).join(' '));
  if (runtimeLines.length > RUNTIME_LOG_LINES) runtimeLines.shift();
}

/** The last lines the WebAssembly runtime printed (never shown unless asked for: `--debug`). */
export function runtimeLog(): string[] {
  return runtimeLines.slice();
}

/** Bytes the library last asked its heap to grow to beyond the budget (cleared when reported). */
let refusedHeap: number | null = null;
/** Names the file being read in a refusal. */
let activeLabel = '';
/**
 * The heap budget of the load the instance is reading for. The one instance serves one call at a time (its
 * calls are synchronous), so the file it reads sets it, with its label, before each open.
 */
let activeHeapBytes: number = DEFAULT_BUDGETS.wasmHeapBytes;
let activeBudgets: Budgets = DEFAULT_BUDGETS;

export function setActiveLabel(label: string, budgets: Budgets = DEFAULT_BUDGETS): void {
  activeLabel = label;
  activeBudgets = budgets;
  activeHeapBytes = budgets.wasmHeapBytes;
  refusedHeap = null;
}

/**
 * The heap of h5wasm's build may grow to 2 GiB, and a few changed bytes (a huge declared global heap
 * collection, dataspace or attribute) make HDF5 ask for it. Growth of the library's memory past the
 * `wasmHeapBytes` budget is refused: its allocator then returns NULL, HDF5 fails the call, and `seen`
 * turns that failure into an over-budget error naming the size asked for.
 */
function capHeap(): void {
  const proto = WebAssembly.Memory.prototype as WebAssembly.Memory & { kerascopeCapped?: boolean };
  if (proto.kerascopeCapped) return;
  const grow = proto.grow;
  proto.grow = function (this: WebAssembly.Memory, delta: number): number {
    const heap = current?.HEAPU8?.buffer;
    if (heap !== undefined && this.buffer === heap) {
      const want = heap.byteLength + delta * 65536;
      if (want > activeHeapBytes) {
        refusedHeap = want;
        throw new RangeError(`kerascope: HDF5 heap growth to ${want} bytes refused`);
      }
    }
    return grow.call(this, delta);
  };
  proto.kerascopeCapped = true;
}

/** Throws the over-budget error when the library's last failure was a refused heap growth. */
function heapRefusal(): void {
  if (refusedHeap === null) return;
  const want = refusedHeap;
  refusedHeap = null;
  throw overBudget(
    activeLabel,
    'wasmHeapBytes',
    `the file makes the HDF5 library ask for ${want} bytes of memory (a size the file declares but does not hold); refusing`,
    activeBudgets,
  );
}

/**
 * Notes an error that came out of the library; an abort retires the instance. Returns the error, or throws
 * an over-budget error when the library failed because its heap reached the budget.
 */
export function seen(e: unknown): unknown {
  if (/Cannot enlarge memory|out of memory|OOM|bad_alloc/i.test(String((e as Error)?.message ?? e))) aborted = true;
  if (e instanceof WebAssembly.RuntimeError || /Aborted\(/.test(String((e as Error)?.message ?? e))) aborted = true;
  else closeErrorFiles();
  heapRefusal();
  return e;
}

// ── sources mounted as files ────────────────────────────────────────────────────────────────────────────

const mounted = new Map<string, { src: ByteSource; ino: number }>();
let nextMount = 0;

/** Makes a source readable by HDF5 under a private path; `unmount` when the file is closed. */
export function mount(src: ByteSource): string {
  const ino = ++nextMount;
  const path = `/kerascope-src/${ino}`;
  mounted.set(path, { src, ino });
  return path;
}

export function unmount(path: string): void {
  mounted.delete(path);
}

/** Opens a mounted path read-only; throws what the library throws. */
export function openId(m: H5Module, path: string): bigint {
  return m.open(path, m.H5F_ACC_RDONLY, false, -1, -1);
}

const patched = new WeakSet<H5Module>();

/**
 * While a source is mounted, the module's file-system `open` of its path yields a stream that reads the
 * source, and `fstat` of that stream reports the source's size (HDF5 asks for it when it opens a file).
 */
function patchFs(m: H5Module): void {
  if (patched.has(m)) return;
  patched.add(m);
  const FS = m.FS;
  const open = FS.open;
  FS.open = function (this: unknown, path: string, flags: unknown, mode?: unknown) {
    const entry = mounted.get(path);
    if (!entry) return open.call(this, path, flags, mode);
    const { src, ino } = entry;
    return FS.createStream({
      path,
      flags: 0,
      seekable: true,
      position: 0,
      kerascope: src,
      node: { id: ino, mode: 0o100444, node_ops: {}, path },
      stream_ops: {
        read(_s: Stream, buffer: Uint8Array, at: number, length: number, position: number): number {
          const chunk = src.read(position, length);
          buffer.set(chunk, at);
          return chunk.length;
        },
        llseek(s: Stream, to: number, whence: number): number {
          const p = whence === 1 ? s.position + to : whence === 2 ? src.size + to : to;
          if (p < 0) throw new FS.ErrnoError(28);
          return p;
        },
        close(): void {},
      },
    });
  };
  const statOf = (src: ByteSource, ino: number) => {
    const epoch = new Date(0);
    return {
      dev: 1,
      ino,
      mode: 0o100444,
      nlink: 1,
      uid: 0,
      gid: 0,
      rdev: 0,
      size: src.size,
      atime: epoch,
      mtime: epoch,
      ctime: epoch,
      blksize: 4096,
      blocks: Math.ceil(src.size / 512),
    };
  };
  const fstat = FS.fstat;
  FS.fstat = function (this: unknown, fd: number) {
    const stream = FS.getStream(fd);
    if (!stream?.kerascope) return fstat.call(this, fd);
    return statOf(stream.kerascope, stream.node?.id ?? 0);
  };
  // HDF5 also asks by name (stat of the path it opened).
  const stat = FS.stat;
  FS.stat = function (this: unknown, path: string, dontFollow?: boolean) {
    const entry = mounted.get(path);
    return entry ? statOf(entry.src, entry.ino) : stat.call(this, path, dontFollow);
  };
}
