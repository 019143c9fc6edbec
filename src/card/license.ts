// The License section from `--license`: the Hugging Face Hub's license id (the front matter's `license:`),
// the SPDX identifier and full name it stands for, and one line saying so.

export interface LicenseInfo {
  /** The id the Hub's front matter uses (lowercase, e.g. `apache-2.0`). */
  id: string;
  /** The SPDX identifier, when the id is one the Hub maps to SPDX. */
  spdx: string | null;
  name: string | null;
}

// Hub license id → SPDX identifier and name (the SPDX License List's names).
const KNOWN: Record<string, [string, string]> = {
  'apache-2.0': ['Apache-2.0', 'Apache License 2.0'],
  mit: ['MIT', 'MIT License'],
  'bsd-2-clause': ['BSD-2-Clause', 'BSD 2-Clause "Simplified" License'],
  'bsd-3-clause': ['BSD-3-Clause', 'BSD 3-Clause "New" or "Revised" License'],
  'cc0-1.0': ['CC0-1.0', 'Creative Commons Zero v1.0 Universal'],
  'cc-by-4.0': ['CC-BY-4.0', 'Creative Commons Attribution 4.0 International'],
  'cc-by-sa-4.0': ['CC-BY-SA-4.0', 'Creative Commons Attribution Share Alike 4.0 International'],
  'cc-by-nc-4.0': ['CC-BY-NC-4.0', 'Creative Commons Attribution Non Commercial 4.0 International'],
  'cc-by-nc-sa-4.0': ['CC-BY-NC-SA-4.0', 'Creative Commons Attribution Non Commercial Share Alike 4.0 International'],
  'cc-by-nd-4.0': ['CC-BY-ND-4.0', 'Creative Commons Attribution No Derivatives 4.0 International'],
  'gpl-2.0': ['GPL-2.0-only', 'GNU General Public License v2.0 only'],
  'gpl-3.0': ['GPL-3.0-only', 'GNU General Public License v3.0 only'],
  'lgpl-3.0': ['LGPL-3.0-only', 'GNU Lesser General Public License v3.0 only'],
  'agpl-3.0': ['AGPL-3.0-only', 'GNU Affero General Public License v3.0'],
  'mpl-2.0': ['MPL-2.0', 'Mozilla Public License 2.0'],
  'epl-2.0': ['EPL-2.0', 'Eclipse Public License 2.0'],
  'bsl-1.0': ['BSL-1.0', 'Boost Software License 1.0'],
  unlicense: ['Unlicense', 'The Unlicense'],
  wtfpl: ['WTFPL', 'Do What The F*ck You Want To Public License'],
  'openrail++': ['', 'OpenRAIL++-M License'],
};

/** The Hub id for what the user typed (`MIT` → `mit`, `Apache-2.0` → `apache-2.0`), with SPDX facts. */
export function licenseInfo(given: string): LicenseInfo {
  const lower = given.trim().toLowerCase();
  const hit = KNOWN[lower] ?? Object.entries(KNOWN).find(([, [spdx]]) => spdx.toLowerCase() === lower)?.[1];
  const id = hit ? (Object.entries(KNOWN).find(([, v]) => v === hit)?.[0] ?? lower) : given.trim();
  return { id, spdx: hit?.[0] || null, name: hit?.[1] ?? null };
}

/** The License section's body (Markdown, no heading); `code` quotes a model- or user-given string. */
export function licenseText(info: LicenseInfo, code: (s: string) => string): string {
  if (info.spdx) return `This model is released under the ${info.name} (SPDX identifier \`${info.spdx}\`).`;
  if (info.name) return `This model is released under the ${info.name} (Hub license id ${code(info.id)}).`;
  return `This model is released under the license ${code(info.id)}: see the license file published with it.`;
}
