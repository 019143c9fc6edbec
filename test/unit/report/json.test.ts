// The JSON report's layout: lists of plain values on one line, and nothing of a value's own text changed by it.
import { describe, expect, it } from 'vitest';
import type { Report } from '../../../src/model/types.js';
import { renderJson } from '../../../src/report/json.js';

describe('renderJson', () => {
  it('puts lists of plain values on one line and leaves every string as it was', () => {
    // Names a model file could hold: brackets, commas with runs of spaces, a line break, a quote, a backslash.
    const names = ['dense[ 1,  2 ]', 'a ,  b', 'x\ny', 'say "[ 3 ]"', 'c:\\[ d ]', '[]', '[\n1\n]'];
    const value = {
      shape: [null, 3, 4],
      names,
      nested: [{ inner: [1.5, -2e-7, true, false, null], name: names[0] }],
      empty: [],
    };
    const text = renderJson(value as unknown as Report);
    expect(JSON.parse(text)).toEqual(value);
    expect(text).toContain('"shape": [null, 3, 4]');
    expect(text).toContain('"inner": [1.5, -2e-7, true, false, null]');
    expect(text).toContain('"empty": []');
    // Each name as JSON.stringify writes it, inside the one-line list.
    expect(text).toContain(`"names": [${names.map((n) => JSON.stringify(n)).join(', ')}]`);
    // A list holding an object stays indented.
    expect(text).toContain('"nested": [\n    {');
  });
});
