// POSIX-style path arithmetic for the core (no `node:path`): the same answers as `path.posix` for the
// cases kerascope meets: joining a model file's folder with a shard or sibling name.

/** Joins and normalises like `path.posix.join`: `.` dropped, `..` resolved where it can be, `.` for empty. */
export function joinPath(...parts: string[]): string {
  const joined = parts.filter((p) => p !== '').join('/');
  if (joined === '') return '.';
  const absolute = joined.startsWith('/');
  const out: string[] = [];
  for (const seg of joined.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
    } else out.push(seg);
  }
  const body = out.join('/');
  return absolute ? `/${body}` : body || '.';
}

/** The folder part, like `path.posix.dirname`. */
export function dirName(p: string): string {
  const trimmed = p.length > 1 ? p.replace(/\/+$/, '') : p;
  const i = trimmed.lastIndexOf('/');
  if (i < 0) return '.';
  if (i === 0) return '/';
  return trimmed.slice(0, i);
}

/** The last segment, like `path.posix.basename`. */
export function baseName(p: string): string {
  const trimmed = p.length > 1 ? p.replace(/\/+$/, '') : p;
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
