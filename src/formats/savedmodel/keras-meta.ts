// The Keras side of a SavedModel: `keras_metadata.pb` (TF ≥ 2.5), a SavedMetadata {nodes=1 SavedObject
// {node_id=2, node_path=3, identifier=4, metadata=5 (JSON), version=6}} (keras/protobuf/saved_metadata.proto),
// or, before TF 2.5, the same JSON in saved_model.pb's object graph (SavedUserObject.metadata). Keras writes
// tuples and shapes in that JSON as `{"class_name": "__tuple__", "items": [...]}` and
// `{"class_name": "TensorShape", "items": [...]}`; they are decoded to plain lists before the config is read.
import { type Budgets, DEFAULT_BUDGETS, overBudget } from '../../model/budgets.js';
import { parseJson } from '../json.js';
import type { ObjectNode } from './graph.js';
import type { ProtoReader } from './proto.js';

export interface KerasNode {
  nodeId: number;
  /** `root`, `root.layer-1`, `root.layer_with_weights-0.cell`, … (empty before TF 2.5: built from the graph). */
  path: string;
  /** `_tf_keras_model`, `_tf_keras_sequential`, `_tf_keras_network`, `_tf_keras_layer`, `_tf_keras_input_layer`, `_tf_keras_metric`, … */
  identifier: string;
  /** The node's metadata JSON, tuples and shapes decoded. */
  metadata: Record<string, unknown>;
}

/** Nodes of keras_metadata.pb, each with its JSON parsed. */
export function readKerasMetadata(r: ProtoReader, budgets: Budgets = DEFAULT_BUDGETS): KerasNode[] {
  const out: KerasNode[] = [];
  let total = 0;
  r.fields(r.whole, (f) => {
    if (f.num !== 1 || f.wire !== 2) return;
    const node: KerasNode = { nodeId: 0, path: '', identifier: '', metadata: {} };
    r.fields(f.span, (m) => {
      if (m.num === 2 && m.wire === 0) node.nodeId = m.value;
      else if (m.wire !== 2) return;
      else if (m.num === 3) node.path = r.string(m.span, 64 * 1024, 'a node path');
      else if (m.num === 4) node.identifier = r.string(m.span, 64 * 1024, 'an identifier');
      else if (m.num === 5) {
        total += m.span.end - m.span.start;
        if (total > budgets.jsonBytes) throw overBudget(r.src.name, 'jsonBytes', 'the Keras metadata JSON is larger', budgets);
        node.metadata = parseMetadata(
          r,
          r.string(m.span, budgets.jsonBytes, 'a metadata JSON'),
          node.path || `node ${node.nodeId}`,
          budgets,
        );
      }
    });
    out.push(node);
  });
  return out;
}

/** The Keras nodes of a saved_model.pb object graph (TF < 2.5): user objects with an identifier and metadata. */
export function kerasNodesFromGraph(r: ProtoReader, objects: ObjectNode[], budgets: Budgets = DEFAULT_BUDGETS): KerasNode[] {
  const out: KerasNode[] = [];
  let total = 0;
  for (const [id, o] of objects.entries()) {
    if (!o.identifier?.startsWith('_tf_keras') || !o.metadata) continue;
    total += o.metadata.end - o.metadata.start;
    if (total > budgets.jsonBytes) throw overBudget(r.src.name, 'jsonBytes', 'the Keras metadata JSON is larger', budgets);
    const text = r.string(o.metadata, budgets.jsonBytes, 'a metadata JSON');
    out.push({ nodeId: id, path: '', identifier: o.identifier, metadata: text ? parseMetadata(r, text, `node ${id}`, budgets) : {} });
  }
  return out;
}

function parseMetadata(r: ProtoReader, text: string, where: string, budgets: Budgets): Record<string, unknown> {
  const v = decodeKerasJson(parseJson(r.src.name, text, `Keras metadata of ${where}`, budgets), 0, budgets.configDepth);
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** Keras' JSON encodings of tuples and TensorShapes, turned into lists (recursively, iteratively deep). */
export function decodeKerasJson(v: unknown, depth = 0, maxDepth = DEFAULT_BUDGETS.configDepth): unknown {
  if (depth > maxDepth || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => decodeKerasJson(x, depth + 1, maxDepth));
  const o = v as Record<string, unknown>;
  if ((o.class_name === '__tuple__' || o.class_name === 'TensorShape') && Object.keys(o).length <= 2) {
    const items = o.items;
    return Array.isArray(items) ? items.map((x) => decodeKerasJson(x, depth + 1, maxDepth)) : null;
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) out[k] = decodeKerasJson(x, depth + 1, maxDepth);
  return out;
}
