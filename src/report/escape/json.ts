// JSON and JSON Lines: valid for strict parsers and line readers. Lone surrogates (half a character, which
// JSON.stringify writes as `\udXXX` and strict parsers reject) become U+FFFD (the `deceptive-name` finding
// keeps the fact); U+2028 and U+2029, which JSON allows raw but line-based readers and JavaScript before
// ES2019 split on, are written as `\u2028` and `\u2029`. (The code lives in src/model/strings.ts, where the
// gate's baseline writer reaches it too.)
export { stringifyJson, wellFormed } from '../../model/strings.js';
