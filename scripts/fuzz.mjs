// `npm run fuzz [-- --cases N --seed S --time-ms T --chunk C]`: a longer seeded fuzz run of the built library
// (dist/). Every case must end in a Report or an InputError within the time bound; the summary line says how
// many cases ran and how they ended. Exit 1 if any case crashed, aborted the HDF5 module or was too slow.
// Cases run in child processes of `--chunk` cases each (default 100), so that a crash, were there one, costs
// one chunk and not the run; `--chunk 3000` runs everything in one process, as a library user would.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** @typedef {import('./fixtures/util.mjs').Json} Json */

const arg = (/** @type {string} */ name, /** @type {Json} */ dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const cases = arg('cases', 3000);
const seed = arg('seed', 20260101);
const timeMs = arg('time-ms', 10_000);
const chunk = arg('chunk', 100);
const from = arg('from', -1);

if (from >= 0) {
  // Child: run cases [from, from + chunk) and print one JSON line of results.
  const { inspect, InputError } = await import('../dist/index.js');
  const { makeCase, runCase } = await import('./fuzz-cases.mjs');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-fuzz-'));
  const out = [];
  try {
    for (let i = from; i < Math.min(cases, from + chunk); i++) {
      const c = await makeCase(seed, i, dir);
      const r = await runCase(inspect, InputError, c, timeMs);
      out.push({ i, kind: r.kind, op: r.op, outcome: r.outcome, detail: r.detail });
      fs.rmSync(path.dirname(c.file), { recursive: true, force: true });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
} else {
  const self = fileURLToPath(import.meta.url);
  /** @type {Record<string, number>} */
  const counts = {};
  const t0 = Date.now();
  let failures = 0;
  for (let start = 0; start < cases; start += chunk) {
    const args = [
      self,
      '--from',
      String(start),
      '--cases',
      String(cases),
      '--seed',
      String(seed),
      '--time-ms',
      String(timeMs),
      '--chunk',
      String(chunk),
    ];
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    let results;
    try {
      results = JSON.parse(r.stdout.trim().split('\n').pop() ?? '');
    } catch {
      console.error(`chunk at ${start}: the child process died (status ${r.status}): ${r.stderr.split('\n').slice(-5).join(' | ')}`);
      failures++;
      counts['process-died'] = (counts['process-died'] ?? 0) + 1;
      continue;
    }
    for (const x of results) {
      counts[x.outcome] = (counts[x.outcome] ?? 0) + 1;
      if (x.outcome !== 'report' && x.outcome !== 'input-error') {
        failures++;
        console.error(`case ${x.i} (${x.kind}, ${x.op}): ${x.outcome} ${x.detail}`);
      }
    }
  }
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  const other = Object.entries(counts)
    .filter(([k]) => k !== 'report' && k !== 'input-error')
    .map(([k, v]) => `${v} ${k}`);
  console.log(
    `fuzz: ${cases} cases (seed ${seed}) in ${secs}s: ${counts.report ?? 0} reports, ${counts['input-error'] ?? 0} input errors, ${other.length ? other.join(', ') : '0 crashes'} (time bound ${timeMs} ms)`,
  );
  process.exitCode = failures ? 1 : 0;
}
