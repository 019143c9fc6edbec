// Number text every stage may need in a message: `2619461` → `2,619,461` (as Keras prints counts).
// Not toLocaleString: its first call loads ICU data, a noticeable share of a small file's start-up.
export function thousands(n: number): string {
  if (!Number.isInteger(n)) return String(n);
  const digits = String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${digits}` : digits;
}
