// System-call tracing for the fuzz campaign's CLI cases (issue 14: "no HDF5 external link / external storage /
// virtual dataset followed, no input modified, no temp file left" — checked from the kernel's side, not from
// what kerascope says). Each traced case runs under `strace -f` limited to the calls that touch the file
// system, the network or other programs; the log is then judged:
//  - every file opened for reading lies in the case's own folder, the project (dist/, node_modules/,
//    package.json), the case's private TMPDIR, or what Node itself needs (its libraries, /proc, /sys, /dev,
//    TLS and time-zone data): an input that names `/etc/passwd`, `../x.bin` or an HDF5 external file must not
//    make kerascope open it;
//  - nothing is created, written, renamed, linked or removed outside that TMPDIR;
//  - no other program is started, and no socket is connected.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

/** Whether strace can trace here (it needs ptrace; containers may forbid it). */
export const STRACE = (() => {
  const r = spawnSync('strace', ['-f', '-qq', '-e', 'trace=openat', '-o', '/dev/null', '--', process.execPath, '-e', '0'], {
    stdio: 'ignore',
  });
  return r.status === 0;
})();

const CALLS = [
  'open',
  'openat',
  'openat2',
  'creat',
  'execve',
  'execveat',
  'connect',
  'unlink',
  'unlinkat',
  'rename',
  'renameat',
  'renameat2',
  'mkdir',
  'mkdirat',
  'rmdir',
  'symlink',
  'symlinkat',
  'link',
  'linkat',
  'truncate',
  'chmod',
  'fchmodat',
];

/**
 * The command and arguments that run `argv` (a program and its arguments) under strace, logging to `log`.
 * @param {string[]} argv
 * @param {string} log
 * @returns {[string, string[]]}
 */
export function traced(argv, log) {
  return ['strace', ['-f', '-qq', '-s', '4096', '-e', `trace=${CALLS.join(',')}`, '-o', log, '--', ...argv]];
}

/** Folders Node reads from whatever it runs (its own binary and libraries, kernel views, TLS and zone data). */
const SYSTEM = ['/proc/', '/sys/', '/dev/', '/lib/', '/lib64/', '/usr/lib/', '/usr/lib64/', '/etc/ssl/', '/usr/share/zoneinfo/'];
const SYSTEM_FILES = new Set(['/etc/localtime', '/usr/bin/node', process.execPath, '/etc/ld.so.cache']);

const under = (/** @type {string} */ p, /** @type {string} */ dir) => p === dir || p.startsWith(dir.endsWith('/') ? dir : `${dir}/`);

/**
 * Judges a strace log. `caseDir`: the folder that holds the case's input (everything it may read);
 * `tmp`: the private TMPDIR (everything it may write); `root`: the project. Returns null or [class, detail].
 */
/**
 * @param {string} log
 * @param {{ caseDir: string, tmp: string, root: string, cwd?: string }} where
 * @returns {[string, string] | null}
 */
export function judgeTrace(log, { caseDir, tmp, root, cwd = process.cwd() }) {
  let execs = 0;
  for (const line of log.split('\n')) {
    const m = /^\d+\s+(\w+)\((.*)\)\s+=\s+(-?\d+|\?)(.*)$/.exec(line);
    if (!m) continue;
    const [, call = '', args = '', ret] = m;
    const ok = ret !== '-1';
    const str = /"((?:[^"\\]|\\.)*)"/.exec(args)?.[1] ?? '';
    const abs = str.startsWith('/') ? path.normalize(str) : path.resolve(cwd, str);
    if (call === 'execve' || call === 'execveat') {
      if (ok && ++execs > 1) return ['syscall-exec', `started another program: ${str}`];
      continue;
    }
    if (call === 'connect') {
      if (!/AF_UNIX/.test(args) || ok) return ['syscall-network', line.slice(0, 200)];
      continue;
    }
    const writes =
      call === 'creat' || (call.startsWith('open') && /O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND/.test(args)) || !call.startsWith('open');
    if (writes) {
      if (abs === '/dev/null' || abs === '/dev/tty' || under(abs, tmp)) continue;
      return ['syscall-write-outside', `${call} ${abs}${ok ? '' : ' (refused by the system)'}`];
    }
    if (!ok) continue; // a failed read attempt (a probe for a file that is not there) reads nothing
    if (under(abs, caseDir) || under(abs, tmp) || SYSTEM_FILES.has(abs)) continue;
    if (['dist', 'node_modules', 'bin', 'scripts', 'package.json'].some((d) => under(abs, path.join(root, d)))) continue;
    if (SYSTEM.some((d) => abs.startsWith(d))) continue;
    return ['syscall-read-outside', `${call} ${abs}`];
  }
  return null;
}
