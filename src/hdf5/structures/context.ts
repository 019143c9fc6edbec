// The shared read context of one HDF5 file: its bytes, its superblock (sizes of offsets and lengths, the base
// address), the structure counts, and the bounds every walk keeps to. Each on-disk structure's module parses
// through it (HDF5 File Format Specification, sections II–III).
import { type Bytes, Cur, UNDEF } from '../bytes.js';
import { Hdf5Damaged } from '../errors.js';
import type { Superblock } from './superblock.js';

export const LIMITS = {
  /** Object header chunks (the first one and its continuations) per object. */
  maxHeaderChunks: 256,
  /** Messages per object header. */
  maxMessages: 65536,
  /** Members of one group. */
  maxMembers: 1_000_000,
  /** Attributes of one object. */
  maxAttributes: 100_000,
  /** B-tree levels. */
  maxTreeDepth: 32,
  /** Nodes one B-tree walk may visit. */
  maxTreeNodes: 1_000_000,
};

/** One file's bytes and superblock: where every structure reader starts from. */
export class ReadContext {
  /** How many of each structure were parsed (by signature or name): shows which paths a file exercised. */
  readonly counts: Record<string, number> = {};

  count(what: string): void {
    this.counts[what] = (this.counts[what] ?? 0) + 1;
  }

  constructor(
    readonly f: Bytes,
    readonly sb: Superblock,
  ) {}

  /** Absolute position of a (base-relative) address; the undefined address is damage here. */
  abs(addr: number, what: string): number {
    if (addr === UNDEF) throw new Hdf5Damaged(`${what}: undefined address`);
    return this.sb.base + addr;
  }

  cur(addr: number, len: number, what: string): Cur {
    const pos = this.abs(addr, what);
    return new Cur(this.f.get(pos, len, what), pos, this.sb.o, this.sb.l, what);
  }

  /** A cursor over a message's body (sizes of offsets and lengths from the superblock). */
  msgCur(m: { data: Uint8Array; pos: number }, what: string): Cur {
    return new Cur(m.data, m.pos, this.sb.o, this.sb.l, what);
  }
}
