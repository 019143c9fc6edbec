// Runs kerascope's composite action (action.yml) the way GitHub's runner does: the steps in order, each `run:`
// script with `bash --noprofile --norc -eo pipefail`, `${{ … }}` expressions filled in from the inputs (defaults
// first), `github.action_path`, `github.workspace` and earlier steps' outputs, GITHUB_OUTPUT per step,
// GITHUB_STEP_SUMMARY and RUNNER_TEMP per run, `if:` conditions, and a failed step skipping later ones unless
// they ask for `always()`. `uses:` steps (actions/setup-node) are not run: the Node running this is used.
// Used by the action tests (with the install step skipped: the tests reach no registry) and by
// scripts/action-try.mjs, which measures a real install.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

/**
 * @typedef {{ name: string, status: 'ran' | 'skipped', code: number | null, stdout: string, stderr: string, seconds: number }} StepRun
 * @param {{ actionDir: string, workspace: string, inputs?: Record<string, string>, env?: Record<string, string>, skip?: string[] }} o
 */
export async function runAction(o) {
  const action = parse(fs.readFileSync(path.join(o.actionDir, 'action.yml'), 'utf8'));
  /** @type {Record<string, string>} */
  const inputs = {};
  for (const [name, spec] of Object.entries(action.inputs ?? {})) inputs[name] = String(spec?.default ?? '');
  Object.assign(inputs, o.inputs ?? {});
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-action-'));
  const summary = path.join(temp, 'step-summary.md');
  fs.writeFileSync(summary, '');
  /** @type {Record<string, Record<string, string>>} */
  const outputs = {};
  /** @type {StepRun[]} */
  const steps = [];
  let failed = false;
  /** @param {string} expr */
  const value = (expr) => {
    const e = expr.trim();
    if (e.startsWith('inputs.')) return inputs[e.slice(7)] ?? '';
    if (e === 'github.action_path') return o.actionDir;
    if (e === 'github.workspace') return o.workspace;
    const m = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(e);
    if (m) return outputs[m[1] ?? '']?.[m[2] ?? ''] ?? '';
    if (/^'.*'$/.test(e)) return e.slice(1, -1);
    throw new Error(`action-run: unsupported expression ${e}`);
  };
  /** @param {string} s */
  const fill = (s) => String(s).replace(/\$\{\{(.*?)\}\}/g, (_, expr) => value(expr));
  /** @param {string | undefined} cond */
  const allowed = (cond) => {
    const text = cond === undefined ? 'success()' : String(cond).replace(/^\$\{\{(.*)\}\}$/s, '$1');
    const terms = text.split('&&').map((t) => t.trim());
    if (!terms.some((t) => t === 'always()') && failed) return false;
    return terms.every((t) => {
      if (t === 'always()') return true;
      if (t === 'success()') return !failed;
      if (t === 'failure()') return failed;
      const c = /^(.+?)\s*(==|!=)\s*(.+)$/.exec(t);
      if (!c) throw new Error(`action-run: unsupported condition ${t}`);
      return (value(c[1] ?? '') === value(c[3] ?? '')) === (c[2] === '==');
    });
  };
  for (const step of action.runs.steps) {
    const name = step.name ?? step.uses ?? step.id;
    if (step.uses || (o.skip ?? []).includes(name) || !allowed(step.if)) {
      steps.push({ name, status: 'skipped', code: null, stdout: '', stderr: '', seconds: 0 });
      continue;
    }
    const out = path.join(temp, `output-${steps.length}`);
    fs.writeFileSync(out, '');
    const script = path.join(temp, `step-${steps.length}.sh`);
    fs.writeFileSync(script, fill(step.run));
    /** @type {Record<string, string>} */
    const env = {};
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = fill(String(v));
    const start = process.hrtime.bigint();
    // Asynchronous, so that a server in the calling process (a test's API stand-in) can answer the step.
    const r = await run(script, {
      cwd: step['working-directory'] ? fill(step['working-directory']) : o.workspace,
      env: {
        ...process.env,
        ...o.env,
        ...env,
        GITHUB_OUTPUT: out,
        GITHUB_STEP_SUMMARY: summary,
        GITHUB_ACTION_PATH: o.actionDir,
        GITHUB_WORKSPACE: o.workspace,
        RUNNER_TEMP: temp,
      },
    });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (step.id) {
      /** @type {Record<string, string>} */
      const written = {};
      for (const line of fs.readFileSync(out, 'utf8').split('\n')) {
        const at = line.indexOf('=');
        if (at > 0) written[line.slice(0, at)] = line.slice(at + 1);
      }
      outputs[step.id] = written;
    }
    steps.push({ name, status: 'ran', code: r.status, stdout: r.stdout, stderr: r.stderr, seconds });
    if (r.status !== 0) failed = true;
  }
  return { steps, outputs, summary: fs.readFileSync(summary, 'utf8'), temp, failed };
}

/**
 * @param {string} script
 * @param {{ cwd: string, env: NodeJS.ProcessEnv }} o
 * @returns {Promise<{ status: number | null, stdout: string, stderr: string }>}
 */
function run(script, o) {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { ...o, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c) => {
      stdout += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c) => {
      stderr += c;
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
