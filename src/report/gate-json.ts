// JSON output of check/diff: two-space indentation, lists of numbers (shapes) on one line.
export function renderGateJson(doc: unknown): string {
  return JSON.stringify(doc, null, 2).replace(
    /\[(\s*(?:-?\d+|null)(?:,\s*(?:-?\d+|null))*\s*)\]/g,
    (_, inner: string) =>
      `[${inner
        .split(',')
        .map((x) => x.trim())
        .join(', ')}]`,
  );
}
