// The kerascope action's pull-request comment: one comment per pull request, found by the hidden marker the
// Markdown verdict starts with (`<!-- kerascope check -->`) and updated in place on every push, through GitHub's
// REST API (list, then PATCH or POST an issue comment). Runs only when the workflow hands the action a token;
// the token needs `pull-requests: write`. Plain Node (fetch), no dependency. A failure to comment is a warning,
// never the gate's verdict; the token is sent only to GITHUB_API_URL and never printed.
//   node action/pr-comment.mjs MARKDOWN_FILE
import fs from 'node:fs';

const MARKER = '<!-- kerascope check -->';
const MAX_PAGES = 20;

/** @param {string} message */
function warn(message) {
  // A workflow command's message: % CR LF escaped as @actions/core does.
  process.stdout.write(
    `::warning title=kerascope PR comment::${message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`,
  );
}

async function main() {
  const [file] = process.argv.slice(2);
  const token = process.env.KS_GITHUB_TOKEN ?? '';
  const api = (process.env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
  const repo = process.env.GITHUB_REPOSITORY ?? '';
  if (!token) return; // commenting is off unless a token is given
  if (!file || !fs.existsSync(file)) return warn('no Markdown verdict to post');
  const event = process.env.GITHUB_EVENT_PATH ? JSON.parse(fs.readFileSync(process.env.GITHUB_EVENT_PATH, 'utf8')) : {};
  const pr = event.pull_request?.number ?? (event.issue?.pull_request ? event.issue.number : undefined);
  if (!Number.isInteger(pr)) {
    process.stdout.write('kerascope: not a pull request event; no comment posted\n');
    return;
  }
  if (!/^[\w.-]+\/[\w.-]+$/.test(repo)) return warn('GITHUB_REPOSITORY is not owner/name; no comment posted');
  const body = fs.readFileSync(file, 'utf8');
  const headers = {
    authorization: `Bearer ${token}`,
    accept: 'application/vnd.github+json',
    'x-github-api-version': '2022-11-28',
    'user-agent': 'kerascope-action',
    'content-type': 'application/json',
  };
  /** @type {(method: string, url: string, payload?: unknown) => Promise<any>} */
  const call = async (method, url, payload) => {
    // redirect: 'manual' so the Authorization header never follows a redirect to another host.
    const res = await fetch(url, { method, headers, body: payload ? JSON.stringify(payload) : undefined, redirect: 'manual' });
    if (!res.ok) {
      const hint = res.status === 403 || res.status === 404 ? ' (the workflow needs `permissions: pull-requests: write`)' : '';
      throw new Error(`${method} ${new URL(url).pathname}: HTTP ${res.status}${hint}`);
    }
    return res.json();
  };
  let existing = null;
  for (let page = 1; page <= MAX_PAGES && !existing; page++) {
    const list = await call('GET', `${api}/repos/${repo}/issues/${pr}/comments?per_page=100&page=${page}`);
    if (!Array.isArray(list)) break;
    existing = list.find((c) => typeof c?.body === 'string' && c.body.startsWith(MARKER)) ?? null;
    if (list.length < 100) break;
  }
  if (existing) {
    await call('PATCH', `${api}/repos/${repo}/issues/comments/${existing.id}`, { body });
    process.stdout.write(`kerascope: updated the pull request comment ${existing.id}\n`);
  } else {
    const made = await call('POST', `${api}/repos/${repo}/issues/${pr}/comments`, { body });
    process.stdout.write(`kerascope: commented on pull request #${pr} (${made.id})\n`);
  }
}

main().catch((e) => warn(`could not post the pull request comment: ${e.message}`));
