import { it } from 'vitest';
import { registeredClasses, lookupLayer } from '../src/layers/index.js';
import { classFormula, generalText, variablesText, arithmeticText } from '../src/layers/explain.js';
it('print', () => {
  const seen = new Set();
  for (const c of registeredClasses()) {
    const d = lookupLayer(c)!; if (seen.has(d)) continue; seen.add(d);
    if (!d.weights) continue;
    try { const f = classFormula(c); console.log(`${c}: ${variablesText(f.layer)}\n    = ${generalText(f.layer)}\n    = ${arithmeticText(f.layer)} = ${f.layer.params}  sym=${f.layer.variables.every(v=>v.symbolic)}`); }
    catch (e) { console.log(c, 'ERR', (e as Error).message); }
  }
});
