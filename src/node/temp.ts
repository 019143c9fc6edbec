// Scratch space on disk for the Node adapter: a compressed `.keras` weights member too large to inflate in
// memory is written to a private temporary folder, opened, and its name removed at once (the open
// descriptor keeps it readable), so nothing is left behind even if the process dies. `removeTempDirs` lets
// the CLI remove any folder still being written when it is interrupted.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ByteSource } from '../io/byte-source.js';
import type { Scratch } from '../formats/index.js';
import { FileSource } from './file-source.js';
import { SCRATCH_PREFIX } from './worker-runner.js';

const open = new Set<string>();

export const diskScratch: Scratch = {
  async store(fill: (write: (chunk: Uint8Array) => void) => Promise<void>): Promise<ByteSource> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${SCRATCH_PREFIX}${process.pid}-`));
    open.add(dir);
    try {
      const file = path.join(dir, 'member');
      const fd = fs.openSync(file, 'wx', 0o600);
      let size = 0;
      try {
        await fill((chunk) => {
          fs.writeSync(fd, chunk);
          size += chunk.length;
        });
      } finally {
        fs.closeSync(fd);
      }
      return new FileSource(file, size).hold();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      open.delete(dir);
    }
  },
};

export function removeTempDirs(): void {
  for (const dir of open) fs.rmSync(dir, { recursive: true, force: true });
  open.clear();
}
