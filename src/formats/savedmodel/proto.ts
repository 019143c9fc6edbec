// Protocol Buffers wire format, read by field number over ranged reads of a ByteSource. A message is a byte
// range; walking it yields each field's number, wire type and either its scalar value or the byte range of
// its payload. A payload is read only when the caller asks for it (a short string, a small sub-message):
// a `Const` node's 500 MB of tensor content is stepped over by its length, never read or held.
// Everything is hostile: lengths past the enclosing message, bad wire types, over-long varints are one
// InputError naming the message being read.
import type { ByteSource } from '../../io/byte-source.js';
import { InputError } from '../../model/errors.js';

/** Bytes fetched per read: fields are small and clustered, so one read serves many. */
const WINDOW = 8 * 1024;
const UTF8 = new TextDecoder('utf-8');

/** A range of bytes: [start, end). */
export interface Span {
  start: number;
  end: number;
}

/** One field of a message: `value` for varint/fixed fields, `span` for length-delimited ones. */
export interface Field {
  num: number;
  wire: 0 | 1 | 2 | 5;
  /** Varint (wire 0) or fixed32/fixed64 (wire 5/1, unsigned little-endian) value; 0 for wire 2. */
  value: number;
  /** Payload range of a length-delimited field (wire 2); empty for others. */
  span: Span;
}

/** Reads protobuf fields of one input through a sliding window. Counts what it read (benchmarks, tests). */
export class ProtoReader {
  private buf: Uint8Array = new Uint8Array(0);
  private bufStart = 0;
  /** Bytes fetched from the source so far. */
  bytesRead = 0;

  constructor(
    readonly src: ByteSource,
    /** What is being read, for messages (`saved_model.pb`). */
    readonly what: string = src.name,
  ) {}

  /** The whole input as a message. */
  get whole(): Span {
    return { start: 0, end: this.src.size };
  }

  fail(message: string): never {
    throw new InputError(this.src.name, message);
  }

  private byteAt(pos: number): number {
    if (pos < this.bufStart || pos >= this.bufStart + this.buf.length) {
      this.buf = this.src.read(pos, WINDOW);
      this.bufStart = pos;
      this.bytesRead += this.buf.length;
      if (this.buf.length === 0) this.fail(`${this.what} is truncated at byte ${pos}`);
    }
    return this.buf[pos - this.bufStart]!;
  }

  /** A varint at `pos` within `end`: its value (exact up to 2^53) and the position after it. */
  varint(pos: number, end: number): [number, number] {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) this.fail(`${this.what}: a number runs past the end of its message at byte ${pos}`);
      const b = this.byteAt(pos++);
      value += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return [value, pos];
      scale *= 128;
    }
    return this.fail(`${this.what}: a number longer than 10 bytes at byte ${pos}`);
  }

  private fixed(pos: number, n: number, end: number): number {
    if (pos + n > end) this.fail(`${this.what}: a fixed-size field runs past the end of its message at byte ${pos}`);
    let v = 0;
    for (let i = n - 1; i >= 0; i--) v = v * 256 + this.byteAt(pos + i);
    return v;
  }

  /**
   * Calls `visit` for every field of the message in `span`, in file order. Payloads are not read. Returning
   * `false` from `visit` stops the walk.
   */
  fields(span: Span, visit: (f: Field) => unknown): void {
    let pos = span.start;
    const end = span.end;
    if (end > this.src.size) this.fail(`${this.what} is truncated: a message needs ${end} bytes, the file has ${this.src.size}`);
    while (pos < end) {
      const [key, afterKey] = this.varint(pos, end);
      const num = Math.floor(key / 8);
      const wire = key % 8;
      if (num === 0) this.fail(`${this.what}: field number 0 at byte ${pos} (not a protobuf message)`);
      pos = afterKey;
      let f: Field;
      if (wire === 0) {
        const [v, next] = this.varint(pos, end);
        f = { num, wire, value: v, span: { start: pos, end: pos } };
        pos = next;
      } else if (wire === 1 || wire === 5) {
        const n = wire === 1 ? 8 : 4;
        f = { num, wire, value: this.fixed(pos, n, end), span: { start: pos, end: pos } };
        pos += n;
      } else if (wire === 2) {
        const [len, start] = this.varint(pos, end);
        if (start + len > end) this.fail(`${this.what}: field ${num} at byte ${pos} declares ${len} bytes, past the end of its message`);
        f = { num, wire, value: 0, span: { start, end: start + len } };
        pos = start + len;
      } else {
        this.fail(`${this.what}: unsupported wire type ${wire} (field ${num}) at byte ${pos}`);
      }
      if (visit(f) === false) return;
    }
  }

  /** The payload bytes of a span, when at most `max` bytes (else an InputError naming `label`). */
  bytes(span: Span, max: number, label: string): Uint8Array {
    const n = span.end - span.start;
    if (n > max) this.fail(`${this.what}: ${label} is ${n} bytes, more than the ${max} kerascope reads`);
    if (n === 0) return new Uint8Array(0);
    if (span.start >= this.bufStart && span.end <= this.bufStart + this.buf.length) {
      return this.buf.slice(span.start - this.bufStart, span.end - this.bufStart);
    }
    const out = this.src.read(span.start, n);
    this.bytesRead += out.length;
    if (out.length !== n) this.fail(`${this.what} is truncated inside ${label}`);
    return out;
  }

  /** A UTF-8 string field of at most `max` bytes. */
  string(span: Span, max = 64 * 1024, label = 'a string'): string {
    return UTF8.decode(this.bytes(span, max, label));
  }

  /** The first field `num` of a message (the last one wins in protobuf, but writers emit one). */
  first(span: Span, num: number): Field | null {
    let found: Field | null = null;
    this.fields(span, (f) => {
      if (f.num === num) found = f;
    });
    return found;
  }
}

/** Packed or unpacked repeated varints of field `num` (packed: one wire-2 field of concatenated varints). */
export function repeatedVarints(r: ProtoReader, f: Field): number[] {
  if (f.wire === 0) return [f.value];
  if (f.wire !== 2) return [];
  const out: number[] = [];
  let pos = f.span.start;
  while (pos < f.span.end) {
    const [v, next] = r.varint(pos, f.span.end);
    out.push(v);
    pos = next;
  }
  return out;
}

/** A reader over a small in-memory message (a table value, a block entry): the same walk on bytes. */
export function memoryReader(bytes: Uint8Array, name: string, what: string): ProtoReader {
  const src: ByteSource = {
    name,
    size: bytes.length,
    read: (offset, length) => bytes.subarray(Math.max(0, offset), Math.max(0, Math.min(bytes.length, offset + length))),
    sibling: () => null,
    close: () => {},
  };
  return new ProtoReader(src, what);
}

/** Signed int64 from a varint read as an unsigned number (two's complement above 2^63). */
export function int64(v: number): number {
  return v >= 2 ** 63 ? v - 2 ** 64 : v;
}
