// Builds dist/ (and the CLI bundle) once before the tests, so tests that run bin/kerascope.js exercise the current sources.
// Type errors do not stop the build (tsc still emits); `npm test` runs the type check on its own first.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export default function setup(): void {
  const tsc = path.resolve('node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { encoding: 'utf8' });
  if (r.status !== 0) console.warn(`tsc reported problems while building dist/:\n${r.stdout}${r.stderr}`);
  // The CLI runs from the bundle (bin/kerascope.js prefers dist/kerascope.cjs, with its code cache): rebuild it from the sources.
  const b = spawnSync(process.execPath, [path.resolve('scripts', 'build-cli.mjs')], { encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`bundling the CLI failed:\n${b.stdout}${b.stderr}`);
}
