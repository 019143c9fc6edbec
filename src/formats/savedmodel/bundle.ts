// The checkpoint's tensor bundle: `variables.index` (a table, table.ts) whose empty key holds the
// BundleHeaderProto {num_shards=1, endianness=2, version=3} and whose other keys hold BundleEntryProto
// {dtype=1, shape=2 (TensorShapeProto dim=2 {size=1}), shard_id=3, offset=4, size=5, crc32c=6, slices=7}
// (tensorflow/core/protobuf/tensor_bundle.proto). The tensors themselves live in
// `variables.data-0000N-of-0000M`; kerascope never reads them, it only checks each entry fits its shard.
import type { ByteSource } from '../../io/byte-source.js';
import { type Budgets, DEFAULT_BUDGETS, overBudget } from '../../model/budgets.js';
import { InputError } from '../../model/errors.js';
import { DTYPE_BYTES, elements } from '../../model/shape.js';
import { int64, memoryReader, type ProtoReader, type Span } from './proto.js';
import { readTable } from './table.js';

/** TensorFlow's DataType enum (types.proto) for the dtypes a variable can have; the rest are named by number. */
const DTYPES: Record<number, string> = {
  1: 'float32',
  2: 'float64',
  3: 'int32',
  4: 'uint8',
  5: 'int16',
  6: 'int8',
  7: 'string',
  8: 'complex64',
  9: 'int64',
  10: 'bool',
  11: 'qint8',
  12: 'quint8',
  13: 'qint32',
  14: 'bfloat16',
  15: 'qint16',
  16: 'quint16',
  17: 'uint16',
  18: 'complex128',
  19: 'float16',
  20: 'resource',
  21: 'variant',
  22: 'uint32',
  23: 'uint64',
  24: 'float8_e5m2',
  25: 'float8_e4m3fn',
  29: 'int4',
  30: 'uint4',
};

export function dtypeName(n: number): string {
  return DTYPES[n] ?? `dtype ${n}`;
}

export interface BundleEntry {
  key: string;
  dtype: string;
  shape: number[];
  shardId: number;
  offset: number;
  /** Bytes of the tensor in its shard. */
  size: number;
  /** A partitioned variable's slices are stored under other keys: this entry holds no bytes of its own. */
  sliced: boolean;
}

export interface Bundle {
  numShards: number;
  entries: BundleEntry[];
  /** Entries of a fixed-size dtype whose byte size is not their shape's (shape lies, or size does). */
  sizeMismatches: BundleEntry[];
}

/** Dimension sizes of a TensorShapeProto {dim=2 {size=1, name=2}, unknown_rank=3}; -1 for unknown. */
export function readShape(r: ProtoReader, span: Span): number[] | null {
  const dims: number[] = [];
  let unknown = false;
  r.fields(span, (f) => {
    if (f.num === 2 && f.wire === 2) {
      let size = 0;
      r.fields(f.span, (d) => {
        if (d.num === 1 && d.wire === 0) size = int64(d.value);
      });
      dims.push(size);
    } else if (f.num === 3 && f.wire === 0 && f.value) unknown = true;
  });
  return unknown ? null : dims;
}

/** Reads the index: header and every entry, with each entry's fields checked for sense. */
export function readBundle(index: ByteSource, budgets: Budgets = DEFAULT_BUDGETS): Bundle {
  const table = readTable(index, budgets);
  let numShards = 1;
  let declared = 0;
  const entries: BundleEntry[] = [];
  const sizeMismatches: BundleEntry[] = [];
  for (const { key, value } of table) {
    const r = memoryReader(value, index.name, `variables.index entry ${JSON.stringify(key.slice(0, 80))}`);
    if (key === '') {
      r.fields(r.whole, (f) => {
        if (f.num === 1 && f.wire === 0) numShards = f.value;
        if (f.num === 2 && f.wire === 0 && f.value !== 0)
          throw new InputError(index.name, 'variables.index: the checkpoint is big-endian; kerascope reads little-endian checkpoints');
      });
      if (numShards < 1 || numShards > 100_000)
        throw new InputError(index.name, `variables.index: the header declares ${numShards} data shards`);
      continue;
    }
    const e: BundleEntry = { key, dtype: 'float32', shape: [], shardId: 0, offset: 0, size: 0, sliced: false };
    r.fields(r.whole, (f) => {
      if (f.num === 1 && f.wire === 0) e.dtype = dtypeName(f.value);
      else if (f.num === 2 && f.wire === 2) {
        const s = readShape(r, f.span);
        if (!s || s.some((d) => d < 0 || !Number.isSafeInteger(d)))
          throw new InputError(index.name, `variables.index: entry ${JSON.stringify(key.slice(0, 80))} has no fully known shape`);
        e.shape = s;
      } else if (f.num === 3 && f.wire === 0) e.shardId = f.value;
      else if (f.num === 4 && f.wire === 0) e.offset = int64(f.value);
      else if (f.num === 5 && f.wire === 0) e.size = int64(f.value);
      else if (f.num === 7 && f.wire === 2) e.sliced = true;
    });
    if (e.offset < 0 || e.size < 0)
      throw new InputError(index.name, `variables.index: entry ${JSON.stringify(key.slice(0, 80))} has a negative offset or size`);
    const per = DTYPE_BYTES[e.dtype];
    if (per !== undefined) {
      declared += elements(e.shape) * per;
      if (!(declared <= budgets.declaredBytes))
        throw overBudget(index.name, 'declaredBytes', 'the checkpoint entries declare more tensor bytes', budgets);
      if (!e.sliced && elements(e.shape) * per !== e.size) sizeMismatches.push(e);
    }
    entries.push(e);
  }
  return { numShards, entries, sizeMismatches };
}

/** `variables.data-00000-of-00001`: the data shard file name TensorFlow gives shard `id` of `n`. */
export function shardFileName(id: number, n: number): string {
  const pad = (x: number) => String(x).padStart(5, '0');
  return `variables.data-${pad(id)}-of-${pad(n)}`;
}
