// `saved_model.pb`, walked by field number (tensorflow/core/protobuf/saved_model.proto, meta_graph.proto,
// saved_object_graph.proto, graph.proto, function.proto, node_def.proto, attr_value.proto, tensor.proto):
//   SavedModel {saved_model_schema_version=1, meta_graphs=2}
//   MetaGraphDef {meta_info_def=1 {tags=4, tensorflow_version=5, tensorflow_git_version=6}, graph_def=2,
//                 saver_def=3 {save_tensor_name=2, restore_op_name=3}, object_graph_def=7}
//   GraphDef {node=1, library=2 {function=1 FunctionDef {signature=1 OpDef {name=1}, node_def=3}}}
//   NodeDef {name=1, op=2, input=3, attr=5 map<string, AttrValue>}
//   AttrValue {list=1 {s=2}, s=2, tensor=8 TensorProto {dtype=1, string_val=8}, func=10 {name=1}}
//   SavedObjectGraph {nodes=1 SavedObject {children=1 {node_id=1, local_name=2}, user_object=4
//                     {identifier=1, metadata=3}, variable=7 SavedVariable {dtype=1, shape=2, trainable=3, name=6}}}
// Only names, op types, short string attributes and the object graph are read; tensor contents are skipped.
import { InputError } from '../../model/errors.js';
import type { FindingCode } from '../../model/findings.js';
import { dtypeName, readShape } from './bundle.js';
import type { ProtoReader, Span } from './proto.js';
import { dangerousOp, type OpHit } from '../../model/tf-ops.js';

export interface ObjectNode {
  children: { id: number; name: string }[];
  /** SavedUserObject.identifier (`_tf_keras_layer`, …), when the node is a user object. */
  identifier: string | null;
  /** Where SavedUserObject.metadata lies (the Keras JSON before TF 2.5), not read until asked. */
  metadata: Span | null;
  variable: { name: string; dtype: string; shape: number[] | null; trainable: boolean } | null;
}

export interface SavedModelPb {
  tags: string[];
  tensorflowVersion: string | null;
  tensorflowGitVersion: string | null;
  /** The object graph of the first meta graph that has one; empty when none. */
  objects: ObjectNode[];
  /** Dangerous ops anywhere in the graphs and function libraries (at most MAX_HITS_PER_CODE per finding code). */
  hits: OpHit[];
  /** Dangerous ops found beyond that, counted per finding code. */
  hitsDropped: Map<FindingCode, number>;
  /** Nodes seen in graphs and functions (for reports and the benchmark). */
  nodeCount: number;
  functionCount: number;
}

const MAX_STRING = 64 * 1024;
const MAX_OBJECTS = 2_000_000;
const MAX_NODES = 20_000_000;

/** Reads what kerascope needs of a saved_model.pb through `r` (its source is the file). */
export function readSavedModelPb(r: ProtoReader): SavedModelPb {
  const out: SavedModelPb = {
    tags: [],
    tensorflowVersion: null,
    tensorflowGitVersion: null,
    objects: [],
    hits: [],
    hitsDropped: new Map(),
    nodeCount: 0,
    functionCount: 0,
  };
  let metaGraphs = 0;
  r.fields(r.whole, (f) => {
    if (f.num === 2 && f.wire === 2) {
      metaGraphs++;
      readMetaGraph(r, f.span, out);
    }
  });
  if (metaGraphs === 0) throw new InputError(r.src.name, 'saved_model.pb holds no meta graph (not a TensorFlow SavedModel)');
  return out;
}

function readMetaGraph(r: ProtoReader, span: Span, out: SavedModelPb): void {
  let saverScope: string | null = null;
  const graphs: Span[] = [];
  r.fields(span, (f) => {
    if (f.wire !== 2) return;
    if (f.num === 1) {
      r.fields(f.span, (m) => {
        if (m.wire !== 2) return;
        if (m.num === 4) out.tags.push(r.string(m.span, MAX_STRING, 'a meta graph tag'));
        else if (m.num === 5) out.tensorflowVersion ??= r.string(m.span, MAX_STRING, 'tensorflow_version');
        else if (m.num === 6) out.tensorflowGitVersion ??= r.string(m.span, MAX_STRING, 'tensorflow_git_version');
      });
    } else if (f.num === 2) graphs.push(f.span);
    else if (f.num === 3) {
      // The TF1 saver's scope (`save/` of `save/restore_all`): its ops are the checkpoint's own.
      const restore = r.first(f.span, 3);
      if (restore?.wire === 2) {
        const name = r.string(restore.span, MAX_STRING, 'restore_op_name');
        const slash = name.lastIndexOf('/');
        if (slash > 0) saverScope = name.slice(0, slash + 1);
      }
    } else if (f.num === 7 && out.objects.length === 0) readObjectGraph(r, f.span, out.objects);
  });
  for (const g of graphs) readGraph(r, g, out, saverScope);
}

function readGraph(r: ProtoReader, span: Span, out: SavedModelPb, saverScope: string | null): void {
  const scan = new NodeScan(r, out);
  r.fields(span, (f) => {
    if (f.wire !== 2) return;
    if (f.num === 1) scan.add(f.span);
    else if (f.num === 2) {
      r.fields(f.span, (lib) => {
        if (lib.num === 1 && lib.wire === 2) readFunction(r, lib.span, out);
      });
    }
  });
  scan.finish(null, (name) => saverScope !== null && name.startsWith(saverScope));
}

function readFunction(r: ProtoReader, span: Span, out: SavedModelPb): void {
  let name = '';
  const scan = new NodeScan(r, out);
  r.fields(span, (f) => {
    if (f.wire !== 2) return;
    if (f.num === 1) {
      const n = r.first(f.span, 1);
      if (n?.wire === 2) name = r.string(n.span, MAX_STRING, 'a function name');
    } else if (f.num === 3) scan.add(f.span);
  });
  out.functionCount++;
  // The functions that save and restore the checkpoint (tf.function tracing names them `__inference__traced_save_N`).
  const saver = /^(__inference_)?_*(traced_save|traced_restore|save_fn|restore_fn)(_\d+)?$/.test(name);
  scan.finish(name || '(unnamed function)', () => saver);
}

interface NodeInfo {
  name: string;
  op: string;
  inputs: Span[];
  attrs: Map<string, Span>;
}

/** Findings kept per code; past it they are only counted (a hostile file may hold millions of flagged nodes). */
const MAX_HITS_PER_CODE = 200;
/** String constants remembered per graph or function (their values name the paths of flagged ops). */
const MAX_STRING_CONSTS = 100_000;

/**
 * The nodes of one graph or function, one at a time: string constants are remembered (by node name), nodes of
 * a dangerous op kept; at the end each kept node is judged with the constants that feed it.
 */
class NodeScan {
  private readonly strings = new Map<string, string[]>();
  private readonly flagged: NodeInfo[] = [];

  constructor(
    private readonly r: ProtoReader,
    private readonly out: SavedModelPb,
  ) {}

  add(span: Span): void {
    const r = this.r;
    if (++this.out.nodeCount > MAX_NODES) throw new InputError(r.src.name, `saved_model.pb holds more than ${MAX_NODES} graph nodes`);
    const node = readNode(r, span);
    if (node.op === 'Const') {
      const v = node.attrs.get('value');
      const s = v && this.strings.size < MAX_STRING_CONSTS ? constStrings(r, v) : null;
      if (s) this.strings.set(node.name, s);
    } else if (dangerousOp(node.op)) {
      // Past 10,000 in one graph or function, nodes of these op types are counted without being examined.
      if (this.flagged.length < 10_000) this.flagged.push(node);
      else this.out.hitsDropped.set('savedmodel-file-op', (this.out.hitsDropped.get('savedmodel-file-op') ?? 0) + 1);
    }
  }

  finish(fn: string | null, inSaver: (node: string) => boolean): void {
    const r = this.r;
    for (const node of this.flagged) {
      const attrs = new Map<string, string[]>();
      for (const [k, v] of node.attrs) {
        const s = attrStrings(r, v);
        if (s.length) attrs.set(k, s);
      }
      const literals: (string[] | null)[] = [];
      for (const span of node.inputs) {
        const input = r.string(span, MAX_STRING, 'a node input');
        // `^x` is a control dependency, not a data input.
        if (input.startsWith('^')) continue;
        literals.push(this.strings.get(input.split(':')[0]!) ?? null);
      }
      const inputs = literals.flatMap((l) => l ?? []);
      const hit = dangerousOp(node.op)!({ op: node.op, node: node.name, fn, attrs, inputs, literals, inSaver: inSaver(node.name) });
      if (!hit) continue;
      const kept = this.out.hits.filter((h) => h.code === hit.code).length;
      if (kept < MAX_HITS_PER_CODE) this.out.hits.push(hit);
      else this.out.hitsDropped.set(hit.code, (this.out.hitsDropped.get(hit.code) ?? 0) + 1);
    }
  }
}

function readNode(r: ProtoReader, span: Span): NodeInfo {
  const node: NodeInfo = { name: '', op: '', inputs: [], attrs: new Map() };
  r.fields(span, (f) => {
    if (f.wire !== 2) return;
    if (f.num === 1) node.name = r.string(f.span, MAX_STRING, 'a node name');
    else if (f.num === 2) node.op = r.string(f.span, MAX_STRING, 'an op name');
    else if (f.num === 3 && node.inputs.length < 1000) node.inputs.push(f.span);
    else if (f.num === 5) {
      let key = '';
      let value: Span | null = null;
      r.fields(f.span, (e) => {
        if (e.wire !== 2) return;
        if (e.num === 1) key = r.string(e.span, MAX_STRING, 'an attribute name');
        else if (e.num === 2) value = e.span;
      });
      if (value) node.attrs.set(key, value);
    }
  });
  return node;
}

/** The strings of a string-typed Const (`value` attribute's TensorProto string_val=8), a few and short. */
function constStrings(r: ProtoReader, attr: Span): string[] | null {
  const tensor = r.first(attr, 8);
  if (tensor?.wire !== 2) return null;
  let isString = false;
  const vals: Span[] = [];
  r.fields(tensor.span, (t) => {
    if (t.num === 1 && t.wire === 0) isString = t.value === 7;
    else if (t.num === 8 && t.wire === 2 && vals.length < 8) vals.push(t.span);
  });
  if (!isString || !vals.length) return null;
  return vals.filter((s) => s.end - s.start <= 4096).map((s) => r.string(s, 4096, 'a string constant'));
}

/** The strings an attribute holds: `s`, `list.s`, a function name (`func.name`). */
function attrStrings(r: ProtoReader, attr: Span): string[] {
  const out: string[] = [];
  r.fields(attr, (a) => {
    if (a.wire !== 2) return;
    if (a.num === 2 && a.span.end - a.span.start <= 4096) out.push(r.string(a.span, 4096, 'an attribute'));
    else if (a.num === 1) {
      r.fields(a.span, (l) => {
        if (l.num === 2 && l.wire === 2 && out.length < 16 && l.span.end - l.span.start <= 4096)
          out.push(r.string(l.span, 4096, 'an attribute'));
      });
    } else if (a.num === 10) {
      const n = r.first(a.span, 1);
      if (n?.wire === 2) out.push(r.string(n.span, 4096, 'a function name'));
    }
  });
  return out;
}

function readObjectGraph(r: ProtoReader, span: Span, objects: ObjectNode[]): void {
  r.fields(span, (f) => {
    if (f.num !== 1 || f.wire !== 2) return;
    if (objects.length >= MAX_OBJECTS) throw new InputError(r.src.name, `the object graph holds more than ${MAX_OBJECTS} objects`);
    const node: ObjectNode = { children: [], identifier: null, metadata: null, variable: null };
    r.fields(f.span, (o) => {
      if (o.wire !== 2) return;
      if (o.num === 1) {
        let id = 0; // proto3 leaves a zero node_id (the root) out
        let name = '';
        r.fields(o.span, (c) => {
          if (c.num === 1 && c.wire === 0) id = c.value;
          else if (c.num === 2 && c.wire === 2) name = r.string(c.span, MAX_STRING, 'a child name');
        });
        node.children.push({ id, name });
      } else if (o.num === 4) {
        r.fields(o.span, (u) => {
          if (u.wire !== 2) return;
          if (u.num === 1) node.identifier = r.string(u.span, MAX_STRING, 'an object identifier');
          else if (u.num === 3) node.metadata = u.span;
        });
      } else if (o.num === 7) {
        const v = { name: '', dtype: 'float32', shape: null as number[] | null, trainable: false };
        r.fields(o.span, (x) => {
          if (x.num === 1 && x.wire === 0) v.dtype = dtypeName(x.value);
          else if (x.num === 2 && x.wire === 2) v.shape = readShape(r, x.span);
          else if (x.num === 3 && x.wire === 0) v.trainable = x.value !== 0;
          else if (x.num === 6 && x.wire === 2) v.name = r.string(x.span, MAX_STRING, 'a variable name');
        });
        node.variable = v;
      }
    });
    objects.push(node);
  });
}
