// Standard input as a model (`kerascope inspect -`), never held whole in memory. The first bytes are sniffed
// as the loaders sniff a file: what is not HDF5, a zip archive or JSON is refused at once, without reading
// the rest. A model is spooled to a private temporary file (in a scratch folder named after this process,
// removed when the run ends, or by the next run if this one is killed) up to the `stdinBytes` budget, then
// read like a file, named `<stdin>`, with no siblings (a TF.js model.json from a pipe has no shard folder).
import fs from 'node:fs';
import path from 'node:path';
import type { ByteSource } from '../io/byte-source.js';
import { sniffHead } from '../formats/index.js';
import { overBudget, resolveBudgets, type BudgetName } from '../model/budgets.js';
import { InputError } from '../model/errors.js';
import { FileSource } from './file-source.js';
import { makeScratchDir } from './worker-runner.js';

export const STDIN_NAME = '<stdin>';

export interface Spooled {
  /** The private file holding what standard input carried. */
  file: string;
  size: number;
  /** Removes the file and its folder. */
  remove(): void;
}

/** Bytes the sniff needs (as the loaders' sniff reads): the first 8. */
const HEAD = 8;

/**
 * Reads `input` (default: this process's standard input) into a private file. Rejects with an InputError
 * naming `<stdin>` as soon as the first bytes say it is no model, when it is empty, when it passes the
 * `stdinBytes` budget, or when it cannot be read; nothing is left behind then.
 */
export function spoolStdin(opts: { budgets?: Partial<Record<BudgetName, number>>; input?: NodeJS.ReadableStream } = {}): Promise<Spooled> {
  const budgets = resolveBudgets(opts.budgets);
  const input = opts.input ?? process.stdin;
  const scratch = makeScratchDir();
  const file = path.join(scratch.dir, 'stdin');
  let fd: number | null = null;
  let size = 0;
  let head: Buffer | null = Buffer.alloc(0);
  const cleanup = () => {
    if (fd !== null) fs.closeSync(fd);
    fd = null;
    scratch.remove();
  };
  return new Promise<Spooled>((resolve, reject) => {
    let settled = false;
    const fail = (e: InputError) => {
      if (settled) return;
      settled = true;
      detach();
      cleanup();
      // Stop reading: the writer gets EPIPE (or SIGPIPE) instead of this process taking in the rest.
      (input as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      reject(e);
    };
    const write = (chunk: Buffer) => {
      size += chunk.length;
      if (size > budgets.stdinBytes) {
        fail(overBudget(STDIN_NAME, 'stdinBytes', `standard input carries more than ${budgets.stdinBytes} bytes`, budgets));
        return;
      }
      fd ??= fs.openSync(file, 'wx', 0o600);
      let at = 0;
      while (at < chunk.length) at += fs.writeSync(fd, chunk, at);
    };
    const onData = (data: Buffer | string) => {
      if (settled) return;
      const chunk = typeof data === 'string' ? Buffer.from(data) : data;
      if (head !== null) {
        head = Buffer.concat([head, chunk]);
        if (head.length < HEAD) return;
        const problem = sniffHead(head.subarray(0, HEAD), Infinity);
        if (problem) return fail(new InputError(STDIN_NAME, problem));
        const first = head;
        head = null;
        write(first);
        return;
      }
      write(chunk);
    };
    const onEnd = () => {
      if (settled) return;
      if (head !== null) {
        // Fewer than 8 bytes in all.
        const problem = head.length === 0 ? 'empty input' : sniffHead(head, head.length);
        if (problem) return fail(new InputError(STDIN_NAME, problem));
        const first = head;
        head = null;
        write(first);
      }
      settled = true;
      detach();
      if (fd !== null) fs.closeSync(fd);
      fd = null;
      resolve({ file, size, remove: scratch.remove });
    };
    const onError = (e: NodeJS.ErrnoException) => fail(new InputError(STDIN_NAME, `cannot be read (${e.code ?? e.message})`));
    const detach = () => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', onError);
    };
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('error', onError);
    input.resume?.();
  }).catch((e) => {
    cleanup();
    throw e;
  });
}

/** The spooled file as the loaders read it: named `<stdin>`, with no siblings. */
export function spooledSource(spooled: Spooled): ByteSource {
  const inner = new FileSource(spooled.file, spooled.size);
  return {
    name: STDIN_NAME,
    size: spooled.size,
    read: (offset, length) => inner.read(offset, length),
    sibling: () => null,
    close: () => inner.close(),
  };
}
