// The composite GitHub Action, run the way GitHub's runner runs it (scripts/action-run.mjs: the steps of
// action.yml in order, expressions filled in, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / RUNNER_TEMP files), with the
// install step skipped (the test suite reaches no registry; `npm run action:try` measures a real install).
// The pull-request comment talks to a GitHub API stand-in: a real HTTP server on 127.0.0.1.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../../scripts/action-run.mjs';
import { ROOT } from '../helpers/cli.js';

interface Step {
  name: string;
  status: 'ran' | 'skipped';
  code: number | null;
  stdout: string;
  stderr: string;
}
interface ActionRun {
  steps: Step[];
  outputs: Record<string, Record<string, string>>;
  summary: string;
}
const run = runAction as (o: {
  actionDir: string;
  workspace: string;
  inputs?: Record<string, string>;
  env?: Record<string, string>;
  skip?: string[];
}) => Promise<ActionRun>;

const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-action-ws-'));
fs.cpSync(path.join(ROOT, 'fixtures', 'gate'), path.join(workspace, 'models'), { recursive: true });
const step = (r: ActionRun, name: string) => r.steps.find((s) => s.name === name)!;
const action = async (inputs: Record<string, string>, env: Record<string, string> = {}) =>
  run({ actionDir: ROOT, workspace, inputs, env, skip: ['Install kerascope'] });

describe('action.yml as GitHub runs it', () => {
  it('over budget: one run writes the annotations, the job summary and the outputs, and fails the step with exit 1', async () => {
    const r = await action({ model: 'models/wide/model.json', 'max-params': '26 params' });
    const check = step(r, 'kerascope check');
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(
      '::error file=models/wide/model.json,title=kerascope%3A --max-params 26 params exceeded::total params 30 over the budget of 26 params (26)',
    );
    expect(r.summary.split('\n').slice(0, 2)).toEqual([
      '<!-- kerascope check -->',
      '❌ **kerascope check failed**: 1 budget broken: max-params',
    ]);
    expect(r.outputs.check!['exit-code']).toBe('1');
    expect(fs.readFileSync(r.outputs.check!.markdown!, 'utf8')).toBe(r.summary);
    // One kerascope run: the annotations and the Markdown come from the same process.
    expect(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8').match(/node "\$KS_BIN"/g)).toHaveLength(1);
    expect(step(r, 'kerascope pull-request comment').status).toBe('skipped');
  });
  it('an unreadable model: an ::error naming it, a job summary that says why, exit 2', async () => {
    const r = await action({ model: 'models/missing.h5', 'max-params': '1M' });
    const check = step(r, 'kerascope check');
    expect(check.code).toBe(2);
    expect(check.stdout).toBe('::error file=models/missing.h5,title=kerascope check could not run::models/missing.h5: no such file\n');
    expect(check.stderr).toBe('kerascope: models/missing.h5: no such file\n');
    expect(r.summary.split('\n').slice(0, 2)).toEqual([
      '<!-- kerascope check -->',
      '❌ **kerascope check could not run**: `models/missing.h5`: no such file',
    ]);
    expect(r.outputs.check!['exit-code']).toBe('2');
  });
  it('no model: every entry of the config, each named; within budget exits 0', async () => {
    fs.writeFileSync(
      path.join(workspace, 'gate.json'),
      JSON.stringify([
        { name: 'base', model: 'models/base/model.json', maxParams: '25 params' },
        { name: 'wide', model: 'models/wide/model.json', maxParams: '1k', maxBytes: '1MB' },
      ]),
    );
    const r = await action({ config: 'gate.json' });
    expect(step(r, 'kerascope check').code).toBe(0);
    expect(r.summary).toContain('✅ **kerascope check passed**: 2 entries: 2 passed, 0 failed');
    expect(r.summary).toContain('### wide');
  });
});

describe('the pull-request comment (GitHub REST API stand-in on 127.0.0.1)', () => {
  const received: { method: string; url: string; auth: string | undefined; body: string }[] = [];
  const comments: { id: number; body: string }[] = [{ id: 7, body: 'an unrelated comment' }];
  let server: http.Server;
  let api = '';
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body });
        res.setHeader('content-type', 'application/json');
        if (req.method === 'GET' && req.url!.startsWith('/repos/o/r/issues/12/comments')) return res.end(JSON.stringify(comments));
        if (req.method === 'POST' && req.url === '/repos/o/r/issues/12/comments') {
          const c = { id: 100 + comments.length, body: JSON.parse(body).body };
          comments.push(c);
          return res.end(JSON.stringify(c));
        }
        const m = /^\/repos\/o\/r\/issues\/comments\/(\d+)$/.exec(req.url!);
        if (req.method === 'PATCH' && m) {
          const c = comments.find((x) => x.id === Number(m[1]))!;
          c.body = JSON.parse(body).body;
          return res.end(JSON.stringify(c));
        }
        res.statusCode = 404;
        res.end('{}');
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  it('posts one comment, then updates that same comment on the next run; the token goes only in the Authorization header', async () => {
    const event = path.join(workspace, 'event.json');
    fs.writeFileSync(event, JSON.stringify({ pull_request: { number: 12 } }));
    const env = { GITHUB_API_URL: api, GITHUB_REPOSITORY: 'o/r', GITHUB_EVENT_PATH: event };
    const token = 'ghs_secret-token-value';
    const first = await action({ model: 'models/wide/model.json', 'max-params': '26 params', 'github-token': token }, env);
    expect(step(first, 'kerascope pull-request comment').code).toBe(0);
    expect(received.map((r) => r.method)).toEqual(['GET', 'POST']);
    expect(comments).toHaveLength(2);
    expect(comments[1]!.body.startsWith('<!-- kerascope check -->\n❌ **kerascope check failed**')).toBe(true);
    const second = await action({ model: 'models/wide/model.json', 'max-params': '1k', 'github-token': token }, env);
    expect(received.map((r) => r.method)).toEqual(['GET', 'POST', 'GET', 'PATCH']);
    expect(received[3]!.url).toBe(`/repos/o/r/issues/comments/${comments[1]!.id}`);
    expect(comments).toHaveLength(2);
    expect(comments[1]!.body).toContain('✅ **kerascope check passed**');
    expect(received.every((r) => r.auth === `Bearer ${token}`)).toBe(true);
    for (const r of [first, second]) for (const s of r.steps) expect(s.stdout + s.stderr).not.toContain(token);
    expect(first.summary + second.summary).not.toContain(token);
  });
  it('a refused token is a warning naming the permission, never the verdict', async () => {
    const event = path.join(workspace, 'event.json');
    const r = await action(
      { model: 'models/wide/model.json', 'max-params': '1k', 'github-token': 'x' },
      { GITHUB_API_URL: `${api}/nowhere`, GITHUB_REPOSITORY: 'o/r', GITHUB_EVENT_PATH: event },
    );
    expect(step(r, 'kerascope check').code).toBe(0);
    const c = step(r, 'kerascope pull-request comment');
    expect(c.code).toBe(0);
    expect(c.stdout).toMatch(
      /^::warning title=kerascope PR comment::could not post the pull request comment: GET .*HTTP 404 \(the workflow needs `permissions: pull-requests: write`\)/,
    );
  });
});
