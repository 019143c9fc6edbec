// HTML and XML text and attribute values (the HTML card, the SVG graph): `& < > " '` as entities, and
// control, bidi and zero-width characters as visible escapes (XML forbids most C0 controls outright, and a
// bidi override would reorder the page's text).
import { visible } from '../../model/text.js';

const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return visible(s).replace(/[&<>"']/g, (c) => ENTITY[c]!);
}

/** Link targets the card keeps: http:, https: and mailto: (anything else is shown as text). */
export function safeHref(href: string): boolean {
  return /^(?:https?:\/\/|mailto:)/i.test(href.trim());
}
