import type { LayerDef } from './registry.js';

export const defs: LayerDef[] = [];
