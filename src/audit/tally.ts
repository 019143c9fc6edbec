// Running totals of counted parameters and their bytes once loaded.
import { DTYPE_BYTES, elements } from '../model/shape.js';
import type { StoredTensor } from '../model/types.js';

/** Bytes one element takes once loaded (TF.js dequantizes to its logical dtype). */
export function loadedBytes(t: StoredTensor | null): number {
  if (!t) return 4;
  return DTYPE_BYTES[t.logicalDtype ?? t.dtype] ?? 4;
}

/** Elements stored in some tensors. */
export function sum(ts: StoredTensor[]): number {
  return ts.reduce((n, t) => n + elements(t.shape), 0);
}

/** Running totals of counted parameters. */
export class Tally {
  trainable = 0;
  nonTrainable = 0;
  trainableBytes = 0;
  nonTrainableBytes = 0;
  add(n: number, trainable: boolean, bytesPer: number) {
    if (trainable) {
      this.trainable += n;
      this.trainableBytes += n * bytesPer;
    } else {
      this.nonTrainable += n;
      this.nonTrainableBytes += n * bytesPer;
    }
  }
  addTally(t: Tally) {
    this.trainable += t.trainable;
    this.nonTrainable += t.nonTrainable;
    this.trainableBytes += t.trainableBytes;
    this.nonTrainableBytes += t.nonTrainableBytes;
  }
  /** Tensors of a layer kerascope cannot check: counted as stored, trainable unless the layer is frozen. */
  addUnverified(tensors: StoredTensor[], trainable: boolean) {
    for (const t of tensors) this.add(elements(t.shape), trainable, loadedBytes(t));
  }
}
