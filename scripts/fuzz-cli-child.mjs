// The fuzz campaign's CLI process: exactly what bin/kerascope.js runs, then its peak resident memory on file
// descriptor 3: VmHWM from /proc/self/status (KB; it covers the watchdog's worker thread). Not
// process.resourceUsage().maxRSS: on Linux that high-water mark survives fork and exec, so it reports the
// parent's memory at spawn time when the parent was larger.
import fs from 'node:fs';
import { createRequire } from 'node:module';

// The bundle bin/kerascope.js runs, with its code cache, when it is built (else the compiled modules).
const cli = createRequire(import.meta.url)('../bin/load-bundle.cjs').loadBundle() ?? (await import('../dist/cli/watchdog.js'));

const code = await cli.supervise(process.argv.slice(2));
try {
  const u = process.resourceUsage();
  const hwm = Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1] ?? u.maxRSS);
  fs.writeSync(3, JSON.stringify({ maxRSS: hwm, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 }));
} catch {
  /* not run by the campaign */
}
process.exitCode = code;
