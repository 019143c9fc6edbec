// The action as a user's workflow gets it at a release tag, measured: `npm run action:release` makes the release
// commit (the sources plus the built single-file CLI, which dist/ otherwise keeps out of git), and
// `npm run action:try [REF]` checks REF (default: that commit) out into an empty folder, runs the action's
// steps in order with scripts/action-run.mjs — the install step for real, against the npm registry — on an
// over-budget model and on an unreadable one, and prints what was installed (MB), how long it took (s) and
// what the run wrote (exit code, annotations, job summary).
//   node scripts/action-try.mjs release          make the release commit (prints its hash; tag it yourself)
//   node scripts/action-try.mjs try [REF]        measure the action at REF
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAction } from './action-run.mjs';
import { READER_CHUNK, VENDOR_CHUNKS } from './cli-chunks.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** What the bundle needs at run time beside bin/ (scripts/build-cli.mjs writes them). */
export const RELEASE_FILES = [
  'dist/kerascope.cjs',
  'dist/kerascope.cjs.cache',
  'dist/cli-worker.cjs',
  'dist/scan-worker.cjs',
  'dist/hdf5/h5wasm/factory.js',
  'dist/http-worker.cjs',
  `dist/${READER_CHUNK.file}`,
  `dist/${READER_CHUNK.file}.cache`,
  ...Object.keys(VENDOR_CHUNKS).map((f) => `dist/${f}`),
];
const git = (/** @type {string[]} */ args, cwd = root) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

/** du -sb, in bytes. */
/** @param {string} dir */
function size(dir) {
  let total = 0;
  const walk = (/** @type {string} */ d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) total += fs.statSync(p).size;
    }
  };
  walk(dir);
  return total;
}

function release() {
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-release-'));
  try {
    // A detached commit on top of HEAD holding the built files; the working tree and the branch are untouched.
    git(['worktree', 'add', '--detach', work, 'HEAD']);
    for (const f of RELEASE_FILES) {
      fs.mkdirSync(path.dirname(path.join(work, f)), { recursive: true });
      fs.copyFileSync(path.join(root, f), path.join(work, f));
    }
    git(['add', '-f', ...RELEASE_FILES], work);
    git(['commit', '-q', '-m', `release: the built CLI for the GitHub Action (${RELEASE_FILES.join(', ')})`], work);
    const commit = git(['rev-parse', 'HEAD'], work);
    process.stdout.write(`release commit ${commit}\ntag it: git tag -a vX.Y.Z ${commit} -m vX.Y.Z && git push origin vX.Y.Z\n`);
    return commit;
  } finally {
    git(['worktree', 'remove', '--force', work]);
  }
}

/** @param {string} ref */
async function tryAt(ref) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-action-at-'));
  execFileSync('git', ['clone', '-q', '--no-checkout', root, dir]);
  git(['checkout', '-q', ref], dir);
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-workspace-'));
  fs.cpSync(path.join(root, 'fixtures', 'gate'), path.join(workspace, 'models'), { recursive: true });
  const report = (/** @type {string} */ label, /** @type {Awaited<ReturnType<typeof runAction>>} */ r) => {
    process.stdout.write(`\n== ${label}\n`);
    for (const s of r.steps)
      process.stdout.write(`${s.status === 'ran' ? `exit ${s.code}` : 'skipped'}  ${s.seconds.toFixed(1)} s  ${s.name}\n`);
    const check = r.steps.find((s) => s.name === 'kerascope check');
    process.stdout.write(
      `annotations:\n${check?.stdout ?? ''}job summary:\n${r.summary}\noutputs: ${JSON.stringify(r.outputs.check ?? {})}\n`,
    );
  };
  const over = await runAction({
    actionDir: dir,
    workspace,
    inputs: { model: 'models/wide/model.json', 'max-params': '26 params' },
  });
  const installed = size(path.join(dir, 'node_modules'));
  const install = over.steps.find((s) => s.name === 'Install kerascope');
  report('over budget', over);
  const bad = await runAction({
    actionDir: dir,
    workspace,
    inputs: { model: 'models/no-such-model.h5', 'max-params': '1M' },
    skip: ['Install kerascope'],
  });
  report('unreadable model', bad);
  process.stdout.write(
    `\ninstall: ${(installed / 1e6).toFixed(1)} MB in node_modules, ${install?.seconds.toFixed(1)} s; whole over-budget run ${over.steps.reduce((t, s) => t + s.seconds, 0).toFixed(1)} s\n`,
  );
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(workspace, { recursive: true, force: true });
}

const [verb = 'try', ref] = process.argv.slice(2);
if (verb === 'release') release();
else if (verb === 'try') await tryAt(ref ?? release());
else {
  process.stderr.write('usage: node scripts/action-try.mjs release | try [REF]\n');
  process.exitCode = 2;
}
