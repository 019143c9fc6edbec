// Builds dist/ once before the tests, so tests that run bin/kerascope.js exercise the current sources.
// Type errors do not stop the build (tsc still emits); `npm test` runs the type check on its own first.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export default function setup(): void {
  const tsc = path.resolve('node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { encoding: 'utf8' });
  if (r.status !== 0) console.warn(`tsc reported problems while building dist/:\n${r.stdout}${r.stderr}`);
}
