// Private temporary folders (a compressed .keras weights member is copied to one). Each is removed when
// its work ends; `removeTempDirs` lets the CLI remove any still open when it is interrupted.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const open = new Set<string>();

export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kerascope-'));
  open.add(dir);
  try {
    return await fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    open.delete(dir);
  }
}

export function removeTempDirs(): void {
  for (const dir of open) fs.rmSync(dir, { recursive: true, force: true });
  open.clear();
}
