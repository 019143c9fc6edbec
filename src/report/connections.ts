// Keras' `Connected to` column for functional models: each layer's inputs as `layer[call][tensor]`.
import type { Graph } from '../graph/index.js';
import type { LayerNode } from '../model/types.js';

/** `path/…/name` → the inputs of its first call (`dense[0][0], input_b[0][0]`), for every layer of a functional graph. */
export function connectionsColumn(graph: Graph | null): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (n: LayerNode) => {
    const first = n.inbound[0] ?? [];
    out.set([...n.path, n.name].join('/'), first.map((e) => `${e.layer}[${e.call}][${e.tensor}]`).join(', ') || '-');
    n.children.forEach(visit);
  };
  graph?.layers.forEach(visit);
  return out;
}
