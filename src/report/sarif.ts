// SARIF 2.1.0 for code-scanning dashboards: one run, tool kerascope, one rule per catalogue code, one result
// per finding, located in the model file with the layer's config path as a logical location.
import { CATALOGUE, FINDING_CODES } from '../model/findings.js';
import type { Finding, Report, Severity } from '../model/types.js';
import { VERSION } from '../version.js';
import { stringifyJson } from './escape/json.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** A relative or absolute path as a SARIF artifact URI (forward slashes, percent-encoded). */
function artifactUri(file: string): string {
  const posix = file.replace(/\\/g, '/');
  return posix.startsWith('/') ? `file://${encodeURI(posix)}` : encodeURI(posix);
}

export function toSarif(report: Pick<Report, 'file' | 'findings'>): object {
  const ruleIds = FINDING_CODES;
  const rules = ruleIds.map((id) => ({
    id,
    shortDescription: { text: CATALOGUE[id].title },
    defaultConfiguration: { level: LEVEL[CATALOGUE[id].severity] },
    properties: { tags: [CATALOGUE[id].family] },
  }));
  const index = new Map<string, number>(ruleIds.map((id, i) => [id, i]));
  const uri = artifactUri(report.file);
  const results = report.findings.map((f: Finding) => {
    const location: Record<string, unknown> = { physicalLocation: { artifactLocation: { uri } } };
    if (f.layer) {
      const name = f.layer.split('/').pop() ?? f.layer;
      location.logicalLocations = [{ name, fullyQualifiedName: f.weight ? `${f.layer}/${f.weight}` : f.layer, kind: 'object' }];
    }
    return {
      ruleId: f.code,
      ...(index.has(f.code) ? { ruleIndex: index.get(f.code) } : {}),
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [location],
    };
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'kerascope', version: VERSION, rules } },
        artifacts: [{ location: { uri } }],
        results,
      },
    ],
  };
}

export function renderSarif(report: Pick<Report, 'file' | 'findings'>): string {
  return stringifyJson(toSarif(report), 2);
}
