// The h5wasm WebAssembly module, used directly: its lifecycle (a fresh instance after an abort), its error
// side effects (the tmpfiles its error handler leaves open), and its file-system hook that lets HDF5 read
// a byte range of a larger file (an uncompressed member of a zip archive) as a whole file.
import fs from 'node:fs';
import nodePath from 'node:path';
import type h5wasm from 'h5wasm/node';

export type H5Module = Awaited<typeof h5wasm.ready>;

/**
 * The HDF5 library instance. kerascope talks to h5wasm's WebAssembly module directly (not through its
 * high-level classes) so that it can start a fresh instance when a damaged file makes the library abort:
 * an aborted instance fails every later call, and one bad file must not spoil the next.
 */
let modulePromise: Promise<H5Module> | null = null;
let current: H5Module | null = null;
let aborted = false;

export async function h5(): Promise<H5Module> {
  if (aborted) {
    modulePromise = null;
    aborted = false;
  }
  modulePromise ??= (async () => {
    const m = await instantiate();
    // Without this, HDF5 failures return -1 ids and print the library's error stack on stderr.
    m.activate_throwing_error_handler();
    current = m;
    return m;
  })();
  return modulePromise;
}

/**
 * A new instance from the module factory beside h5wasm's Node entry point (imported by URL: the package does
 * not export that path). Where `import.meta.resolve` is missing (Node before 20.6), the package's own
 * instance is used, and an abort cannot be recovered from.
 */
async function instantiate(): Promise<H5Module> {
  if (typeof import.meta.resolve === 'function') {
    const url = new URL('hdf5_util.js', import.meta.resolve('h5wasm/node'));
    const factory = (await import(url.href)).default as (o: object) => Promise<H5Module>;
    return factory({ noInitialRun: true });
  }
  return (await import('h5wasm/node')).default.ready;
}

/**
 * h5wasm's error handler writes HDF5's error stack to a `tmpfile()` and throws before closing it: every
 * library error would keep one descriptor open (an already-unlinked file). Close those streams.
 */
export function closeErrorFiles(): void {
  const FS = (current as unknown as { FS?: { streams?: ({ path?: string } | null)[]; close(s: object): void } } | null)?.FS;
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

/** Notes an error that came out of the library; an abort retires the instance. Returns the error. */
export function seen(e: unknown): unknown {
  if (e instanceof WebAssembly.RuntimeError || /Aborted\(/.test(String((e as Error)?.message ?? e))) aborted = true;
  else closeErrorFiles();
  return e;
}

/** Opens a file read-only; throws what the library throws. */
export function openId(m: H5Module, path: string): bigint {
  return m.open(path, m.H5F_ACC_RDONLY, false, -1, -1);
}

/**
 * A byte range of a larger file (an uncompressed zip member) that HDF5 should see as a whole file. While
 * one is registered, h5wasm's file-system `open` of that path yields a stream that reads only the range:
 * the HDF5 library reads the member in place, with no copy and no temporary file.
 */
export interface Slice {
  offset: number;
  size: number;
  fds: number[];
}
export const slices = new Map<string, Slice>();
const patched = new WeakSet<H5Module>();

export function patchOpen(m: H5Module): void {
  if (patched.has(m)) return;
  patched.add(m);
  type Stream = { position: number };
  const FS = (m as unknown as { FS: Record<string, unknown> }).FS as {
    open: (path: string, flags: unknown, mode?: unknown) => unknown;
    createStream: (s: object) => unknown;
    ErrnoError: new (errno: number) => Error;
  };
  const original = FS.open;
  FS.open = function (path: string, flags: unknown, mode?: unknown) {
    const slice = slices.get(nodePath.resolve(path));
    if (!slice) return original.call(this, path, flags, mode);
    const nfd = fs.openSync(nodePath.resolve(path), 'r');
    slice.fds.push(nfd);
    const { offset, size } = slice;
    return FS.createStream({
      nfd,
      path,
      flags: 0,
      seekable: true,
      position: 0,
      node: { id: -1, mode: 0o100444, node_ops: {}, path },
      stream_ops: {
        read(_s: Stream, buffer: Uint8Array, at: number, length: number, position: number): number {
          const n = Math.max(0, Math.min(length, size - position));
          return n === 0 ? 0 : fs.readSync(nfd, buffer, at, n, offset + position);
        },
        llseek(s: Stream, to: number, whence: number): number {
          const p = whence === 1 ? s.position + to : whence === 2 ? size + to : to;
          if (p < 0) throw new FS.ErrnoError(28);
          return p;
        },
      },
    });
  };
}
