// TensorFlow ops that reach outside the computation when a SavedModel's graph or functions run: they read,
// write, list or memory-map files, print to a file, talk to the network, or call Python. A SavedModel is a
// program: any of these in its graph or in its function library runs with the loading process's rights
// (`tf.saved_model.load` traces and runs restore functions; serving runs the signatures).
// Built from TensorFlow's op registry (tensorflow/core/ops/*.cc: io_ops, dataset_ops, experimental_dataset_ops,
// data_flow_ops, logging_ops, summary_ops, debug_ops, rpc_ops, script_ops, lookup_ops, checkpoint_ops,
// array_ops' ImmutableConst) by reading each op's inputs and attributes for file names, paths, URLs and
// addresses. Pure tensor ops, control flow and the checkpoint ops inside the saver functions are not here.
// docs/savedmodel.md prints this table.
import type { FindingCode } from './findings.js';

export type OpKind = 'file-read' | 'file-write' | 'list' | 'map' | 'print' | 'network' | 'python' | 'checkpoint' | 'vocabulary';

export interface OpEntry {
  kind: OpKind;
  /** Why the op is dangerous, in a few words (what it does with the outside world). */
  reason: string;
  /** Attributes that name the path, URL or address (the others come in as inputs, often string constants). */
  targets?: string[];
  /** Flag only when this holds (PrintV2 to a file, DebugIdentity with URLs, a proto codec reading a descriptor file). */
  when?: (c: OpContext) => boolean;
}

/** What the graph reader knows about one node of a dangerous op. */
export interface OpContext {
  op: string;
  node: string;
  /** The function the node sits in (null: the top-level graph). */
  fn: string | null;
  /** String-valued attributes (`s`, `list.s`, `func.name`). */
  attrs: Map<string, string[]>;
  /** Values of string constants feeding the node (its path or address, when it is a literal). */
  inputs: string[];
  /** Per input position: the string constant feeding it, or null when it is not a literal. */
  literals: (string[] | null)[];
  /** The node belongs to the checkpoint's own save/restore functions (or a TF1 saver scope). */
  inSaver: boolean;
}

export interface OpHit {
  code: FindingCode;
  op: string;
  node: string;
  fn: string | null;
  kind: OpKind;
  reason: string;
  /** The path, URL or address the op uses, when the file states it. */
  target: string | null;
}

const e = (kind: OpKind, reason: string, extra: Partial<OpEntry> = {}): OpEntry => ({ kind, reason, ...extra });
const read = (reason: string, extra: Partial<OpEntry> = {}) => e('file-read', reason, extra);
const write = (reason: string, extra: Partial<OpEntry> = {}) => e('file-write', reason, extra);
const net = (reason: string, targets?: string[]) => e('network', reason, targets ? { targets } : {});
const ckpt = (reason: string) => e('checkpoint', reason);
const streamIsFile = (c: OpContext) =>
  (c.attrs.get('output_stream') ?? []).some((s) => !/^(stderr|stdout|log\((info|warning|error)\))$/.test(s));
const hasUrls = (c: OpContext) => (c.attrs.get('debug_urls') ?? []).length > 0;
// An empty file name caches in memory; a name, or one that is not a literal, caches in files.
const cacheFile = (c: OpContext) => !c.literals[1] || c.literals[1].some((s) => s !== '');
const descriptorFile = (c: OpContext) => (c.attrs.get('descriptor_source') ?? []).some((s) => s !== '' && s !== 'local://');

export const TF_OPS: Readonly<Record<string, OpEntry>> = {
  // Files: io_ops
  ReadFile: read('reads a whole file'),
  WriteFile: write('writes a file'),
  MatchingFiles: e('list', 'lists files matching a glob pattern'),
  ImmutableConst: e('map', 'memory-maps a file into a tensor', { targets: ['memory_region_name'] }),
  WholeFileReader: read('queue reader: reads whole files'),
  WholeFileReaderV2: read('queue reader: reads whole files'),
  TextLineReader: read('queue reader: reads text files'),
  TextLineReaderV2: read('queue reader: reads text files'),
  FixedLengthRecordReader: read('queue reader: reads fixed-length records from files'),
  FixedLengthRecordReaderV2: read('queue reader: reads fixed-length records from files'),
  TFRecordReader: read('queue reader: reads TFRecord files'),
  TFRecordReaderV2: read('queue reader: reads TFRecord files'),
  LMDBReader: read('queue reader: reads LMDB databases'),
  FileSystemSetConfiguration: e('file-write', 'changes the file-system configuration of the process'),
  // Files: tf.data
  FixedLengthRecordDataset: read('dataset reading fixed-length records from files'),
  FixedLengthRecordDatasetV2: read('dataset reading fixed-length records from files'),
  TextLineDataset: read('dataset reading lines of text files'),
  TFRecordDataset: read('dataset reading TFRecord files'),
  TFRecordDatasetV2: read('dataset reading TFRecord files'),
  CSVDataset: read('dataset reading CSV files'),
  CSVDatasetV2: read('dataset reading CSV files'),
  ExperimentalCSVDataset: read('dataset reading CSV files'),
  MatchingFilesDataset: e('list', 'dataset listing files matching glob patterns'),
  ExperimentalMatchingFilesDataset: e('list', 'dataset listing files matching glob patterns'),
  LMDBDataset: read('dataset reading LMDB databases'),
  ExperimentalLMDBDataset: read('dataset reading LMDB databases'),
  SqlDataset: read('dataset running SQL on a database file'),
  ExperimentalSqlDataset: read('dataset running SQL on a database file'),
  LoadDataset: read('dataset loading a saved dataset from a path'),
  ExperimentalLoadDataset: read('dataset loading a saved dataset from a path'),
  SnapshotDataset: write('dataset writing and reading snapshot files under a path'),
  SnapshotDatasetV2: write('dataset writing and reading snapshot files under a path'),
  SnapshotDatasetReader: read('reads dataset snapshot files'),
  SnapshotNestedDatasetReader: read('reads dataset snapshot files'),
  SaveDataset: write('writes a dataset to files under a path'),
  SaveDatasetV2: write('writes a dataset to files under a path'),
  DatasetToTFRecord: write('writes a dataset to a TFRecord file'),
  ExperimentalDatasetToTFRecord: write('writes a dataset to a TFRecord file'),
  CacheDataset: write('dataset caching elements in files under a path (when the name is not empty)', {
    when: cacheFile,
  }),
  CacheDatasetV2: write('dataset caching elements in files under a path (when the name is not empty)', {
    when: cacheFile,
  }),
  DistributedSave: write('writes a dataset to a path through the tf.data service (files and network)'),
  // Files: checkpoints, outside the checkpoint's own save/restore functions
  SaveV2: ckpt('writes checkpoint files'),
  Save: ckpt('writes checkpoint files (V1)'),
  SaveSlices: ckpt('writes checkpoint files (V1 slices)'),
  MergeV2Checkpoints: ckpt('merges checkpoint files and deletes the inputs'),
  RestoreV2: ckpt('reads checkpoint files'),
  Restore: ckpt('reads checkpoint files (V1)'),
  RestoreSlice: ckpt('reads checkpoint files (V1 slices)'),
  LoadAndRemapMatrix: read('reads a matrix from a checkpoint file'),
  GenerateVocabRemapping: read('reads two vocabulary files'),
  // Files: lookup tables (a vocabulary file, normally an asset of the SavedModel)
  InitializeTableFromTextFile: e('vocabulary', 'fills a lookup table from a text file'),
  InitializeTableFromTextFileV2: e('vocabulary', 'fills a lookup table from a text file'),
  // Files: summaries, printing, debugging, proto codecs
  CreateSummaryFileWriter: write('creates event files in a log directory'),
  CreateSummaryDbWriter: write('writes summaries to an SQLite database file'),
  SummaryWriter: write('summary writer resource (writes event files)'),
  PrintV2: e('print', 'prints to a file (output_stream file://…)', { targets: ['output_stream'], when: streamIsFile }),
  DebugIdentity: e('file-write', 'dumps tensors to debug URLs (file:// or grpc://)', { targets: ['debug_urls'], when: hasUrls }),
  DebugNanCount: e('file-write', 'dumps NaN counts to debug URLs', { targets: ['debug_urls'], when: hasUrls }),
  DebugNumericSummary: e('file-write', 'dumps tensor summaries to debug URLs', { targets: ['debug_urls'], when: hasUrls }),
  DebugIdentityV2: e('file-write', 'dumps tensors to a tfdbg dump directory', { targets: ['debug_urls', 'tfdbg_context_id'] }),
  DebugIdentityV3: e('file-write', 'dumps tensors to a tfdbg dump directory', { targets: ['debug_urls', 'tfdbg_context_id'] }),
  DecodeProtoV2: e('file-read', 'reads a protobuf descriptor file', { targets: ['descriptor_source'], when: descriptorFile }),
  EncodeProto: e('file-read', 'reads a protobuf descriptor file', { targets: ['descriptor_source'], when: descriptorFile }),
  // Network
  DataServiceDataset: net('reads a dataset from a tf.data service address'),
  DataServiceDatasetV2: net('reads a dataset from a tf.data service address'),
  DataServiceDatasetV3: net('reads a dataset from a tf.data service address'),
  DataServiceDatasetV4: net('reads a dataset from a tf.data service address'),
  RegisterDataset: net('registers a dataset with a tf.data service address'),
  RegisterDatasetV2: net('registers a dataset with a tf.data service address'),
  RpcClient: net('connects to an RPC server address'),
  RpcCall: net('calls a remote RPC method'),
  RpcServer: net('starts an RPC server listening on an address'),
  RpcServerStart: net('starts an RPC server'),
  RpcServerRegister: net('registers a function with an RPC server'),
  Rpc: net('calls a remote RPC method (tf.contrib.rpc)', ['protocol']),
  TryRpc: net('calls a remote RPC method (tf.contrib.rpc)', ['protocol']),
  BigQueryReader: net('reads rows from Google BigQuery'),
  GenerateBigQueryReaderPartitions: net('contacts Google BigQuery'),
  GcsConfigureCredentials: net('sets Google Cloud Storage credentials'),
  GcsConfigureBlockCache: net('configures Google Cloud Storage access'),
  // Python
  PyFunc: e('python', 'calls a Python function registered in the loading process', { targets: ['token'] }),
  PyFuncStateless: e('python', 'calls a Python function registered in the loading process', { targets: ['token'] }),
  EagerPyFunc: e('python', 'calls a Python function registered in the loading process', { targets: ['token'] }),
};

const CODE: Record<OpKind, FindingCode> = {
  'file-read': 'savedmodel-file-op',
  'file-write': 'savedmodel-file-op',
  list: 'savedmodel-file-op',
  map: 'savedmodel-file-op',
  print: 'savedmodel-file-op',
  checkpoint: 'savedmodel-file-op',
  network: 'savedmodel-network-op',
  python: 'savedmodel-python-op',
  vocabulary: 'savedmodel-vocabulary-file',
};

/** The check for a dangerous op type, or null for an op that stays inside the computation. */
export function dangerousOp(op: string): ((c: OpContext) => OpHit | null) | null {
  const entry = Object.hasOwn(TF_OPS, op) ? TF_OPS[op]! : null;
  if (!entry) return null;
  return (c) => {
    // The checkpoint's own functions save to and restore from the prefix they are given (input 0); a literal
    // prefix there is a fixed path of the author's choosing, flagged wherever it sits.
    if (entry.kind === 'checkpoint' && c.inSaver && !c.literals[0]) return null;
    if (entry.when && !entry.when(c)) return null;
    const fromAttrs = (entry.targets ?? []).flatMap((t) => c.attrs.get(t) ?? []).filter((s) => s !== '');
    const target = [...fromAttrs, ...c.inputs.filter((s) => s !== '')][0] ?? null;
    return { code: CODE[entry.kind], op: c.op, node: c.node, fn: c.fn, kind: entry.kind, reason: entry.reason, target };
  };
}
