// The fuzz campaign's CLI process: exactly what bin/kerascope.js runs, then its peak resident memory
// (process.resourceUsage().maxRSS, KB, which covers the watchdog's worker thread) on file descriptor 3.
import fs from 'node:fs';
import { supervise } from '../dist/cli/watchdog.js';

const code = await supervise(process.argv.slice(2));
try {
  const u = process.resourceUsage();
  fs.writeSync(3, JSON.stringify({ maxRSS: u.maxRSS, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 }));
} catch {
  /* not run by the campaign */
}
process.exitCode = code;
