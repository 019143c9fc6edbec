// A TensorFlow SavedModel directory (tf.keras 2.x `model.save(dir)`, Hugging Face's Keras integration):
// saved_model.pb (graphs, functions, object graph), keras_metadata.pb (TF ≥ 2.5: the Keras JSON per object),
// variables/variables.index (the checkpoint's table of tensors) and variables/variables.data-N-of-M (the
// tensors, never read: each entry is only checked to fit its shard). Checkpoint keys are object-graph paths;
// each is walked from the root to its variable, and the variable belongs to the top-level layer whose
// subtree reaches it first in model.layers order (keymap.ts).
import { type Budgets, DEFAULT_BUDGETS } from '../../model/budgets.js';
import type { ByteSource } from '../../io/byte-source.js';
import { InputError } from '../../model/errors.js';
import { finding } from '../../model/findings.js';
import type { FileEntry, Finding, LoadedModel } from '../../model/types.js';
import { DTYPE_BYTES, elements } from '../../model/shape.js';
import { thousands } from '../../model/text.js';
import { readBundle, shardFileName, type Bundle } from './bundle.js';
import { readSavedModelPb } from './graph.js';
import { type KerasNode, kerasNodesFromGraph, readKerasMetadata } from './keras-meta.js';
import { mapEntries } from './keymap.js';
import { ProtoReader } from './proto.js';

export { isSavedModelPb } from './sniff.js';

/** Loads a SavedModel from its folder (a source that lists entries) or from its saved_model.pb. */
export function loadSavedModel(src: ByteSource, budgets: Budgets = DEFAULT_BUDGETS): LoadedModel {
  const isDir = src.list?.() != null;
  const pbSrc = isDir ? src.sibling('saved_model.pb') : src;
  if (!pbSrc || pbSrc.list?.()) throw new InputError(src.name, 'the SavedModel folder has no readable saved_model.pb');
  const opened: ByteSource[] = isDir ? [pbSrc] : [];
  try {
    return load(src.name, pbSrc, opened, budgets);
  } finally {
    for (const s of opened) s.close();
  }
}

function load(file: string, pbSrc: ByteSource, opened: ByteSource[], budgets: Budgets): LoadedModel {
  const problems: Finding[] = [];
  const files: FileEntry[] = [{ path: pbSrc.name, bytes: pbSrc.size, present: true }];
  const pbReader = new ProtoReader(pbSrc, 'saved_model.pb');
  const pb = readSavedModelPb(pbReader);
  const open = (rel: string): ByteSource | null => {
    if (pbSrc.escapes?.(rel)) {
      problems.push(
        finding(
          'shard-path-outside',
          null,
          null,
          `${rel} resolves (through a symbolic link) outside the SavedModel folder; kerascope did not open it`,
        ),
      );
      return null;
    }
    const s = pbSrc.sibling(rel);
    if (s) opened.push(s);
    return s && !s.list?.() ? s : null;
  };

  // Keras metadata: keras_metadata.pb, else the object graph's user objects (TF < 2.5).
  const metaSrc = open('keras_metadata.pb');
  let keras: KerasNode[];
  let metadataFrom: string;
  if (metaSrc) {
    files.push({ path: metaSrc.name, bytes: metaSrc.size, present: true });
    keras = readKerasMetadata(new ProtoReader(metaSrc, 'keras_metadata.pb'), budgets);
    metadataFrom = 'keras_metadata.pb';
  } else {
    keras = kerasNodesFromGraph(pbReader, pb.objects, budgets);
    metadataFrom = 'saved_model.pb object graph (SavedUserObject.metadata, TF < 2.5)';
  }
  const root = keras.find((n) => n.nodeId === 0 && n.identifier.startsWith('_tf_keras')) ?? null;

  // The checkpoint.
  // variables/variables.index, or beside saved_model.pb when the files were picked one by one (a browser).
  const nested = open('variables/variables.index');
  const indexSrc = nested ?? open('variables.index');
  const varsDir = indexSrc && !nested ? '' : 'variables/';
  let bundle: Bundle = { numShards: 0, entries: [], sizeMismatches: [] };
  if (!indexSrc) {
    files.push({ path: `${dirOf(pbSrc.name)}variables/variables.index`, bytes: 0, present: false });
    if (pb.objects.some((o) => o.variable))
      problems.push(finding('shard-missing', null, null, 'variables/variables.index is missing: the variables cannot be restored'));
  } else {
    files.push({ path: indexSrc.name, bytes: indexSrc.size, present: true });
    bundle = readBundle(indexSrc, budgets);
    checkShards(bundle, open, dirOf(pbSrc.name), varsDir, files, problems);
    const bad = bundle.sizeMismatches;
    if (bad.length) {
      const e = bad[0]!;
      problems.push(
        finding(
          'savedmodel-entry-size-mismatch',
          null,
          null,
          `${thousands(bad.length)} checkpoint entr${bad.length === 1 ? 'y declares' : 'ies declare'} a byte size their shape and dtype do not give (first ${JSON.stringify(e.key)}: ${e.dtype} ${JSON.stringify(e.shape)} needs ${thousands(elements(e.shape) * (DTYPE_BYTES[e.dtype] ?? 0))} bytes, the index says ${thousands(e.size)})`,
        ),
      );
    }
  }

  const mapped = mapEntries(bundle.entries, pb.objects, keras, root !== null);
  for (const p of mapped.problems) problems.push(p);
  for (const hit of pb.hits) {
    const where = hit.fn ? `function ${JSON.stringify(hit.fn)}` : 'the top-level graph';
    problems.push(
      finding(
        hit.code,
        hit.fn ? `${hit.fn}/${hit.node}` : hit.node,
        null,
        `op ${hit.op} (node ${JSON.stringify(hit.node)}) in ${where}: ${hit.reason}${hit.target !== null ? ` (${JSON.stringify(hit.target)})` : ''}`,
      ),
    );
  }

  for (const [code, n] of pb.hitsDropped)
    problems.push(
      finding(code, null, null, `${thousands(n)} more nodes of such ops are in the graph or its functions (not listed one by one)`),
    );
  const rootMeta = root?.metadata ?? null;
  const config = rootMeta ? modelConfig(rootMeta) : null;
  if (root && !config) {
    const cls = typeof rootMeta?.class_name === 'string' ? rootMeta.class_name : 'the model';
    problems.push(
      finding(
        'subclassed-model',
        typeof rootMeta?.name === 'string' ? rootMeta.name : null,
        null,
        `${cls} is a subclassed model without a config: its variables are listed by the layer that owns them, not checked against a formula`,
      ),
    );
  }
  if (!root) {
    problems.push(
      finding(
        'savedmodel-no-keras',
        null,
        null,
        `a TensorFlow SavedModel without Keras metadata (a tf.Module or a TF1 graph): its ${thousands(mapped.tensors.length)} variables are listed by object-graph path; no layer formula applies`,
      ),
    );
  }
  const meta: Record<string, string> = {
    savedModelTags: pb.tags.join(','),
    graphNodes: String(pb.nodeCount),
    functions: String(pb.functionCount),
    checkpointEntries: String(bundle.entries.length),
  };
  if (root) meta.kerasMetadata = metadataFrom;
  if (pb.tensorflowGitVersion) meta.tensorflowGitVersion = pb.tensorflowGitVersion;
  if (mapped.lookupEntries) meta.lookupTableEntries = String(mapped.lookupEntries);
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    file,
    format: 'savedmodel',
    kerasVersion: str(rootMeta?.keras_version),
    producer: pb.tensorflowVersion ? `TensorFlow ${pb.tensorflowVersion}` : null,
    backend: str(rootMeta?.backend),
    config,
    trainingConfig: (rootMeta?.training_config as unknown) ?? null,
    tensors: mapped.tensors,
    optimizer: mapped.optimizer,
    metrics: mapped.metrics,
    ...(mapped.modelVariables.length ? { modelVariables: mapped.modelVariables } : {}),
    files,
    problems,
    matchBy: 'name',
    meta,
  };
}

/** The model config a Keras root node carries: `model_config`, else its own class_name/config. */
function modelConfig(m: Record<string, unknown>): Record<string, unknown> | null {
  const mc = m.model_config;
  const base =
    mc && typeof mc === 'object' && !Array.isArray(mc)
      ? (mc as Record<string, unknown>)
      : typeof m.class_name === 'string' && m.config && typeof m.config === 'object'
        ? { class_name: m.class_name, config: m.config }
        : null;
  if (!base) return null;
  return {
    ...base,
    ...(typeof m.keras_version === 'string' ? { keras_version: m.keras_version } : {}),
    ...(typeof m.backend === 'string' ? { backend: m.backend } : {}),
  };
}

function dirOf(name: string): string {
  const i = name.lastIndexOf('/');
  return i >= 0 ? name.slice(0, i + 1) : '';
}

/** Each data shard present, and every entry within its shard's size (the tensors themselves are not read). */
function checkShards(
  bundle: Bundle,
  open: (rel: string) => ByteSource | null,
  dir: string,
  varsDir: string,
  files: FileEntry[],
  problems: Finding[],
): void {
  const sizes = new Map<number, number | null>();
  for (let id = 0; id < bundle.numShards; id++) {
    const name = shardFileName(id, bundle.numShards);
    const shard = open(`${varsDir}${name}`);
    sizes.set(id, shard ? shard.size : null);
    files.push({ path: shard ? shard.name : `${dir}${varsDir}${name}`, bytes: shard?.size ?? 0, present: shard !== null });
    if (!shard && bundle.entries.some((e) => e.shardId === id && e.size > 0 && !e.sliced)) {
      problems.push(finding('shard-missing', null, null, `${varsDir}${name} is missing: TensorFlow cannot restore the variables it holds`));
    }
  }
  const outside = new Map<number, { count: number; first: string; end: number }>();
  for (const e of bundle.entries) {
    if (e.sliced) continue;
    const size = sizes.get(e.shardId);
    if (size === undefined) {
      problems.push(
        finding(
          'savedmodel-entry-outside-shard',
          null,
          null,
          `checkpoint entry ${JSON.stringify(e.key)} names data shard ${e.shardId}, but the index declares ${bundle.numShards} shard(s)`,
        ),
      );
      continue;
    }
    if (size === null || e.offset + e.size <= size) continue;
    const o = outside.get(e.shardId) ?? { count: 0, first: e.key, end: e.offset + e.size };
    o.count++;
    o.end = Math.max(o.end, e.offset + e.size);
    outside.set(e.shardId, o);
  }
  for (const [id, o] of outside) {
    const name = shardFileName(id, bundle.numShards);
    problems.push(
      finding(
        'savedmodel-entry-outside-shard',
        null,
        null,
        `${varsDir}${name} is ${thousands(sizes.get(id) ?? 0)} bytes but ${thousands(o.count)} checkpoint entries (first ${JSON.stringify(o.first)}) reach byte ${thousands(o.end)}: the shard is truncated or the index damaged`,
      ),
    );
  }
}
