// The per-row Trainable mark, as `inspect`'s table shows it (like Keras `summary(show_trainable=True)`):
// `Y` when one of the layer's weights trains, `N` when every known weight is frozen, blank when no weight says.
// The table (src/report/table.ts) and the web page (src/web/main.ts) both use it, so both say the same.
import type { LayerRow } from '../model/types.js';

export type TrainableMark = 'Y' | 'N' | '';

export function trainableMark(l: Pick<LayerRow, 'weights'>): TrainableMark {
  const known = l.weights.filter((w) => w.trainable !== null);
  return known.length === 0 ? '' : known.some((w) => w.trainable) ? 'Y' : 'N';
}

/** The column is shown as soon as one row is frozen (Keras shows it only when asked; kerascope when it matters). */
export function showTrainableColumn(rows: readonly Pick<LayerRow, 'weights'>[]): boolean {
  return rows.some((l) => trainableMark(l) === 'N');
}
