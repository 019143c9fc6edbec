// SARIF 2.1.0 for code-scanning dashboards: one run, tool kerascope, one rule per catalogue code, one result
// per finding, located in the model file with the layer's config path as a logical location.
import { CATALOGUE, FINDING_CODES, type FindingCode } from '../model/findings.js';
import type { Finding, Report, Severity } from '../model/types.js';
import { VERSION } from '../version.js';
import { stringifyJson } from './escape/json.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/**
 * GitHub code scanning's numeric `security-severity` (over 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, up to
 * 3.9 low), given to security rules only: integrity findings are not security alerts.
 */
const SECURITY_SEVERITY: Record<Severity, string | null> = { critical: '9.5', high: '8.0', medium: '5.5', low: '2.0', info: null };

/** Where each code's documentation lives (docs/findings.md has one anchor per code, named by the code). */
const DOCS = 'https://github.com/kerascope/kerascope/blob/main/docs/findings.md';

function rule(id: FindingCode) {
  const e = CATALOGUE[id];
  const score = e.family === 'security' ? SECURITY_SEVERITY[e.severity] : null;
  return {
    id,
    shortDescription: { text: e.title },
    defaultConfiguration: { level: LEVEL[e.severity] },
    help: { text: `${e.fix} See docs/findings.md#${id}.`, markdown: `${e.fix}\n\n[${id} in docs/findings.md](${DOCS}#${id})` },
    helpUri: `${DOCS}#${id}`,
    properties: {
      tags: e.family === 'security' ? ['security'] : [e.family],
      severity: e.severity,
      ...(score !== null ? { 'security-severity': score } : {}),
    },
  };
}

/** A relative or absolute path as a SARIF artifact URI (forward slashes, percent-encoded). */
function artifactUri(file: string): string {
  const posix = file.replace(/\\/g, '/');
  return posix.startsWith('/') ? `file://${encodeURI(posix)}` : encodeURI(posix);
}

export function toSarif(report: Pick<Report, 'file' | 'findings'>): object {
  const ruleIds = FINDING_CODES;
  const rules = ruleIds.map(rule);
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

/** One SARIF run for several files (audit, scan): the rules once, each file an artifact, every file's results. */
export function mergeSarif(reports: Pick<Report, 'file' | 'findings'>[]): object {
  type Log = { runs: { artifacts: unknown[]; results: unknown[] }[] };
  const logs = reports.map((r) => toSarif(r) as Log);
  const base = logs[0] ?? (toSarif({ file: '', findings: [] }) as Log);
  if (logs.length === 0) base.runs[0]!.artifacts = [];
  for (const log of logs.slice(1)) {
    base.runs[0]!.artifacts.push(...log.runs[0]!.artifacts);
    base.runs[0]!.results.push(...log.runs[0]!.results);
  }
  return base;
}
