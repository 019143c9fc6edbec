// Config JSON as Python writes it: `json.dumps` emits NaN and Infinity, which JSON.parse rejects.
import { describe, expect, it } from 'vitest';
import { parseJson } from '../../../src/formats/json.js';
import { DEFAULT_BUDGETS } from '../../../src/model/budgets.js';
import { InputError } from '../../../src/model/errors.js';

describe('parseJson', () => {
  it('reads NaN / Infinity / -Infinity as null, leaving strings that contain those words alone', () => {
    const text = '{"a": NaN, "b": [Infinity, -Infinity, 1.5], "c": "NaN and Infinity stay text"}';
    expect(parseJson('f.json', text, 'config', DEFAULT_BUDGETS)).toEqual({
      a: null,
      b: [null, null, 1.5],
      c: 'NaN and Infinity stay text',
    });
  });
  it('names the file and what was read when the JSON is broken', () => {
    expect(() => parseJson('model.json', '{"a": ', 'model.json', DEFAULT_BUDGETS)).toThrow(InputError);
    try {
      parseJson('model.json', '{"a": ', 'model.json', DEFAULT_BUDGETS);
    } catch (e) {
      expect((e as InputError).file).toBe('model.json');
      expect((e as InputError).message).toMatch(/^model\.json is not valid JSON/);
    }
  });
});
